import { randomUUID } from 'node:crypto';
import { afterCommit } from '../store/engine.js';
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/database.js';
import { heldPaceLanes, holdPaceLane, nextPaceChange, PAUSE_LANE_PREFIX, pauseLane, POST_LANE_PREFIX, postLane, pruneSlackPace, takePaceLane } from '../store/pace.js';
import {
  claimOutboxEntry,
  countPendingOutbox,
  type Delivered,
  findDelivered,
  findOutboxParent,
  insertOutboxEntry,
  insertOutboxEntries,
  knownConversation,
  markOutboxDead,
  markOutboxSent,
  markOutboxSuperseded,
  hasNewerUpdate,
  nextOutboxWake,
  type NewOutboxEntry,
  type OutboxKind,
  type OutboxRow,
  rescheduleOutboxEntry,
} from '../store/outbox.js';
import type { Message } from './blocks.js';
import { countOf } from '../i18n/index.js';
import { failureLog } from '../logger.js';

/** What the outbox sends. Channels and targets are resolved at delivery, not when queued. */
export type OutboxRequest =
  | { kind: 'post'; channel: string; message: Message }
  /** Opens the group DM of these people (and the bot) when it is delivered, then posts there. */
  | { kind: 'post'; users: string[]; message: Message }
  | { kind: 'update'; channel: string; ts: string; message: Message }
  /** Edits the message that the row queued under `afterKey` posted; waits until that row is sent. */
  | { kind: 'update'; afterKey: string; message: Message }
  | { kind: 'ephemeral'; channel: string; user: string; message: Message };

/** Time for the outbox: Slack's rate limits and the leases are in real time, whatever instant a job runs "as of". */
export interface OutboxClock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface OutboxPacing {
  /** Between two chat.postMessage to one channel: Slack allows about one a second per channel. */
  channelIntervalMs: number;
  /**
   * Between any two calls of this process: a cap for the workspace-wide limits. The per-method
   * tiers (chat.update, conversations.open…) allow bursts; past them Slack answers 429, honoured.
   */
  workspaceIntervalMs: number;
}

export interface OutboxRetryPolicy {
  /** First delay after a 5xx or a timeout; it doubles with each failure, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A message is given up only once it failed this many times and was queued at least giveUpAfterMs ago. */
  maxAttempts: number;
  giveUpAfterMs: number;
}

export interface OutboxOptions {
  db: Kysely<Database>;
  token: string;
  /** The main client's options (URL, logger); the outbox overrides retries, 429 handling and the timeout. */
  clientOptions: WebClientOptions;
  logger: Logger;
  clock?: OutboxClock;
  pacing?: Partial<OutboxPacing>;
  retry?: Partial<OutboxRetryPolicy>;
  /** A call that takes longer is abandoned and retried (Slack may have got it: it may then show twice). */
  requestTimeoutMs?: number;
  /** How long a row stays reserved to the process delivering it; must outlast a delivery (two calls). */
  leaseMs?: number;
  /** How often the running loop looks for rows that other processes queued. */
  pollMs?: number;
  /** Called when a message is given up, so that someone hears of it (the facilitators). */
  onDead?: (row: OutboxRow, error: string) => Promise<void>;
  /**
   * Called once when delivery stops on an error that waiting does not heal (a revoked token, a
   * missing scope, the facilitators' channel gone): `scope` says whether every message waits or
   * only those to the facilitators' channel.
   */
  onHalt?: (error: string, scope: HaltScope) => void;
  /** Posts there failing with channel_not_found hold back that channel's messages, not one message. */
  facilitatorChannelId?: string;
}

export type HaltScope = 'all' | 'facilitator-channel';

export interface DrainResult {
  /** Sent by this drain. */
  sent: number;
  /** Given up by this drain. */
  dead: number;
  /** Still queued when it returned: refused for now, waiting on something, or held by another process. */
  pending: number;
}

const DEFAULT_PACING: OutboxPacing = { channelIntervalMs: 1000, workspaceIntervalMs: 50 };
const DEFAULT_RETRY: OutboxRetryPolicy = { baseDelayMs: 1000, maxDelayMs: 5 * 60_000, maxAttempts: 10, giveUpAfterMs: 24 * 60 * 60_000 };
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_POLL_MS = 5_000;
/** When a due row could not be taken for no reason this process knows (another process just took it). */
const RECHECK_MS = 50;
/** A Retry-After of 0 would make a busy loop of 429s. */
const MIN_RATE_LIMIT_PAUSE_MS = 1000;

