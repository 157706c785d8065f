import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../support/outbox-fixture.js';
import { type Harness, startTandem } from '../support/tandem-harness.js';

describe('HTTP endpoints', () => {
  let h: Harness;
  afterEach(async () => h.close());

  describe('with a migrated database', () => {
    beforeEach(async () => {
      h = await startTandem();
    });

    it('answers /healthz and /readyz', async () => {
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, database: 'ready' });
    });

    it.each([
      ['a wrong signature', { signature: 'wrong' as const }],
      ['no signature', { signature: 'missing' as const }],
      ['a request older than five minutes', { timestampOffsetSeconds: -301 }],
    ])('refuses %s with 401 and does nothing', async (_name, opts) => {
      const res = await h.driver.command('U0ANA', 'join', opts);
      expect(res.status).toBe(401);
      await new Promise((r) => setTimeout(r, 100));
      expect(h.standIn.calls).toEqual([]);
    });

    it('refuses a signed body that was altered after signing', async () => {
      const payload = new URLSearchParams(h.driver.commandPayload('U0ANA', 'help')).toString();
      const headers = { ...h.driver.signedHeaders(payload), 'Content-Type': 'application/x-www-form-urlencoded' };
      const res = await h.driver.raw(payload.replace('help', 'join'), headers);
      expect(res.status).toBe(401);
    });

    it('answers Slack URL verification', async () => {
      const res = await h.driver.urlVerification('challenge-123');
      expect(res.status).toBe(200);
      expect(res.body).toContain('challenge-123');
    });
  });

  it('is not ready while any cause holds, and ready again when the last one clears', async () => {
    h = await startTandem();
    h.tandem.deps.readiness.set('sandbox', { mode: 'sandbox' });
    h.tandem.deps.readiness.set('storage', { storage: 'read-only' });
    const notReady = await fetch(`${h.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ok: false, causes: ['sandbox', 'storage'], mode: 'sandbox', storage: 'read-only' });
    h.tandem.deps.readiness.clear('sandbox');
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(503);
    h.tandem.deps.readiness.clear('storage');
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
  });

  it('is not ready while the database is not migrated', async () => {
    const logger = recordingLogger();
    h = await startTandem({ skipMigrations: true, logger });
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: 'not migrated' });
    // Its background work waits for the migration: nothing reads a table that is not there yet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logger.lines.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
