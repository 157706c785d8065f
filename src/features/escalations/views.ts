import type { Button, KnownBlock, ModalView } from '@slack/types';
import { type EscalationReason, isPrivate, REASON_KINDS, type ReasonKind } from '../../domain/escalation.js';
import type { IsoDate } from '../../domain/time.js';
import { formatList, type Locale, type MessageKey, t, dateTimeFormat } from '../../i18n/index.js';
import { actions, button, context, escapeText, LIMITS, type Message, mention, plain, section, truncate } from '../../slack/blocks.js';
import { cadencePhrase, dateLabel } from '../../slack/labels.js';
import type { PairStatus } from '../../store/database.js';
import type { AuditEntry, EscalationOutcome, EscalationStatus, PairSubject } from '../../store/escalations.js';

export const ESCALATION_ASSIGN = 'escalation_assign';
export const ESCALATION_NUDGE = 'escalation_nudge';
export const ESCALATION_TALK = 'escalation_talk';
export const ESCALATION_RESOLVE = 'escalation_resolve';
export const ESCALATION_END = 'escalation_end';
export const ESCALATION_DETAILS = 'escalation_details';
export const NOTE_READ = 'escalation_note_read';
/** The App Home's "Raise a concern privately" button (see `concernButton`). */
export const CONCERN_OPEN = 'escalation_concern_open';
export const RESOLVE_CALLBACK = 'escalation_resolve_form';
export const END_CALLBACK = 'escalation_end_form';
export const CONCERN_CALLBACK = 'escalation_concern_form';

/** Block ids of the forms' single fields. */
export const RESOLVE_NOTE = 'note';
export const END_REASON = 'reason';
export const CONCERN_TEXT = 'concern';
export const RESOLVE_NOTE_MAX = 1000;
export const END_REASON_MAX = 500;
export const CONCERN_MAX = 2000;

/** A reason on an escalation, with who confided it and what they wrote (facilitators only). */
export interface ReasonView {
  reason: EscalationReason;
  raisedByUserId: string | null;
  note: string | null;
}

/** A pair as the message shows it (the partners' Slack ids, not their participant ids). */
export type SubjectView =
  | ({ kind: 'pair' } & Omit<PairSubject, 'juniorId' | 'seniorId'>)
  | { kind: 'person'; userId: string };

/** Everything the escalation's message, its details and the list show. */
export interface EscalationView {
  id: number;
  status: EscalationStatus;
  outcome: EscalationOutcome | null;
  openedAt: string;
  assignee: { userId: string; at: string } | null;
  reraisedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** The resolution note or the reason for ending: facilitators only, never in the channel. */
  resolution: string | null;
  subject: SubjectView;
  reasons: readonly ReasonView[];
  /** Audit entries of the escalation itself, oldest first. */
  events: readonly AuditEntry[];
}

const MAX_REASON_LINES = 10;
const TIMELINE_EVENTS = 5;

const escalationValue = (escalationId: number): string => JSON.stringify({ escalationId });
const assignValue = (escalationId: number, from: string | null): string => JSON.stringify({ escalationId, from });

/** A permalink without a Slack call: the archives form, which Slack resolves in the reader's workspace. */
export const messageLink = (where: { channel: string; ts: string }): string => `https://slack.com/archives/${where.channel}/p${where.ts.replace('.', '')}`;

/** A moment, shown by Slack in each reader's zone; the fallback is in the programme's zone. */
function whenLabel(locale: Locale, iso: string, timeZone: string): string {
  const seconds = Math.floor(new Date(iso).getTime() / 1000);
  const time = dateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
  return `<!date^${seconds}^{date_short_pretty} {time}|${dateLabel(locale, iso, timeZone)} ${time}>`;
}

function title(locale: Locale, subject: SubjectView): string {
  return subject.kind === 'pair'
    ? t(locale, 'escalations.title.pair', { junior: mention(subject.juniorUserId), senior: mention(subject.seniorUserId) })
    : t(locale, 'escalations.title.person', { person: mention(subject.userId) });
}

const kindLabel = (locale: Locale, kind: ReasonKind): string => t(locale, `escalations.kind.${kind}`);
const KNOWN_KINDS: ReadonlySet<string> = new Set(REASON_KINDS);
/** The kinds an audit entry lists (e.g. ["help_requested"]), in words; anything unknown is skipped. */
const kindsLabel = (locale: Locale, kinds: unknown): string =>
  formatList(locale, (Array.isArray(kinds) ? kinds : []).filter((k): k is ReasonKind => typeof k === 'string' && KNOWN_KINDS.has(k)).map((k) => kindLabel(locale, k)));

