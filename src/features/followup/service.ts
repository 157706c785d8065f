/**
 * Follow-up of an active pair: answers to prompts, check-ins, the closing survey, pause and resume.
 * Every change checks who asks and the state it applies to inside one transaction, so a double
 * click, a replayed form or a stale button changes nothing.
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import { nextCheckinDue } from '../../domain/calendar.js';
import { type CheckinRawInput, learningGain, type SurveyRawInput, validateCheckin, validatePauseUntil, validateSurvey } from '../../domain/checkin.js';
import { addDays, instantToZoned, type IsoDate, previousWorkingDay } from '../../domain/time.js';
import { type Locale, type MessageKey, type Vars, personLocale, pairLocale } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { dateLabel } from '../../slack/labels.js';
import { audit } from '../../store/audit.js';
import { type Contract, contractsOfPair } from '../../store/contracts.js';
import type { Database } from '../../store/database.js';
import {
  answersOf,
  checkinsOfPair,
  closePrompts,
  findFollowup,
  findPrompt,
  insertCheckin,
  insertSurvey,
  type PromptAnswerKind,
  type PromptRow,
  recordPromptAnswer,
  scheduleFollowup,
  setPause,
  surveysOfPair,
} from '../../store/followup.js';
import { findPair, knownPairOf, lastCompletedPairOf, movePair, type Pair, setParticipantsStatus } from '../../store/pairs.js';
import { findParticipant, findParticipantByUser, type Participant } from '../../store/participants.js';
import { getProgramme } from '../../store/programme.js';
import { escalateCheckin, escalateHelp } from '../escalations/service.js';
import { earlyPause, type EarlyPauseOutcome, earlyResume } from './early-pause.js';
import { recognisePartners } from './recognition.js';
import {
  type CheckinForm,
  checkinErrors,
  type FollowupStatusView,
  promptMessage,
  type SurveyForm,
  surveyErrors,
} from './views.js';

type Trx = Transaction<Database>;

export type Refusal = { kind: 'refused'; key: MessageKey; vars?: Vars };
const refused = (key: MessageKey, vars?: Vars): Refusal => ({ kind: 'refused', key, ...(vars ? { vars } : {}) });

/** One message for two people: their language when they share it, else the programme's. */

interface PairContext {
  pair: Pair;
  me: Participant;
  partner: Participant;
  junior: Participant;
  senior: Participant;
  contract: Contract;
}

async function peopleOf(db: Deps['store']['db'] | Trx, pair: Pair) {
  const [junior, senior] = await Promise.all([findParticipant(db, pair.juniorId), findParticipant(db, pair.seniorId)]);
  if (!junior || !senior) throw new Error(`Pair ${pair.id} lost a participant`);
  return { junior, senior };
}

/** The user's pair with its contract in force, or why there is none to follow up. */
async function activePairOf(db: Deps['store']['db'] | Trx, userId: string, pairId?: number): Promise<PairContext | Refusal> {
  const me = await findParticipantByUser(db, userId);
  if (!me || me.status === 'left') return refused('error.notEnrolled');
  // Without an open pair, the last completed one says why nothing more is logged.
  // A proposal waiting for a facilitator is not theirs to know of: as if there were no pair.
  const pair = pairId === undefined ? ((await knownPairOf(db, me.id)) ?? (await lastCompletedPairOf(db, me.id))) : await findPair(db, pairId);
  if (!pair || pair.status === 'proposed') return refused('followup.refused.noPair');
  if (pair.juniorId !== me.id && pair.seniorId !== me.id) return refused('followup.refused.notYours');
  if (pair.status === 'completed' || pair.status === 'ended') return refused('followup.refused.closed');
  if (pair.status !== 'active') return refused('followup.refused.noContract');
  const contract = (await contractsOfPair(db, pair.id)).find((c) => c.status === 'in_force');
  if (!contract) return refused('followup.refused.noContract');
  const { junior, senior } = await peopleOf(db, pair);
  return { pair, me, partner: me.id === junior.id ? senior : junior, junior, senior, contract };
}

const today = (now: Date, timeZone: string): IsoDate => instantToZoned(now, timeZone).date;

