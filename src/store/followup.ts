import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Flow, Progress, Reached } from '../domain/checkin.js';
import type { IsoDate } from '../domain/time.js';
import type { Database } from './database.js';
import { indexedBy, instantBeforeDate, orderedJoin, typed } from './engine.js';
import { OPEN_STATUSES } from './pairs.js';

type Db = Kysely<Database> | Transaction<Database>;

export type PromptKind = 'checkin' | 'closing';
export type PromptAnswerKind = 'met' | 'not_yet' | 'help' | 'survey';

export interface FollowupTable {
  pair_id: number;
  contract_id: number;
  last_due_on: string | null;
  next_due_on: string | null;
  next_at: string | null;
  next_kind: PromptKind | null;
  paused_at: string | null;
  paused_until: string | null;
  paused_by: number | null;
  paused_zone: string | null;
  resumed_at: string | null;
  updated_at: string;
}

export interface CheckinPromptTable {
  id: Generated<number>;
  pair_id: number;
  contract_id: number;
  kind: PromptKind;
  due_on: string;
  sent_at: string;
  remind_at: string;
  reminded_at: string | null;
  answered_at: string | null;
  closed_at: string | null;
}

export interface CheckinTable {
  id: Generated<number>;
  pair_id: number;
  contract_id: number;
  participant_id: number;
  prompt_id: number | null;
  met_on: string;
  minutes: number;
  topics: string;
  progress: string;
  rating: number;
  flow: Flow;
  private_note: string | null;
  view_id: string | null;
  created_at: string;
}

export interface PromptAnswerTable {
  id: Generated<number>;
  prompt_id: number;
  participant_id: number;
  answer: PromptAnswerKind;
  checkin_id: number | null;
  answered_at: string;
}

export interface ClosingSurveyTable {
  id: Generated<number>;
  pair_id: number;
  contract_id: number;
  participant_id: number;
  objectives_reached: string;
  end_levels: string;
  satisfaction: number;
  learned: string;
  may_quote: number;
  created_at: string;
}

export type FollowupRow = Selectable<FollowupTable>;
export type PromptRow = Selectable<CheckinPromptTable>;
export type CheckinRow = Selectable<CheckinTable>;
export type SurveyRow = Selectable<ClosingSurveyTable>;

export interface NextPrompt {
  kind: PromptKind;
  dueOn: IsoDate;
  /** When it is due (for a pair, the moment computed for that date). */
  at: Date;
}

/**
 * Starts (or, for an amended contract, re-targets) a pair's follow-up. The last due date already
 * prompted is kept, so an amendment never asks twice for the same date; a pause stays as it was.
 */
export async function scheduleFollowup(db: Db, pairId: number, contractId: number, next: NextPrompt | null, now: Date, options: { keepClosing?: boolean } = {}): Promise<void> {
  const values = { contract_id: contractId, next_due_on: next?.dueOn ?? null, next_at: next?.at.toISOString() ?? null, next_kind: next?.kind ?? null, updated_at: now.toISOString() };
  // A new version: a closing survey sent for an earlier version's end no longer closes anything.
  if (!options.keepClosing) await closePrompts(db, pairId, now, 'closing');
  await db
    .insertInto('followup')
    .values({ pair_id: pairId, ...values })
    .onConflict((oc) => oc.column('pair_id').doUpdateSet(values))
    .execute();
}

export async function findFollowup(db: Db, pairId: number): Promise<FollowupRow | undefined> {
  return db.selectFrom('followup').selectAll().where('pair_id', '=', pairId).executeTakeFirst();
}

/**
 * After a change of the check-in hour: every pair's next prompt is looked at again from the
 * earliest moment it could now be due (the pass then stores the exact moment). A check-in that
 * follows a session can move to an earlier date (a Friday 08:00 session is asked about on Monday at
 * 08:00, but that same Friday at 15:00), at most a weekend earlier: four days, plus the earliest zone.
 */
export async function resetFollowupTimes(db: Db): Promise<void> {
  await db.updateTable('followup').set({ next_at: instantBeforeDate(db, 'next_due_on', 4 * 24 + 14) }).where('next_due_on', 'is not', null).execute();
}

/**
 * Before a person's time zone changes to `timeZone`: the next prompt of their active pair is looked
 * at again by the next pass (as after a change of the check-in hour), since it may now be due
 * earlier than the stored moment. Nothing happens when the zone stays the same.
 */