/** Slack errors that no retry will cure: the message is dead at once. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'user_not_in_channel',
  'cannot_dm_bot',
  'too_many_users',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
]);

/**
 * Slack errors about the installation itself: every message would fail the same way, so delivery
 * stops (the messages stay queued) and is tried again a day later, or at the next start.
 */
export const HALTING_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission', 'team_access_not_granted', 'app_uninstalled']);

/** How long delivery waits after a halting error before trying again. */
export const HALT_MS = 24 * 60 * 60_000;

/** The methods whose 429 holds back every row of a kind (a post may have to open its DM first). */
const KIND_METHODS: Record<OutboxKind, readonly string[]> = {
  post: ['chat.postMessage', 'conversations.open'],
  update: ['chat.update'],
  ephemeral: ['chat.postEphemeral'],
};

const messageSchema = z.object({
  text: z.string(),
  blocks: z.array(z.custom<KnownBlock>((b) => typeof b === 'object' && b !== null && !Array.isArray(b))).optional(),
});

const WORKSPACE_LANE = 'workspace';
const PAUSABLE_LANES = [...new Set(Object.values(KIND_METHODS).flat())].map(pauseLane);
/** Lanes free for longer than this are forgotten (a lane is never held longer than a Retry-After). */
const PACE_PRUNE_MS = 60 * 60_000;

const requestSchema: z.ZodType<OutboxRequest> = z.union([
  z.object({ kind: z.literal('post'), channel: z.string().min(1), message: messageSchema }),
  // conversations.open takes at most 8 people besides the bot.
  z.object({ kind: z.literal('post'), users: z.array(z.string().min(1)).min(2).max(8), message: messageSchema }),
  z.object({ kind: z.literal('update'), channel: z.string().min(1), ts: z.string().min(1), message: messageSchema }),
  z.object({ kind: z.literal('update'), afterKey: z.string().min(1), message: messageSchema }),
  z.object({ kind: z.literal('ephemeral'), channel: z.string().min(1), user: z.string().min(1), message: messageSchema }),
]);

const systemClock: OutboxClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Slack said "later" for this method: every row that needs it waits until `until`. */
class RateLimited extends Error {
  constructor(
    readonly method: string,
    readonly until: number,
  ) {
    super(`ratelimited (${method})`);
  }
}

/** A failure that no retry will cure. */
class Refused extends Error {}

type Outcome =
  | { kind: 'sent'; delivered: Delivered }
  | { kind: 'rate_limited'; method: string; until: number }
  | { kind: 'failed'; error: string; permanent: boolean };

interface Tally {
  sent: number;
  dead: number;
}

/**
 * Slack's pace for the whole fleet, held in the database (src/store/pace.ts): one post per lane
 * (channel) per interval, one call in the workspace per interval, and methods paused by a 429's
 * Retry-After, whichever process makes the calls.
 */
class Pacer {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly pacing: OutboxPacing,
    private readonly clock: OutboxClock,
  ) {}

  async pausedKinds(now: number): Promise<OutboxKind[]> {
    const held = await heldPaceLanes(this.db, PAUSABLE_LANES, new Date(now));
    return (Object.keys(KIND_METHODS) as OutboxKind[]).filter((kind) => KIND_METHODS[kind].some((m) => held.has(pauseLane(m))));
  }

  async pauseEnd(method: string, now: number): Promise<number | undefined> {
    const held = await heldPaceLanes(this.db, [pauseLane(method)], new Date(now));
    return held.get(pauseLane(method))?.getTime();
  }

  pause(method: string, until: number): Promise<void> {
    return holdPaceLane(this.db, pauseLane(method), new Date(until));
  }

  /** Waits until this process holds `lane` (a post's channel), then the workspace's turn. */
  async take(lane: string | undefined): Promise<void> {
    if (lane !== undefined) await this.takeLane(postLane(lane), this.pacing.channelIntervalMs);
    await this.takeLane(WORKSPACE_LANE, this.pacing.workspaceIntervalMs);
  }

  /** The next moment a lane or a method frees up, if one is held now. */
  async nextChange(now: number): Promise<number | undefined> {
    return (await nextPaceChange(this.db, [POST_LANE_PREFIX, PAUSE_LANE_PREFIX], new Date(now)))?.getTime();
  }

  private async takeLane(lane: string, intervalMs: number): Promise<void> {
    if (intervalMs <= 0) return;
    for (;;) {
      const wait = await takePaceLane(this.db, lane, intervalMs, new Date(this.clock.now()));
      if (wait === 0) return;
      await this.clock.sleep(wait);
    }
  }
}

