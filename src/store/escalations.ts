import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { typed } from './engine.js';
import { z } from 'zod';
import type { EscalationReason, ReasonKind } from '../domain/escalation.js';
import { TIME_RULE_KINDS } from '../domain/stall.js';
import type { IsoDate } from '../domain/time.js';
import type { Database, PairStatus } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

export type EscalationStatus = 'open' | 'resolved';
export type EscalationOutcome = 'resolved' | 'pair_ended';

export interface EscalationTable {
  id: Generated<number>;
  pair_id: number | null;
  participant_id: number | null;
  status: EscalationStatus;
  opened_at: string;
  assignee_user_id: string | null;
  assigned_at: string | null;
  reraised_at: string | null;
  nudged_on: string | null;
  nudged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  outcome: EscalationOutcome | null;
  resolution: string | null;
  version: Generated<number>;
  updated_at: string;
}

export interface EscalationReasonTable {
  id: Generated<number>;
  escalation_id: number;
  subject: string;
  key: string;
  kind: ReasonKind;
  facts: string;
  raised_by: number | null;
  note: string | null;
  detected_at: string;
}

export interface StallCheckTable {
  pair_id: number;
  next_check_at: string | null;
  checked_at: string | null;
}

export type EscalationRow = Selectable<EscalationTable>;

/** What an escalation is about: a pair, or a person who raised a concern outside any pair. */
export type Subject = { kind: 'pair'; pairId: number } | { kind: 'person'; participantId: number };

const subjectKey = (subject: Subject): string => (subject.kind === 'pair' ? `pair:${subject.pairId}` : `participant:${subject.participantId}`);

export const subjectOf = (row: Pick<EscalationRow, 'pair_id' | 'participant_id'>): Subject =>
  row.pair_id !== null ? { kind: 'pair', pairId: row.pair_id } : { kind: 'person', participantId: row.participant_id as number };