/** The contract's objectives, the senior's first (what the junior teaches), each with its owner. */
function objectivesOf(ctx: PairContext): CheckinForm['objectives'] {
  return [
    ...ctx.contract.terms.seniorObjectives.map((text) => ({ text, ownerUserId: ctx.senior.userId })),
    ...ctx.contract.terms.juniorObjectives.map((text) => ({ text, ownerUserId: ctx.junior.userId })),
  ];
}

const ownObjectives = (ctx: PairContext): string[] => (ctx.me.id === ctx.senior.id ? ctx.contract.terms.seniorObjectives : ctx.contract.terms.juniorObjectives);

/** Whether this partner may still answer this prompt. */
async function promptRefusal(db: Deps['store']['db'] | Trx, prompt: PromptRow | undefined, ctx: PairContext, expected: 'checkin' | 'closing'): Promise<Refusal | undefined> {
  if (!prompt || prompt.pair_id !== ctx.pair.id) return refused('followup.refused.notYours');
  if (prompt.kind !== expected) return refused('error.badRequest');
  const mine = (await answersOf(db, prompt.id)).find((a) => a.participant_id === ctx.me.id);
  if (mine) return refused(expected === 'closing' ? 'followup.survey.already' : 'followup.refused.answered');
  return undefined;
}

export type OpenCheckin = { kind: 'form'; form: CheckinForm; locale: Locale } | Refusal;

/** "We met" (with its prompt) or `/tandem checkin` (without): the form, or why not. */
export async function openCheckin(deps: Deps, userId: string, promptId: number | null, pairId?: number): Promise<OpenCheckin> {
  const db = deps.store.db;
  let prompt: PromptRow | undefined;
  if (promptId !== null) {
    prompt = await findPrompt(db, promptId);
    if (!prompt) return refused('followup.refused.notYours');
  }
  const ctx = await activePairOf(db, userId, prompt?.pair_id ?? pairId);
  if ('kind' in ctx) return ctx;
  if (prompt) {
    const refusal = await promptRefusal(db, prompt, ctx, 'checkin');
    if (refusal) return refusal;
  }
  return {
    kind: 'form',
    locale: personLocale(deps, ctx.me),
    form: {
      pairId: ctx.pair.id,
      contractId: ctx.contract.id,
      promptId,
      partnerUserId: ctx.partner.userId,
      objectives: objectivesOf(ctx),
      today: today(deps.now(), ctx.me.timeZone),
      sessionMinutes: ctx.contract.terms.sessionMinutes,
    },
  };
}

export type SubmitOutcome = { kind: 'saved'; locale: Locale } | { kind: 'invalid'; errors: Record<string, string> } | Refusal;

/** Queues the prompt message again with who answered what, replacing the one in the group DM. */
async function refreshPrompt(deps: Deps, trx: Trx, prompt: PromptRow, ctx: Pick<PairContext, 'junior' | 'senior'>): Promise<void> {
  const answers = await answersOf(trx, prompt.id);
  const contract = await trx.selectFrom('contract').select('end_date').where('id', '=', prompt.contract_id).executeTakeFirstOrThrow();
  const byId = new Map([ctx.junior, ctx.senior].map((p) => [p.id, p.userId]));
  const message = promptMessage(pairLocale(deps, ctx.junior, ctx.senior), {
    promptId: prompt.id,
    kind: prompt.kind,
    dueOn: prompt.due_on,
    endOn: contract.end_date,
    juniorUserId: ctx.junior.userId,
    seniorUserId: ctx.senior.userId,
    answers: answers.map((a) => ({ userId: byId.get(a.participant_id) ?? '', answer: a.answer })),
  });
  await deps.outbox.enqueue(trx, `prompt:${prompt.id}:answers:${answers.length}`, { kind: 'update', afterKey: promptKey(prompt.id), message });
}

export const promptKey = (promptId: number): string => `prompt:${promptId}`;

export interface CheckinMeta {
  pairId: number;
  contractId: number;
  promptId: number | null;
  /** The Slack form submitted: the same form sent twice is stored once. */
  viewId: string;
}

