import type { Button, HomeView, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { formatList, type Locale, t, numberFormat } from '../../i18n/index.js';
import { actions, button, context, divider, escapeText, header, LIMITS, type Message, mention, plain, section, truncate } from '../../slack/blocks.js';
import { cadenceLabel, dateLabel, formatLabel, languageInSentence, roleLabel, skillList } from '../../slack/labels.js';
import type { LastRun, WaitingPerson } from '../../store/dashboard.js';
import type { PairStatus, ParticipantStatus } from '../../store/database.js';
import type { Participant } from '../../store/participants.js';
import { type ContractStatusView, contractStatusLines } from '../contract/views.js';
import { JOIN_BUTTON } from '../enrolment/views.js';
import { concernButton, escalationItemLines, type EscalationStatusView, escalationStatusLine, type ListedEscalation } from '../escalations/views.js';
import { type FollowupStatusView, followupStatusLines } from '../followup/views.js';

// Buttons of the Home tab. Each is answered there (a Home tab has no conversation to reply in).
export const HOME_CONTRACT = 'home_contract';
export const HOME_CHECKIN = 'home_checkin';
export const HOME_PAUSE = 'home_pause';
export const HOME_RESUME = 'home_resume';
export const HOME_RUN_MATCHING = 'home_run_matching';
export const HOME_PAGE_NEXT = 'home_page_next';
export const HOME_PAGE_PREVIOUS = 'home_page_previous';
export const PAUSE_CALLBACK = 'home_pause_form';
/** The pause modal's one field: the optional date the pause ends. */
export const PAUSE_BLOCK = 'pause_until';

/** People listed on one page of the dashboard's waiting list; the rest are counted, and paged. */
export const WAITING_PAGE_SIZE = 10;

export const pairValue = (pairId: number): string => JSON.stringify({ pairId });
export const pageValue = (page: number): string => JSON.stringify({ page });

/** The partner of an open pair, as the participant sees them. */
export interface PartnerView {
  pairId: number;
  userId: string;
  pairStatus: 'proposed' | 'introduced' | 'accepted' | 'active' | 'completed';
  /** Once the pair may write its contract: the version in force and one awaiting signature. */
  contract?: ContractStatusView | undefined;
  /** Once the contract is in force: next check-in, pause, sessions logged, learning gain. */
  followup?: FollowupStatusView | undefined;
  /** The pair's open escalation, when this participant may know of it. */
  escalation?: EscalationStatusView | undefined;
}

function partnerLine(locale: Locale, partner: PartnerView | undefined): string {
  if (!partner) return t(locale, 'statusView.partnerNone');
  return t(locale, `statusView.partner.${partner.pairStatus}`, { partner: mention(partner.userId) });
}

/** Where a participant stands: the same facts in `/tandem status` and on the Home tab. */
function summaryBlocks(locale: Locale, p: Participant, partner: PartnerView | undefined): KnownBlock[] {
  if (p.status === 'left') return [section(t(locale, 'statusView.left', { date: dateLabel(locale, p.leftAt ?? p.updatedAt, p.timeZone) }))];
  const languages = formatList(locale, p.languages.map((l) => languageInSentence(locale, l)));
  return [
    section([t(locale, 'statusView.state', { status: t(locale, `status.${p.status}`) }), t(locale, 'statusView.role', { role: roleLabel(locale, p.role) })].join('\n')),
    section([t(locale, 'statusView.shares', { skills: skillList(locale, p.shares) }), t(locale, 'statusView.learns', { skills: skillList(locale, p.learns) })].join('\n')),
    context(
      t(locale, 'statusView.details', {
        department: escapeText(p.department),
        languages,
        format: formatLabel(locale, p.format),
        cadence: cadenceLabel(locale, p.cadence),
      }),
    ),
    divider(),
    section(
      [
        partnerLine(locale, partner),
        ...(partner?.contract ? contractStatusLines(locale, partner.contract) : [t(locale, 'statusView.contractNone')]),
        ...(partner?.followup ? followupStatusLines(locale, partner.followup) : [t(locale, 'statusView.checkinNone')]),
        partner?.escalation ? escalationStatusLine(locale, partner.escalation, p.timeZone) : t(locale, 'statusView.escalationNone'),
      ].join('\n'),
    ),
  ];
}

export function statusMessage(locale: Locale, participant: Participant | undefined, partner: PartnerView | undefined): Message {
  if (!participant) return { text: t(locale, 'statusView.notEnrolled') };
  return { text: t(locale, 'statusView.header'), blocks: [header(t(locale, 'statusView.header')), ...summaryBlocks(locale, participant, partner)] };
}

/** The common actions of this participant, as their state allows them. */
function participantButtons(locale: Locale, participant: Participant | undefined, partner: PartnerView | undefined): Button[] {
  if (!participant || participant.status === 'left') return [button({ text: t(locale, 'home.joinButton'), actionId: JOIN_BUTTON, style: 'primary' })];
  const buttons = [button({ text: t(locale, participant.status === 'completed' ? 'home.rejoinButton' : 'home.editButton'), actionId: JOIN_BUTTON })];
  if (partner && (partner.pairStatus === 'accepted' || partner.pairStatus === 'active')) {
    const written = partner.contract?.inForce || partner.contract?.awaiting;
    buttons.push(button({ text: t(locale, written ? 'home.contractOpen' : 'home.contractWrite'), actionId: HOME_CONTRACT, value: pairValue(partner.pairId), ...(written ? {} : { style: 'primary' as const }) }));
  }
  if (partner?.pairStatus === 'active' && !partner.followup?.completed) {
    buttons.push(button({ text: t(locale, 'home.checkinButton'), actionId: HOME_CHECKIN, value: pairValue(partner.pairId), style: 'primary' }));
    if (partner.followup?.paused) {
      const confirm = { title: t(locale, 'home.resume.confirmTitle'), text: t(locale, 'home.resume.confirmText'), confirm: t(locale, 'home.resume.confirm'), deny: t(locale, 'home.cancel') };
      buttons.push(button({ text: t(locale, 'home.resumeButton'), actionId: HOME_RESUME, value: pairValue(partner.pairId), confirm }));
    } else {
      buttons.push(button({ text: t(locale, 'home.pauseButton'), actionId: HOME_PAUSE, value: pairValue(partner.pairId) }));
    }
  }
  // A private word to the facilitators, whatever the state: the partner is never told.
  buttons.push(concernButton(locale));
  return buttons;
}

export interface DashboardView {
  people: Record<ParticipantStatus, number>;
  pairs: Record<PairStatus, number>;
  waiting: { total: number; page: number; pages: number; people: readonly WaitingPerson[] };
  lastRun: LastRun | undefined;
  /** The reader's zone, for the date of the last run. */
  timeZone: string;
  /** The oldest open escalations, with links, and how many are open. */
  escalations: { listed: readonly ListedEscalation[]; total: number };
}

const number = (locale: Locale, n: number): string => numberFormat(locale).format(n);

/** A section of labelled counts, two columns as Slack lays out fields (ten at most). */
function countsSection(title: string, counts: readonly [string, number][], locale: Locale): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(title, LIMITS.sectionText) },
    fields: counts.slice(0, 10).map(([label, count]) => ({ type: 'mrkdwn', text: truncate(`*${label}*\n${number(locale, count)}`, 2000) })),
  };
}

