/**
 * Slack's pace, shared by every process on the database (several instances, `tandem jobs run`):
 * each lane is free again at `next_at`, and a process takes a lane with a compare-and-set update.
 * Instants are real time (the processes' clocks, kept in step by NTP), as ISO-8601 text.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface SlackPaceTable {
  lane: string;
  next_at: string;
}

/** The lane of a post to a channel (or to the people of a DM still to open): the outbox's `channel_hint`. */
export const POST_LANE_PREFIX = 'post:';
/** The lane of a Slack method that answered 429: free again when its Retry-After ends. */
export const PAUSE_LANE_PREFIX = 'pause:';

export const postLane = (channelHint: string): string => `${POST_LANE_PREFIX}${channelHint}`;
export const pauseLane = (method: string): string => `${PAUSE_LANE_PREFIX}${method}`;

/**
 * Takes `lane` until `now + intervalMs` if it is free at `now`: 0 when taken, else how many ms
 * until it frees up (the caller waits, then asks again: another process may take it first).
 */
export async function takePaceLane(db: Kysely<Database>, lane: string, intervalMs: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + intervalMs).toISOString();
  for (;;) {
    // The usual case, a lane used before and free now, is one statement.
    const taken = await db.updateTable('slack_pace').set({ next_at: until }).where('lane', '=', lane).where('next_at', '<=', at).executeTakeFirst();
    if (taken.numUpdatedRows > 0n) return 0;
    const row = await db.selectFrom('slack_pace').select('next_at').where('lane', '=', lane).executeTakeFirst();
    if (row) {
      const wait = Date.parse(row.next_at) - now.getTime();
      // Freed between the two statements: try the update again.
      if (wait > 0) return wait;
      continue;
    }
    const inserted = await db.insertInto('slack_pace').values({ lane, next_at: until }).onConflict((oc) => oc.column('lane').doNothing()).executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return 0;
    // Another process created the lane at the same moment: it holds it now.
  }
}

/** Holds `lane` until at least `until` (a 429's Retry-After), whoever holds it. */
export async function holdPaceLane(db: Kysely<Database>, lane: string, until: Date): Promise<void> {
  const at = until.toISOString();
  await db
    .insertInto('slack_pace')
    .values({ lane, next_at: at })
    .onConflict((oc) => oc.column('lane').doUpdateSet({ next_at: at }).where('slack_pace.next_at', '<', at))
    .execute();
}

/** When each of these lanes that is held at `now` frees up. */
export async function heldPaceLanes(db: Kysely<Database>, lanes: readonly string[], now: Date): Promise<Map<string, Date>> {
  if (lanes.length === 0) return new Map();
  const rows = await db
    .selectFrom('slack_pace')
    .select(['lane', 'next_at'])
    .where('lane', 'in', [...lanes])
    .where('next_at', '>', now.toISOString())
    .execute();
  return new Map(rows.map((r) => [r.lane, new Date(r.next_at)]));
}

/** The next moment a held lane whose name starts with one of `prefixes` frees up, if any is held. */
export async function nextPaceChange(db: Kysely<Database>, prefixes: readonly string[], now: Date): Promise<Date | undefined> {
  const row = await db
    .selectFrom('slack_pace')
    .select((eb) => eb.fn.min('next_at').as('at'))
    .where('next_at', '>', now.toISOString())
    .where((eb) => eb.or(prefixes.map((p) => eb('lane', 'like', `${p}%`))))
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : undefined;
}

/** Forgets lanes free since before `before`: one row per channel ever posted to would only grow. */
export async function pruneSlackPace(db: Kysely<Database>, before: Date): Promise<void> {
  await db.deleteFrom('slack_pace').where('next_at', '<', before.toISOString()).execute();
}