export async function resetFollowupTimesForZone(db: Db, userId: string, timeZone: string): Promise<void> {
  await db
    .updateTable('followup')
    .set({ next_at: instantBeforeDate(db, 'next_due_on', 4 * 24 + 14) })
    .where('next_due_on', 'is not', null)
    .where('pair_id', 'in', (eb) =>
      eb
        .selectFrom('pair as p')
        .innerJoin('participant as u', (join) => join.on((on) => on.or([on('u.id', '=', on.ref('p.junior_id')), on('u.id', '=', on.ref('p.senior_id'))])))
        .select('p.id')
        .where('u.slack_user_id', '=', userId)
        .where('u.time_zone', '!=', timeZone)
        .where('p.status', '=', 'active'),
    )
    .execute();
}

/** The Slack ids of the partners of these pairs, each once. */
export async function userIdsOfPairs(db: Db, pairIds: readonly number[]): Promise<string[]> {
  if (pairIds.length === 0) return [];
  const rows = await db
    .selectFrom('pair as p')
    .innerJoin('participant as u', (join) => join.on((on) => on.or([on('u.id', '=', on.ref('p.junior_id')), on('u.id', '=', on.ref('p.senior_id'))])))
    .select('u.slack_user_id as userId')
    .where('p.id', 'in', [...pairIds])
    .execute();
  return [...new Set(rows.map((r) => r.userId))];
}

/** The Slack ids of these participants and of their partners in open pairs, each once. */
export async function userIdsWithPartners(db: Db, participantIds: readonly number[]): Promise<string[]> {
  if (participantIds.length === 0) return [];
  const ids = new Set(participantIds);
  const pairs = await db
    .selectFrom('pair')
    .select(['junior_id', 'senior_id'])
    .where((eb) => eb.or([eb('junior_id', 'in', [...participantIds]), eb('senior_id', 'in', [...participantIds])]))
    .where('status', 'in', OPEN_STATUSES)
    .execute();
  for (const pair of pairs) ids.add(pair.junior_id).add(pair.senior_id);
  const rows = await db.selectFrom('participant').select('slack_user_id').where('id', 'in', [...ids]).execute();
  return rows.map((r) => r.slack_user_id);
}

/**
 * Closing surveys one partner answered and the other not, whose reminder is due as of `at` (the
 * other partner is reminded on their own), by prompt id after `afterId`.
 */
export async function surveyLaggards(db: Db, at: Date, afterId: number, limit: number) {
  return db
    .selectFrom('checkin_prompt as q')
    .innerJoin('pair as p', 'p.id', 'q.pair_id')
    .innerJoin('followup as f', 'f.pair_id', 'q.pair_id')
    .select(['q.id as promptId', 'q.pair_id as pairId', 'q.sent_at as sentAt', 'p.junior_id as juniorId', 'p.senior_id as seniorId'])
    .where('q.kind', '=', 'closing')
    .where('q.answered_at', 'is not', null)
    .where('q.reminded_at', 'is', null)
    .where('q.closed_at', 'is', null)
    .where('q.remind_at', '<=', at.toISOString())
    .where('q.id', '>', afterId)
    .where('p.status', '=', 'active')
    .where('f.paused_at', 'is', null)
    .orderBy('q.id')
    .limit(limit)
    .execute();
}

/** One due candidate of the pass, with what computing its prompt needs. */
export interface DueCandidate {
  pairId: number;
  contractId: number;
  lastDueOn: IsoDate | null;
  nextDueOn: IsoDate;
  nextAt: string;
  startDate: IsoDate;
  endDate: IsoDate;
  cadence: 'weekly' | 'biweekly' | 'triweekly' | 'monthly';
  sessionMinutes: number;
  /** The contract's session time (weekday, "HH:MM", zone), when it has one. */
  sessionWeekday: number | null;
  sessionTime: string | null;
  sessionZone: string | null;
  juniorId: number;
  seniorId: number;
  juniorUserId: string;
  seniorUserId: string;
  juniorTimeZone: string;
  seniorTimeZone: string;
  juniorLocale: string;
  seniorLocale: string;
}

/** Where the previous page ended: pages follow the due index, (next instant, pair id). */
export interface DueCursor {
  nextAt: string;
  pairId: number;
}

/**
 * Active, unpaused pairs whose next prompt falls on or before `untilDate`, a page at a time along
 * the due index: the pass never holds more than a page, and never reads the pairs that are not due.
 */
