import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { type ContractError, type ContractField, type ContractTerms, SESSION_MINUTES, type SessionMinutes } from '../../domain/contract.js';
import { CADENCES, type Cadence, FORMATS, type Format } from '../../domain/profile.js';
import type { SessionPeriod, SessionSlot } from '../../domain/calendar.js';
import { clockLabel, SESSION_WEEKDAYS, type SessionView, sessionView, WORKING_HOURS } from '../../domain/session.js';
import type { IsoDate } from '../../domain/time.js';
import { formatList, type Locale, type MessageKey, t } from '../../i18n/index.js';
import { actions, button, context, escapeText, header, LIMITS, mention, type Message, mrkdwnOption, plain, section } from '../../slack/blocks.js';
import { cadenceLabel, cadencePhrase, dateLabel, formatLabel, momentLabel } from '../../slack/labels.js';
import type { Contract } from '../../store/contracts.js';
import type { Participant } from '../../store/participants.js';

export const CONTRACT_OPEN = 'contract_open';
export const CONTRACT_SIGN = 'contract_sign';
export const CONTRACT_RATE = 'contract_rate';
export const CONTRACT_CALLBACK = 'contract';
export const SIGN_CALLBACK = 'contract_sign';
export const RATE_CALLBACK = 'contract_rate';

/** The block (and action) id of each field of the contract modal. */
export const FIELD_BLOCKS = {
  seniorObjectives: 'senior_objectives',
  juniorObjectives: 'junior_objectives',
  cadence: 'cadence',
  sessionMinutes: 'session_minutes',
  means: 'means',
  format: 'format',
  startDate: 'start_date',
  endDate: 'end_date',
  groundRulesAcknowledged: 'ground_rules',
  notes: 'notes',
  sessionDay: 'session_day',
  sessionTime: 'session_time',
} as const satisfies Record<ContractField, string>;

/** The first input of the modal: where a refusal that concerns the whole form is shown. */
export const FIRST_BLOCK = FIELD_BLOCKS.seniorObjectives;
export const GROUND_RULES_OPTION = 'agreed';

/** Mirrors the domain's rules, for the hints (the domain decides). */
const OBJECTIVES_HINT = { min: 1, max: 5, length: 150 } as const;
const TEXT_MAX = 1000;
/** Room for five objectives of 150 characters with their bullets; the server checks each line. */
const OBJECTIVES_INPUT_MAX = 1000;
export const LEVELS = [1, 2, 3, 4, 5] as const;
/** The level inputs of the rating modal, one per objective. */
export const levelBlock = (index: number): string => `level_${index}`;

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, LIMITS.optionText), value });
const minutesLabel = (locale: Locale, minutes: number) => t(locale, 'contract.minutes', { minutes });

/** What the form shows: a version's terms (the ground rules are acknowledged anew), or the defaults with no objectives yet. */
export type ContractFormValues = Omit<ContractTerms, 'groundRulesAcknowledged' | 'seniorObjectives' | 'juniorObjectives'> & {
  seniorObjectives: readonly string[];
  juniorObjectives: readonly string[];
};

export interface ContractForm {
  pairId: number;
  /** The latest version when the form opened (0 for none): a submission based on an older one is stale. */
  basedOn: number;
  /** Whoever opens the form, and their partner. */
  me: Participant;
  partner: Participant;
  junior: Participant;
  senior: Participant;
  values: ContractFormValues;
  /** The version being changed, if there is one. */
  amending: { version: number; inForce: boolean } | null;
  /** The programme's last day, if set: no contract runs past it. */
  programmeEndsOn?: IsoDate | null;
  /** The opener's clock, when Slack gave a fresher one than their profile: the session time is written on it. */
  timeZone?: string;
}

/** Only ids travel in private_metadata: the rest is read again from the database. */
export const formMetadata = (pairId: number, basedOn: number): string => JSON.stringify({ pairId, basedOn });
export const contractMetadata = (contractId: number): string => JSON.stringify({ contractId });

function objectivesInput(locale: Locale, block: string, label: string, values: readonly string[]): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(label),
    hint: plain(t(locale, 'contract.objectivesHint', { min: OBJECTIVES_HINT.min, max: OBJECTIVES_HINT.max, length: OBJECTIVES_HINT.length })),
    element: {
      type: 'plain_text_input',
      action_id: block,
      multiline: true,
      max_length: OBJECTIVES_INPUT_MAX,
      placeholder: plain(t(locale, 'contract.objectivesPlaceholder'), 150),
      ...(values.length > 0 ? { initial_value: values.join('\n') } : {}),
    },
  };
}