/**
 * Delivers every message the bot sends on its own initiative. Callers `enqueue` a message with an
 * idempotency key in the same transaction as the change that calls for it; the bot's loop
 * (`start`) or `tandem jobs run` (`drain`) then sends it at Slack's pace, retrying what Slack
 * refuses for now. Rows are leased while they are sent, so several processes can share one database.
 */
export class Outbox {
  private readonly db: Kysely<Database>;
  private readonly slack: WebClient;
  private readonly logger: Logger;
  private readonly queueErrors: ReturnType<typeof failureLog>;
  private readonly clock: OutboxClock;
  private readonly pacer: Pacer;
  private readonly retry: OutboxRetryPolicy;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly onDead: OutboxOptions['onDead'];
  private readonly onHalt: OutboxOptions['onHalt'];
  private readonly facilitatorChannelId: string | undefined;
  /** Delivery stopped, for every row, until this instant (a halting error, or Slack's lifecycle). */
  private halt: { reason: string; until: number } | undefined;
  /** The facilitators' channel is gone until this instant: reported once, not at each of its messages. */
  private facilitatorChannelHaltUntil = 0;
  private readonly owner = `${hostname()}/${process.pid}/${randomUUID()}`;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private nudged = false;
  private wake = new AbortController();

  constructor(options: OutboxOptions) {
    const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.db = options.db;
    this.logger = options.logger;
    this.queueErrors = failureLog(options.logger, 'error', 'The outbox could not read or update its queue');
    this.clock = options.clock ?? systemClock;
    this.pacer = new Pacer(this.db, { ...DEFAULT_PACING, ...options.pacing }, this.clock);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.leaseMs = options.leaseMs ?? 2 * timeout + 30_000;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.onDead = options.onDead;
    this.onHalt = options.onHalt;
    this.facilitatorChannelId = options.facilitatorChannelId;
    // The outbox owns retries and backoff: its client neither retries nor waits out a 429 itself.
    this.slack = new WebClient(options.token, {
      ...options.clientOptions,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout,
    });
  }

  /**
   * Queues a message under an idempotency key; false when that key was queued before (nothing is
   * added). Pass the transaction of the change that calls for the message: if it rolls back, the
   * message was never queued.
   */
  async enqueue(db: Kysely<Database>, key: string, request: OutboxRequest): Promise<boolean> {
    const queued = await insertOutboxEntry(db, this.entry(key, request), new Date(this.clock.now()));
    if (queued) await afterCommit(db, () => this.nudge());
    return queued;
  }

  /**
   * enqueue for many messages at once (the scheduled pass queues a page in one statement); returns
   * how many were new. The caller calls `queued()` once its transaction committed.
   */
  async enqueueMany(db: Kysely<Database>, messages: readonly { key: string; request: OutboxRequest }[]): Promise<number> {
    return insertOutboxEntries(db, messages.map((m) => this.entry(m.key, m.request)), new Date(this.clock.now()));
  }

  /** Wakes delivery after enqueueMany's transaction committed. */
  queued(): void {
    this.nudge();
  }

  private entry(key: string, request: OutboxRequest): NewOutboxEntry {
    const valid = requestSchema.parse(request);
    return { key, kind: valid.kind, request: JSON.stringify(valid), channelHint: laneOf(valid), afterKey: 'afterKey' in valid ? valid.afterKey : null };
  }

  /**
   * Stops sending until `until` (ms since the epoch; Infinity: until the next start), keeping every
   * queued message: Slack uninstalled the app or revoked its token.
   */
  suspend(reason: string, until = Number.POSITIVE_INFINITY): void {
    this.halt = { reason, until };
  }

  /** Why delivery is stopped, if it is. */
  suspended(): string | undefined {
    return this.halted() ? this.halt?.reason : undefined;
  }

  private halted(): boolean {
    if (this.halt && this.halt.until <= this.clock.now()) this.halt = undefined;
    return this.halt !== undefined;
  }