export async function submitCheckin(deps: Deps, userId: string, meta: CheckinMeta, raw: CheckinRawInput): Promise<SubmitOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
    const ctx = await activePairOf(trx, userId, meta.pairId);
    if ('kind' in ctx) return ctx;
    // The contract may have been amended while the form was open: its objectives are the form's.
    if (ctx.contract.id !== meta.contractId) return refused('followup.refused.contractChanged');
    const locale = personLocale(deps, ctx.me);
    const objectives = objectivesOf(ctx);
    const { startDate: contractStart, endDate: contractEnd } = ctx.contract.terms;
    const checked = validateCheckin(raw, objectives.length, { today: today(now, ctx.me.timeZone), contractStart, contractEnd });
    if (!checked.ok) return { kind: 'invalid', errors: checkinErrors(locale, checked.errors) };
    let prompt: PromptRow | undefined;
    if (meta.promptId !== null) {
      prompt = await findPrompt(trx, meta.promptId);
      const refusal = await promptRefusal(trx, prompt, ctx, 'checkin');
      if (refusal) return refusal;
    } else {
      // Logged on their own initiative: it answers the open check-in they had not answered yet.
      prompt = await openPromptFor(trx, ctx);
    }
    const value = checked.value;
    const checkinId = await insertCheckin(trx, { pairId: ctx.pair.id, contractId: ctx.contract.id, participantId: ctx.me.id, promptId: prompt?.id ?? null, viewId: meta.viewId, ...value }, now);
    if (checkinId === undefined) return refused('followup.refused.answered');
    await deps.home.changed(trx, { participantIds: [ctx.junior.id, ctx.senior.id], dashboards: false });
    await escalateCheckin(deps, trx, { checkinId, pairId: ctx.pair.id, participantId: ctx.me.id, userId: ctx.me.userId, metOn: value.metOn, rating: value.rating, privateNote: value.privateNote }, now);
    if (prompt) {
      await recordPromptAnswer(trx, prompt.id, ctx.me.id, 'met', checkinId, now);
      await refreshPrompt(deps, trx, prompt, ctx);
    }
    return { kind: 'saved', locale };
  });
}

/** The pair's latest check-in prompt still open that this partner has not answered. */
async function openPromptFor(trx: Trx, ctx: PairContext): Promise<PromptRow | undefined> {
  const latest = await trx
    .selectFrom('checkin_prompt')
    .selectAll()
    .where('pair_id', '=', ctx.pair.id)
    .where('kind', '=', 'checkin')
    .where('closed_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!latest) return undefined;
  return (await answersOf(trx, latest.id)).some((a) => a.participant_id === ctx.me.id) ? undefined : latest;
}

export type AnswerOutcome = { kind: 'answered'; locale: Locale; answer: PromptAnswerKind } | Refusal;

/** "Not yet" or "We need help" on a prompt: stored for that partner, once. */
export async function answerPrompt(deps: Deps, userId: string, promptId: number, answer: 'not_yet' | 'help'): Promise<AnswerOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<AnswerOutcome> => {
    const prompt = await findPrompt(trx, promptId);
    if (!prompt) return refused('followup.refused.notYours');
    const ctx = await activePairOf(trx, userId, prompt.pair_id);
    if ('kind' in ctx) return ctx;
    const refusal = await promptRefusal(trx, prompt, ctx, 'checkin');
    if (refusal) return refusal;
    await recordPromptAnswer(trx, prompt.id, ctx.me.id, answer, null, now);
    await refreshPrompt(deps, trx, prompt, ctx);
    if (answer === 'help') await escalateHelp(deps, trx, { pairId: ctx.pair.id, participantId: ctx.me.id, userId: ctx.me.userId, promptId: prompt.id, dueOn: prompt.due_on }, now);
    return { kind: 'answered', locale: personLocale(deps, ctx.me), answer };
  });
}

export type OpenSurvey = { kind: 'form'; form: SurveyForm; locale: Locale } | Refusal;

