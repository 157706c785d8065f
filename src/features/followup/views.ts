import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { CHECKIN_MINUTES, type CheckinField, FLOWS, type FieldError, PROGRESS_LEVELS, REACHED, type Reached, type SurveyField } from '../../domain/checkin.js';
import type { IsoDate } from '../../domain/time.js';
import { type Locale, type MessageKey, t } from '../../i18n/index.js';
import { actions, button, context, escapeText, LIMITS, type Message, mention, plain, section, truncate } from '../../slack/blocks.js';
import { dateLabel, gainArgs } from '../../slack/labels.js';
import type { PromptAnswerKind, PromptKind } from '../../store/followup.js';

export const PROMPT_MET = 'followup_met';
export const PROMPT_NOT_YET = 'followup_not_yet';
export const PROMPT_HELP = 'followup_help';
export const PROMPT_SURVEY = 'followup_survey';
export const CHECKIN_CALLBACK = 'followup_checkin';
export const SURVEY_CALLBACK = 'followup_survey_form';

/** Block ids of the check-in modal, one per field (Slack shows an error next to its block). */
export const CHECKIN_BLOCKS = {
  metOn: 'met_on',
  minutes: 'minutes',
  topics: 'topics',
  rating: 'rating',
  flow: 'flow',
  privateNote: 'private_note',
} as const;
export const progressBlock = (index: number): string => `progress_${index}`;
export const reachedBlock = (index: number): string => `reached_${index}`;
export const endLevelBlock = (index: number): string => `end_level_${index}`;
export const SURVEY_BLOCKS = { satisfaction: 'satisfaction', learned: 'learned', mayQuote: 'may_quote' } as const;

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, LIMITS.optionText), value });

export const promptValue = (promptId: number): string => JSON.stringify({ promptId });

export interface PromptView {
  promptId: number;
  kind: PromptKind;
  dueOn: IsoDate;
  /** The contract's end date, which the closing survey names. */
  endOn: IsoDate;
  juniorUserId: string;
  seniorUserId: string;
  /** Who answered what so far, shown under the question once someone has. */
  answers: readonly { userId: string; answer: PromptAnswerKind }[];
  reminder?: boolean;
}

function answerLines(locale: Locale, view: PromptView): string[] {
  return view.answers.map((a) => t(locale, `followup.answered.${a.answer}`, { user: mention(a.userId) }));
}

/** The check-in question in the pair's group DM, or the invitation to the closing survey. */
export function promptMessage(locale: Locale, view: PromptView): Message {
  const vars = { junior: mention(view.juniorUserId), senior: mention(view.seniorUserId), date: dateLabel(locale, view.kind === 'closing' ? view.endOn : view.dueOn) };
  const value = promptValue(view.promptId);
  const answered = answerLines(locale, view);
  if (view.kind === 'closing') {
    const text = t(locale, view.reminder ? 'followup.closing.reminder' : 'followup.closing.text', vars);
    return {
      text,
      blocks: [
        section(text),
        section(t(locale, 'followup.closing.what')),
        ...(answered.length > 0 ? [context(answered.join('\n'))] : []),
        actions(`followup_prompt_${view.promptId}`, button({ text: t(locale, 'followup.closing.button'), actionId: PROMPT_SURVEY, value, style: 'primary' })),
      ],
    };
  }
  const text = t(locale, view.reminder ? 'followup.prompt.reminder' : 'followup.prompt.text', vars);
  return {
    text,
    blocks: [
      section(text),
      context(t(locale, 'followup.prompt.hint')),
      ...(answered.length > 0 ? [context(answered.join('\n'))] : []),
      actions(
        `followup_prompt_${view.promptId}`,
        button({ text: t(locale, 'followup.prompt.met'), actionId: PROMPT_MET, value, style: 'primary' }),
        button({ text: t(locale, 'followup.prompt.notYet'), actionId: PROMPT_NOT_YET, value }),
        button({ text: t(locale, 'followup.prompt.help'), actionId: PROMPT_HELP, value }),
      ),
    ],
  };
}

export interface CheckinForm {
  pairId: number;
  contractId: number;
  promptId: number | null;
  partnerUserId: string;
  /** The contract's objectives, each with whose it is. */
  objectives: readonly { text: string; ownerUserId: string }[];
  today: IsoDate;
  sessionMinutes: number;
}

