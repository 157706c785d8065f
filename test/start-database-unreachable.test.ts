/**
 * `npm start` with a PostgreSQL database Tandem cannot use yet (the server is down, or the database
 * is not created): the bot keeps running, answers /readyz with 503 and what to do, and tries again;
 * nothing it starts in the background may stop the process meanwhile.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Past the 10 s a lost server is waited for by each connection attempt. */
const OUTLAST_MS = 12_000;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function start(databaseUrl: string): { child: ChildProcess; output: () => string; port: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-start-test',
      SLACK_SIGNING_SECRET: 'start-test-secret',
      FACILITATOR_CHANNEL_ID: 'C0FACIL',
      // Nothing may reach Slack: a closed loopback port stands for it.
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
  });
  children.push(child);
  let text = '';
  const port = new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      text += chunk.toString();
      const found = /listening on port (\d+)/.exec(text);
      if (found) resolve(Number(found[1]));
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`Tandem stopped (exit ${code}): ${text}`)));
  });
  return { child, output: () => text, port };
}

async function readyz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