export async function openSurvey(deps: Deps, userId: string, promptId: number): Promise<OpenSurvey> {
  const db = deps.store.db;
  const prompt = await findPrompt(db, promptId);
  if (!prompt) return refused('followup.refused.notYours');
  const ctx = await activePairOf(db, userId, prompt.pair_id);
  if ('kind' in ctx) return ctx;
  const refusal = await promptRefusal(db, prompt, ctx, 'closing');
  if (refusal) return refusal;
  const start = ctx.contract.signatures.find((s) => s.participantId === ctx.me.id)?.startLevels ?? null;
  return {
    kind: 'form',
    locale: personLocale(deps, ctx.me),
    form: { promptId, partnerUserId: ctx.partner.userId, objectives: ownObjectives(ctx).map((text, i) => ({ text, start: start?.[i] ?? null })) },
  };
}

export async function submitSurvey(deps: Deps, userId: string, promptId: number, raw: SurveyRawInput): Promise<SubmitOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
    const prompt = await findPrompt(trx, promptId);
    if (!prompt) return refused('followup.refused.notYours');
    const ctx = await activePairOf(trx, userId, prompt.pair_id);
    if ('kind' in ctx) return ctx;
    const refusal = await promptRefusal(trx, prompt, ctx, 'closing');
    if (refusal) return refusal;
    const locale = personLocale(deps, ctx.me);
    const checked = validateSurvey(raw, ownObjectives(ctx).length);
    if (!checked.ok) return { kind: 'invalid', errors: surveyErrors(locale, checked.errors) };
    await insertSurvey(trx, { pairId: ctx.pair.id, contractId: ctx.contract.id, participantId: ctx.me.id, ...checked.value }, now);
    await deps.home.changed(trx, { participantIds: [ctx.me.id], dashboards: false });
    await recordPromptAnswer(trx, prompt.id, ctx.me.id, 'survey', null, now);
    await refreshPrompt(deps, trx, prompt, ctx);
    if ((await surveysOfPair(trx, ctx.pair.id)).length >= 2) await completePair(deps, trx, ctx.pair, ctx, 'both_answered', now);
    return { kind: 'saved', locale };
  });
}

/**
 * The pair's programme is over: completed, both people too, nothing more is scheduled. Runs when
 * both have answered the closing survey, or when the pass finds the survey left open too long.
 */
export async function completePair(deps: Deps, trx: Trx, pair: Pair, people: Pick<PairContext, 'junior' | 'senior'>, why: 'both_answered' | 'survey_closed', now: Date): Promise<boolean> {
  if (!(await movePair(trx, pair.id, ['active'], 'completed', { ended_at: now.toISOString(), ended_by: 'tandem', end_reason: why }, now))) return false;
  await setParticipantsStatus(trx, [pair.juniorId, pair.seniorId], 'completed', ['paired', 'paused'], now);
  await closePrompts(trx, pair.id, now);
  await deps.home.changed(trx, { participantIds: [pair.juniorId, pair.seniorId] });
  await trx.updateTable('followup').set({ next_due_on: null, next_at: null, next_kind: null, paused_at: null, paused_until: null, paused_by: null, updated_at: now.toISOString() }).where('pair_id', '=', pair.id).execute();
  await audit(trx, { actorUserId: 'tandem', action: 'pair.completed', subject: `pair:${pair.id}`, details: { why } }, now);
  const { junior, senior } = people;
  await recognisePartners(deps, trx, pair, people);
  await deps.outbox.enqueue(trx, `pair:${pair.id}:completed`, { kind: 'post', users: [junior.userId, senior.userId], message: { text: t(pairLocale(deps, junior, senior), 'followup.completed.pair', { junior: mention(junior.userId), senior: mention(senior.userId) }) } });
  await deps.outbox.enqueue(trx, `pair:${pair.id}:completed:notice`, {
    kind: 'post',
    channel: deps.config.facilitatorChannelId,
    message: { text: t(deps.config.defaultLocale, 'followup.completed.notice', { junior: `<@${junior.userId}>`, senior: `<@${senior.userId}>` }) },
  });
  return true;
}