/**
 * One reason as the facilitator channel reads it. The channel may be readable by more people than
 * its members, so what one partner confided says neither who nor what: the details modal does.
 */
function reasonLine(locale: Locale, reason: EscalationReason, timeZone: string): string {
  const line = reasonText(locale, reason, timeZone);
  // A stall that went on after a resolution says so: the facilitators resolved it once already.
  const resolvedAt = 'resolvedAt' in reason.facts ? reason.facts.resolvedAt : undefined;
  return resolvedAt ? `${line} ${t(locale, 'timing.reason.again', { date: dateLabel(locale, resolvedAt.toISOString(), timeZone) })}` : line;
}

function reasonText(locale: Locale, reason: EscalationReason, timeZone: string): string {
  const date = (iso: string) => dateLabel(locale, iso, timeZone);
  switch (reason.kind) {
    case 'help_requested':
      return t(locale, 'escalations.reason.help_requested', { user: mention(reason.facts.requestedBy), date: dateLabel(locale, reason.facts.checkinOf), when: whenLabel(locale, reason.facts.requestedAt.toISOString(), timeZone) });
    case 'concern':
      return t(locale, 'escalations.reason.concern', { when: whenLabel(locale, reason.facts.raisedAt.toISOString(), timeZone) });
    case 'low_rating':
      return t(locale, 'escalations.reason.low_rating', { date: dateLabel(locale, reason.facts.date), rating: reason.facts.rating, threshold: reason.facts.threshold });
    case 'private_note':
      return t(locale, 'escalations.reason.private_note', { date: dateLabel(locale, reason.facts.date) });
    case 'no_first_meeting':
      // Reasons raised before the count started at the first check-in only know the signature.
      return reason.facts.askedAt
        ? t(locale, 'timing.reason.no_first_meeting', { days: reason.facts.days, asked: date(reason.facts.askedAt.toISOString()), threshold: reason.facts.thresholdDays })
        : t(locale, 'escalations.reason.no_first_meeting', { days: reason.facts.days, signed: date(reason.facts.signedAt.toISOString()), threshold: reason.facts.thresholdDays });
    case 'no_meeting':
      return t(locale, 'escalations.reason.no_meeting', {
        since: dateLabel(locale, reason.facts.since),
        days: reason.facts.days,
        factor: Math.round((reason.facts.thresholdDays / reason.facts.cadenceDays) * 10) / 10,
        cadence: cadencePhrase(locale, reason.facts.cadence),
      });
    case 'unanswered_prompts':
      return t(locale, 'escalations.reason.unanswered_prompts', { count: reason.facts.count, first: date(reason.facts.firstSentAt.toISOString()), last: date(reason.facts.lastSentAt.toISOString()) });
    case 'contract_unsigned':
      return t(locale, 'escalations.reason.contract_unsigned', { days: reason.facts.days, accepted: date(reason.facts.acceptedAt.toISOString()), threshold: reason.facts.thresholdDays });
    case 'introduction_unanswered':
      return t(locale, 'escalations.reason.introduction_unanswered', {
        introduced: date(reason.facts.introducedAt.toISOString()),
        people: formatList(locale, reason.facts.waitingFor.map(mention)),
        days: reason.facts.days,
        threshold: reason.facts.thresholdDays,
      });
  }
}

/** One reason in the details modal (facilitators only): who confided what, in their words. */
function reasonDetail(locale: Locale, view: ReasonView, timeZone: string): string {
  const { reason } = view;
  const quote = (text: string | null) => (text ? `\n>${escapeText(text).replace(/\n/g, '\n>')}` : '');
  switch (reason.kind) {
    case 'concern':
      return t(locale, 'escalations.detail.concern', { user: mention(reason.facts.raisedBy), when: whenLabel(locale, reason.facts.raisedAt.toISOString(), timeZone) }) + quote(view.note);
    case 'private_note':
      return t(locale, 'escalations.detail.private_note', { user: mention(reason.facts.writtenBy), date: dateLabel(locale, reason.facts.date) }) + quote(view.note);
    case 'low_rating':
      return t(locale, 'escalations.detail.low_rating', { user: mention(reason.facts.ratedBy), date: dateLabel(locale, reason.facts.date), rating: reason.facts.rating, threshold: reason.facts.threshold });
    default:
      return reasonLine(locale, reason, timeZone);
  }
}