function waitingBlocks(locale: Locale, waiting: DashboardView['waiting']): KnownBlock[] {
  if (waiting.total === 0) return [section(t(locale, 'home.dashboard.waitingNone'))];
  const lines = waiting.people.map((p) => `• ${mention(p.userId)} · ${roleLabel(locale, p.role)} · ${escapeText(truncate(p.department, 80))}`);
  const after = waiting.total - waiting.page * WAITING_PAGE_SIZE - waiting.people.length;
  if (after > 0) lines.push(t(locale, 'home.dashboard.more', { count: after }));
  const blocks: KnownBlock[] = [section([t(locale, 'home.dashboard.waiting', { count: waiting.total }), ...lines].join('\n'))];
  if (waiting.pages > 1) {
    blocks.push(context(t(locale, 'home.dashboard.page', { page: waiting.page + 1, pages: waiting.pages })));
    const paging: Button[] = [];
    if (waiting.page > 0) paging.push(button({ text: t(locale, 'home.dashboard.previous'), actionId: HOME_PAGE_PREVIOUS, value: pageValue(waiting.page - 1) }));
    if (waiting.page < waiting.pages - 1) paging.push(button({ text: t(locale, 'home.dashboard.next'), actionId: HOME_PAGE_NEXT, value: pageValue(waiting.page + 1) }));
    blocks.push(actions('home_waiting_pages', ...paging));
  }
  return blocks;
}

/**
 * The facilitators' part: counts by state, who waits for a partner (a page at a time), Run matching.
 * A fixed number of blocks whatever the size of the programme.
 */
