import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGTERM');
});

/** Starts `args` in `cwd` and resolves with what it printed once a line is the sandbox's address. */
function startUntilAddress(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ lines: string[]; url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd, env: { PATH: process.env.PATH, ...env } });
    running.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const lines = out.split('\n').filter(Boolean);
      const last = lines.at(-1) ?? '';
      if (out.endsWith('\n') && /^http:\/\/localhost:\d+$/.test(last)) resolve({ lines, url: last, child });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing the address:\n${out}\n${err}`)));
  });
}

describe('npm start with no Slack settings', () => {
  it('starts the sandbox on its own database and prints the address to open last', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-start-'));
    try {
      const { lines, url } = await startUntilAddress([join(process.cwd(), 'src', 'main.ts')], cwd, { PORT: '0', LOG_LEVEL: 'error' });
      expect(lines.join('\n')).toContain('sandbox');
      expect(existsSync(join(cwd, 'db', 'sandbox.sqlite'))).toBe(true);
      expect(existsSync(join(cwd, 'db', 'tandem.sqlite'))).toBe(false);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ mode: 'sandbox' });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 40_000);

  it('still refuses a partial Slack configuration, listing every problem', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-start-'));
    const failure = await startUntilAddress([join(process.cwd(), 'src', 'main.ts')], cwd, { FACILITATOR_CHANNEL_ID: 'C0FACIL' }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toContain('exited with 1');
    expect(failure).toContain('SLACK_BOT_TOKEN');
    expect(failure).toContain('SLACK_SIGNING_SECRET');
    rmSync(cwd, { recursive: true, force: true });
  }, 40_000);

  it('npx tandem sandbox starts it whatever .env holds, and never reaches the Slack set there', async () => {
    const slack = await SlackStandIn.start();
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-start-'));
    try {
      writeFileSync(
        join(cwd, '.env'),
        `SLACK_BOT_TOKEN=xoxb-real\nSLACK_SIGNING_SECRET=real\nFACILITATOR_CHANNEL_ID=C0REAL\nSLACK_API_URL=${slack.apiUrl}\nDATABASE_URL=./db/tandem.sqlite\nPORT=0\nLOG_LEVEL=error\n`,
      );
      const { url } = await startUntilAddress([join(process.cwd(), 'src', 'cli.ts'), 'sandbox', '--empty'], cwd, {});
      const snapshot = await fetch(`${url}/api/snapshot?as=U0AMELIE`);
      expect(snapshot.status).toBe(200);
      expect(existsSync(join(cwd, 'db', 'sandbox.sqlite'))).toBe(true);
      expect(existsSync(join(cwd, 'db', 'tandem.sqlite'))).toBe(false);
      expect(slack.calls).toEqual([]);
    } finally {
      await slack.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('npx tandem doctor without Slack settings', () => {
  it('reports the sandbox as a problem, with the fix', async () => {
    const lines: string[] = [];
    const code = await runDoctor({ PORT: '3000' }, (line) => lines.push(line));
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^PROBLEM configuration: .*sandbox/);
    expect(lines.join('\n')).toMatch(/fix: create the Slack app from manifest\.json/);
  });
});