function stateLine(locale: Locale, view: EscalationView, timeZone: string): string {
  const when = (iso: string) => whenLabel(locale, iso, timeZone);
  if (view.status === 'resolved') {
    const key = view.outcome === 'pair_ended' ? 'escalations.state.ended' : 'escalations.state.resolved';
    return t(locale, key, { user: mention(view.resolvedBy ?? ''), when: when(view.resolvedAt ?? view.openedAt) });
  }
  if (view.assignee) return t(locale, 'escalations.state.handled', { user: mention(view.assignee.userId), when: when(view.assignee.at) });
  if (view.reraisedAt) return t(locale, 'escalations.state.reraised', { when: when(view.openedAt), reraised: when(view.reraisedAt) });
  return t(locale, 'escalations.state.waiting', { when: when(view.openedAt) });
}

const ACTOR_ID = /^[UW][A-Z0-9]{1,20}$/;

function actorLabel(locale: Locale, actor: string): string {
  if (actor === 'tandem') return t(locale, 'escalations.audit.tandem');
  return ACTOR_ID.test(actor) ? mention(actor) : t(locale, 'escalations.audit.someone');
}

const AUDIT_KEYS = new Set<string>([
  'escalation.opened',
  'escalation.reason_added',
  'escalation.assigned',
  'escalation.nudged',
  'escalation.talk_opened',
  'escalation.reraised',
  'escalation.resolved',
  'escalation.pair_ended',
  'escalation.details_viewed',
  'escalation.note_read',
  'pair.proposed',
  'pair.approved',
  'pair.rejected',
  'pair.withdrawn',
  'introduction.accepted',
  'introduction.declined',
  'contract.proposed',
  'contract.signed',
  'contract.in_force',
  'contract.rated',
  'pair.paused',
  'pair.resumed',
  'pair.completed',
  'pair.ended',
]);

/** An audit entry in words: "<@F> took it", "<@J> signed the contract"… */
function auditText(locale: Locale, entry: AuditEntry): string {
  const vars = { actor: actorLabel(locale, entry.actorUserId), reasons: kindsLabel(locale, entry.details.kinds) };
  if (AUDIT_KEYS.has(entry.action)) return t(locale, `escalations.audit.${entry.action}` as MessageKey, vars);
  return t(locale, 'escalations.audit.other', { actor: vars.actor, action: escapeText(truncate(entry.action, 60)) });
}

/** Milestones of the pair, then the escalation's latest events; who confided something is never named here. */
function timeline(locale: Locale, view: EscalationView, timeZone: string): string {
  const items: string[] = [];
  const subject = view.subject;
  if (subject.kind === 'pair') {
    const date = (iso: string) => dateLabel(locale, iso, timeZone);
    if (subject.introducedAt) items.push(t(locale, 'escalations.timeline.introduced', { date: date(subject.introducedAt) }));
    if (subject.acceptedAt) items.push(t(locale, 'escalations.timeline.accepted', { date: date(subject.acceptedAt) }));
    if (subject.signedAt) {
      items.push(t(locale, 'escalations.timeline.signed', { date: date(subject.signedAt) }));
      items.push(subject.lastMeetingOn ? t(locale, 'escalations.timeline.lastMeeting', { date: dateLabel(locale, subject.lastMeetingOn) }) : t(locale, 'escalations.timeline.noMeeting'));
    }
  }
  const shown = view.events.filter((e) => e.action !== 'escalation.details_viewed' && e.action !== 'escalation.note_read').slice(-TIMELINE_EVENTS);
  for (const event of shown) {
    // The person who pressed a button or confided something is left out: the reasons say what may be said.
    const text =
      event.action === 'escalation.opened'
        ? t(locale, 'escalations.audit.escalation.reason_added', { reasons: kindsLabel(locale, event.details.kinds) })
        : auditText(locale, event);
    items.push(`${text} (${whenLabel(locale, event.at, timeZone)})`);
  }
  return t(locale, 'escalations.timeline', { items: items.join(' · ') });
}

function subjectLine(locale: Locale, subject: SubjectView): string {
  if (subject.kind === 'person') return t(locale, 'escalations.personLine', { person: mention(subject.userId) });
  return t(locale, 'escalations.pairLine', {
    junior: mention(subject.juniorUserId),
    senior: mention(subject.seniorUserId),
    status: t(locale, `escalations.pairStatus.${subject.status}`),
  });
}

