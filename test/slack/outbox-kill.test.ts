import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxFixture, outboxFixture } from '../support/outbox-fixture.js';

const LEASE_MS = 1500;

/** A separate process delivering the fixture's database, as `tandem jobs run` would. */
function startDeliverer(f: OutboxFixture): ChildProcess {
  // Node itself, with tsx's loader: the tsx command would run the script in a child of its own,
  // which a SIGKILL to the command leaves running.
  return spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-deliverer.ts'], {
    env: { ...process.env, OUTBOX_DATABASE: f.databasePath, SLACK_API_URL: f.standIn.apiUrl, OUTBOX_LEASE_MS: String(LEASE_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the outbox, killed in the middle of a pass', () => {
  let f: OutboxFixture;
  let children: ChildProcess[];
  beforeEach(async () => {
    f = await outboxFixture();
    children = [];
  });
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await f.close();
  });

  it('loses nothing: a second process sends the rest, and only the message in flight may go twice', async () => {
    const outbox = f.outbox();
    for (let i = 1; i <= 5; i++) {
      await outbox.enqueue(f.store.db, `kill:${i}`, { kind: 'post', channel: `C0KILL${i}`, message: { text: `message ${i}` } });
    }
    // Slack answers the first two at once and holds the third: the process dies waiting for it.
    f.standIn.fail('chat.postMessage', { kind: 'slow', delayMs: 10 }, 2);
    // Long enough that a busy machine still kills the process before Slack answers.
    f.standIn.fail('chat.postMessage', { kind: 'slow', delayMs: 6000 }, 1);
    const posts = () => f.standIn.callsTo('chat.postMessage');

    const first = startDeliverer(f);
    children.push(first);
    const firstExit = exited(first);
    // A process started with tsx on a busy machine (other test files run beside it) may take a while.
    await until(() => posts().length >= 3, 30_000);
    first.kill('SIGKILL');
    expect((await firstExit).code).toBeNull();
    const inFlight = posts()[2];
    expect(inFlight?.status).toBeUndefined();

    const second = startDeliverer(f);
    children.push(second);
    const { code, stdout, stderr } = await exited(second);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The in-flight row waited for the dead process's lease, then went again with the other two.
    expect(JSON.parse(stdout)).toEqual({ sent: 3, dead: 0, pending: 0 });

    await f.standIn.waitFor('chat.postMessage', (c) => c === inFlight, 10_000);
    const texts = posts().map((c) => String(c.args.text));
    expect(new Set(texts)).toEqual(new Set(['message 1', 'message 2', 'message 3', 'message 4', 'message 5']));
    expect(texts.filter((t) => t === 'message 3')).toHaveLength(2);
    expect(texts).toHaveLength(6);
    const rows = await f.store.db.selectFrom('outbox').select(['key', 'status']).orderBy('id').execute();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  }, 60_000);
});
