/**
 * SQLite's write lock, held by another connection (as `tandem jobs run` holds it beside the bot):
 * the bot waits for it between timers, never inside SQLite, so the event loop keeps turning.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/store/audit.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('waiting for the SQLite write lock', () => {
  let database: TestDatabase;
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database.drop();
  });

  it('does not block the event loop: the holder, in the same process, can finish and the waiter then writes', async () => {
    database = await createTestDatabase();
    const jobs = openStore(database.url);
    const bot = openStore(database.url);
    stores.push(jobs, bot);
    await migrate(jobs.db);
    const now = new Date('2027-03-01T09:00:00Z');
    const events: string[] = [];

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const jobsWrite = jobs.db.transaction().execute(async (trx) => {
      await audit(trx, { actorUserId: 'jobs', action: 'test.jobs', subject: 'lock', details: {} }, now);
      holding();
      await released;
      events.push('jobs commits');
    });
    await held;

    // Ticks of a timer while the bot waits: had SQLite waited inside the call, none could happen,
    // and the holder (which needs this same event loop to go on) could never commit.
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
      if (ticks === 20) release();
    }, 5);
    try {
      await bot.db.transaction().execute(async (trx) => {
        events.push('bot writes');
        await audit(trx, { actorUserId: 'bot', action: 'test.bot', subject: 'lock', details: {} }, now);
      });
      await jobsWrite;
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThanOrEqual(20);
    expect(events).toEqual(['jobs commits', 'bot writes']);
    const rows = await bot.db.selectFrom('audit_log').select('action').where('subject', '=', 'lock').orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['test.jobs', 'test.bot']);
  });
});