const PAIR_OPEN: readonly PairStatus[] = ['introduced', 'accepted', 'active'];

function escalationButtons(locale: Locale, view: EscalationView): Button[] {
  const value = escalationValue(view.id);
  const details = button({ text: t(locale, 'escalations.button.details'), actionId: ESCALATION_DETAILS, value });
  if (view.status !== 'open') return [details];
  const assign = view.assignee
    ? button({
        text: t(locale, 'escalations.button.takeOver'),
        actionId: ESCALATION_ASSIGN,
        value: assignValue(view.id, view.assignee.userId),
        confirm: {
          title: t(locale, 'escalations.confirm.takeOverTitle'),
          text: t(locale, 'escalations.confirm.takeOver'),
          confirm: t(locale, 'escalations.confirm.takeOverButton'),
          deny: t(locale, 'escalations.confirm.cancel'),
        },
      })
    : button({ text: t(locale, 'escalations.button.assign'), actionId: ESCALATION_ASSIGN, value: assignValue(view.id, null), style: 'primary' });
  const resolve = button({ text: t(locale, 'escalations.button.resolve'), actionId: ESCALATION_RESOLVE, value });
  const confided = view.reasons.some((r) => isPrivate(r.reason.kind));
  const talkConfirm = confided
    ? {
        confirm: {
          title: t(locale, 'escalations.confirm.talkTitle'),
          text: t(locale, 'escalations.confirm.talk'),
          confirm: t(locale, 'escalations.confirm.talkButton'),
          deny: t(locale, 'escalations.confirm.cancel'),
        },
      }
    : {};
  const nudgeConfirm = confided
    ? {
        confirm: {
          title: t(locale, 'escalations.confirm.nudgeTitle'),
          text: t(locale, 'escalations.confirm.nudge'),
          confirm: t(locale, 'escalations.confirm.nudgeButton'),
          deny: t(locale, 'escalations.confirm.cancel'),
        },
      }
    : {};
  if (view.subject.kind === 'person') {
    return [assign, button({ text: t(locale, 'escalations.button.talkPerson'), actionId: ESCALATION_TALK, value }), resolve, details];
  }
  if (!PAIR_OPEN.includes(view.subject.status)) return [assign, resolve, details];
  return [
    assign,
    // A nudge right after a confidence could tell the partner that something was said: asked first, as Talk is.
    button({ text: t(locale, 'escalations.button.nudge'), actionId: ESCALATION_NUDGE, value, ...nudgeConfirm }),
    button({ text: t(locale, 'escalations.button.talk'), actionId: ESCALATION_TALK, value, ...talkConfirm }),
    resolve,
    button({ text: t(locale, 'escalations.button.end'), actionId: ESCALATION_END, value, style: 'danger' }),
    details,
  ];
}

/** The escalation's message in the facilitator channel: posted once, then edited in place. */
export function escalationMessage(locale: Locale, view: EscalationView, timeZone: string): Message {
  const heading = title(locale, view.subject);
  const lines = view.reasons.slice(0, MAX_REASON_LINES).map((r) => `• ${reasonLine(locale, r.reason, timeZone)}`);
  if (view.reasons.length > MAX_REASON_LINES) lines.push(t(locale, 'escalations.moreReasons', { count: view.reasons.length - MAX_REASON_LINES }));
  const blocks: KnownBlock[] = [
    section(`*${heading}*\n${subjectLine(locale, view.subject)}`),
    section(`${t(locale, 'escalations.why')}\n${lines.join('\n')}`),
    context(timeline(locale, view, timeZone)),
    section(stateLine(locale, view, timeZone)),
    actions(`escalation_${view.id}`, ...escalationButtons(locale, view)),
  ];
  const kinds = formatList(locale, [...new Set(view.reasons.map((r) => r.reason.kind))].map((k) => kindLabel(locale, k)));
  return { text: truncate(`${heading} · ${kinds}`, 3000), blocks };
}