function textInput(block: string, label: string, initial: string | null, options: { optional?: boolean; placeholder?: string }): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    ...(options.optional ? { optional: true } : {}),
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: block,
      multiline: true,
      max_length: TEXT_MAX,
      ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
      ...(initial ? { initial_value: initial } : {}),
    },
  };
}

function groundRulesText(locale: Locale): string {
  return `${t(locale, 'contract.groundRulesTitle')}\n${t(locale, 'contract.groundRules')}`;
}

export const weekdayLabel = (locale: Locale, weekday: number): string => t(locale, 'contract.weekday', { day: String(weekday) });

function sessionDayInput(locale: Locale, session: SessionSlot | null): KnownBlock {
  const options = SESSION_WEEKDAYS.map((day) => option(weekdayLabel(locale, day), String(day)));
  const initial = options.find((o) => o.value === String(session?.weekday));
  return {
    type: 'input',
    block_id: FIELD_BLOCKS.sessionDay,
    label: plain(t(locale, 'contract.sessionDay')),
    element: { type: 'static_select', action_id: FIELD_BLOCKS.sessionDay, placeholder: plain(t(locale, 'contract.sessionDayPlaceholder'), 150), options, ...(initial ? { initial_option: initial } : {}) },
  };
}

function sessionTimeInput(locale: Locale, session: SessionSlot | null, timeZone: string): KnownBlock {
  const hours = { zone: timeZone, from: clockLabel(WORKING_HOURS.start, 0), to: clockLabel(WORKING_HOURS.end, 0) };
  return {
    type: 'input',
    block_id: FIELD_BLOCKS.sessionTime,
    label: plain(t(locale, 'contract.sessionTime')),
    hint: plain(t(locale, 'contract.sessionTimeHint', hours)),
    element: { type: 'timepicker', action_id: FIELD_BLOCKS.sessionTime, ...(session ? { initial_time: clockLabel(session.hour, session.minute) } : {}) },
  };
}

/** The sessions as one reader says them: "Tuesdays at 09:00", "the second Tuesday of the month at 09:00". */
export function sessionWhen(locale: Locale, view: SessionView, cadence: Cadence): string {
  if (cadence !== 'monthly') return t(locale, 'contract.session.weekly', { day: String(view.weekday), time: view.time });
  return view.monthly
    ? t(locale, 'contract.session.monthly', { ordinal: String(view.monthly.ordinal), day: String(view.monthly.weekday), time: view.time })
    : t(locale, 'contract.session.monthlyLoose', { day: String(view.weekday), time: view.time });
}

/** The sessions on `timeZone`'s clock, when the version has a session time. */
export function sessionWhenFor(locale: Locale, terms: SessionPeriod & { session?: SessionSlot | null }, timeZone: string): string | null {
  const view = terms.session ? sessionView(terms, terms.session, timeZone) : null;
  return view && sessionWhen(locale, view, terms.cadence);
}