export async function dueCandidates(db: Db, at: Date, after: DueCursor | null, limit: number): Promise<DueCandidate[]> {
  // Driven by the due index, whatever the planner guesses from a programme's statistics: "indexed
  // by" pins it, and the row-value comparison resumes exactly after the previous page.
  const from = after ?? { nextAt: '', pairId: 0 };
  const result = await sql<DueCandidate>`
    select f.pair_id as "pairId", f.contract_id as "contractId", f.last_due_on as "lastDueOn", f.next_due_on as "nextDueOn", f.next_at as "nextAt",
           c.start_date as "startDate", c.end_date as "endDate", c.cadence as "cadence", c.session_minutes as "sessionMinutes",
           c.session_weekday as "sessionWeekday", c.session_time as "sessionTime", c.session_zone as "sessionZone",
           p.junior_id as "juniorId", p.senior_id as "seniorId",
           j.slack_user_id as "juniorUserId", s.slack_user_id as "seniorUserId",
           j.time_zone as "juniorTimeZone", s.time_zone as "seniorTimeZone", j.locale as "juniorLocale", s.locale as "seniorLocale"
    from followup as f${indexedBy(db, 'followup_due')}
    join pair as p on p.id = f.pair_id
    join contract as c on c.id = f.contract_id
    join participant as j on j.id = p.junior_id
    join participant as s on s.id = p.senior_id
    where f.paused_at is null and f.next_at is not null and f.next_at <= ${at.toISOString()}
      and (f.next_at, f.pair_id) > (${from.nextAt}, ${from.pairId})
      and p.status = 'active'
    order by f.next_at, f.pair_id
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Records a prompt; undefined when that pair's prompt for that date exists already (another pass sent it). */
export async function insertPrompt(
  db: Db,
  prompt: { pairId: number; contractId: number; kind: PromptKind; dueOn: IsoDate; remindAt: Date },
  now: Date,
): Promise<number | undefined> {
  const row = await db
    .insertInto('checkin_prompt')
    .values({ pair_id: prompt.pairId, contract_id: prompt.contractId, kind: prompt.kind, due_on: prompt.dueOn, sent_at: now.toISOString(), remind_at: prompt.remindAt.toISOString() })
    .onConflict((oc) => oc.columns(['pair_id', 'kind', 'due_on']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** A pair's follow-up moved on by the pass: only if its next instant is still the one read. */
export interface FollowupMove {
  pairId: number;
  expectedNextAt: string;
  lastDueOn: IsoDate | null;
  next: NextPrompt | null;
}

/**
 * Moves a page of follow-ups in one statement, each only if nobody moved it since it was read
 * (compare-and-set on its next instant, so two passes at once never both move it); returns the
 * pairs moved.
 */
export async function advanceFollowups(db: Db, moves: readonly FollowupMove[], now: Date): Promise<Set<number>> {
  if (moves.length === 0) return new Set();
  const values = sql.join(
    moves.map(
      (m) =>
        sql`(${typed(m.pairId, 'integer')}, ${typed(m.expectedNextAt, 'text')}, ${typed(m.lastDueOn, 'text')}, ${typed(m.next?.dueOn ?? null, 'text')}, ${typed(m.next?.at.toISOString() ?? null, 'text')}, ${typed(m.next?.kind ?? null, 'text')})`,
    ),
  );
  const result = await sql<{ pair_id: number }>`
    with move (pair_id, expected, last_due_on, next_due_on, next_at, next_kind) as (values ${values})
    update followup set last_due_on = move.last_due_on, next_due_on = move.next_due_on, next_at = move.next_at, next_kind = move.next_kind, updated_at = ${now.toISOString()}
    from move
    where followup.pair_id = move.pair_id and followup.next_at = move.expected and followup.paused_at is null
    returning followup.pair_id`.execute(db);
  return new Set(result.rows.map((row) => row.pair_id));
}

/**
 * Records a page of prompts in one statement; returns each new prompt's id by pair. A pair whose
 * prompt for that date exists already (another pass sent it) is left out.
 */
export async function insertPrompts(
  db: Db,
  prompts: readonly { pairId: number; contractId: number; kind: PromptKind; dueOn: IsoDate; remindAt: Date }[],
  now: Date,
): Promise<Map<number, number>> {
  if (prompts.length === 0) return new Map();
  const sentAt = now.toISOString();
  const rows = await db
    .insertInto('checkin_prompt')
    .values(prompts.map((p) => ({ pair_id: p.pairId, contract_id: p.contractId, kind: p.kind, due_on: p.dueOn, sent_at: sentAt, remind_at: p.remindAt.toISOString() })))
    .onConflict((oc) => oc.columns(['pair_id', 'kind', 'due_on']).doNothing())
    .returning(['id', 'pair_id'])
    .execute();
  return new Map(rows.map((row) => [row.pair_id, row.id]));
}

/** markReminded for a page of prompts in one statement; returns the prompts marked. */
export async function markRemindedMany(db: Db, promptIds: readonly number[], now: Date): Promise<Set<number>> {
  if (promptIds.length === 0) return new Set();
  const rows = await db
    .updateTable('checkin_prompt')
    .set({ reminded_at: now.toISOString() })
    .where('id', 'in', [...promptIds])
    .where('reminded_at', 'is', null)
    .where('answered_at', 'is', null)
    .where('closed_at', 'is', null)
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

export interface ReminderCandidate {
  promptId: number;
  pairId: number;
  kind: PromptKind;
  dueOn: IsoDate;
  endDate: IsoDate;
  juniorUserId: string;
  seniorUserId: string;
  juniorLocale: string;
  seniorLocale: string;
}

/** Where the previous page of reminders ended, along their index (remind_at, id). */
export interface ReminderCursor {
  remindAt: string;
  promptId: number;
}

/**
 * Unanswered, open prompts whose one reminder is due, for pairs still active and not paused. Driven
 * by the index of such prompts (on SQLite, "indexed by" and "cross join" keep the prompts as the
 * outer loop whatever the planner guesses), a page at a time.
 */
export async function dueReminders(db: Db, at: Date, after: ReminderCursor | null, limit: number): Promise<(ReminderCandidate & { remindAt: string })[]> {
  const from = after ?? { remindAt: '', promptId: 0 };
  const result = await sql<ReminderCandidate & { remindAt: string }>`
    select q.id as "promptId", q.pair_id as "pairId", q.kind as "kind", q.due_on as "dueOn", q.remind_at as "remindAt", c.end_date as "endDate",
           j.slack_user_id as "juniorUserId", s.slack_user_id as "seniorUserId", j.locale as "juniorLocale", s.locale as "seniorLocale"
    from checkin_prompt as q${indexedBy(db, 'checkin_prompt_reminder')}
    ${orderedJoin(db)} pair as p on p.id = q.pair_id
    ${orderedJoin(db)} followup as f on f.pair_id = q.pair_id
    ${orderedJoin(db)} contract as c on c.id = q.contract_id
    ${orderedJoin(db)} participant as j on j.id = p.junior_id
    ${orderedJoin(db)} participant as s on s.id = p.senior_id
    where q.answered_at is null and q.reminded_at is null and q.closed_at is null
      and q.remind_at <= ${at.toISOString()} and (q.remind_at, q.id) > (${from.remindAt}, ${from.promptId})
      and p.status = 'active' and f.paused_at is null
    order by q.remind_at, q.id
    limit ${limit}`.execute(db);
  return result.rows;
}

export async function markReminded(db: Db, promptId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('checkin_prompt')
    .set({ reminded_at: now.toISOString() })
    .where('id', '=', promptId)
    .where('reminded_at', 'is', null)
    .where('answered_at', 'is', null)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findPrompt(db: Db, promptId: number): Promise<PromptRow | undefined> {
  return db.selectFrom('checkin_prompt').selectAll().where('id', '=', promptId).executeTakeFirst();
}

export async function answersOf(db: Db, promptId: number): Promise<Selectable<PromptAnswerTable>[]> {
  return db.selectFrom('prompt_answer').selectAll().where('prompt_id', '=', promptId).orderBy('id').execute();
}

/** A partner's answer to a prompt; false when they had answered it already. */
export async function recordPromptAnswer(db: Db, promptId: number, participantId: number, answer: PromptAnswerKind, checkinId: number | null, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('prompt_answer')
    .values({ prompt_id: promptId, participant_id: participantId, answer, checkin_id: checkinId, answered_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['prompt_id', 'participant_id']).doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
  await db.updateTable('checkin_prompt').set({ answered_at: now.toISOString() }).where('id', '=', promptId).where('answered_at', 'is', null).execute();
  return true;
}

export interface NewCheckin {
  pairId: number;
  contractId: number;
  participantId: number;
  promptId: number | null;
  metOn: IsoDate;
  minutes: number;
  topics: string;
  progress: readonly Progress[];
  rating: number;
  flow: Flow;
  privateNote: string | null;
  /** The Slack form it came from: the same form twice is stored once. */
  viewId: string | null;
}

/** The new check-in's id; undefined when this form was stored already (a replay). */
export async function insertCheckin(db: Db, checkin: NewCheckin, now: Date): Promise<number | undefined> {
  const row = await db
    .insertInto('checkin')
    .values({
      pair_id: checkin.pairId,
      contract_id: checkin.contractId,
      participant_id: checkin.participantId,
      prompt_id: checkin.promptId,
      met_on: checkin.metOn,
      minutes: checkin.minutes,
      topics: checkin.topics,
      progress: JSON.stringify(checkin.progress),
      rating: checkin.rating,
      flow: checkin.flow,
      private_note: checkin.privateNote,
      view_id: checkin.viewId,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['participant_id', 'view_id']).where('view_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function checkinsOfPair(db: Db, pairId: number): Promise<CheckinRow[]> {
  return db.selectFrom('checkin').selectAll().where('pair_id', '=', pairId).orderBy('met_on').orderBy('id').execute();
}

export interface NewSurvey {
  pairId: number;
  contractId: number;
  participantId: number;
  reached: readonly Reached[];
  endLevels: readonly number[];
  satisfaction: number;
  learned: string;
  mayQuote: boolean;
}

/** False when this partner had answered the survey already. */
export async function insertSurvey(db: Db, survey: NewSurvey, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('closing_survey')
    .values({
      pair_id: survey.pairId,
      contract_id: survey.contractId,
      participant_id: survey.participantId,
      objectives_reached: JSON.stringify(survey.reached),
      end_levels: JSON.stringify(survey.endLevels),
      satisfaction: survey.satisfaction,
      learned: survey.learned,
      may_quote: survey.mayQuote ? 1 : 0,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['pair_id', 'participant_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function surveysOfPair(db: Db, pairId: number): Promise<SurveyRow[]> {
  return db.selectFrom('closing_survey').selectAll().where('pair_id', '=', pairId).orderBy('id').execute();
}

/** The closing prompt of a pair, once sent. */
export async function closingPrompt(db: Db, pairId: number): Promise<PromptRow | undefined> {
  return db.selectFrom('checkin_prompt').selectAll().where('pair_id', '=', pairId).where('kind', '=', 'closing').orderBy('id', 'desc').executeTakeFirst();
}

/**
 * Active pairs whose closing survey (for the contract in force) went out before `sentBefore` and
 * is still open: the pass completes them. Driven by the index of open closing prompts.
 */
export async function pairsPastClosing(db: Db, sentBefore: Date, limit: number): Promise<number[]> {
  const result = await sql<{ pairId: number }>`
    select q.pair_id as "pairId"
    from checkin_prompt as q${indexedBy(db, 'checkin_prompt_closing')}
    ${orderedJoin(db)} pair as p on p.id = q.pair_id
    ${orderedJoin(db)} followup as f on f.pair_id = q.pair_id
    where q.kind = 'closing' and q.closed_at is null and q.sent_at <= ${sentBefore.toISOString()}
      and p.status = 'active' and f.contract_id = q.contract_id and f.next_due_on is null
    order by q.sent_at, q.id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => r.pairId);
}

