/**
 * Keeps each person's Home tab up to date. A change that concerns someone marks their tab stale in
 * the database, in the transaction of the change (so `tandem jobs run`, in another process, marks
 * it too, and a restart forgets nothing); the bot's loop then publishes the stale tabs in the
 * background, at Slack's pace: never in the way of the request that made the change.
 *
 * - Only people who opened the tab at least once have one to keep up to date.
 * - The changes of one request make one publish (debounced), and a person's tab waits while it is
 *   being published; a facilitator's dashboard, which moves with every change in the programme,
 *   is published at most every `dashboardIntervalMs`.
 * - views.publish is a tier 4 method (about 100 calls a minute): the loop paces its calls, waits out
 *   a 429, retries other failures with a growing delay, and gives up on a tab Slack will not take
 *   (the next change or opening tries again).
 * - Several instances on one database share that pace and a 429's pause (src/store/pace.ts), and
 *   one instance at a time publishes a given tab (a lease on its row), so an older state never
 *   lands after a newer one.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { afterCommit } from '../../store/engine.js';
import { failureLog } from '../../logger.js';
import type { HomeView } from '@slack/types';
import { WebAPIPlatformError, WebAPIRateLimitedError, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import {
  dueHomeTabs,
  giveUpHome,
  type HomeAudience,
  type HomeTabRow,
  markHomeFailed,
  markHomePublished,
  markHomesChanged,
  nextHomeDue,
  recordHomeOpened,
  releaseHomeTab,
  takeHomeTab,
} from '../../store/home.js';
import { heldPaceLanes, holdPaceLane, pauseLane, takePaceLane } from '../../store/pace.js';
import { countOf } from '../../i18n/index.js';

export interface HomeRefreshTiming {
  /** After a change, this long before publishing, so that the changes of one request make one publish. */
  debounceMs: number;
  /** A facilitator's dashboard is published again at most this often. */
  dashboardIntervalMs: number;
  /** Between two publishes of the loop: Slack's tier 4 allows about 100 calls a minute. */
  paceMs: number;
  /** How often the loop looks for tabs that another process marked stale. */
  pollMs: number;
  /** First delay after a failure; it doubles with each failure up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A tab that failed this many times in a row is left until the next change or opening. */
  maxAttempts: number;
}

export const DEFAULT_HOME_TIMING: HomeRefreshTiming = {
  debounceMs: 500,
  dashboardIntervalMs: 30_000,
  paceMs: 600,
  pollMs: 5_000,
  retryBaseMs: 5_000,
  retryMaxMs: 10 * 60_000,
  maxAttempts: 8,
};

/** Renders one person's tab as of now, on this page of the dashboard's lists; says whether it holds the dashboard. */
export type HomeRenderer = (userId: string, page: number) => Promise<{ view: HomeView; dashboard: boolean }>;

export interface HomeRefreshOptions {
  db: Kysely<Database>;
  token: string;
  clientOptions: WebClientOptions;
  logger: Logger;
  timing?: Partial<HomeRefreshTiming>;
}