export async function findEscalation(db: Db, id: number): Promise<EscalationRow | undefined> {
  return db.selectFrom('escalation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenEscalation(db: Db, subject: Subject): Promise<EscalationRow | undefined> {
  const query = db.selectFrom('escalation').selectAll().where('status', '=', 'open');
  return (subject.kind === 'pair' ? query.where('pair_id', '=', subject.pairId) : query.where('participant_id', '=', subject.participantId)).executeTakeFirst();
}

export async function insertEscalation(db: Db, subject: Subject, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('escalation')
    .values({
      pair_id: subject.kind === 'pair' ? subject.pairId : null,
      participant_id: subject.kind === 'person' ? subject.participantId : null,
      status: 'open',
      opened_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Opens an escalation for each of these pairs, in one statement: their ids by pair. */
export async function insertPairEscalations(db: Db, pairIds: readonly number[], now: Date): Promise<Map<number, number>> {
  if (pairIds.length === 0) return new Map();
  const at = now.toISOString();
  const rows = await db
    .insertInto('escalation')
    .values(pairIds.map((pairId) => ({ pair_id: pairId, participant_id: null, status: 'open' as const, opened_at: at, updated_at: at })))
    .returning(['id', 'pair_id'])
    .execute();
  return new Map(rows.map((row) => [row.pair_id as number, row.id]));
}

/** Removes escalations (opened in this transaction, left without a reason). */
export async function deleteEscalations(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('escalation').where('id', 'in', [...ids]).execute();
}

/** The open escalation of each of these pairs that has one. */
export async function openPairEscalations(db: Db, pairIds: readonly number[]): Promise<Map<number, EscalationRow>> {
  if (pairIds.length === 0) return new Map();
  const rows = await db.selectFrom('escalation').selectAll().where('status', '=', 'open').where('pair_id', 'in', [...pairIds]).execute();
  return new Map(rows.map((row) => [row.pair_id as number, row]));
}

export async function escalationsByIds(db: Db, ids: readonly number[]): Promise<EscalationRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('escalation').selectAll().where('id', 'in', [...ids]).orderBy('id').execute();
}

export type EscalationChange = Partial<
  Pick<EscalationTable, 'assignee_user_id' | 'assigned_at' | 'reraised_at' | 'nudged_on' | 'nudged_by' | 'status' | 'resolved_at' | 'resolved_by' | 'outcome' | 'resolution'>
>;

export interface Guard {
  /** The assignee it must still have (null: nobody), for a take-over that must not overwrite a newer one. */
  assignee?: string | null;
  /** Only if nobody raised it again yet. */
  notReraised?: boolean;
  /** Only if not nudged on that date yet. */
  notNudgedOn?: string;
}

/**
 * Applies a change to an open escalation and increments its version, in one guarded statement;
 * undefined when it is no longer open (or the guard no longer holds): nothing changed.
 */
export async function changeOpenEscalation(db: Db, id: number, change: EscalationChange, now: Date, guard: Guard = {}): Promise<EscalationRow | undefined> {
  let query = db
    .updateTable('escalation')
    .set((eb) => ({ ...change, version: eb('version', '+', 1), updated_at: now.toISOString() }))
    .where('id', '=', id)
    .where('status', '=', 'open');
  if (guard.assignee !== undefined) query = guard.assignee === null ? query.where('assignee_user_id', 'is', null) : query.where('assignee_user_id', '=', guard.assignee);
  if (guard.notReraised) query = query.where('reraised_at', 'is', null);
  if (guard.notNudgedOn !== undefined) query = query.where((eb) => eb.or([eb('nudged_on', 'is', null), eb('nudged_on', '!=', guard.notNudgedOn as string)]));
  return query.returningAll().executeTakeFirst();
}

/** The keys among `keys` already raised for this subject, in any escalation, open or resolved. */
export async function raisedKeys(db: Db, subject: Subject, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('escalation_reason').select('key').where('subject', '=', subjectKey(subject)).where('key', 'in', [...keys]).execute();
  return new Set(rows.map((r) => r.key));
}

/** The keys already raised for each of these subjects, as `subject key` → keys. */
export async function raisedKeysOf(db: Db, subjects: readonly Subject[], keys: readonly string[]): Promise<Map<string, Set<string>>> {
  const bySubject = new Map<string, Set<string>>();
  if (subjects.length === 0 || keys.length === 0) return bySubject;
  const rows = await db
    .selectFrom('escalation_reason')
    .select(['subject', 'key'])
    .where('subject', 'in', subjects.map(subjectKey))
    .where('key', 'in', [...new Set(keys)])
    .execute();
  for (const row of rows) bySubject.set(row.subject, (bySubject.get(row.subject) ?? new Set()).add(row.key));
  return bySubject;
}

export interface NewReason {
  reason: EscalationReason;
  /** The participant who confided it (help, concern, rating, note). */
  raisedBy: number | null;
  note: string | null;
}

/**
 * Adds reasons in one statement, each once per subject; returns those added (a key raised before,
 * by another process meanwhile, is left out), as escalation id → keys.
 */
export async function insertReasons(db: Db, reasons: readonly { escalationId: number; subject: Subject; reason: NewReason }[], now: Date): Promise<Map<number, Set<string>>> {
  const added = new Map<number, Set<string>>();
  if (reasons.length === 0) return added;
  const at = now.toISOString();
  const rows = await db
    .insertInto('escalation_reason')
    .values(
      reasons.map(({ escalationId, subject, reason }) => ({
        escalation_id: escalationId,
        subject: subjectKey(subject),
        key: reason.reason.key,
        kind: reason.reason.kind,
        facts: JSON.stringify(reason.reason.facts),
        raised_by: reason.raisedBy,
        note: reason.note,
        detected_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['subject', 'key']).doNothing())
    .returning(['escalation_id', 'key'])
    .execute();
  for (const row of rows) added.set(row.escalation_id, (added.get(row.escalation_id) ?? new Set()).add(row.key));
  return added;
}

/** Adds a reason once per subject; false when that key was raised before (nothing added). */
export async function insertReason(db: Db, escalationId: number, subject: Subject, reason: NewReason, now: Date): Promise<boolean> {
  return (await insertReasons(db, [{ escalationId, subject, reason }], now)).has(escalationId);
}

export interface StoredReason {
  id: number;
  reason: EscalationReason;
  raisedBy: number | null;
  /** The Slack id of who confided it, when known. */
  raisedByUserId: string | null;
  note: string | null;
  detectedAt: string;
}

const instant = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not an instant' });
    return z.NEVER;
  }
  return date;
});
const overdue = { days: z.number(), thresholdDays: z.number(), resolvedAt: instant.optional() };
const cadence = z.enum(['weekly', 'biweekly', 'triweekly', 'monthly']);
const FACTS: Record<ReasonKind, z.ZodType> = {
  help_requested: z.object({ requestedBy: z.string(), requestedAt: instant, checkinOf: z.string() }),
  concern: z.object({ raisedBy: z.string(), raisedAt: instant }),
  low_rating: z.object({ meetingId: z.string(), date: z.string(), rating: z.number(), threshold: z.number(), ratedBy: z.string() }),
  private_note: z.object({ checkinId: z.string(), writtenBy: z.string(), date: z.string() }),
  // Reasons raised before the count started at the first check-in have neither `askedAt` nor `since`.
  no_first_meeting: z.object({ ...overdue, signedAt: instant, askedAt: instant.optional(), since: z.string().optional() }),
  no_meeting: z.object({ ...overdue, since: z.string(), cadence, cadenceDays: z.number() }),
  unanswered_prompts: z.object({ count: z.number(), firstSentAt: instant, lastSentAt: instant, resolvedAt: instant.optional() }),
  contract_unsigned: z.object({ ...overdue, acceptedAt: instant }),
  introduction_unanswered: z.object({ ...overdue, introducedAt: instant, waitingFor: z.array(z.string()) }),
};

/** A stored reason as the rules made it (instants revived); undefined for a row it cannot read. */
function reviveReason(kind: string, key: string, facts: string): EscalationReason | undefined {
  const schema = FACTS[kind as ReasonKind];
  if (!schema) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(facts));
    return parsed.success ? ({ kind, key, facts: parsed.data } as EscalationReason) : undefined;
  } catch {
    return undefined;
  }
}

