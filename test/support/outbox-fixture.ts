/**
 * What the outbox tests share: a migrated database of this run's engine, the loopback Slack
 * stand-in, outboxes pointed at both, a clock the tests drive, and a logger that records.
 */
import { type Logger, LogLevel } from '@slack/bolt';
import { Outbox, type OutboxClock, type OutboxOptions } from '../../src/slack/outbox.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { createTestDatabase } from './test-database.js';

export const TOKEN = 'xoxb-test-token';

/** Time that moves only when the outbox sleeps: pacing and backoff cost no real time. */
export class FakeClock implements OutboxClock {
  constructor(private t = Date.now()) {}

  now(): number {
    return this.t;
  }

  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    // Lets the HTTP answers and timers of the real world run between two steps.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A logger that keeps its lines, so a test can read what was logged and the run stays quiet. */
export function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const write = (level: string) => (...parts: unknown[]) => {
    lines.push(`${level} ${parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ')}`);
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

export interface OutboxFixture {
  standIn: SlackStandIn;
  store: Store;
  /** Its DATABASE_URL (a file path on SQLite). */
  databasePath: string;
  logger: Logger & { lines: string[] };
  /** An outbox on the fixture's database (or `store`), with `options` over quiet defaults. */
  outbox(options?: Partial<OutboxOptions>, store?: Store): Outbox;
  /** Another connection to the same database, as another process would have; closed with the fixture. */
  openAnotherStore(): Store;
  close(): Promise<void>;
}

export async function outboxFixture(): Promise<OutboxFixture> {
  const standIn = await SlackStandIn.start();
  const database = await createTestDatabase();
  const databasePath = database.url;
  const store = openStore(databasePath, { poolSize: 4 });
  const outcome = await migrate(store.db);
  if (outcome.error) throw outcome.error;
  const logger = recordingLogger();
  const stores: Store[] = [store];
  const outboxes: Outbox[] = [];
  return {
    standIn,
    store,
    databasePath,
    logger,
    outbox(options = {}, on = store) {
      const outbox = new Outbox({
        db: on.db,
        token: TOKEN,
        clientOptions: { slackApiUrl: standIn.apiUrl, logger: recordingLogger(), logLevel: LogLevel.ERROR },
        logger,
        ...options,
      });
      outboxes.push(outbox);
      return outbox;
    },
    openAnotherStore() {
      const another = openStore(databasePath, { poolSize: 4 });
      stores.push(another);
      return another;
    },
    async close() {
      await Promise.all(outboxes.map((o) => o.stop()));
      for (const s of stores) await s.close();
      await standIn.close();
      await database.drop();
    },
  };
}