export const checkinMetadata = (form: Pick<CheckinForm, 'pairId' | 'contractId' | 'promptId'>): string =>
  JSON.stringify({ pairId: form.pairId, contractId: form.contractId, promptId: form.promptId });

function selectInput(block: string, label: string, options: PlainTextOption[], placeholder: string, initial?: string): KnownBlock {
  const initialOption = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: block,
    label: plain(label, 2000),
    element: { type: 'static_select', action_id: block, placeholder: plain(placeholder, 150), options, ...(initialOption ? { initial_option: initialOption } : {}) },
  };
}

function radioInput(block: string, label: string, options: PlainTextOption[]): KnownBlock {
  return { type: 'input', block_id: block, label: plain(label, 2000), element: { type: 'radio_buttons', action_id: block, options } };
}

function textArea(block: string, label: string, max: number, optional: boolean, hint?: string): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(label, 2000),
    optional,
    ...(hint ? { hint: plain(hint, 2000) } : {}),
    element: { type: 'plain_text_input', action_id: block, multiline: true, max_length: max },
  };
}

const ratingOptions = (locale: Locale) => [1, 2, 3, 4, 5].map((n) => option(t(locale, `followup.rating.${n}` as MessageKey), String(n)));
const satisfactionOptions = (locale: Locale) => [1, 2, 3, 4, 5].map((n) => option(t(locale, `followup.satisfaction.${n}` as MessageKey), String(n)));

/** "We met" and `/tandem checkin`: what the session was, and how it went, for one partner. */
export function checkinModal(locale: Locale, form: CheckinForm): ModalView {
  const minutesOptions = CHECKIN_MINUTES.map((m) => option(t(locale, 'followup.form.minutesOption', { minutes: m }), String(m)));
  const progressOptions = PROGRESS_LEVELS.map((p) => option(t(locale, `followup.progress.${p}`), p));
  const blocks: KnownBlock[] = [
    section(t(locale, 'followup.form.intro', { partner: mention(form.partnerUserId) })),
    {
      type: 'input',
      block_id: CHECKIN_BLOCKS.metOn,
      label: plain(t(locale, 'followup.form.metOn'), 2000),
      element: { type: 'datepicker', action_id: CHECKIN_BLOCKS.metOn, initial_date: form.today },
    },
    selectInput(CHECKIN_BLOCKS.minutes, t(locale, 'followup.form.minutes'), minutesOptions, t(locale, 'followup.form.minutesPlaceholder'), String(form.sessionMinutes)),
    textArea(CHECKIN_BLOCKS.topics, t(locale, 'followup.form.topics'), 1000, false),
    ...form.objectives.map((objective, index) =>
      selectInput(
        progressBlock(index),
        t(locale, 'followup.form.progress', { objective: objective.text }),
        progressOptions,
        t(locale, 'followup.form.progressPlaceholder'),
      ),
    ),
    radioInput(CHECKIN_BLOCKS.rating, t(locale, 'followup.form.rating'), ratingOptions(locale)),
    radioInput(CHECKIN_BLOCKS.flow, t(locale, 'followup.form.flow'), FLOWS.map((f) => option(t(locale, `followup.flow.${f}`), f))),
    textArea(CHECKIN_BLOCKS.privateNote, t(locale, 'followup.form.note'), 1000, true, t(locale, 'followup.form.noteHint')),
  ];
  return {
    type: 'modal',
    callback_id: CHECKIN_CALLBACK,
    private_metadata: checkinMetadata(form),
    title: plain(t(locale, 'followup.form.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'followup.form.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'followup.form.cancel'), LIMITS.modalTitle),
    blocks,
  };
}

export interface SurveyForm {
  promptId: number;
  partnerUserId: string;
  /** The reader's own objectives, with the level they gave at the start. */
  objectives: readonly { text: string; start: number | null }[];
}

