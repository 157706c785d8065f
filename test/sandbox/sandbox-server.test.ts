import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';

interface Answer {
  status: number;
  body: string;
  json: Record<string, unknown> | undefined;
}

/** A raw HTTP request, so that Host and Origin are exactly what a test says. */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `localhost:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const pageHeaders = { 'content-type': 'application/json', 'x-tandem-sandbox': '1' };

describe('the sandbox server', () => {
  let sandbox: Sandbox;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-sandbox-'));
    sandbox = await startSandbox({ env: { LOG_LEVEL: 'error' }, port: 0, databasePath: join(dir, 'sandbox.sqlite'), logger: createLogger('error', 'test') });
  }, 30_000);
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = pageHeaders) => send(sandbox.port, path, { method: 'POST', headers, body: JSON.stringify(body) });
  const participants = async () => (await sandbox.store.db.selectFrom('participant').select('id').execute()).length;

  it('seeds the demo company through the real enrolment modal on the first start', async () => {
    expect(sandbox.seeded).toBe(true);
    expect(await participants()).toBe(6);
    // Each enrolment went through Tandem's own Web API calls, checked against Slack's limits.
    expect(sandbox.standIn.callsTo('views.open').length).toBe(6);
    expect(sandbox.standIn.violations).toEqual([]);
  });

  it('answers /readyz with 503 and mode sandbox, so a deployment without configuration never looks ready', async () => {
    const ready = await send(sandbox.port, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ mode: 'sandbox' });
    expect((await send(sandbox.port, '/healthz')).status).toBe(200);
  });

  it('never points the Web API client at Slack: every call lands in the stand-in', () => {
    expect(sandbox.tandem.deps.config.slackApiUrl).toBe(sandbox.standIn.apiUrl);
    expect(sandbox.standIn.calls.length).toBeGreaterThan(0);
  });

  it('listens on the loopback interface only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const req = request({ host: external.address, port: sandbox.port, path: '/healthz', timeout: 2000 }, () => resolve(false));
        req.on('error', () => resolve(true));
        req.on('timeout', () => {
          req.destroy();
          resolve(true);
        });
        req.end();
      });
      expect(refused).toBe(true);
    }
    expect((await send(sandbox.port, '/healthz')).status).toBe(200);
  });

  it('serves the page and its assets from this machine, with no third-party address in them', async () => {
    for (const path of ['/', '/assets/sandbox.js', '/assets/sandbox.css', '/assets/tandem.svg']) {
      const res = await send(sandbox.port, path);
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\.[a-z]{2,}\/(?!2000\/svg)/i);
    }
  });

  it('shows a person the conversations they can see, the facilitators channel only to facilitators', async () => {
    const facilitator = (await send(sandbox.port, '/api/snapshot?as=U0CAMILLE')).json as { conversations: { name: string }[] };
    const newcomer = (await send(sandbox.port, '/api/snapshot?as=U0AMELIE')).json as { conversations: { name: string }[] };
    expect(facilitator.conversations.map((c) => c.name)).toContain('tandem-facilitators');
    expect(newcomer.conversations.map((c) => c.name)).not.toContain('tandem-facilitators');
  });

  it('runs /tandem as the person, and shows the reply as only visible to them', async () => {
    const res = await post('/api/command', { as: 'U0HENRI', text: '/tandem status' });
    expect(res.status).toBe(200);
    const dm = sandbox.standIn.workspace.openDm('U0HENRI').id;
    await sandbox.standIn.waitFor('response_url', (c) => String(c.args.url).length > 0).catch(() => undefined);
    const mine = (await send(sandbox.port, `/api/snapshot?as=U0HENRI&open=${dm}`)).json as { conversation: { messages: { ephemeral: boolean; html: string }[] } };
    expect(mine.conversation.messages.some((m) => m.ephemeral)).toBe(true);
  });

  describe('bad input: a clear refusal, and nothing changes', () => {
    /** Lets what the bot does on its own (outbox, Home tabs) finish, so only the request is measured. */
    async function quiet(): Promise<void> {
      for (let seen = -1; seen !== sandbox.standIn.calls.length; ) {
        seen = sandbox.standIn.calls.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }

    async function unchanged(run: () => Promise<Answer>): Promise<Answer> {
      await quiet();
      const calls = sandbox.standIn.calls.length;
      const people = await participants();
      const answer = await run();
      expect(sandbox.standIn.calls.length).toBe(calls);
      expect(await participants()).toBe(people);
      expect(answer.json?.ok).toBe(false);
      expect(String(answer.json?.error)).not.toBe('');
      return answer;
    }

    it('refuses a person who is not in the demo company', async () => {
      expect((await unchanged(() => post('/api/command', { as: 'U0NOBODY', text: '/tandem join' }))).status).toBe(404);
      expect((await send(sandbox.port, '/api/snapshot?as=U0NOBODY')).status).toBe(404);
      expect((await unchanged(() => post('/api/command', { as: 'not a member', text: '/tandem join' }))).status).toBe(400);
    });

    it('refuses a conversation the person cannot see, or that does not exist', async () => {
      const hidden = await unchanged(() => post('/api/command', { as: 'U0AMELIE', channel: 'G0FACILITATORS', text: '/tandem help' }));
      expect(hidden.status).toBe(404);
      expect(hidden.json?.error).toContain('Amélie Tremblay has no conversation');
      expect((await send(sandbox.port, '/api/snapshot?as=U0AMELIE&open=C0NOPE')).status).toBe(404);
    });

    it('refuses a view that does not exist or is not the person’s', async () => {
      expect((await unchanged(() => post('/api/submit', { as: 'U0AMELIE', view: 'V0NOPE', values: {} }))).status).toBe(404);
      expect((await unchanged(() => post('/api/close', { as: 'U0AMELIE', view: 'V0NOPE' }))).status).toBe(404);
      expect((await unchanged(() => post('/api/action', { as: 'U0AMELIE', where: { view: 'V0NOPE' }, actionId: 'x', blockId: 'y' }))).status).toBe(404);
    });

    it('refuses a message the person cannot see', async () => {
      const someoneElses = sandbox.standIn.workspace.messagesIn(sandbox.standIn.workspace.openDm('U0PRIYA').id)[0];
      expect(someoneElses).toBeDefined();
      const res = await unchanged(() => post('/api/action', { as: 'U0AMELIE', where: { channel: someoneElses?.channel, ts: someoneElses?.ts }, actionId: 'x', blockId: 'y' }));
      expect(res.status).toBe(404);
    });

    it('refuses a forged form post, a request from another origin, and another Host', async () => {
      const form = await unchanged(() =>
        send(sandbox.port, '/api/command', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'as=U0AMELIE&text=%2Ftandem+join' }),
      );
      expect(form.status).toBe(403);
      const origin = await unchanged(() => post('/api/command', { as: 'U0AMELIE', text: '/tandem join' }, { ...pageHeaders, origin: 'https://evil.example' }));
      expect(origin.status).toBe(403);
      const rebinding = await unchanged(() =>
        send(sandbox.port, '/api/command', { method: 'POST', headers: { ...pageHeaders, host: `evil.example:${sandbox.port}` }, body: JSON.stringify({ as: 'U0AMELIE', text: '/tandem join' }) }),
      );
      expect(rebinding.status).toBe(403);
      expect((await send(sandbox.port, '/api/snapshot?as=U0AMELIE', { headers: { host: 'evil.example' } })).status).toBe(403);
    });

    it('refuses malformed bodies, unknown routes and text that is not a /tandem command', async () => {
      expect((await unchanged(() => send(sandbox.port, '/api/command', { method: 'POST', headers: pageHeaders, body: '{not json' }))).status).toBe(400);
      expect((await unchanged(() => post('/api/clock', { as: 'U0AMELIE', step: 'century' }))).status).toBe(400);
      expect((await unchanged(() => post('/api/drop-tables', { as: 'U0AMELIE' }))).status).toBe(404);
      expect((await unchanged(() => post('/api/command', { as: 'U0AMELIE', text: 'hello' }))).status).toBe(400);
      expect((await send(sandbox.port, '/files/F0NOPE?as=U0AMELIE')).status).toBe(404);
      expect((await send(sandbox.port, '/../package.json')).status).toBe(404);
    });
  });

  it('moves the simulated clock, and the app’s own now follows it', async () => {
    const before = sandbox.tandem.deps.now().getTime();
    const res = await post('/api/clock', { as: 'U0CAMILLE', step: 'week' });
    expect(res.status).toBe(200);
    const moved = sandbox.tandem.deps.now().getTime() - before;
    expect(moved).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(moved).toBeLessThan(8 * 86_400_000);
    const noCheckin = await post('/api/clock', { as: 'U0CAMILLE', step: 'checkin' });
    expect(noCheckin.json).toMatchObject({ ok: true, moved: false });
  });
});
