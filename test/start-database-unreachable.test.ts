/**
 * `npm start` with a PostgreSQL database Tandem cannot use yet (the server is down, or the database
 * is not created): the bot keeps running, answers /readyz with 503 and what to do, and tries again;
 * nothing it starts in the background may stop the process meanwhile.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readyz, sleep, startBot as start, stopBots } from './support/start-bot.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Past the 10 s a lost server is waited for by each connection attempt. */
const OUTLAST_MS = 12_000;

afterEach(stopBots);

describe('npm start with a database Tandem cannot use yet', () => {
  it.each([
    ['the server is down', 'postgres://postgres@127.0.0.1:1/test', /refuses connections|does not answer/],
    ['the database does not exist (or, without a local server, the server is down)', 'postgres://postgres@127.0.0.1:5432/tandem_no_such_database', /does not exist|refuses connections/],
  ])('keeps running and not ready while %s, saying what to do', async (_case, url, problem) => {
    const started = Date.now();
    const bot = start(url);
    const port = await bot.port;
    let answer = await readyz(port);
    for (let i = 0; i < 100 && !(answer.body.causes as string[] | undefined)?.includes('database'); i += 1) {
      await sleep(100);
      answer = await readyz(port);
    }
    expect(answer.status).toBe(503);
    expect(answer.body.causes).toContain('database');
    expect(String(answer.body.database)).toMatch(problem);
    await sleep(Math.max(0, OUTLAST_MS - (Date.now() - started)));
    expect(bot.child.exitCode, bot.output()).toBeNull();
    expect((await readyz(port)).status).toBe(503);
    // The first attempt gives up after its own wait (longer on a busy machine), then says it tries again.
    for (let i = 0; i < 200 && !/tries again every 5 s/.test(bot.output()); i += 1) await sleep(100);
    expect(bot.output()).toMatch(/tries again every 5 s/);
    expect(bot.child.exitCode, bot.output()).toBeNull();
    expect(bot.output()).not.toMatch(/Unhandled|unhandled/);
  }, 60_000);
});

describe('npx tandem migrate with a database Tandem cannot use', () => {
  it('says what is wrong and what to do, as the bot does, and exits 1', async () => {
    const env = { PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' };
    const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { cwd: root, env, timeout: 30_000 }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Tandem cannot use PostgreSQL postgres://postgres@127.0.0.1:1/test: the PostgreSQL server refuses connections (is it running, and on this host and port?).');
    expect(failed?.stderr).not.toContain('ECONNREFUSED');
  }, 40_000);
});
