/**
 * The pause of people outside an active pair: someone waiting for a partner, or the two partners
 * of a pair that accepted but has not signed its contract yet. Their status is `paused` meanwhile
 * (matching leaves them out, the unsigned-contract rule waits), with the pause's last day if dated.
 */
import type { Kysely, Transaction } from 'kysely';
import type { IsoDate } from '../domain/time.js';
import type { Database, ParticipantStatus } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Pauses these people (those still in `from`); false when none was. */
export async function pausePeople(db: Db, ids: readonly number[], from: readonly ParticipantStatus[], until: IsoDate | null, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('participant')
    .set({ status: 'paused', paused_until: until, updated_at: now.toISOString() })
    .where('id', 'in', [...ids])
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends the pause of these people (those still paused), back to `to`; false when none was paused. */
export async function resumePeople(db: Db, ids: readonly number[], to: ParticipantStatus, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('participant')
    .set({ status: to, paused_until: null, resumed_at: at, updated_at: at })
    .where('id', 'in', [...ids])
    .where('status', '=', 'paused')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface EndingPause {
  id: number;
  pausedUntil: IsoDate;
  timeZone: string;
}

/** Dated pauses of people whose last day is on or before `untilDate`, a page at a time. */
export async function personPausesEnding(db: Db, untilDate: IsoDate, afterId: number, limit: number): Promise<EndingPause[]> {
  const rows = await db
    .selectFrom('participant')
    .select(['id', 'paused_until', 'time_zone'])
    .where('status', '=', 'paused')
    .where('paused_until', 'is not', null)
    .where('paused_until', '<=', untilDate)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, pausedUntil: row.paused_until as IsoDate, timeZone: row.time_zone }));
}

/** The last day of this person's dated pause, if paused until a date. */
export async function pausedUntilOf(db: Db, participantId: number): Promise<IsoDate | null> {
  const row = await db.selectFrom('participant').select('paused_until').where('id', '=', participantId).executeTakeFirst();
  return (row?.paused_until as IsoDate | null | undefined) ?? null;
}
