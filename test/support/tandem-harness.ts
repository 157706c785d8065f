import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { createTandem, type Tandem } from '../../src/tandem.js';
import { SlackDriver } from '../../src/sandbox/driver.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const FACILITATOR_CHANNEL = 'C0FACIL';
export const FACILITATOR = 'UFACIL1';
export const SIGNING_SECRET = 'test-signing-secret';

export interface Harness {
  standIn: SlackStandIn;
  driver: SlackDriver;
  tandem: Tandem;
  store: Store;
  baseUrl: string;
  config: Config;
  /** Moves the app's clock (every `now` in the app reads it). */
  clock: { now: Date };
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<Config>;
  now?: Date;
  /** Leave the database unmigrated, to see /readyz refuse. */
  skipMigrations?: boolean;
  standIn?: SlackStandIn;
  /** The folder of the database (e.g. on a small filesystem made for the test); default a new temp folder, removed after. */
  dir?: string;
  /** Where the app logs (default: errors only, on stderr); the reliability tests read what it says. */
  logger?: Logger;
}

/** The real app on a free port, its Web API client pointed at a fresh stand-in, over a fresh database of this run's engine. */
export async function startTandem(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = options.standIn ?? (await SlackStandIn.start());
  standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, 'UBOT'], { name: 'tandem-facilitators', isPrivate: true });
  // A folder of the test's own (a small filesystem, say) is a SQLite file there, left to its owner.
  const database: TestDatabase = options.dir
    ? { url: join(options.dir, 'tandem.sqlite'), engine: 'sqlite', drop: async () => undefined }
    : await createTestDatabase({ empty: options.skipMigrations === true });
  const store = openStore(database.url, { poolSize: 4 });
  if (!options.skipMigrations) {
    const outcome = await migrate(store.db);
    if (outcome.error) throw outcome.error;
  }
  const config: Config = {
    slackBotToken: 'xoxb-test-token',
    slackSigningSecret: SIGNING_SECRET,
    slackAppToken: undefined,
    slackApiUrl: standIn.apiUrl,
    port: 0,
    databaseUrl: database.url,
    facilitatorChannelId: FACILITATOR_CHANNEL,
    facilitatorUserIds: [],
    defaultLocale: 'en',
    tzDefault: 'Europe/Paris',
    logLevel: 'error',
    logFormat: 'text',
    ...options.config,
  };
  const clock = { now: options.now ?? new Date('2027-03-01T09:00:00Z') };
  const tandem = createTandem(config, {
    store,
    logger: options.logger ?? createLogger('error', 'test'),
    now: () => clock.now,
    retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 },
    // Slack's one message a second per channel is tested in the outbox's own tests; here it would only slow things.
    outboxPacing: { channelIntervalMs: 20, workspaceIntervalMs: 1 },
    homeTiming: { debounceMs: 10, dashboardIntervalMs: 100, paceMs: 1, pollMs: 50, retryBaseMs: 50, retryMaxMs: 200 },
  });
  // Not migrated: the bot listens, as main.ts's does while it cannot migrate, and its background
  // work (which would read tables not made yet) does not start.
  const port = await tandem.slackApp.start(0, undefined, options.skipMigrations ? Promise.resolve(false) : undefined);
  const baseUrl = `http://127.0.0.1:${port}`;
  const driver = new SlackDriver({ baseUrl, signingSecret: SIGNING_SECRET, standIn });
  return {
    standIn,
    driver,
    tandem,
    store,
    baseUrl,
    config,
    clock,
    async close() {
      await tandem.slackApp.stop();
      await store.close();
      if (!options.standIn) await standIn.close();
      await database.drop();
    },
  };
}

/**
 * A fresh app for each test of the enclosing describe, handed to `set`; after each test, every
 * message and view it sent is checked against Slack's limits, and everything is closed.
 */
export function useTandem(set: (h: Harness) => void, options: HarnessOptions = {}): void {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startTandem(options);
    set(current);
  });
  afterEach(async () => {
    try {
      current?.standIn.assertNoViolations();
    } finally {
      await current?.close();
    }
  });
}