  /** Where the message queued under `key` landed, once sent. */
  delivered(key: string): Promise<Delivered | undefined> {
    return findDelivered(this.db, key);
  }

  /** Starts delivering in the background: at once when something is queued here, else every pollMs. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops after the message being sent, if any; what is still queued waits for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Delivers everything that can go before `deadline`, waiting out pacing, 429s and backoff, then
   * returns. What Slack refuses beyond the deadline stays queued for the running bot.
   */
  async drain({ deadline }: { deadline: Date }): Promise<DrainResult> {
    const end = deadline.getTime();
    const tally: Tally = { sent: 0, dead: 0 };
    while (this.clock.now() < end) {
      await this.deliverDue(tally, () => this.clock.now() >= end);
      const wake = await this.nextWake();
      if (wake === undefined || wake >= end) break;
      await this.clock.sleep(wake - this.clock.now());
    }
    return { ...tally, pending: await countPendingOutbox(this.db) };
  }

  private async run(): Promise<void> {
    const tally: Tally = { sent: 0, dead: 0 };
    let prunedAt = 0;
    while (!this.stopping) {
      this.nudged = false;
      let wake: number | undefined;
      try {
        await this.deliverDue(tally, () => this.stopping);
        wake = await this.nextWake();
        if (this.clock.now() - prunedAt >= PACE_PRUNE_MS) {
          prunedAt = this.clock.now();
          await pruneSlackPace(this.db, new Date(prunedAt - PACE_PRUNE_MS));
        }
        this.queueErrors.succeeded();
      } catch (error) {
        this.queueErrors.failed(error);
      }
      const now = this.clock.now();
      await this.idle(Math.min(wake ?? Number.POSITIVE_INFINITY, now + this.pollMs) - now);
    }
  }

  /** Wakes the loop: a message was just queued. */
  private nudge(): void {
    this.nudged = true;
    this.wake.abort();
  }

  private async idle(ms: number): Promise<void> {
    if (this.nudged || this.stopping || ms <= 0) return;
    this.wake = new AbortController();
    await this.clock.sleep(ms, this.wake.signal);
  }

  /** Sends one due row after another until none can go right now. */
  private async deliverDue(tally: Tally, shouldStop: () => boolean): Promise<void> {
    while (!shouldStop() && !this.halted()) {
      const row = await this.claim();
      if (!row) return;
      await this.deliver(row, tally);
    }
  }

  private async claim(): Promise<OutboxRow | undefined> {
    const now = this.clock.now();
    return claimOutboxEntry(this.db, {
      owner: this.owner,
      now: new Date(now),
      leaseUntil: new Date(now + this.leaseMs),
      postLanePrefix: POST_LANE_PREFIX,
      skipKinds: await this.pacer.pausedKinds(now),
    });
  }

  /** When something may next go: a row falling due, a lease running out, a lane or a method freeing up. */
  private async nextWake(): Promise<number | undefined> {
    const due = await nextOutboxWake(this.db);
    if (due === undefined) return undefined;
    if (this.halted()) return this.halt?.until;
    const now = this.clock.now();
    if (due.getTime() > now) return due.getTime();
    // Due already but not taken: held back by the fleet's pacing, or just taken by another process.
    return (await this.pacer.nextChange(now)) ?? now + RECHECK_MS;
  }

  private async deliver(row: OutboxRow, tally: Tally): Promise<void> {
    // Updates render the whole current state: when a newer one waits, this one need not be sent
    // (fifty approvals in a row make one edit of their message, not fifty).
    if (row.kind === 'update' && (await hasNewerUpdate(this.db, row))) {
      await markOutboxSuperseded(this.db, row.id, new Date(this.clock.now()));
      return;
    }
    const outcome = await this.attempt(row);
    const now = new Date(this.clock.now());
    switch (outcome.kind) {
      case 'sent':
        await markOutboxSent(this.db, row.id, outcome.delivered, now);
        tally.sent += 1;
        return;
      case 'rate_limited':
        // The row keeps its place in the queue, so messages to a channel still go in order; the
        // pause of the method holds it back meanwhile.
        this.logger.info(`Slack rate-limits ${outcome.method}: ${row.key} waits until ${new Date(outcome.until).toISOString()}`);
        await rescheduleOutboxEntry(this.db, row.id, this.owner, { at: new Date(row.next_attempt_at), error: `ratelimited (${outcome.method})`, countAttempt: false });
        return;
      case 'failed':
        if (await this.haltOn(row, outcome.error, now)) return;
        await this.recordFailure(row, outcome.error, outcome.permanent, now, tally);
    }
  }