export function surveyModal(locale: Locale, form: SurveyForm): ModalView {
  const reachedOptions = REACHED.map((r) => option(t(locale, `followup.reached.${r}`), r));
  const levelOptions = [1, 2, 3, 4, 5].map((n) => option(t(locale, `contract.level.${n}` as MessageKey), String(n)));
  const blocks: KnownBlock[] = [section(t(locale, 'followup.survey.intro', { partner: mention(form.partnerUserId) }))];
  form.objectives.forEach((objective, index) => {
    blocks.push(selectInput(reachedBlock(index), t(locale, 'followup.survey.reached', { objective: objective.text }), reachedOptions, t(locale, 'followup.survey.reachedPlaceholder')));
    const startHint = objective.start === null ? '' : t(locale, 'followup.survey.startWas', { level: objective.start });
    blocks.push(selectInput(endLevelBlock(index), t(locale, 'followup.survey.endLevel', { objective: objective.text, start: startHint }).trim(), levelOptions, t(locale, 'followup.survey.endLevelPlaceholder')));
  });
  blocks.push(
    radioInput(SURVEY_BLOCKS.satisfaction, t(locale, 'followup.survey.satisfaction'), satisfactionOptions(locale)),
    textArea(SURVEY_BLOCKS.learned, t(locale, 'followup.survey.learned'), 1500, false),
    radioInput(SURVEY_BLOCKS.mayQuote, t(locale, 'followup.survey.mayQuote'), [option(t(locale, 'followup.survey.quoteYes'), 'yes'), option(t(locale, 'followup.survey.quoteNo'), 'no')]),
  );
  return {
    type: 'modal',
    callback_id: SURVEY_CALLBACK,
    private_metadata: promptValue(form.promptId),
    title: plain(t(locale, 'followup.survey.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'followup.form.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'followup.form.cancel'), LIMITS.modalTitle),
    blocks,
  };
}

export function fieldError(locale: Locale, error: FieldError): string {
  switch (error.code) {
    case 'required':
      return t(locale, 'followup.error.required');
    case 'invalid_choice':
      return t(locale, 'followup.error.invalidChoice');
    case 'invalid_date':
      return t(locale, 'followup.error.invalidDate');
    case 'date_in_future':
      return t(locale, 'followup.error.dateInFuture', { today: dateLabel(locale, error.today) });
    case 'date_before_contract':
      return t(locale, 'followup.error.dateBeforeContract', { start: dateLabel(locale, error.start) });
    case 'date_after_contract':
      return t(locale, 'followup.error.dateAfterContract', { end: dateLabel(locale, error.end) });
    case 'text_too_long':
      return t(locale, 'followup.error.tooLong', { max: error.max, length: error.length });
  }
}

const checkinBlock = (field: CheckinField): string =>
  field.startsWith('progress.') ? progressBlock(Number(field.slice('progress.'.length))) : CHECKIN_BLOCKS[field as keyof typeof CHECKIN_BLOCKS];

export function checkinErrors(locale: Locale, errors: Partial<Record<CheckinField, FieldError>>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, error]) => [checkinBlock(field as CheckinField), fieldError(locale, error as FieldError)]));
}

const surveyBlock = (field: SurveyField): string => {
  if (field.startsWith('reached.')) return reachedBlock(Number(field.slice('reached.'.length)));
  if (field.startsWith('endLevel.')) return endLevelBlock(Number(field.slice('endLevel.'.length)));
  return SURVEY_BLOCKS[field as keyof typeof SURVEY_BLOCKS];
};

export function surveyErrors(locale: Locale, errors: Partial<Record<SurveyField, FieldError>>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, error]) => [surveyBlock(field as SurveyField), fieldError(locale, error as FieldError)]));
}

/** The modal once saved: a thank-you the person closes. */
export function thanksModal(locale: Locale, key: MessageKey, title: MessageKey = 'followup.form.title'): ModalView {
  return {
    type: 'modal',
    title: plain(t(locale, title), LIMITS.modalTitle),
    close: plain(t(locale, 'followup.form.close'), LIMITS.modalTitle),
    blocks: [section(t(locale, key))],
  };
}

export const pauseText = (locale: Locale, key: MessageKey, vars: Record<string, string | number>): Message => ({ text: t(locale, key, vars) });

/** Lines for `/tandem status` and the Home tab. */
export interface FollowupStatusView {
  nextDueOn: IsoDate | null;
  nextKind: PromptKind | null;
  paused: { until: IsoDate | null } | null;
  meetings: number;
  lastMetOn: IsoDate | null;
  gain: { objectives: { objective: string; start: number; end: number }[]; meanGain: number } | null;
  completed: boolean;
}