/** The pair's prompts stop waiting: no reminder and no completion will come from them. */
export async function closePrompts(db: Db, pairId: number, now: Date, kind?: PromptKind): Promise<void> {
  await db
    .updateTable('checkin_prompt')
    .set({ closed_at: now.toISOString() })
    .where('pair_id', '=', pairId)
    .where('closed_at', 'is', null)
    .$if(kind !== undefined, (q) => q.where('kind', '=', kind as PromptKind))
    .execute();
}

export async function setPause(db: Db, pairId: number, pause: { by: number; zone: string; until: IsoDate | null } | null, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const query = db
    .updateTable('followup')
    .set(
      pause
        ? { paused_at: at, paused_until: pause.until, paused_by: pause.by, paused_zone: pause.zone, updated_at: at }
        : { paused_at: null, paused_until: null, paused_by: null, paused_zone: null, updated_at: at },
    )
    .where('pair_id', '=', pairId);
  const result = await (pause ? query : query.where('paused_at', 'is not', null)).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface PauseCursor {
  pausedUntil: IsoDate;
  pairId: number;
}

/**
 * Active pairs paused until `date` at the latest (the latest date anywhere right now), a page at a
 * time along their index; the caller reads each date in the pauser's zone.
 */
export async function pausesEnding(db: Db, date: IsoDate, after: PauseCursor | null, limit: number): Promise<FollowupRow[]> {
  const from = after ?? { pausedUntil: '', pairId: 0 };
  const result = await sql<FollowupRow>`
    select f.* from followup as f${indexedBy(db, 'followup_paused')}
    ${orderedJoin(db)} pair as p on p.id = f.pair_id
    where f.paused_at is not null and f.paused_until is not null and f.paused_until <= ${date}
      and (f.paused_until, f.pair_id) > (${from.pausedUntil}, ${from.pairId})
      and p.status = 'active'
    order by f.paused_until, f.pair_id
    limit ${limit}`.execute(db);
  return result.rows;
}