export async function completeWithPeople(deps: Deps, trx: Trx, pairId: number, now: Date): Promise<boolean> {
  const pair = await findPair(trx, pairId);
  if (!pair || pair.status !== 'active') return false;
  return completePair(deps, trx, pair, await peopleOf(trx, pair), 'survey_closed', now);
}

export type PauseOutcome = { kind: 'paused'; until: IsoDate | null } | { kind: 'resumed' } | Refusal;

/** `/tandem pause [YYYY-MM-DD]`: no prompt and no reminder for the pair until the date, or until resumed. */
export async function pausePair(deps: Deps, userId: string, rawDate: string | undefined): Promise<PauseOutcome | EarlyPauseOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<PauseOutcome | EarlyPauseOutcome> => {
    // Someone waiting for a partner, or a pair not signed yet, pauses too (early-pause.ts).
    const me = await findParticipantByUser(trx, userId);
    const early = me && me.status !== 'left' ? await earlyPause(deps, trx, me, rawDate, now) : undefined;
    if (early) return early;
    const ctx = await activePairOf(trx, userId);
    if ('kind' in ctx) return ctx;
    let until: IsoDate | null = null;
    if (rawDate !== undefined) {
      const checked = validatePauseUntil(rawDate, today(now, ctx.me.timeZone), ctx.contract.terms.endDate);
      if (!checked.ok) {
        const e = checked.error;
        return e.code === 'after_contract_end' ? refused('followup.pause.afterEnd', { end: dateLabel(personLocale(deps, ctx.me), ctx.contract.terms.endDate) }) : refused(e.code === 'invalid_date' ? 'followup.pause.badDate' : 'followup.pause.notFuture');
      }
      until = checked.value;
    }
    const followup = await findFollowup(trx, ctx.pair.id);
    if (!followup) return refused('followup.refused.noContract');
    if (followup.paused_at !== null && followup.paused_until === until) return refused('followup.pause.already');
    await setPause(trx, ctx.pair.id, { by: ctx.me.id, zone: ctx.me.timeZone, until }, now);
    // What was asked before the pause is not chased during it, nor after it.
    await closePrompts(trx, ctx.pair.id, now, 'checkin');
    await setParticipantsStatus(trx, [ctx.junior.id, ctx.senior.id], 'paused', ['paired'], now);
    await deps.home.changed(trx, { participantIds: [ctx.junior.id, ctx.senior.id] });
    await audit(trx, { actorUserId: userId, action: 'pair.paused', subject: `pair:${ctx.pair.id}`, details: { until } }, now);
    const locale = pairLocale(deps, ctx.junior, ctx.senior);
    const both = { user: `<@${userId}>`, junior: `<@${ctx.junior.userId}>`, senior: `<@${ctx.senior.userId}>` };
    const text = until ? t(locale, 'followup.pause.toldUntil', { ...both, date: dateLabel(locale, until) }) : t(locale, 'followup.pause.told', both);
    await deps.outbox.enqueue(trx, `pause:${ctx.pair.id}:${now.toISOString()}`, { kind: 'post', users: [ctx.junior.userId, ctx.senior.userId], message: { text } });
    return { kind: 'paused', until };
  });
}

/**
 * Restarts the rhythm from today: the check-ins missed while paused are not asked afterwards (no
 * date up to yesterday in either partner's zone), but a closing survey never sent is still asked.
 * An automatic resume is silent: the pair was told the date when pausing, and the next prompt
 * comes at its usual hour rather than at midnight.
 */