function dashboardBlocks(locale: Locale, view: DashboardView): KnownBlock[] {
  const { people, pairs } = view;
  const taking = people.enrolled + people.matched + people.paired + people.paused + people.completed;
  const underWay = pairs.proposed + pairs.introduced + pairs.accepted + pairs.active;
  const closed = pairs.ended + pairs.declined + pairs.rejected + pairs.withdrawn;
  const state = (s: ParticipantStatus): [string, number] => [t(locale, `home.dashboard.people.${s}`), people[s]];
  const pairState = (s: 'proposed' | 'introduced' | 'accepted' | 'active' | 'completed'): [string, number] => [t(locale, `home.dashboard.pairs.${s}`), pairs[s]];
  const lastRun = view.lastRun
    ? t(locale, 'home.dashboard.lastRun', { date: dateLabel(locale, view.lastRun.startedAt, view.timeZone), proposals: view.lastRun.proposals, unmatched: view.lastRun.unmatched })
    : t(locale, 'home.dashboard.neverRun');
  const run = button({
    text: t(locale, 'home.dashboard.runButton'),
    actionId: HOME_RUN_MATCHING,
    style: 'primary',
    confirm: { title: t(locale, 'home.dashboard.runConfirmTitle'), text: t(locale, 'home.dashboard.runConfirmText'), confirm: t(locale, 'home.dashboard.runConfirm'), deny: t(locale, 'home.cancel') },
  });
  return [
    divider(),
    header(t(locale, 'home.dashboard.header')),
    context(t(locale, 'home.facilitator')),
    countsSection(t(locale, 'home.dashboard.people', { count: taking }), [...(['enrolled', 'matched', 'paired', 'paused', 'completed', 'left'] as const).map(state)], locale),
    countsSection(
      t(locale, 'home.dashboard.pairs', { count: underWay }),
      [...(['proposed', 'introduced', 'accepted', 'active', 'completed'] as const).map(pairState), [t(locale, 'home.dashboard.pairs.closed'), closed]],
      locale,
    ),
    divider(),
    ...waitingBlocks(locale, view.waiting),
    context(lastRun),
    actions('home_matching', run),
    divider(),
    section(escalationsText(locale, view)),
  ];
}

/** The open escalations: how many, the oldest few with links to their messages, the rest counted. */
function escalationsText(locale: Locale, view: DashboardView): string {
  const { listed, total } = view.escalations;
  const heading = `*${t(locale, 'escalations.list.title', { count: total })}*`;
  if (total === 0) return `${heading}\n${t(locale, 'escalations.list.none')}`;
  const lines = escalationItemLines(locale, listed, view.timeZone);
  if (total > listed.length) lines.push(t(locale, 'escalations.list.more', { count: total - listed.length }));
  return [heading, ...lines].join('\n');
}

export interface ParticipantHome {
  participant: Participant | undefined;
  partner: PartnerView | undefined;
}

export function homeView(locale: Locale, home: ParticipantHome, dashboard: DashboardView | undefined): HomeView {
  const { participant, partner } = home;
  const blocks: KnownBlock[] = [header(t(locale, 'home.header')), context(t(locale, 'app.tagline'))];
  if (!participant) blocks.push(section(t(locale, 'home.notEnrolled')));
  else blocks.push(...summaryBlocks(locale, participant, partner));
  blocks.push(actions('home_actions', ...participantButtons(locale, participant, partner)));
  if (dashboard) blocks.push(...dashboardBlocks(locale, dashboard));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}

/** A short answer to a click on the Home tab, which has no conversation to reply in. */
export function noticeModal(locale: Locale, text: string, title = t(locale, 'home.notice.title')): ModalView {
  return {
    type: 'modal',
    title: plain(title, LIMITS.modalTitle),
    close: plain(t(locale, 'home.notice.close'), LIMITS.modalTitle),
    blocks: [section(text)],
  };
}

/** The loading modal's callback id: it has no submit button, so no submission ever carries it. */
export const LOADING_CALLBACK = 'tandem_loading';

/** Opened at once while the data of the real modal is still on its way; `views.update` replaces it. */
export function loadingModal(locale: Locale): ModalView {
  return {
    type: 'modal',
    callback_id: LOADING_CALLBACK,
    title: plain(t(locale, 'home.notice.title'), LIMITS.modalTitle),
    close: plain(t(locale, 'home.notice.close'), LIMITS.modalTitle),
    blocks: [section(t(locale, 'home.notice.loading'))],
  };
}

/** Pause: an optional end date; the pair is named in the metadata and checked again on submission. */
export function pauseModal(locale: Locale, pairId: number): ModalView {
  return {
    type: 'modal',
    callback_id: PAUSE_CALLBACK,
    private_metadata: pairValue(pairId),
    title: plain(t(locale, 'home.pause.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'home.pause.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'home.cancel'), LIMITS.modalTitle),
    blocks: [
      section(t(locale, 'home.pause.intro')),
      {
        type: 'input',
        block_id: PAUSE_BLOCK,
        optional: true,
        label: plain(t(locale, 'home.pause.until'), 2000),
        hint: plain(t(locale, 'home.pause.hint'), 2000),
        element: { type: 'datepicker', action_id: PAUSE_BLOCK },
      },
    ],
  };
}