/** The contract modal: every field of the SPEC, pre-filled with the latest version or the defaults. */
export function contractModal(locale: Locale, form: ContractForm): ModalView {
  const { values, junior, senior } = form;
  const cadenceOptions = CADENCES.map((c) => option(cadenceLabel(locale, c), c));
  const minuteOptions = SESSION_MINUTES.map((m) => option(minutesLabel(locale, m), String(m)));
  const formatOptions = FORMATS.map((f) => option(formatLabel(locale, f), f));
  const agreed: Option = mrkdwnOption(t(locale, 'contract.groundRulesAgree'), GROUND_RULES_OPTION);
  const partner = mention(form.partner.userId);
  const intro = form.amending
    ? t(locale, form.amending.inForce ? 'contract.form.amendInForce' : 'contract.form.amendAwaiting', { version: form.amending.version, partner })
    : t(locale, 'contract.form.intro', { partner });
  const blocks: KnownBlock[] = [
    section(intro),
    objectivesInput(locale, FIELD_BLOCKS.seniorObjectives, t(locale, 'contract.seniorObjectives', { name: senior.displayName }), values.seniorObjectives),
    objectivesInput(locale, FIELD_BLOCKS.juniorObjectives, t(locale, 'contract.juniorObjectives', { name: junior.displayName }), values.juniorObjectives),
    {
      type: 'input',
      block_id: FIELD_BLOCKS.cadence,
      label: plain(t(locale, 'contract.cadence')),
      element: { type: 'static_select', action_id: FIELD_BLOCKS.cadence, options: cadenceOptions, initial_option: cadenceOptions.find((o) => o.value === values.cadence) },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCKS.sessionMinutes,
      label: plain(t(locale, 'contract.sessionMinutes')),
      element: {
        type: 'static_select',
        action_id: FIELD_BLOCKS.sessionMinutes,
        options: minuteOptions,
        initial_option: minuteOptions.find((o) => o.value === String(values.sessionMinutes)),
      },
    },
    sessionDayInput(locale, values.session ?? null),
    sessionTimeInput(locale, values.session ?? null, form.timeZone ?? form.me.timeZone),
    textInput(FIELD_BLOCKS.means, t(locale, 'contract.means'), values.means, { placeholder: t(locale, 'contract.meansPlaceholder') }),
    {
      type: 'input',
      block_id: FIELD_BLOCKS.format,
      label: plain(t(locale, 'contract.format')),
      element: { type: 'radio_buttons', action_id: FIELD_BLOCKS.format, options: formatOptions, initial_option: formatOptions.find((o) => o.value === values.format) },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCKS.startDate,
      label: plain(t(locale, 'contract.startDate')),
      element: { type: 'datepicker', action_id: FIELD_BLOCKS.startDate, initial_date: values.startDate },
    },
    {
      type: 'input',
      block_id: FIELD_BLOCKS.endDate,
      label: plain(t(locale, 'contract.endDate')),
      // The programme's end caps the contract: the hint says so, so a refused date comes as no surprise.
      hint: plain(form.programmeEndsOn ? t(locale, 'timing.contract.endHint', { end: dateLabel(locale, form.programmeEndsOn) }) : t(locale, 'contract.endDateHint')),
      element: { type: 'datepicker', action_id: FIELD_BLOCKS.endDate, initial_date: values.endDate },
    },
    section(groundRulesText(locale)),
    {
      type: 'input',
      block_id: FIELD_BLOCKS.groundRulesAcknowledged,
      label: plain(t(locale, 'contract.groundRulesLabel')),
      // Never pre-ticked: each version is agreed anew.
      element: { type: 'checkboxes', action_id: FIELD_BLOCKS.groundRulesAcknowledged, options: [agreed] },
    },
    textInput(FIELD_BLOCKS.notes, t(locale, 'contract.notes'), values.notes, { optional: true }),
  ];
  return {
    type: 'modal',
    callback_id: CONTRACT_CALLBACK,
    private_metadata: formMetadata(form.pairId, form.basedOn),
    title: plain(t(locale, 'contract.form.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'contract.form.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'contract.cancel'), LIMITS.modalTitle),
    blocks,
  };
}

/** A refusal that is not about one field (stale form, not a partner…), or a field error. */
export type FormProblem =
  | { kind: 'field'; errors: Partial<Record<ContractField, ContractError | { code: 'no_session' }>> }
  | { kind: 'refused'; key: MessageKey; vars?: Record<string, string | number> };

function fieldError(locale: Locale, error: ContractError | { code: 'no_session' }): string {
  switch (error.code) {
    case 'required':
      return t(locale, 'contract.error.required');
    case 'objectives_count':
      return t(locale, error.count === 0 ? 'contract.error.objectivesEmpty' : 'contract.error.objectivesCount', { min: error.min, max: error.max, count: error.count });
    case 'objective_too_long':
      return t(locale, 'contract.error.objectiveTooLong', { line: error.line, max: error.max, length: error.length });
    case 'objective_duplicate':
      return t(locale, 'contract.error.objectiveDuplicate', { line: error.line, firstLine: error.firstLine });
    case 'invalid_choice':
      return t(locale, 'contract.error.invalidChoice');
    case 'invalid_date':
      return t(locale, 'contract.error.invalidDate');
    case 'start_in_past':
      return t(locale, 'contract.error.startInPast', { days: error.graceDays, earliest: dateLabel(locale, error.earliest) });
    case 'end_before_start':
      return t(locale, 'contract.error.endBeforeStart');
    case 'end_in_past':
      return t(locale, 'contract.error.endInPast');
    case 'end_too_far':
      return t(locale, 'contract.error.endTooFar', { months: error.maxMonths, latest: dateLabel(locale, error.latest) });
    case 'ground_rules_required':
      return t(locale, 'contract.error.groundRules');
    case 'text_too_long':
      return t(locale, 'contract.error.textTooLong', { max: error.max, length: error.length });
    case 'no_session':
      return t(locale, 'contract.error.noSession');
    case 'invalid_time':
      return t(locale, 'contract.error.invalidTime');
    case 'dst_gap':
      return t(locale, 'contract.error.dstGap', { time: error.time, date: dateLabel(locale, error.date) });
    case 'outside_hours': {
      const vars = { date: dateLabel(locale, error.date), start: error.start, end: error.end, from: clockLabel(WORKING_HOURS.start, 0), to: clockLabel(WORKING_HOURS.end, 0) };
      return error.who === 'author'
        ? t(locale, 'contract.error.outsideHoursYou', vars)
        : t(locale, 'contract.error.outsideHoursPartner', { ...vars, partner: error.partnerName ?? '?', day: weekdayLabel(locale, error.weekday) });
    }
    case 'after_programme_end':
      return t(locale, 'timing.contract.afterProgrammeEnd', { end: dateLabel(locale, error.endsOn) });
    case 'start_after_programme_end':
      return t(locale, 'timing.contract.startAfterProgrammeEnd', { end: dateLabel(locale, error.endsOn) });
  }
}

