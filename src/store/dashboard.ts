import type { Kysely } from 'kysely';
import type { Role } from '../domain/profile.js';
import type { Database, PairStatus, ParticipantStatus } from './database.js';

/** How many rows of each state, every state present (zero when none). */
async function countBy<T extends string>(db: Kysely<Database>, table: 'participant' | 'pair', states: readonly T[]): Promise<Record<T, number>> {
  const rows = await db.selectFrom(table).select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  const counts = Object.fromEntries(states.map((s) => [s, 0])) as Record<T, number>;
  for (const row of rows) if ((states as readonly string[]).includes(row.status)) counts[row.status as T] = Number(row.count);
  return counts;
}

export const PARTICIPANT_STATES: readonly ParticipantStatus[] = ['enrolled', 'matched', 'paired', 'paused', 'completed', 'left'];
export const PAIR_STATES: readonly PairStatus[] = ['proposed', 'introduced', 'accepted', 'active', 'completed', 'ended', 'rejected', 'declined', 'withdrawn'];

export const participantCounts = (db: Kysely<Database>) => countBy(db, 'participant', PARTICIPANT_STATES);
export const pairCounts = (db: Kysely<Database>) => countBy(db, 'pair', PAIR_STATES);

export interface WaitingPerson {
  userId: string;
  role: Role;
  department: string;
}

/** One page of the people waiting for a partner, the longest enrolled first (by id, as matching reads them). */
export async function waitingPage(db: Kysely<Database>, offset: number, limit: number): Promise<WaitingPerson[]> {
  const rows = await db
    .selectFrom('participant')
    .select(['slack_user_id', 'role', 'department'])
    .where('status', '=', 'enrolled')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ userId: r.slack_user_id, role: r.role, department: r.department }));
}

export interface LastRun {
  startedAt: string;
  proposals: number;
  unmatched: number;
}

export async function lastMatchingRun(db: Kysely<Database>): Promise<LastRun | undefined> {
  const row = await db.selectFrom('matching_run').select(['started_at', 'proposals', 'unmatched']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row && { startedAt: row.started_at, proposals: row.proposals, unmatched: row.unmatched };
}
