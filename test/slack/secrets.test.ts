import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { createLogger, redact } from '../../src/logger.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { migrate, openStore } from '../../src/store/database.js';
import { enrol } from '../support/flows.js';
import { SIGNING_SECRET, startTandem } from '../support/tandem-harness.js';

const TOKEN = 'xoxb-test-token';

/** Everything written to stderr while `run` runs (the loggers write there), and what it returned. */
async function stderrOf<T>(run: () => Promise<T>): Promise<{ text: string; result: T }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  });
  try {
    const result = await run();
    return { text: chunks.join(''), result };
  } finally {
    spy.mockRestore();
  }
}

describe('secrets', () => {
  it('never reach the logs, even at LOG_LEVEL=debug with the Web API client talking and failing', async () => {
    const { text } = await stderrOf(async () => {
      const h = await startTandem({ config: { logLevel: 'debug' }, logger: createLogger('debug', 'tandem') });
      try {
        // Slack refuses the token once and fails once: each is logged.
        h.standIn.fail('users.info', { kind: 'error', error: 'invalid_auth' });
        h.standIn.fail('chat.postMessage', { kind: 'server_error', status: 500 });
        await enrol(h, 'U0NEW');
        await h.driver.command('U0NEW', 'status', { retryNum: 1 });
        await h.driver.event({ type: 'app_home_opened', user: 'U0NEW', channel: 'D0NEW', tab: 'home' });
        await h.tandem.slackApp.settled();
        // A log line that holds the secrets outright, as a careless error message would.
        h.tandem.deps.logger.error(`Slack said no to ${TOKEN} signed with ${SIGNING_SECRET}; app token xapp-1-A0-123-abc`);
      } finally {
        await h.close();
      }
    });
    // The debug output is really there (the Web API client's requests), and holds no secret.
    expect(text).toContain('http request url');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toMatch(/xox[a-z]-(?!\[redacted\])/);
    expect(text).not.toMatch(/xapp-(?!\[redacted\])/);
  }, 30_000);

  it('hides every Slack token shape in a line', () => {
    expect(redact('token xoxb-123-456-abc, user xoxp-9-8, app xapp-1-A1-2-ff, refresh xoxe-1-zz')).toBe(
      'token xoxb-[redacted], user xoxp-[redacted], app xapp-[redacted], refresh xoxe-[redacted]',
    );
  });

  describe('in the doctor', () => {
    let standIn: SlackStandIn;
    let dir: string;
    beforeEach(async () => {
      standIn = await SlackStandIn.start();
      dir = mkdtempSync(join(tmpdir(), 'tandem-secrets-'));
      const store = openStore(join(dir, 'tandem.sqlite'));
      await migrate(store.db);
      await store.close();
    });
    afterEach(async () => {
      await standIn.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reports a refused token, a bad configuration and a missing channel without showing a secret', async () => {
      const secret = 'f3a9c2d1e8b7a6f5e4d3c2b1a0f9e8d7';
      const env = { SLACK_BOT_TOKEN: 'xoxb-111-222-doctorsecret', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: standIn.apiUrl, FACILITATOR_CHANNEL_ID: 'C0NOWHERE', DATABASE_URL: join(dir, 'tandem.sqlite') };
      const outputs: string[] = [];
      for (const overrides of [{}, { SLACK_BOT_TOKEN: 'xoxp-333-444-doctorsecret' }, { SLACK_APP_TOKEN: 'xoxb-555-doctorsecret' }]) {
        standIn.fail('auth.test', { kind: 'error', error: 'invalid_auth' });
        const lines: string[] = [];
        const { text } = await stderrOf(() => runDoctor({ ...env, ...overrides, LOG_LEVEL: 'debug' }, (line) => lines.push(line)));
        outputs.push(lines.join('\n'), text);
        expect(lines.join('\n')).toMatch(/PROBLEM/);
      }
      const all = outputs.join('\n');
      expect(all).not.toContain('doctorsecret');
      expect(all).not.toContain(secret);
    });
  });
});