export async function reasonsOf(db: Db, escalationIds: readonly number[]): Promise<Map<number, StoredReason[]>> {
  const byEscalation = new Map<number, StoredReason[]>();
  if (escalationIds.length === 0) return byEscalation;
  const rows = await db
    .selectFrom('escalation_reason as r')
    .leftJoin('participant as p', 'p.id', 'r.raised_by')
    .select(['r.id', 'r.escalation_id', 'r.key', 'r.kind', 'r.facts', 'r.raised_by', 'r.note', 'r.detected_at', 'p.slack_user_id'])
    .where('r.escalation_id', 'in', [...escalationIds])
    .orderBy('r.id')
    .execute();
  for (const row of rows) {
    const reason = reviveReason(row.kind, row.key, row.facts);
    if (!reason) continue;
    const list = byEscalation.get(row.escalation_id) ?? [];
    list.push({ id: row.id, reason, raisedBy: row.raised_by, raisedByUserId: row.slack_user_id, note: row.note, detectedAt: row.detected_at });
    byEscalation.set(row.escalation_id, list);
  }
  return byEscalation;
}

/** Open escalations, oldest first. */
export async function openEscalations(db: Db, limit: number): Promise<EscalationRow[]> {
  return db.selectFrom('escalation').selectAll().where('status', '=', 'open').orderBy('opened_at').orderBy('id').limit(limit).execute();
}