export async function resumeFollowup(deps: Deps, trx: Trx, pairId: number, actorUserId: string, now: Date): Promise<boolean> {
  const pair = await findPair(trx, pairId);
  const followup = await findFollowup(trx, pairId);
  if (!pair || pair.status !== 'active' || !followup || followup.paused_at === null) return false;
  const { junior, senior } = await peopleOf(trx, pair);
  const contract = (await contractsOfPair(trx, pairId)).find((c) => c.id === followup.contract_id);
  if (!contract) return false;
  const programme = await getProgramme(trx);
  const { startDate, endDate, cadence } = contract.terms;
  const yesterday = [junior.timeZone, senior.timeZone].map((zone) => addDays(today(now, zone), -1)).sort().at(-1) as IsoDate;
  const closingSent = await trx.selectFrom('checkin_prompt').select('id').where('pair_id', '=', pairId).where('contract_id', '=', contract.id).where('kind', '=', 'closing').executeTakeFirst();
  // The closing survey falls on the working day on or before the end date: never skipped.
  const closingDate = previousWorkingDay(endDate);
  let skipUpTo = followup.last_due_on && followup.last_due_on > yesterday ? followup.last_due_on : yesterday;
  if (!closingSent && skipUpTo >= closingDate) skipUpTo = addDays(closingDate, -1);
  const partners = [{ timeZone: junior.timeZone }, { timeZone: senior.timeZone }];
  const session = contract.terms.session ? { slot: contract.terms.session, minutes: contract.terms.sessionMinutes } : null;
  const due = nextCheckinDue({ startDate, endDate, cadence, lastDueDate: skipUpTo, partners, session }, now, { checkinHour: programme.checkinHour });
  await setPause(trx, pairId, null, now);
  await trx.updateTable('followup').set({ last_due_on: skipUpTo, resumed_at: now.toISOString() }).where('pair_id', '=', pairId).execute();
  await scheduleFollowup(trx, pairId, contract.id, due && { kind: due.kind, dueOn: due.dueDate, at: due.instant }, now, { keepClosing: true });
  await setParticipantsStatus(trx, [junior.id, senior.id], 'paired', ['paused'], now);
  await audit(trx, { actorUserId, action: 'pair.resumed', subject: `pair:${pairId}`, details: { nextDueOn: due?.dueDate ?? null } }, now);
  if (actorUserId !== 'tandem') {
    const locale = pairLocale(deps, junior, senior);
    await deps.outbox.enqueue(trx, `resume:${pairId}:${followup.paused_at}`, { kind: 'post', users: [junior.userId, senior.userId], message: { text: t(locale, 'followup.resume.told', { user: `<@${actorUserId}>`, junior: `<@${junior.userId}>`, senior: `<@${senior.userId}>` }) } });
  }
  return true;
}

export async function resumePair(deps: Deps, userId: string): Promise<PauseOutcome | EarlyPauseOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<PauseOutcome | EarlyPauseOutcome> => {
    const me = await findParticipantByUser(trx, userId);
    const early = me && me.status !== 'left' ? await earlyResume(deps, trx, me, now) : undefined;
    if (early) return early;
    const ctx = await activePairOf(trx, userId);
    if ('kind' in ctx) return ctx;
    if (!(await resumeFollowup(deps, trx, ctx.pair.id, userId, now))) return refused('followup.resume.notPaused');
    return { kind: 'resumed' };
  });
}

/** What `/tandem status` and the Home tab show of the follow-up. */
export async function followupStatus(db: Deps['store']['db'], pair: Pair, participantId: number): Promise<FollowupStatusView | undefined> {
  if (pair.status !== 'active' && pair.status !== 'completed') return undefined;
  const [followup, checkins, surveys, contracts] = await Promise.all([findFollowup(db, pair.id), checkinsOfPair(db, pair.id), surveysOfPair(db, pair.id), contractsOfPair(db, pair.id)]);
  const contract = contracts.find((c) => c.status === 'in_force');
  const mine = surveys.find((s) => s.participant_id === participantId);
  const objectives = contract ? (participantId === pair.seniorId ? contract.terms.seniorObjectives : contract.terms.juniorObjectives) : [];
  const start = contract?.signatures.find((s) => s.participantId === participantId)?.startLevels ?? null;
  const meetings = new Set(checkins.map((c) => c.met_on));
  return {
    nextDueOn: followup?.next_due_on ?? null,
    nextKind: followup?.next_kind ?? null,
    paused: followup?.paused_at ? { until: followup.paused_until } : null,
    meetings: meetings.size,
    lastMetOn: checkins.length > 0 ? [...meetings].sort().at(-1) ?? null : null,
    gain: mine ? learningGain(objectives, start, JSON.parse(mine.end_levels) as number[]) : null,
    completed: pair.status === 'completed',
  };
}
