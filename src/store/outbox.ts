import { type ExpressionBuilder, type Generated, type Kysely, type Selectable, sql } from 'kysely';
import { claimingRows, greatest } from './engine.js';
import type { Database } from './database.js';

export type OutboxStatus = 'pending' | 'sent' | 'dead';
export type OutboxKind = 'post' | 'update' | 'ephemeral';

export interface OutboxTable {
  id: Generated<number>;
  /** Idempotency key: a second enqueue with the same key is ignored. */
  key: string;
  kind: OutboxKind;
  /** The request as JSON (see OutboxRequest in src/slack/outbox.ts). */
  request: string;
  /** Pacing lane of a post: the channel it goes to, or the people of a DM still to open. */
  channel_hint: string;
  /** For an update of a message another row posts: that row's key. */
  after_key: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  result_channel: string | null;
  result_ts: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** For a message given up: the key of the summary that told the facilitators of it (see 012b). */
  lost_notice: string | null;
}

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxEntry {
  key: string;
  kind: OutboxKind;
  request: string;
  channelHint: string;
  afterKey: string | null;
}

export interface Delivered {
  channel: string;
  ts: string;
}

type CandidateBuilder = ExpressionBuilder<Database & { candidate: Database['outbox'] }, 'candidate'>;

/** Queues a message; false when a message with this key was already queued (or sent). */
export async function insertOutboxEntry(db: Kysely<Database>, entry: NewOutboxEntry, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('outbox')
    .values({
      key: entry.key,
      kind: entry.kind,
      request: entry.request,
      channel_hint: entry.channelHint,
      after_key: entry.afterKey,
      next_attempt_at: at,
      created_at: at,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Queues many messages in one statement (the scheduled pass writes a page of them at a time, inside
 * its own transaction); returns how many were new (the others' keys were queued before).
 */
export async function insertOutboxEntries(db: Kysely<Database>, entries: readonly NewOutboxEntry[], now: Date): Promise<number> {
  if (entries.length === 0) return 0;
  const at = now.toISOString();
  const result = await db
    .insertInto('outbox')
    .values(
      entries.map((entry) => ({
        key: entry.key,
        kind: entry.kind,
        request: entry.request,
        channel_hint: entry.channelHint,
        after_key: entry.afterKey,
        next_attempt_at: at,
        created_at: at,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * A row may go once nothing it depends on is pending: an update of another row's message waits
 * until that row is sent (or dead, which the update then reports), and until the updates of the
 * same message queued before it went, so that a retried older state never overwrites a newer one.
 * A missing parent keeps it waiting.
 */
function isReady(eb: CandidateBuilder) {
  return eb.or([
    // A post waits for the earlier posts of its lane, so a retried one keeps its place (a summary stays first).
    eb.and([
      eb('candidate.after_key', 'is', null),
      eb.or([
        eb('candidate.kind', '!=', 'post'),
        eb.not(
          eb.exists(
            eb
              .selectFrom('outbox as earlier')
              .select('earlier.id')
              .where('earlier.kind', '=', 'post')
              .whereRef('earlier.channel_hint', '=', 'candidate.channel_hint')
              .whereRef('earlier.id', '<', 'candidate.id')
              .where('earlier.status', '=', 'pending'),
          ),
        ),
      ]),
    ]),
    eb.and([
      eb.exists(
        eb
          .selectFrom('outbox as parent')
          .select('parent.id')
          .whereRef('parent.key', '=', 'candidate.after_key')
          .where('parent.status', '!=', 'pending'),
      ),
      eb.not(
        eb.exists(
          eb
            .selectFrom('outbox as earlier')
            .select('earlier.id')
            .whereRef('earlier.after_key', '=', 'candidate.after_key')
            .whereRef('earlier.id', '<', 'candidate.id')
            .where('earlier.status', '=', 'pending'),
        ),
      ),
    ]),
  ]);
}

export interface Claim {
  owner: string;
  now: Date;
  leaseUntil: Date;
  /**
   * The prefix of a post's lane in slack_pace (then its channel_hint): posts to a lane held there
   * (by any process) wait, so that other channels are not held up.
   */
  postLanePrefix: string;
  /** Kinds whose Slack method is paused by a 429. */
  skipKinds: readonly OutboxKind[];
}

/**
 * Takes the next due row and leases it, in one statement: SQLite takes the write lock before it
 * reads, and PostgreSQL locks the row it picks, skipping those another process is taking, so two
 * processes never lease the same row.
 */
export async function claimOutboxEntry(db: Kysely<Database>, claim: Claim): Promise<OutboxRow | undefined> {
  const now = claim.now.toISOString();
  return db
    .updateTable('outbox')
    .set({ lease_owner: claim.owner, lease_until: claim.leaseUntil.toISOString() })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('outbox as candidate')
        .select('candidate.id')
        .where('candidate.status', '=', 'pending')
        .where('candidate.next_attempt_at', '<=', now)
        .where((c) => c.or([c('candidate.lease_until', 'is', null), c('candidate.lease_until', '<=', now)]))
        .where(isReady)
        .where((c) =>
          c.not(
            c.and([
              c('candidate.kind', '=', 'post'),
              c.exists(
                c
                  .selectFrom('slack_pace')
                  .select('slack_pace.lane')
                  .where('slack_pace.lane', '=', sql<string>`${sql.lit(claim.postLanePrefix)} || ${c.ref('candidate.channel_hint')}`)
                  .where('slack_pace.next_at', '>', now),
              ),
            ]),
          ),
        )
        .$if(claim.skipKinds.length > 0, (q) => q.where('candidate.kind', 'not in', [...claim.skipKinds]))
        .orderBy('candidate.next_attempt_at')
        .orderBy('candidate.id')
        .limit(1)
        .$call(claimingRows(db)),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * When the next pending row that can go (now or later) falls due, counting leases other processes
 * hold; undefined when nothing pending can ever go without something new happening.
 */
export async function nextOutboxWake(db: Kysely<Database>): Promise<Date | undefined> {
  const row = await db
    .selectFrom('outbox as candidate')
    .select(sql<string | null>`min(${greatest(db, sql.ref('candidate.next_attempt_at'), sql`coalesce(candidate.lease_until, '')`)})`.as('at'))
    .where('candidate.status', '=', 'pending')
    .where(isReady)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : undefined;
}

export async function countPendingOutbox(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markOutboxSent(db: Kysely<Database>, id: number, result: Delivered, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      status: 'sent',
      attempts: eb('attempts', '+', 1),
      result_channel: result.channel,
      result_ts: result.ts,
      sent_at: now.toISOString(),
      last_error: null,
      lease_owner: null,
      lease_until: null,
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export interface Reschedule {
  at: Date;
  error: string;
  /** False for a 429: Slack said "later", the message did not fail. */
  countAttempt: boolean;
}

/** Puts the row back in the queue for `at`, letting go of the lease. */
export async function rescheduleOutboxEntry(db: Kysely<Database>, id: number, owner: string, next: Reschedule): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({
      attempts: next.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
      next_attempt_at: next.at.toISOString(),
      last_error: next.error,
      lease_owner: null,
      lease_until: null,
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .execute();
}

export async function markOutboxDead(db: Kysely<Database>, id: number, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'dead', attempts: eb('attempts', '+', 1), last_error: error, lease_owner: null, lease_until: null }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export type OutboxParent = Pick<OutboxRow, 'status' | 'result_channel' | 'result_ts' | 'last_error'>;

export async function findOutboxParent(db: Kysely<Database>, key: string): Promise<OutboxParent | undefined> {
  return db.selectFrom('outbox').select(['status', 'result_channel', 'result_ts', 'last_error']).where('key', '=', key).executeTakeFirst();
}

/** Where the message queued under `key` landed, once it is sent. */
export async function findDelivered(db: Kysely<Database>, key: string): Promise<Delivered | undefined> {
  const row = await findOutboxParent(db, key);
  if (row?.status !== 'sent' || row.result_channel === null || row.result_ts === null) return undefined;
  return { channel: row.result_channel, ts: row.result_ts };
}

/**
 * The conversation an earlier post to the same people landed in: a group DM's id never changes,
 * so it need not be opened again (conversations.open has a far lower rate limit than posting).
 */
export async function knownConversation(db: Kysely<Database>, lane: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('outbox')
    .select('result_channel')
    .where('channel_hint', '=', lane)
    .where('status', '=', 'sent')
    .where('kind', '=', 'post')
    .where('result_channel', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.result_channel ?? undefined;
}

/** True when a later update of the same message is queued: this one's state is already out of date. */
export async function hasNewerUpdate(db: Kysely<Database>, row: OutboxRow): Promise<boolean> {
  if (row.after_key === null) return false;
  const newer = await db
    .selectFrom('outbox')
    .select('id')
    .where('after_key', '=', row.after_key)
    .where('id', '>', row.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return newer !== undefined;
}

/** Closes an update that a newer one replaces, without calling Slack. */
export async function markOutboxSuperseded(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now.toISOString(), last_error: 'superseded by a newer update', lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}