export async function countOpenEscalations(db: Db): Promise<number> {
  const row = await db.selectFrom('escalation').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open escalations nobody took nor raised again, opened before `openedBefore`: the re-raise candidates. */
export async function unhandledEscalations(db: Db, openedBefore: Date, afterId: number, limit: number): Promise<EscalationRow[]> {
  return db
    .selectFrom('escalation')
    .selectAll()
    .where('status', '=', 'open')
    // A pair ended another way (leave, unpair, forget) needs nobody any more: not raised again.
    .where((eb) => eb.or([eb('pair_id', 'is', null), eb.exists(eb.selectFrom('pair').select('pair.id').whereRef('pair.id', '=', 'escalation.pair_id').where('pair.status', 'in', ['introduced', 'accepted', 'active']))]))
    .where('opened_at', '<=', openedBefore.toISOString())
    .where('assignee_user_id', 'is', null)
    .where('reraised_at', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** What an escalation's message says of its pair. */
export interface PairSubject {
  pairId: number;
  juniorId: number;
  seniorId: number;
  juniorUserId: string;
  seniorUserId: string;
  status: PairStatus;
  introducedAt: string | null;
  acceptedAt: string | null;
  signedAt: string | null;
  lastMeetingOn: IsoDate | null;
}

/** What escalations' messages say of these pairs, in one statement (each lookup by its index). */
export async function pairSubjects(db: Db, pairIds: readonly number[]): Promise<PairSubject[]> {
  if (pairIds.length === 0) return [];
  const rows = await db
    .selectFrom('pair as p')
    .select((eb) => [
      'p.id as pairId',
      'p.junior_id as juniorId',
      'p.senior_id as seniorId',
      'p.status as status',
      'p.introduced_at as introducedAt',
      'p.accepted_at as acceptedAt',
      eb.selectFrom('participant as j').select('j.slack_user_id').whereRef('j.id', '=', 'p.junior_id').as('juniorUserId'),
      eb.selectFrom('participant as s').select('s.slack_user_id').whereRef('s.id', '=', 'p.senior_id').as('seniorUserId'),
      eb.selectFrom('contract as c').select((c) => c.fn.min('c.in_force_at').as('m')).whereRef('c.pair_id', '=', 'p.id').as('signedAt'),
      eb.selectFrom('checkin as k').select((k) => k.fn.max('k.met_on').as('m')).whereRef('k.pair_id', '=', 'p.id').as('lastMeetingOn'),
    ])
    .where('p.id', 'in', [...pairIds])
    .execute();
  return rows.flatMap((row) =>
    row.juniorUserId === null || row.seniorUserId === null
      ? []
      : [{ ...row, juniorUserId: row.juniorUserId, seniorUserId: row.seniorUserId, signedAt: (row.signedAt as string | null) ?? null, lastMeetingOn: (row.lastMeetingOn as IsoDate | null) ?? null }],
  );
}

export interface AuditEntry {
  id: number;
  at: string;
  actorUserId: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

function auditFrom(row: Selectable<Database['audit_log']>): AuditEntry {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.details);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
  } catch {
    // An unreadable entry still shows who did what and when.
  }
  return { id: row.id, at: row.at, actorUserId: row.actor_user_id, action: row.action, subject: row.subject, details };
}

/** The audit entries about these subjects (e.g. `escalation:3`, `pair:7`), oldest first, the latest `limit` (all without one). */
export async function auditOf(db: Db, subjects: readonly string[], limit?: number): Promise<AuditEntry[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject', 'in', [...subjects])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .$if(limit !== undefined, (q) => q.limit(limit as number))
    .execute();
  return rows.reverse().map(auditFrom);
}

/** The latest audit entries about escalations, newest first. */
export async function recentEscalationAudit(db: Db, limit: number): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('subject', 'like', 'escalation:%').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(auditFrom);
}

// ---- The stall checks of the scheduled pass ----

/** Pair statuses the stall rules look at, or will soon (a proposal becomes an introduction). */
const WATCHED = ['proposed', 'introduced', 'accepted', 'active'] as const;

/**
 * Gives every pair created since the last pass a stall check due now. Pairs only get higher ids,
 * so reading those above the highest already known reads nothing else.
 */
export async function watchNewPairs(db: Db, at: Date): Promise<void> {
  // One statement (every pass runs it): the highest pair known, read by the index, bounds the read of pairs.
  await sql`insert into stall_check (pair_id, next_check_at)
            select id, ${at.toISOString()} from pair
            where id > (select coalesce(max(pair_id), 0) from stall_check) and status in (${sql.join([...WATCHED])})
            on conflict (pair_id) do nothing`.execute(db);
}

export interface DueCheck {
  pairId: number;
  nextCheckAt: string;
  status: Database['pair']['status'];
  timeZone: string;
}

/** Stall checks due at `at`, in (due time, pair) order after the given position, with the pair's zone. */
export async function dueStallChecks(db: Db, at: Date, after: { at: string; pairId: number }, limit: number): Promise<DueCheck[]> {
  return db
    .selectFrom('stall_check as s')
    .innerJoin('pair as p', 'p.id', 's.pair_id')
    .innerJoin('participant as j', 'j.id', 'p.junior_id')
    .select(['s.pair_id as pairId', 's.next_check_at as nextCheckAt', 'p.status as status', 'j.time_zone as timeZone'])
    .where('s.next_check_at', 'is not', null)
    .where('s.next_check_at', '<=', at.toISOString())
    .where(sql<boolean>`(s.next_check_at, s.pair_id) > (${after.at}, ${after.pairId})`)
    .orderBy('s.next_check_at')
    .orderBy('s.pair_id')
    .limit(limit)
    .execute() as Promise<DueCheck[]>;
}

export interface StallClaim {
  pairId: number;
  /** The due time read with the page: the claim holds only if nobody moved it since. */
  expected: string;
  /** The next check, or null once the pair is closed (never again). */
  next: Date | null;
}

/**
 * Takes a page of due checks for this pass in one statement, moving each to its next time only if
 * nobody moved it since it was read; returns the pairs taken (another pass took the others).
 */
export async function claimStallChecks(db: Db, claims: readonly StallClaim[], at: Date): Promise<Set<number>> {
  if (claims.length === 0) return new Set();
  const values = sql.join(claims.map((c) => sql`(${typed(c.pairId, 'integer')}, ${typed(c.expected, 'text')}, ${typed(c.next?.toISOString() ?? null, 'text')})`));
  const result = await sql<{ pair_id: number }>`
    with claim (pair_id, expected, next) as (values ${values})
    update stall_check set next_check_at = claim.next, checked_at = ${at.toISOString()}
    from claim
    where stall_check.pair_id = claim.pair_id and stall_check.next_check_at = claim.expected
    returning stall_check.pair_id`.execute(db);
  return new Set(result.rows.map((row) => row.pair_id));
}

/** What the stall rules need of a pair, read for many pairs at once. */
export interface PairFactsRow {
  pairId: number;
  status: Database['pair']['status'];
  introducedAt: string | null;
  acceptedAt: string | null;
  juniorAnswer: string | null;
  seniorAnswer: string | null;
  juniorUserId: string;
  seniorUserId: string;
  timeZone: string;
  signedAt: string | null;
  cadence: 'weekly' | 'biweekly' | 'triweekly' | 'monthly' | null;
  paused: boolean;
  resumedAt: string | null;
  lastMeetingOn: string | null;
  /** When the pair's first check-in prompt was sent. */
  firstPromptAt: string | null;
  /** The start date of the contract in force. */
  startDate: string | null;
}

/** The latest resolution of a pair's escalation that held a reason of this kind. */
export interface ResolutionRow {
  pairId: number;
  kind: ReasonKind;
  resolvedAt: string;
}

export interface PromptFactsRow {
  id: number;
  pairId: number;
  sentAt: string;
  answeredAt: string | null;
  remindedAt: string | null;
}

/**
 * The facts of these pairs in a few set queries: each uses an index by pair (the latest session, the
 * first signature, the prompts since the last one answered), so a page costs the same in a small
 * programme and in a large one.
 */
export async function pairFacts(db: Db, pairIds: readonly number[]): Promise<{ pairs: PairFactsRow[]; prompts: PromptFactsRow[]; resolutions: ResolutionRow[] }> {
  if (pairIds.length === 0) return { pairs: [], prompts: [], resolutions: [] };
  const ids = [...pairIds];
  const pairs = await db
    .selectFrom('pair as p')
    .innerJoin('participant as j', 'j.id', 'p.junior_id')
    .innerJoin('participant as s', 's.id', 'p.senior_id')
    .leftJoin('followup as f', 'f.pair_id', 'p.id')
    .select((eb) => [
      'p.id as pairId',
      'p.status as status',
      'p.introduced_at as introducedAt',
      'p.accepted_at as acceptedAt',
      'p.junior_answer as juniorAnswer',
      'p.senior_answer as seniorAnswer',
      'j.slack_user_id as juniorUserId',
      's.slack_user_id as seniorUserId',
      'j.time_zone as timeZone',
      eb.selectFrom('contract as c').select((c) => c.fn.min('c.in_force_at').as('m')).whereRef('c.pair_id', '=', 'p.id').as('signedAt'),
      eb.selectFrom('contract as c').select('c.cadence').whereRef('c.pair_id', '=', 'p.id').where('c.status', '=', 'in_force').limit(1).as('cadence'),
      // An active pair pauses its follow-up; a pair not signed yet pauses its two partners.
      sql<number>`f.paused_at is not null or (p.status = 'accepted' and (j.status = 'paused' or s.status = 'paused'))`.as('paused'),
      sql<string | null>`case when p.status = 'accepted' then (case when coalesce(j.resumed_at, '') > coalesce(s.resumed_at, '') then j.resumed_at else s.resumed_at end) else f.resumed_at end`.as('resumedAt'),
      eb.selectFrom('checkin as k').select((k) => k.fn.max('k.met_on').as('m')).whereRef('k.pair_id', '=', 'p.id').as('lastMeetingOn'),
      eb.selectFrom('checkin_prompt as q').select((q) => q.fn.min('q.sent_at').as('m')).whereRef('q.pair_id', '=', 'p.id').where('q.kind', '=', 'checkin').as('firstPromptAt'),
      eb.selectFrom('contract as c').select('c.start_date').whereRef('c.pair_id', '=', 'p.id').where('c.status', '=', 'in_force').limit(1).as('startDate'),
    ])
    .where('p.id', 'in', ids)
    .execute();
  // The prompts since each pair's last answered one (that one included): the run the rules count.
  const prompts = await db
    .with('last_answered', (qb) =>
      qb
        .selectFrom('checkin_prompt')
        .select((eb) => ['pair_id', eb.fn.max('id').as('id')])
        .where('pair_id', 'in', ids)
        .where('kind', '=', 'checkin')
        .where('answered_at', 'is not', null)
        .groupBy('pair_id'),
    )
    .selectFrom('checkin_prompt as q')
    .leftJoin('last_answered as l', 'l.pair_id', 'q.pair_id')
    .select(['q.id as id', 'q.pair_id as pairId', 'q.sent_at as sentAt', 'q.answered_at as answeredAt', 'q.reminded_at as remindedAt'])
    .where('q.pair_id', 'in', ids)
    .where('q.kind', '=', 'checkin')
    .where((eb) => eb('q.id', '>=', eb.fn.coalesce('l.id', sql<number>`0`)))
    .orderBy('q.pair_id')
    .orderBy('q.id')
    .execute();
  // Resolutions restart the time rules' clocks (a stall that goes on is a new episode).
  const resolutions = await db
    .selectFrom('escalation as e')
    .innerJoin('escalation_reason as r', 'r.escalation_id', 'e.id')
    .select((eb) => ['e.pair_id as pairId', 'r.kind as kind', eb.fn.max('e.resolved_at').as('resolvedAt')])
    .where('e.pair_id', 'in', ids)
    .where('e.status', '=', 'resolved')
    .where('e.outcome', '=', 'resolved')
    .where('r.kind', 'in', [...TIME_RULE_KINDS])
    .groupBy(['e.pair_id', 'r.kind'])
    .execute();
  return {
    pairs: pairs.map((row) => ({
      ...row,
      paused: Boolean(row.paused),
      signedAt: (row.signedAt as string | null) ?? null,
      lastMeetingOn: (row.lastMeetingOn as string | null) ?? null,
      firstPromptAt: (row.firstPromptAt as string | null) ?? null,
      startDate: row.startDate ?? null,
    })) as PairFactsRow[],
    prompts,
    resolutions: resolutions.filter((row): row is ResolutionRow => row.pairId !== null && row.resolvedAt !== null) as ResolutionRow[],
  };
}
