/**
 * `npm start` on a PostgreSQL database just created, as a new fleet's first instance meets it: the
 * bot migrates it and becomes ready, and its background work (the outbox, the Home tab refresh)
 * starts only then: started earlier, it read tables not made yet and logged the failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFleetDatabase } from '../support/fleet-database.js';
import { readyz, sleep, startBot, stopBots } from '../support/start-bot.js';

afterEach(stopBots);

describe('npm start on a new, empty PostgreSQL database', () => {
  it('migrates it, becomes ready, and only then starts its background work (nothing reads a table not made yet)', async () => {
    const database = await createFleetDatabase();
    try {
      const bot = startBot(database.url);
      const port = await bot.port;
      let answer = await readyz(port);
      for (let i = 0; i < 200 && answer.status !== 200; i += 1) {
        await sleep(100);
        answer = await readyz(port);
      }
      expect(answer, bot.output()).toEqual({ status: 200, body: { ok: true, database: 'ready' } });
      expect(bot.output()).toMatch(/Database migrated: /);
      // The outbox and the Home tab refresh read their queues as soon as they start, then poll.
      await sleep(1_500);
      expect(bot.output()).not.toMatch(/does not exist|could not read its queue|works again/);
      bot.child.kill('SIGTERM');
      await new Promise((resolve) => bot.child.once('exit', resolve));
    } finally {
      await database.drop();
    }
  }, 60_000);
});