  /**
   * An error that waiting does not heal stops delivery instead of using up this message's tries:
   * the message keeps its place, and the stop is reported once.
   */
  private async haltOn(row: OutboxRow, error: string, now: Date): Promise<boolean> {
    const until = now.getTime() + HALT_MS;
    if (HALTING_ERRORS.has(error)) {
      const first = !this.halted();
      this.suspend(error, until);
      await rescheduleOutboxEntry(this.db, row.id, this.owner, { at: new Date(row.next_attempt_at), error, countAttempt: false });
      if (first) this.reportHalt(error, 'all');
      return true;
    }
    if (error === 'channel_not_found' && this.facilitatorChannelId !== undefined && row.channel_hint === this.facilitatorChannelId) {
      const first = this.facilitatorChannelHaltUntil <= now.getTime();
      this.facilitatorChannelHaltUntil = until;
      // Held for the fleet: the lane of that channel, in the database, every process skips.
      await holdPaceLane(this.db, postLane(this.facilitatorChannelId), new Date(until));
      await rescheduleOutboxEntry(this.db, row.id, this.owner, { at: new Date(until), error, countAttempt: false });
      if (first) this.reportHalt(error, 'facilitator-channel');
      return true;
    }
    return false;
  }

  private reportHalt(error: string, scope: HaltScope): void {
    this.logger.error(
      scope === 'all'
        ? `Slack refuses the bot's token (${error}): delivery stops for a day and every message stays queued. Run "npx tandem doctor" for the fix.`
        : `The facilitators' channel was not found (${error}): its messages stay queued for a day. Run "npx tandem doctor" for the fix.`,
    );
    this.onHalt?.(error, scope);
  }

  private async recordFailure(row: OutboxRow, error: string, permanent: boolean, now: Date, tally: Tally): Promise<void> {
    const attempts = row.attempts + 1;
    const retryAt = permanent ? undefined : nextRetry(this.retry, attempts, new Date(row.created_at), now);
    if (retryAt === undefined) {
      this.logger.error(`Gave up sending ${row.key} after ${countOf(attempts, 'attempt', 'attempts')}: ${error}`);
      await markOutboxDead(this.db, row.id, error);
      tally.dead += 1;
      await this.onDead?.(row, error).catch((failure) => this.logger.error(`Could not report the loss of ${row.key}`, failure));
      return;
    }
    this.logger.warn(`Could not send ${row.key} (attempt ${attempts}): ${error}; next try at ${retryAt.toISOString()}`);
    await rescheduleOutboxEntry(this.db, row.id, this.owner, { at: retryAt, error, countAttempt: true });
  }

  private async attempt(row: OutboxRow): Promise<Outcome> {
    const request = parseRequest(row.request);
    if (!request) return { kind: 'failed', error: 'unreadable request', permanent: true };
    try {
      return { kind: 'sent', delivered: await this.send(request, row.channel_hint) };
    } catch (error) {
      return outcomeOf(error);
    }
  }

  private send(request: OutboxRequest, lane: string): Promise<Delivered> {
    switch (request.kind) {
      case 'post':
        return this.post(request, lane);
      case 'update':
        return this.update(request);
      case 'ephemeral':
        return this.ephemeral(request);
    }
  }

  private async post(request: Extract<OutboxRequest, { kind: 'post' }>, lane: string): Promise<Delivered> {
    const channel = 'users' in request ? ((await knownConversation(this.db, lane)) ?? (await this.openConversation(request.users))) : request.channel;
    const res = await this.call('chat.postMessage', lane, () => this.slack.chat.postMessage({ channel, ...request.message }));
    return { channel: res.channel ?? channel, ts: res.ts ?? '' };
  }

  private async update(request: Extract<OutboxRequest, { kind: 'update' }>): Promise<Delivered> {
    const target = 'afterKey' in request ? await this.postedBy(request.afterKey) : request;
    await this.call('chat.update', undefined, () => this.slack.chat.update({ channel: target.channel, ts: target.ts, ...request.message }));
    return { channel: target.channel, ts: target.ts };
  }

