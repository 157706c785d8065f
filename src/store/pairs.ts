import type { Kysely, Transaction } from 'kysely';
import type { Reason } from '../domain/matching/index.js';
import type { Answer, Database, PairRow, PairStatus, ParticipantStatus } from './database.js';
import { prepared } from './prepared.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface Pair {
  id: number;
  juniorId: number;
  seniorId: number;
  status: PairStatus;
  score: number;
  reasons: Reason[];
  runId: number | null;
  batch: number | null;
  proposedBy: string;
  decidedBy: string | null;
  juniorAnswer: Answer | null;
  seniorAnswer: Answer | null;
  introducedAt: string | null;
  endedAt: string | null;
  endReason: string | null;
}

/** A pair still under way: proposed, being introduced, accepted or active. */
export const OPEN_STATUSES: readonly PairStatus[] = ['proposed', 'introduced', 'accepted', 'active'];

function fromRow(row: PairRow): Pair {
  return {
    id: row.id,
    juniorId: row.junior_id,
    seniorId: row.senior_id,
    status: row.status,
    score: row.score,
    reasons: JSON.parse(row.reasons) as Reason[],
    runId: row.run_id,
    batch: row.batch,
    proposedBy: row.proposed_by,
    decidedBy: row.decided_by,
    juniorAnswer: row.junior_answer,
    seniorAnswer: row.senior_answer,
    introducedAt: row.introduced_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
  };
}

export async function findPair(db: Db, id: number): Promise<Pair | undefined> {
  const row = await db.selectFrom('pair').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

// Prepared: /tandem status and the Home tab look for it on every request.
const openPairRow = prepared((db, participantId: number) =>
  db
    .selectFrom('pair')
    .selectAll()
    .where((eb) => eb.or([eb('junior_id', '=', participantId), eb('senior_id', '=', participantId)]))
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('id', 'desc'),
);

export async function openPairOf(db: Db, participantId: number): Promise<Pair | undefined> {
  const [row] = await openPairRow(db, participantId);
  return row && fromRow(row);
}

/**
 * The open pair the participant may know of: a proposal waiting for a facilitator is not theirs to
 * see until it is approved (and a rejected one never is).
 */
export async function knownPairOf(db: Db, participantId: number): Promise<Pair | undefined> {
  const pair = await openPairOf(db, participantId);
  return pair && pair.status !== 'proposed' ? pair : undefined;
}

/** The participant's most recent completed pair, if any. */
export async function lastCompletedPairOf(db: Db, participantId: number): Promise<Pair | undefined> {
  const row = await db
    .selectFrom('pair')
    .selectAll()
    .where((eb) => eb.or([eb('junior_id', '=', participantId), eb('senior_id', '=', participantId)]))
    .where('status', '=', 'completed')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function pairsOfBatch(db: Db, runId: number, batch: number): Promise<Pair[]> {
  const rows = await db.selectFrom('pair').selectAll().where('run_id', '=', runId).where('batch', '=', batch).orderBy('id').execute();
  return rows.map(fromRow);
}

export async function pairsOfRun(db: Db, runId: number): Promise<Pair[]> {
  const rows = await db.selectFrom('pair').selectAll().where('run_id', '=', runId).orderBy('id').execute();
  return rows.map(fromRow);
}

/** Every junior–senior couple ever proposed (withdrawn proposals aside): never proposed again. */
export async function previousCouples(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('pair').select(['junior_id', 'senior_id']).where('status', '!=', 'withdrawn').execute();
  return new Set(rows.map((r) => `${r.junior_id}:${r.senior_id}`));
}

export interface NewProposal {
  juniorId: number;
  seniorId: number;
  score: number;
  reasons: Reason[];
  runId: number | null;
  batch: number | null;
  proposedBy: string;
}

export async function insertProposal(db: Db, proposal: NewProposal, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('pair')
    .values({
      junior_id: proposal.juniorId,
      senior_id: proposal.seniorId,
      status: 'proposed',
      score: proposal.score,
      reasons: JSON.stringify(proposal.reasons),
      run_id: proposal.runId,
      batch: proposal.batch,
      proposed_by: proposal.proposedBy,
      proposed_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type PairChange = Partial<{
  decided_by: string;
  decided_at: string;
  junior_answer: Answer;
  senior_answer: Answer;
  introduced_at: string;
  accepted_at: string;
  ended_at: string;
  ended_by: string;
  end_reason: string;
}>;

/**
 * Moves a pair from one of `from` to `to`; false when it was no longer in `from` (a double click,
 * a retry, or someone else acting first), in which case nothing changed.
 */
export async function movePair(db: Db, pairId: number, from: readonly PairStatus[], to: PairStatus, change: PairChange, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('pair')
    .set({ ...change, status: to, updated_at: now.toISOString() })
    .where('id', '=', pairId)
    .where('status', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records one partner's answer once; false when that partner had already answered or the pair moved on. */
export async function recordAnswer(db: Db, pairId: number, side: 'junior' | 'senior', answer: Answer, now: Date): Promise<boolean> {
  const column = side === 'junior' ? 'junior_answer' : 'senior_answer';
  const result = await db
    .updateTable('pair')
    .set({ [column]: answer, updated_at: now.toISOString() })
    .where('id', '=', pairId)
    .where('status', '=', 'introduced')
    .where(column, 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setParticipantsStatus(db: Db, ids: readonly number[], to: ParticipantStatus, from: readonly ParticipantStatus[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('participant')
    .set({ status: to, updated_at: now.toISOString() })
    .where('id', 'in', ids)
    .where('status', 'in', from)
    .execute();
}