/** Raised again, once, when nobody took it: a fresh post, so the channel notices it. */
export function reraiseMessage(locale: Locale, view: EscalationView, days: number, link: string | null): Message {
  const text = t(locale, 'escalations.reraise', { days, title: title(locale, view.subject) });
  return {
    text,
    blocks: [
      section(link ? `${text}\n${t(locale, 'escalations.link', { url: link })}` : text),
      actions(`escalation_reraise_${view.id}`, button({ text: t(locale, 'escalations.button.assign'), actionId: ESCALATION_ASSIGN, value: assignValue(view.id, null), style: 'primary' })),
    ],
  };
}

/** To the facilitator handling it, when a reason joins (what one partner confided stays unnamed). */
export function assigneeNotice(locale: Locale, view: EscalationView, reason: EscalationReason, timeZone: string, link: string | null): Message {
  const text = t(locale, 'escalations.assignee.newReason', { title: title(locale, view.subject), reason: reasonLine(locale, reason, timeZone) });
  return { text, blocks: [section(link ? `${text}\n${t(locale, 'escalations.link', { url: link })}` : text)] };
}

/** A kind word to the pair, in their conversation: no reason is named, so nothing confided leaks. */
export function nudgeMessage(locale: Locale, juniorUserId: string, seniorUserId: string, facilitatorUserId: string, pairStatus: string = 'active'): Message {
  // What the next step is depends on where the pair stands: answer the introduction, sign the contract, or meet.
  const key = pairStatus === 'introduced' ? 'escalations.nudge.introduced' : pairStatus === 'accepted' ? 'escalations.nudge.accepted' : 'escalations.nudge.text';
  const text = t(locale, key, { junior: mention(juniorUserId), senior: mention(seniorUserId), facilitator: mention(facilitatorUserId) });
  return { text, blocks: [section(text)] };
}

/** The shared reasons in the pair's own words, for the mediation's opening message. */
function talkReasonLine(locale: Locale, reason: EscalationReason, timeZone: string): string | undefined {
  switch (reason.kind) {
    case 'help_requested':
      return t(locale, 'escalations.talk.reason.help_requested', { user: mention(reason.facts.requestedBy), date: dateLabel(locale, reason.facts.checkinOf) });
    case 'no_first_meeting':
      return t(locale, reason.facts.askedAt ? 'timing.talk.no_first_meeting' : 'escalations.talk.reason.no_first_meeting', { days: reason.facts.days });
    case 'no_meeting':
      return t(locale, 'escalations.talk.reason.no_meeting', { since: dateLabel(locale, reason.facts.since), days: reason.facts.days });
    case 'unanswered_prompts':
      return t(locale, 'escalations.talk.reason.unanswered_prompts', { count: reason.facts.count });
    case 'contract_unsigned':
      return t(locale, 'escalations.talk.reason.contract_unsigned', { days: reason.facts.days });
    case 'introduction_unanswered':
      return t(locale, 'escalations.talk.reason.introduction_unanswered', { date: dateLabel(locale, reason.facts.introducedAt.toISOString(), timeZone) });
    case 'concern':
    case 'low_rating':
    case 'private_note':
      // What one partner confided never reaches the pair's conversation.
      return undefined;
  }
}

/** Opens the mediation: the facilitator and the pair (or the person), with the context both partners know. */
export function talkMessage(locale: Locale, view: EscalationView, facilitatorUserId: string, timeZone: string): Message {
  const subject = view.subject;
  if (subject.kind === 'person') {
    const text = t(locale, 'escalations.talk.person', { person: mention(subject.userId), facilitator: mention(facilitatorUserId) });
    return { text, blocks: [section(text)] };
  }
  const opening = t(locale, 'escalations.talk.text', { junior: mention(subject.juniorUserId), senior: mention(subject.seniorUserId), facilitator: mention(facilitatorUserId) });
  const shared = view.reasons.flatMap((r) => talkReasonLine(locale, r.reason, timeZone) ?? []);
  const blocks: KnownBlock[] = [section(opening)];
  if (shared.length > 0) blocks.push(section(`${t(locale, 'escalations.talk.noticed')}\n${shared.slice(0, MAX_REASON_LINES).join('\n')}`));
  blocks.push(section(t(locale, 'escalations.talk.closing')));
  return { text: opening, blocks };
}

function textInput(blockId: string, label: string, max: number, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    ...(hint ? { hint: plain(hint, 2000) } : {}),
    element: { type: 'plain_text_input', action_id: blockId, multiline: true, max_length: max },
  };
}

function whoLabel(locale: Locale, subject: SubjectView): string {
  return subject.kind === 'pair' ? formatList(locale, [mention(subject.juniorUserId), mention(subject.seniorUserId)]) : mention(subject.userId);
}