/** The errors as Slack shows them, under each field of the modal. */
export function formErrors(locale: Locale, problem: FormProblem): Record<string, string> {
  if (problem.kind === 'refused') return { [FIRST_BLOCK]: t(locale, problem.key, problem.vars) };
  const out: Record<string, string> = {};
  for (const [field, error] of Object.entries(problem.errors) as [ContractField, ContractError][]) out[FIELD_BLOCKS[field]] = fieldError(locale, error);
  return out;
}

export interface LevelsForm {
  mode: 'sign' | 'rate';
  contractId: number;
  version: number;
  partnerUserId: string;
  /** The reader's own objectives: the senior's for the senior, the junior's for the junior. */
  objectives: readonly string[];
  /** Levels given before (to an identical objective of an earlier version), to start from. */
  initial: readonly (number | null)[];
  /** Right after proposing: the modal first confirms the version was sent. */
  justProposed?: boolean;
}

/** The small modal where a partner rates their starting level on each of their own objectives. */
export function levelsModal(locale: Locale, form: LevelsForm): ModalView {
  const levelOptions = LEVELS.map((level) => option(t(locale, `contract.level.${level}`), String(level)));
  const vars = { version: form.version, partner: mention(form.partnerUserId) };
  const intro = form.mode === 'sign' ? t(locale, 'contract.sign.intro', vars) : t(locale, 'contract.rate.intro', vars);
  const sent = form.justProposed ? [section(t(locale, 'contract.rate.sent', vars))] : [];
  const blocks: KnownBlock[] = [
    ...sent,
    section(intro),
    ...form.objectives.map((objective, index): KnownBlock => {
      const initial = levelOptions.find((o) => o.value === String(form.initial[index] ?? ''));
      return {
        type: 'input',
        block_id: levelBlock(index),
        label: plain(objective),
        element: {
          type: 'static_select',
          action_id: levelBlock(index),
          placeholder: plain(t(locale, 'contract.level.placeholder'), 150),
          options: levelOptions,
          ...(initial ? { initial_option: initial } : {}),
        },
      };
    }),
    context(t(locale, 'contract.level.why')),
  ];
  return {
    type: 'modal',
    callback_id: form.mode === 'sign' ? SIGN_CALLBACK : RATE_CALLBACK,
    private_metadata: contractMetadata(form.contractId),
    title: plain(t(locale, form.mode === 'sign' ? 'contract.sign.title' : 'contract.rate.title'), LIMITS.modalTitle),
    submit: plain(t(locale, form.mode === 'sign' ? 'contract.sign.submit' : 'contract.rate.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'contract.cancel'), LIMITS.modalTitle),
    blocks,
  };
}

/** Shown in place of the rating modal once the levels are saved. */
export function doneModal(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): ModalView {
  return {
    type: 'modal',
    title: plain(t(locale, 'contract.form.title'), LIMITS.modalTitle),
    close: plain(t(locale, 'contract.close'), LIMITS.modalTitle),
    blocks: [section(t(locale, key, vars))],
  };
}

const bullets = (items: readonly string[]) => items.map((item) => `• ${escapeText(item)}`).join('\n');

/** The terms as the pair reads them: objectives on both sides, then the means. */
export function termsBlocks(locale: Locale, terms: ContractTerms, junior: Participant, senior: Participant): KnownBlock[] {
  const sessions = sessionsLine(locale, terms, junior, senior);
  const blocks: KnownBlock[] = [
    section(`${t(locale, 'contract.message.seniorObjectives', { senior: mention(senior.userId) })}\n${bullets(terms.seniorObjectives)}`),
    section(`${t(locale, 'contract.message.juniorObjectives', { junior: mention(junior.userId) })}\n${bullets(terms.juniorObjectives)}`),
    section(`${t(locale, 'contract.message.means')}\n${escapeText(terms.means)}`),
    section(
      t(locale, 'contract.message.rhythm', {
        cadence: cadenceLabel(locale, terms.cadence),
        minutes: minutesLabel(locale, terms.sessionMinutes),
        format: formatLabel(locale, terms.format),
        start: dateLabel(locale, terms.startDate),
        end: dateLabel(locale, terms.endDate),
      }),
    ),
    ...(sessions ? [section(sessions)] : []),
    section(groundRulesText(locale)),
  ];
  if (terms.notes) blocks.push(section(`${t(locale, 'contract.message.notes')}\n${escapeText(terms.notes)}`));
  return blocks;
}

/**
 * When the pair meets, in a message both read: each partner's own clock, named, or one time when
 * both clocks agree. Null for a version without a session time.
 */
function sessionsLine(locale: Locale, terms: ContractTerms, junior: Participant, senior: Participant): string | null {
  const juniorWhen = sessionWhenFor(locale, terms, junior.timeZone);
  const seniorWhen = sessionWhenFor(locale, terms, senior.timeZone);
  if (!juniorWhen || !seniorWhen) return null;
  const when =
    juniorWhen === seniorWhen
      ? t(locale, 'contract.message.sessionsSame', { when: juniorWhen })
      : [t(locale, 'contract.message.sessionsEach', { person: mention(junior.userId), when: juniorWhen }), t(locale, 'contract.message.sessionsEach', { person: mention(senior.userId), when: seniorWhen })].join(' · ');
  return t(locale, 'contract.message.sessions', { when });
}

/** One line per partner: signed (and when), or still to sign. */
function signatureLines(locale: Locale, contract: Contract, people: readonly Participant[]): string[] {
  return people.map((person) => {
    const signature = contract.signatures.find((s) => s.participantId === person.id);
    return signature
      ? t(locale, 'contract.message.signed', { person: mention(person.userId), date: momentLabel(locale, signature.signedAt) })
      : t(locale, 'contract.message.notSigned', { person: mention(person.userId) });
  });
}

/**
 * The contract as posted in the pair's group DM: the terms, who signed, and what is left to do.
 * Sign is shown while the version awaits a signature; anyone may press it, only the partner who has
 * not signed yet gets anywhere (checked on the server).
 */
export function contractMessage(locale: Locale, contract: Contract, junior: Participant, senior: Participant): Message {
  const people = [junior, senior];
  const waiting = people.filter((p) => !contract.signatures.some((s) => s.participantId === p.id));
  const proposer = people.find((p) => p.id === contract.proposedBy);
  const value = JSON.stringify({ contractId: contract.id });
  const unrated = contract.signatures.some((s) => s.startLevels === null);
  const rateButton = button({ text: t(locale, 'contract.rate.button'), actionId: CONTRACT_RATE, value });
  const blocks: KnownBlock[] = [
    header(t(locale, 'contract.message.title', { version: contract.version })),
    context(t(locale, 'contract.message.proposedBy', { person: proposer ? mention(proposer.userId) : '?', date: momentLabel(locale, contract.proposedAt) })),
    ...termsBlocks(locale, contract.terms, junior, senior),
    context(...signatureLines(locale, contract, people)),
  ];
  let text: string;
  switch (contract.status) {
    case 'awaiting_signature': {
      const names = formatList(locale, waiting.map((p) => mention(p.userId)));
      text = t(locale, 'contract.message.awaiting', { version: contract.version, people: names });
      blocks.push(
        section(text),
        actions(
          `contract:${contract.id}`,
          button({ text: t(locale, 'contract.sign.button'), actionId: CONTRACT_SIGN, value, style: 'primary' }),
          ...(unrated ? [rateButton] : []),
        ),
      );
      break;
    }
    case 'in_force':
      text = t(locale, 'contract.message.inForce', { version: contract.version, date: momentLabel(locale, contract.inForceAt ?? contract.proposedAt) });
      blocks.push(
        section(contract.firstCheckinOn ? `${text}\n${t(locale, 'contract.message.firstCheckin', { date: dateLabel(locale, contract.firstCheckinOn) })}` : text),
        actions(
          `contract:${contract.id}`,
          button({ text: t(locale, 'contract.amendButton'), actionId: CONTRACT_OPEN, value: JSON.stringify({ pairId: contract.pairId }) }),
          ...(unrated ? [rateButton] : []),
        ),
      );
      break;
    case 'superseded':
      text = t(locale, 'contract.message.superseded', { version: contract.version });
      blocks.push(context(text));
      break;
  }
  return { text, blocks };
}

/** Posted in the group DM when a version comes into force (an edit of the contract would not notify). */
export function inForceMessage(locale: Locale, contract: Contract, juniorUserId: string, seniorUserId: string): Message {
  const partners = { junior: mention(juniorUserId), senior: mention(seniorUserId) };
  const lines = [t(locale, 'contract.inForce.pair', { ...partners, version: contract.version })];
  if (contract.firstCheckinOn) lines.push(t(locale, 'contract.message.firstCheckin', { date: dateLabel(locale, contract.firstCheckinOn) }));
  lines.push(t(locale, 'contract.inForce.calendar', partners));
  return { text: lines[0] as string, blocks: [section(lines.join('\n'))] };
}

export function facilitatorNotice(locale: Locale, contract: Contract, junior: Participant, senior: Participant): Message {
  return {
    text: t(locale, 'contract.inForce.facilitators', {
      junior: mention(junior.userId),
      senior: mention(senior.userId),
      version: contract.version,
      cadence: cadencePhrase(locale, contract.terms.cadence),
      minutes: minutesLabel(locale, contract.terms.sessionMinutes),
      start: dateLabel(locale, contract.terms.startDate),
      end: dateLabel(locale, contract.terms.endDate),
    }),
  };
}

/** The direct message a partner's calendar file is shared under, in their language. */
export function calendarMessage(locale: Locale, contract: Contract, partnerUserId: string, localTime: string, when: string | null = null): Message {
  const lines = [
    t(locale, when ? 'contract.calendar.commentSession' : 'contract.calendar.comment', {
      when: when ?? '',
      partner: mention(partnerUserId),
      cadence: cadencePhrase(locale, contract.terms.cadence),
      minutes: minutesLabel(locale, contract.terms.sessionMinutes),
      start: dateLabel(locale, contract.terms.startDate),
      end: dateLabel(locale, contract.terms.endDate),
      time: localTime,
    }),
  ];
  if (contract.version > 1) lines.push(t(locale, 'contract.calendar.replaces', { version: contract.version }));
  return { text: lines.join('\n') };
}

/** The direct message the cancellation file goes under. */
export function cancellationMessage(locale: Locale): Message {
  return { text: t(locale, 'contract.calendar.cancelled') };
}

export function calendarTexts(locale: Locale, contract: Contract, partnerName: string): { title: string; summary: string; description: string } {
  return {
    title: t(locale, 'contract.calendar.title'),
    summary: t(locale, 'contract.calendar.summary', { partner: partnerName }),
    description: t(locale, 'contract.calendar.description', {
      partner: partnerName,
      cadence: cadencePhrase(locale, contract.terms.cadence),
      minutes: minutesLabel(locale, contract.terms.sessionMinutes),
      version: contract.version,
    }),
  };
}

/** The contract lines of `/tandem status` and the Home tab. */
export interface ContractStatusView {
  inForce: { version: number; cadence: Cadence; sessionMinutes: number; endDate: IsoDate; session?: SessionView | null } | null;
  awaiting: { version: number; waitingFor: string[] } | null;
}

export function contractStatusLines(locale: Locale, status: ContractStatusView): string[] {
  const lines: string[] = [];
  if (status.inForce) {
    lines.push(
      t(locale, 'contract.status.inForce', {
        version: status.inForce.version,
        cadence: cadencePhrase(locale, status.inForce.cadence),
        minutes: minutesLabel(locale, status.inForce.sessionMinutes),
        end: dateLabel(locale, status.inForce.endDate),
      }),
    );
    if (status.inForce.session) lines.push(t(locale, 'contract.status.sessions', { when: sessionWhen(locale, status.inForce.session, status.inForce.cadence) }));
  }
  if (status.awaiting) {
    lines.push(t(locale, 'contract.status.awaiting', { version: status.awaiting.version, people: formatList(locale, status.awaiting.waitingFor.map(mention)) }));
  }
  if (lines.length === 0) lines.push(t(locale, 'contract.status.none'));
  return lines;
}