/** Slack errors about this tab that no retry cures. */
const PERMANENT_ERRORS = new Set(['user_not_found', 'account_inactive', 'user_disabled', 'invalid_arguments', 'invalid_blocks', 'not_enabled', 'cannot_dm_bot']);
const BATCH = 50;
const RECHECK_MS = 100;
/** The fleet's turn between two publishes of the loops, and the pause after a 429. */
const PUBLISH_LANE = 'views.publish';
const PAUSE_LANE = pauseLane('views.publish');
/** How long a tab stays reserved to the process publishing it: longer than a render and a call. */
const LEASE_MS = 30_000;
/** A click waits this long for another process to finish publishing the same tab. */
const CLICK_WAIT_MS = 3_000;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class HomeRefresh {
  private readonly db: Kysely<Database>;
  private readonly slack: WebClient;
  private readonly logger: Logger;
  private readonly queueErrors: ReturnType<typeof failureLog>;
  private readonly timing: HomeRefreshTiming;
  private render: HomeRenderer | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private nudged = false;
  private wake = new AbortController();
  /** The publish under way for each person: a second one waits for it, so the newest state lands last. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Set by a 429 (here or in another process): no publish before then. */
  private pausedUntil = 0;
  private readonly owner = randomUUID();

  constructor(options: HomeRefreshOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.queueErrors = failureLog(options.logger, 'warn', 'The Home tab refresh could not read its queue');
    this.timing = { ...DEFAULT_HOME_TIMING, ...options.timing };
    // Its own client: no retry and no waiting inside a call; the loop decides when to try again.
    this.slack = new WebClient(options.token, { ...options.clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  }

  /** How a tab is drawn; the home feature sets it when it registers. */
  renderWith(render: HomeRenderer): void {
    this.render = render;
  }

  /**
   * The one call a feature makes when it changes someone's state: pass the transaction of the change.
   * Marks these people's tabs stale, and every dashboard unless `who.dashboards` is false; the loop publishes them shortly.
   */
  async changed(db: Kysely<Database>, who: HomeAudience): Promise<void> {
    await markHomesChanged(db, who);
    await afterCommit(db, () => this.nudge());
  }

  /** The person opened the tab: remembered, and published now with what is true now. */
  async opened(userId: string, isFacilitator: boolean): Promise<void> {
    await recordHomeOpened(this.db, userId, isFacilitator, new Date());
    await this.publishNow(userId);
  }

  /**
   * Publishes this person's tab now (after a click on it); a failure is retried by the loop. When
   * another process is publishing it, waits for that publish a moment, else leaves the tab stale
   * for whoever holds it.
   */
  async publishNow(userId: string): Promise<void> {
    await this.publish(userId, 'click');
  }

  start(): void {
    if (this.loop || !this.render) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await this.loop;
    this.loop = undefined;
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private nudge(): void {
    this.nudged = true;
    this.wake.abort();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.nudged = false;
      let wait = this.timing.pollMs;
      try {
        await this.publishDue();
        wait = await this.untilNext();
        this.queueErrors.succeeded();
      } catch (error) {
        this.queueErrors.failed(error);
      }
      if (!this.nudged && !this.stopping) {
        this.wake = new AbortController();
        await sleep(wait, this.wake.signal);
      }
      // A change was just made: a moment more lets the rest of its request land in the same publish.
      if (this.nudged && !this.stopping) await sleep(this.timing.debounceMs);
    }
  }

  /** How long the loop may sleep: until the next tab falls due, the end of a 429's pause, or the next poll. */
  private async untilNext(): Promise<number> {
    const next = await nextHomeDue(this.db);
    const now = Date.now();
    let wake = now + this.timing.pollMs;
    if (next !== undefined) wake = Math.min(wake, next === null ? now : Date.parse(next));
    wake = Math.max(wake, this.pausedUntil);
    // A tab due now but not taken is being published by a click: look again in a moment, not in a spin.
    return Math.max(wake - now, Math.min(RECHECK_MS, this.timing.pollMs));
  }

  private async publishDue(): Promise<void> {
    while (!this.stopping) {
      if (await this.paused()) return;
      const rows = (await dueHomeTabs(this.db, new Date(), BATCH)).filter((row) => !this.inFlight.has(row.slack_user_id));
      if (rows.length === 0) return;
      for (const row of rows) {
        if (this.stopping || (await this.paused())) return;
        await this.publish(row.slack_user_id, 'loop');
      }
    }
  }

  /** Whether a 429 (seen by any process) holds every publish back for now. */
  private async paused(): Promise<boolean> {
    const now = new Date();
    const held = await heldPaceLanes(this.db, [PAUSE_LANE], now);
    this.pausedUntil = Math.max(this.pausedUntil, held.get(PAUSE_LANE)?.getTime() ?? 0);
    return now.getTime() < this.pausedUntil;
  }

  /** The loops' turn to call Slack, shared by every process: one publish per paceMs. */
  private async takeTurn(): Promise<void> {
    for (;;) {
      const wait = await takePaceLane(this.db, PUBLISH_LANE, this.timing.paceMs, new Date());
      if (wait === 0) return;
      await sleep(wait);
    }
  }

  private async publish(userId: string, by: 'loop' | 'click'): Promise<void> {
    const previous = this.inFlight.get(userId);
    const attempt = (previous ?? Promise.resolve()).catch(() => undefined).then(() => this.attempt(userId, by));
    const tracked = attempt.finally(() => {
      if (this.inFlight.get(userId) === tracked) this.inFlight.delete(userId);
    });
    this.inFlight.set(userId, tracked);
    await tracked;
  }

  /** Reserves the tab to this process; a click waits a moment for another process's publish. */
  private async take(userId: string, by: 'loop' | 'click'): Promise<HomeTabRow | undefined> {
    const giveUpAt = Date.now() + (by === 'click' ? CLICK_WAIT_MS : 0);
    for (;;) {
      const now = new Date();
      // The loop publishes only what is still stale: another process may have just published it.
      const row = await takeHomeTab(this.db, userId, this.owner, now, new Date(now.getTime() + LEASE_MS), by === 'loop');
      if (row || Date.now() >= giveUpAt) return row;
      await sleep(RECHECK_MS);
    }
  }

  /** Renders and publishes what is true now; whatever happens, the row says what to do next. */
  private async attempt(userId: string, by: 'loop' | 'click'): Promise<void> {
    if (!this.render) return;
    const row = await this.take(userId, by);
    // Gone, or still being published elsewhere: that process's loop publishes it again if it moved on.
    if (!row) return;
    const seen = row.changes;
    try {
      const { view, dashboard } = await this.render(userId, row.page);
      if (by === 'loop') await this.takeTurn();
      await this.slack.views.publish({ user_id: userId, view });
      // Someone who left the facilitators stops following every change of the programme.
      const next = dashboard ? new Date(Date.now() + this.timing.dashboardIntervalMs) : null;
      await markHomePublished(this.db, userId, { changes: seen, dashboard, notBefore: next }, new Date());
    } catch (error) {
      await this.failed(row, seen, error).catch(async (failure) => {
        this.logger.error(`Could not record the failed Home tab publish for ${userId}`, failure);
        await releaseHomeTab(this.db, userId, this.owner).catch(() => undefined);
      });
    }
  }

  private async failed(row: HomeTabRow, seen: number, error: unknown): Promise<void> {
    const userId = row.slack_user_id;
    if (error instanceof WebAPIRateLimitedError) {
      this.pausedUntil = Date.now() + Math.max(error.retryAfter, 1) * 1000;
      await holdPaceLane(this.db, PAUSE_LANE, new Date(this.pausedUntil));
      this.logger.info(`Slack rate-limits views.publish: Home tabs wait until ${new Date(this.pausedUntil).toISOString()}`);
      await markHomeFailed(this.db, userId, 'ratelimited', new Date(this.pausedUntil), false);
      return;
    }
    const code = error instanceof WebAPIPlatformError ? error.data.error : error instanceof Error ? error.message : String(error);
    const attempts = row.attempts + 1;
    if ((error instanceof WebAPIPlatformError && PERMANENT_ERRORS.has(code)) || attempts >= this.timing.maxAttempts) {
      this.logger.warn(`Gave up publishing the Home tab of ${userId} after ${countOf(attempts, 'attempt', 'attempts')}: ${code}`);
      await giveUpHome(this.db, userId, seen, code);
      return;
    }
    const delay = Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** (attempts - 1));
    this.logger.info(`Could not publish the Home tab of ${userId} (attempt ${attempts}): ${code}; trying again in ${Math.round(delay / 1000)} s`);
    await markHomeFailed(this.db, userId, code, new Date(Date.now() + delay), true);
  }
}
