import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureLogs, createLogger, scrub } from '../src/logger.js';
import { pairUp, nextModal } from './support/contract-flows.js';
import { type Harness, startTandem } from './support/tandem-harness.js';

const SECRET_CONCERN = 'My partner shouts at me, please help (concern 7731)';
const SECRET_MOTIVATION = 'I want to learn negotiation (motivation 5521)';

describe('logs fit for operators', () => {
  it('scrub: no tokens, no Slack user ids, no bodies', () => {
    configureLogs({ idKey: 'k1' });
    const line = scrub('token xoxb-123-456-abc for U0ANA and W12345678 at 10:00 UTC');
    expect(line).not.toContain('xoxb-123');
    expect(line).not.toContain('U0ANA');
    expect(line).not.toContain('W12345678');
    expect(line).toContain('UTC');
    expect(line).toMatch(/user:[0-9a-f]{10}/);
    expect(scrub('U0ANA')).toBe(scrub('U0ANA'));
    configureLogs({ idKey: 'k2' });
    // Keyed: without the key, the hash does not lead back to the person.
    expect(scrub('U0ANA')).not.toBe(line.match(/user:[0-9a-f]{10}/)?.[0]);
    expect(scrub(`http request body: {"text":"${SECRET_CONCERN}"}`)).toBe('http request body: [left out]');
    expect(scrub(`ack() call begins (body: {"text":"x"})`)).toBe('ack() call begins (body: [left out]');
  });

  describe('a whole flow at debug level, as JSON lines', () => {
    let h: Harness;
    let lines: string[];
    beforeEach(async () => {
      lines = [];
      configureLogs({ format: 'json', idKey: 'test-key' });
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
      h = await startTandem({ logger: createLogger('debug', 'test'), config: { logLevel: 'debug' } });
    });
    afterEach(async () => {
      await h.close();
      vi.restoreAllMocks();
      configureLogs({ format: 'text' });
    });

    it('writes neither message bodies, concern texts, motivations, tokens nor user ids', async () => {
      const pair = await pairUp(h, { userId: 'U0ANA', motivation: SECRET_MOTIVATION }, { userId: 'U0BOB' });
      const before = h.standIn.callsTo('views.open').length;
      await h.driver.command(pair.junior, 'concern');
      const modal = await nextModal(h, 'escalation_concern_form', before);
      const res = await h.driver.viewSubmission(pair.junior, modal, { concern: SECRET_CONCERN });
      expect(res.json?.response_action).toBe('update');
      await h.standIn.waitFor('chat.postMessage', (c) => JSON.stringify(c.args).includes('A private concern was raised'));
      await new Promise((r) => setTimeout(r, 200));
      expect(lines.length).toBeGreaterThan(20);
      const all = lines.join('');
      for (const secret of ['7731', '5521', 'xoxb-test-token', 'test-signing-secret', 'U0ANA', 'U0BOB']) expect(all).not.toContain(secret);
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        expect(Object.keys(entry).sort()).toEqual(['level', 'msg', 'name', 'time']);
      }
      expect(all).toContain('"level":"debug"');
      // The Web API client's own debug output went through the same scrubbing.
      expect(all).toContain('"name":"slack-web-api"');
      expect(all).toContain('http request body: [left out]');
    });
  });
});