export function resolveModal(locale: Locale, view: EscalationView): ModalView {
  return {
    type: 'modal',
    callback_id: RESOLVE_CALLBACK,
    private_metadata: escalationValue(view.id),
    title: plain(t(locale, 'escalations.resolve.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'escalations.resolve.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'escalations.form.cancel'), LIMITS.modalTitle),
    blocks: [section(t(locale, 'escalations.resolve.intro', { who: whoLabel(locale, view.subject) })), textInput(RESOLVE_NOTE, t(locale, 'escalations.resolve.note'), RESOLVE_NOTE_MAX)],
  };
}

export function endModal(locale: Locale, escalationId: number, juniorUserId: string, seniorUserId: string): ModalView {
  return {
    type: 'modal',
    callback_id: END_CALLBACK,
    private_metadata: escalationValue(escalationId),
    title: plain(t(locale, 'escalations.end.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'escalations.end.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'escalations.form.cancel'), LIMITS.modalTitle),
    blocks: [
      section(t(locale, 'escalations.end.intro', { junior: mention(juniorUserId), senior: mention(seniorUserId) })),
      textInput(END_REASON, t(locale, 'escalations.end.reason'), END_REASON_MAX),
    ],
  };
}

/** Groups lines into sections within Slack's text limit. */
function sections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const piece = truncate(line, LIMITS.sectionText);
    if (current !== '' && current.length + 1 + piece.length > LIMITS.sectionText) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? piece : `${current}\n${piece}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

/** Details & history: every reason in full, what was confided, the resolution, and the audit entries. Facilitators only. */
export function detailsModal(locale: Locale, view: EscalationView, history: readonly AuditEntry[], timeZone: string): ModalView {
  const shared = view.reasons.filter((r) => !isPrivate(r.reason.kind));
  const confided = view.reasons.filter((r) => isPrivate(r.reason.kind));
  const blocks: KnownBlock[] = [section(`*${title(locale, view.subject)}*\n${subjectLine(locale, view.subject)}\n${stateLine(locale, view, timeZone)}`)];
  if (shared.length > 0) blocks.push(...sections([t(locale, 'escalations.details.reasons'), ...shared.map((r) => `• ${reasonDetail(locale, r, timeZone)}`)]));
  if (confided.length > 0) blocks.push(...sections([t(locale, 'escalations.details.private'), ...confided.map((r) => reasonDetail(locale, r, timeZone))]));
  if (view.status === 'resolved' && view.resolution) {
    const key = view.outcome === 'pair_ended' ? 'escalations.details.endReason' : 'escalations.details.resolution';
    blocks.push(section(t(locale, key, { user: mention(view.resolvedBy ?? ''), note: escapeText(view.resolution) })));
  }
  const lines = history.map((entry) => `${whenLabel(locale, entry.at, timeZone)} · ${auditText(locale, entry)}`);
  blocks.push(...sections([t(locale, 'escalations.details.history'), ...(lines.length > 0 ? lines : [t(locale, 'escalations.details.historyEmpty')])]));
  return {
    type: 'modal',
    title: plain(t(locale, 'escalations.details.title'), LIMITS.modalTitle),
    close: plain(t(locale, 'escalations.form.close'), LIMITS.modalTitle),
    blocks: blocks.slice(0, LIMITS.viewBlocks),
  };
}

/** A private note with a check-in of a pair that has no open escalation: the channel hears of it, not what it says. */
export function privateNoteNotice(locale: Locale, juniorUserId: string, seniorUserId: string, checkinId: number): Message {
  const text = t(locale, 'escalations.note.notice', { junior: mention(juniorUserId), senior: mention(seniorUserId) });
  return {
    text,
    blocks: [section(text), actions(`escalation_note_${checkinId}`, button({ text: t(locale, 'escalations.note.button'), actionId: NOTE_READ, value: JSON.stringify({ checkinId }) }))],
  };
}

export function noteModal(locale: Locale, note: { userId: string; date: IsoDate; text: string } | null): ModalView {
  const body = note
    ? [section(`${t(locale, 'escalations.note.from', { user: mention(note.userId), date: dateLabel(locale, note.date) })}\n>${escapeText(note.text).replace(/\n/g, '\n>')}`)]
    : [section(t(locale, 'escalations.note.gone'))];
  return { type: 'modal', title: plain(t(locale, 'escalations.note.title'), LIMITS.modalTitle), close: plain(t(locale, 'escalations.form.close'), LIMITS.modalTitle), blocks: body };
}

/** `/tandem concern` and the App Home button: a form that reaches the facilitators only. */
export function concernModal(locale: Locale, partnerUserId: string | null): ModalView {
  const intro = partnerUserId ? t(locale, 'escalations.concern.introPartner', { partner: mention(partnerUserId) }) : t(locale, 'escalations.concern.intro');
  return {
    type: 'modal',
    callback_id: CONCERN_CALLBACK,
    title: plain(t(locale, 'escalations.concern.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'escalations.concern.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'escalations.form.cancel'), LIMITS.modalTitle),
    blocks: [section(intro), textInput(CONCERN_TEXT, t(locale, 'escalations.concern.label'), CONCERN_MAX, t(locale, 'escalations.concern.hint'))],
  };
}

export function thanksModal(locale: Locale, key: MessageKey): ModalView {
  return { type: 'modal', title: plain(t(locale, 'escalations.concern.title'), LIMITS.modalTitle), close: plain(t(locale, 'escalations.form.close'), LIMITS.modalTitle), blocks: [section(t(locale, key))] };
}

/** The App Home's button for a private concern, ready to put in the participant's actions. */
export function concernButton(locale: Locale): Button {
  return button({ text: t(locale, 'escalations.concern.button'), actionId: CONCERN_OPEN });
}

export interface ListedEscalation {
  view: EscalationView;
  link: string | null;
}

/** One line per open escalation: who, why, who handles it, and a link to its message. */
export function escalationItemLines(locale: Locale, listed: readonly ListedEscalation[], timeZone: string): string[] {
  return listed.map(({ view, link }) => {
    const who = view.subject.kind === 'pair' ? formatList(locale, [mention(view.subject.juniorUserId), mention(view.subject.seniorUserId)]) : mention(view.subject.userId);
    const reasons = formatList(locale, [...new Set(view.reasons.map((r) => r.reason.kind))].map((k) => kindLabel(locale, k)));
    const state = view.assignee
      ? t(locale, 'escalations.list.handled', { user: mention(view.assignee.userId), when: whenLabel(locale, view.assignee.at, timeZone) })
      : t(locale, 'escalations.list.waiting', { when: whenLabel(locale, view.openedAt, timeZone) });
    return t(locale, 'escalations.list.item', { who, reasons, state, link: link ? t(locale, 'escalations.list.link', { url: link }) : t(locale, 'escalations.list.linkPending') });
  });
}

/** `/tandem escalations`: the open ones with links, oldest first, and the latest actions. */
export function escalationListMessage(locale: Locale, listed: readonly ListedEscalation[], total: number, recent: readonly AuditEntry[], timeZone: string): Message {
  const heading = t(locale, 'escalations.list.title', { count: total });
  if (total === 0) return { text: t(locale, 'escalations.list.none'), blocks: [section(`*${heading}*\n${t(locale, 'escalations.list.none')}`), ...recentBlocks(locale, recent, timeZone)] };
  const lines = escalationItemLines(locale, listed, timeZone);
  if (total > listed.length) lines.push(t(locale, 'escalations.list.more', { count: total - listed.length }));
  return { text: heading, blocks: [...sections([`*${heading}*`, ...lines]), ...recentBlocks(locale, recent, timeZone)] };
}

function recentBlocks(locale: Locale, recent: readonly AuditEntry[], timeZone: string): KnownBlock[] {
  if (recent.length === 0) return [];
  return sections([t(locale, 'escalations.list.recent'), ...recent.map((entry) => `${whenLabel(locale, entry.at, timeZone)} · ${auditText(locale, entry)}`)]);
}

/** What a participant may know of their pair's open escalation (see `escalationStatus`). */
export interface EscalationStatusView {
  openedAt: string;
  assigneeUserId: string | null;
}

/** The participant's `/tandem status` and Home line about their pair's open escalation. */
export function escalationStatusLine(locale: Locale, escalation: EscalationStatusView, timeZone: string): string {
  const date = dateLabel(locale, escalation.openedAt, timeZone);
  return escalation.assigneeUserId
    ? t(locale, 'escalations.status.handled', { user: mention(escalation.assigneeUserId), date })
    : t(locale, 'escalations.status.waiting', { date });
}