export function followupStatusLines(locale: Locale, view: FollowupStatusView): string[] {
  const lines: string[] = [];
  if (view.paused) {
    lines.push(view.paused.until ? t(locale, 'followup.status.pausedUntil', { date: dateLabel(locale, view.paused.until) }) : t(locale, 'followup.status.paused'));
  } else if (view.nextDueOn && !view.completed) {
    lines.push(t(locale, view.nextKind === 'closing' ? 'followup.status.nextClosing' : 'followup.status.next', { date: dateLabel(locale, view.nextDueOn) }));
  } else if (!view.completed) {
    lines.push(t(locale, 'followup.status.noneScheduled'));
  }
  lines.push(
    view.meetings === 0
      ? t(locale, 'followup.status.noMeeting')
      : t(locale, 'followup.status.meetings', { count: view.meetings, date: dateLabel(locale, view.lastMetOn as string) }),
  );
  if (view.gain) {
    const items = view.gain.objectives.map((o) => t(locale, 'followup.status.gainItem', { objective: escapeText(o.objective), start: o.start, end: o.end }));
    lines.push(t(locale, 'followup.status.gain', { gain: view.gain.meanGain }), ...items);
  }
  return lines;
}

/** To the partner who has not answered the closing survey yet, on their own: the survey's button, and until when. */
export function surveyReminderMessage(locale: Locale, promptId: number, partnerUserId: string | null, closesOn: IsoDate): Message {
  const text = t(locale, 'survey.reminder.text', { partner: partnerUserId ? mention(partnerUserId) : t(locale, 'survey.reminder.yourPartner'), date: dateLabel(locale, closesOn) });
  return {
    text,
    blocks: [section(text), actions(`survey_reminder_${promptId}`, button({ text: t(locale, 'followup.closing.button'), actionId: PROMPT_SURVEY, value: promptValue(promptId), style: 'primary' }))],
  };
}

export interface RecognitionView {
  role: 'junior' | 'senior';
  partnerUserId: string;
  /** The partner's objectives, and how far the partner says they reached each (when they answered). */
  taught: readonly { objective: string; reached: Reached | null }[];
  /** The person's own objectives, with their levels when both were rated. */
  learned: readonly { objective: string; start: number | null; end: number | null }[];
  meanGain: number | null;
}

/** The recognition each partner receives when their pair completes: what they taught, what they learned, thanks. */
export function recognitionMessage(locale: Locale, view: RecognitionView): Message {
  const partner = mention(view.partnerUserId);
  const taught = view.taught.map((o) =>
    o.reached ? t(locale, 'recognition.taughtItemReached', { objective: escapeText(o.objective), reached: t(locale, `followup.reached.${o.reached}`) }) : `• ${escapeText(o.objective)}`,
  );
  const learned = view.learned.map((o) =>
    o.start !== null && o.end !== null ? t(locale, 'followup.status.gainItem', { objective: escapeText(o.objective), start: o.start, end: o.end }) : `• ${escapeText(o.objective)}`,
  );
  const gain = view.meanGain === null ? [] : [t(locale, 'recognition.gain', gainArgs(locale, view.meanGain))];
  const title = t(locale, 'recognition.title');
  return {
    text: title,
    blocks: [
      section(`*${title}*\n${t(locale, view.role === 'junior' ? 'recognition.intro.junior' : 'recognition.intro.senior', { partner })}`),
      section(truncate([t(locale, 'recognition.taught', { partner }), ...taught].join('\n'), LIMITS.sectionText)),
      section(truncate([t(locale, 'recognition.learned', { partner }), ...learned, ...gain].join('\n'), LIMITS.sectionText)),
      section(t(locale, 'recognition.thanks')),
    ],
  };
}

/** Who a pause concerns: an active pair's check-ins, a person waiting for a partner, or a pair not signed yet. */
export type PauseScope = 'active' | 'waiting' | 'accepted';

/** The reply to `/tandem pause`, saying what stops and until when. */
export function pausedText(locale: Locale, scope: PauseScope, until: IsoDate | null): string {
  if (scope === 'active') return until ? t(locale, 'followup.pause.doneUntil', { date: dateLabel(locale, until) }) : t(locale, 'followup.pause.done');
  if (until) return t(locale, scope === 'waiting' ? 'timing.pause.waiting.doneUntil' : 'timing.pause.accepted.doneUntil', { date: dateLabel(locale, until) });
  return t(locale, scope === 'waiting' ? 'timing.pause.waiting.done' : 'timing.pause.accepted.done');
}

/** The reply to `/tandem resume`. */
export function resumedText(locale: Locale, scope: PauseScope): string {
  return t(locale, scope === 'active' ? 'followup.resume.done' : scope === 'waiting' ? 'timing.resume.waiting.done' : 'timing.resume.accepted.done');
}