  private async ephemeral(request: Extract<OutboxRequest, { kind: 'ephemeral' }>): Promise<Delivered> {
    const { channel, user, message } = request;
    const res = await this.call('chat.postEphemeral', undefined, () => this.slack.chat.postEphemeral({ channel, user, ...message }));
    return { channel, ts: res.message_ts ?? '' };
  }

  /** The DM or group DM of these people; Slack returns the same one each time, so a retry is harmless. */
  private async openConversation(users: string[]): Promise<string> {
    const res = await this.call('conversations.open', undefined, () => this.slack.conversations.open({ users: users.join(',') }));
    if (!res.channel?.id) throw new Error('conversations.open returned no channel');
    return res.channel.id;
  }

  /** The message an update edits; rows are only taken once their parent is no longer pending. */
  private async postedBy(key: string): Promise<Delivered> {
    const parent = await findOutboxParent(this.db, key);
    if (parent?.status !== 'sent' || parent.result_channel === null || parent.result_ts === null) {
      throw new Refused(`the message it updates (${key}) was not sent: ${parent?.last_error ?? parent?.status ?? 'missing'}`);
    }
    return { channel: parent.result_channel, ts: parent.result_ts };
  }

  /** One Slack call, paced (on `lane` too for a post); a 429 pauses its method for every process. */
  private async call<T>(method: string, lane: string | undefined, send: () => Promise<T>): Promise<T> {
    const pausedUntil = await this.pacer.pauseEnd(method, this.clock.now());
    if (pausedUntil !== undefined) throw new RateLimited(method, pausedUntil);
    await this.pacer.take(lane);
    try {
      return await send();
    } catch (error) {
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs === undefined) throw error;
      const until = this.clock.now() + Math.max(retryAfterMs, MIN_RATE_LIMIT_PAUSE_MS);
      await this.pacer.pause(method, until);
      throw new RateLimited(method, until);
    }
  }
}

/** A stored request, or undefined when it cannot be read (it would never go: the row is given up). */
function parseRequest(json: string): OutboxRequest | undefined {
  try {
    const parsed = requestSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Where a request lands, as far as is known when it is queued: the pacing lane of a post. */
function laneOf(request: OutboxRequest): string {
  if ('users' in request) return `users:${[...request.users].sort().join(',')}`;
  if ('afterKey' in request) return `after:${request.afterKey}`;
  return request.channel;
}

/** Retry-After in ms when Slack rate-limited the call (a 429, or the rarer `ratelimited` error in a 200). */
function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof WebAPIRateLimitedError) return error.retryAfter * 1000;
  if (error instanceof WebAPIPlatformError && error.data.error === 'ratelimited') {
    return (error.data.response_metadata?.retryAfter ?? 1) * 1000;
  }
  return undefined;
}

function outcomeOf(error: unknown): Outcome {
  if (error instanceof RateLimited) return { kind: 'rate_limited', method: error.method, until: error.until };
  if (error instanceof Refused) return { kind: 'failed', error: error.message, permanent: true };
  if (error instanceof WebAPIPlatformError) return { kind: 'failed', error: error.data.error, permanent: PERMANENT_ERRORS.has(error.data.error) };
  if (error instanceof WebAPIHTTPError) return { kind: 'failed', error: `HTTP ${error.statusCode}`, permanent: false };
  if (error instanceof WebAPIRequestError) {
    const timedOut = error.original.name === 'TimeoutError' || error.original.name === 'AbortError';
    return { kind: 'failed', error: timedOut ? 'timeout' : error.original.message, permanent: false };
  }
  // Anything else (a token or network problem we cannot name) may pass: retried, then given up.
  return { kind: 'failed', error: error instanceof Error ? error.message : String(error), permanent: false };
}

/**
 * When to try again after the `attempts`-th failure: the delay doubles from baseDelayMs up to
 * maxDelayMs, half of it random so that messages that failed together do not all retry together.
 * Undefined once the message has failed maxAttempts times and waited giveUpAfterMs since it was queued.
 */
function nextRetry(policy: OutboxRetryPolicy, attempts: number, queuedAt: Date, now: Date): Date | undefined {
  const exhausted = attempts >= policy.maxAttempts && now.getTime() - queuedAt.getTime() >= policy.giveUpAfterMs;
  if (exhausted) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts - 1, 30));
  return new Date(now.getTime() + ceiling / 2 + (Math.random() * ceiling) / 2);
}
