import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../src/slack/outbox.js';
import { FakeClock, type OutboxFixture, outboxFixture } from '../support/outbox-fixture.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';

const text = (call: RecordedCall): string => String(call.args.text);
const post = (channel: string, message: string) => ({ kind: 'post' as const, channel, message: { text: message } });

describe('the outbox', () => {
  let f: OutboxFixture;
  let clock: FakeClock;
  beforeEach(async () => {
    f = await outboxFixture();
    clock = new FakeClock();
  });
  afterEach(async () => {
    f.standIn.assertNoViolations();
    await f.close();
  });

  /** Drains with the fake clock and a deadline far enough for every backoff of these tests. */
  const drain = (outbox: Outbox) => outbox.drain({ deadline: new Date(clock.now() + 10 * 60_000) });
  const rows = () => f.store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
  const row = async (key: string) => (await rows()).find((r) => r.key === key);
  const posts = () => f.standIn.callsTo('chat.postMessage');

  describe('queueing', () => {
    it('queues a key once: a second enqueue changes nothing, and the message is sent once', async () => {
      const outbox = f.outbox({ clock });
      expect(await outbox.enqueue(f.store.db, 'welcome:1', post('C0ONE', 'hello'))).toBe(true);
      expect(await outbox.enqueue(f.store.db, 'welcome:1', post('C0ONE', 'hello again'))).toBe(false);
      expect(await rows()).toHaveLength(1);

      expect(await drain(outbox)).toEqual({ sent: 1, dead: 0, pending: 0 });
      expect(await drain(outbox)).toEqual({ sent: 0, dead: 0, pending: 0 });
      expect(posts().map(text)).toEqual(['hello']);
      const answer = posts()[0]?.response as { channel: string; ts: string };
      expect(await outbox.delivered('welcome:1')).toEqual({ channel: answer.channel, ts: answer.ts });
      expect(await outbox.delivered('never-queued')).toBeUndefined();
    });

    it('queues nothing when the transaction that asked for it rolls back', async () => {
      const outbox = f.outbox({ clock });
      const failing = f.store.db.transaction().execute(async (trx) => {
        await outbox.enqueue(trx, 'notice:rolled-back', post('C0ONE', 'never'));
        throw new Error('the change failed');
      });
      await expect(failing).rejects.toThrow('the change failed');
      await f.store.db.transaction().execute((trx) => outbox.enqueue(trx, 'notice:committed', post('C0ONE', 'kept')));

      expect(await drain(outbox)).toEqual({ sent: 1, dead: 0, pending: 0 });
      expect(posts().map(text)).toEqual(['kept']);
    });

    it('refuses a malformed request when it is queued, not when it is sent', async () => {
      const outbox = f.outbox({ clock });
      await expect(outbox.enqueue(f.store.db, 'bad', { kind: 'post', users: [], message: { text: 'x' } })).rejects.toThrow();
      expect(await rows()).toHaveLength(0);
    });
  });

  describe('when Slack refuses', () => {
    it('waits out a 429 Retry-After: the method pauses for every channel, other methods go on', async () => {
      // Real time here: the point is that Slack is not called again before Retry-After has passed.
      const outbox = f.outbox();
      f.standIn.fail('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 });
      await outbox.enqueue(f.store.db, 'a', post('C0ONE', 'first'));
      await outbox.enqueue(f.store.db, 'b', post('C0TWO', 'second'));
      await outbox.enqueue(f.store.db, 'c', { kind: 'ephemeral', channel: 'C0TWO', user: 'U0ANA', message: { text: 'only for Ana' } });

      expect(await outbox.drain({ deadline: new Date(Date.now() + 10_000) })).toEqual({ sent: 3, dead: 0, pending: 0 });
      const [limited, ...delivered] = posts();
      expect(limited?.status).toBe(429);
      expect(delivered.map(text)).toEqual(['first', 'second']);
      for (const call of delivered) expect(call.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
      // chat.postEphemeral was not limited: it went during the pause.
      const ephemeral = f.standIn.callsTo('chat.postEphemeral');
      expect(ephemeral).toHaveLength(1);
      expect(ephemeral[0]?.at).toBeLessThan((limited?.at ?? 0) + 1000);
      // A 429 is not a failure of the message.
      expect((await row('a'))?.attempts).toBe(1);
    });

    it('retries a 500 with backoff: sent once, every attempt recorded', async () => {
      const outbox = f.outbox({ clock });
      f.standIn.fail('chat.postMessage', { kind: 'server_error' }, 2);
      const start = clock.now();
      await outbox.enqueue(f.store.db, 'prompt', post('C0ONE', 'time to meet'));

      expect(await drain(outbox)).toEqual({ sent: 1, dead: 0, pending: 0 });
      expect(posts().map((c) => c.status)).toEqual([500, 500, 200]);
      expect(await row('prompt')).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
      // 1 s then 2 s, each at least halved by the jitter.
      expect(clock.now() - start).toBeGreaterThanOrEqual(1500);
    });

    it('retries a call that timed out (Slack may then show it twice: it cannot tell us)', async () => {
      const outbox = f.outbox({ clock, requestTimeoutMs: 500 });
      f.standIn.fail('chat.postMessage', { kind: 'slow', delayMs: 1500 });
      await outbox.enqueue(f.store.db, 'reminder', post('C0ONE', 'a reminder'));

      expect(await drain(outbox)).toEqual({ sent: 1, dead: 0, pending: 0 });
      expect(posts()).toHaveLength(2);
      expect(await row('reminder')).toMatchObject({ status: 'sent', attempts: 2 });
      expect(f.logger.lines.some((l) => l.includes('timeout'))).toBe(true);
    });

    it('gives up at once on a permanent error, and on the updates of that message', async () => {
      const outbox = f.outbox({ clock });
      f.standIn.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
      await outbox.enqueue(f.store.db, 'intro', post('C0GONE', 'hello'));
      await outbox.enqueue(f.store.db, 'intro:accepted', { kind: 'update', afterKey: 'intro', message: { text: 'accepted' } });

      expect(await drain(outbox)).toEqual({ sent: 0, dead: 2, pending: 0 });
      expect(await drain(outbox)).toEqual({ sent: 0, dead: 0, pending: 0 });
      expect(posts()).toHaveLength(1);
      expect(f.standIn.callsTo('chat.update')).toHaveLength(0);
      expect(await row('intro')).toMatchObject({ status: 'dead', attempts: 1, last_error: 'channel_not_found' });
      expect((await row('intro:accepted'))?.last_error).toContain('(intro) was not sent');
      expect(f.logger.lines.filter((l) => l.startsWith('error Gave up sending intro'))).toHaveLength(2);
    });

    it('gives up a message that keeps failing, with the last error logged', async () => {
      const outbox = f.outbox({ clock, retry: { maxAttempts: 3, giveUpAfterMs: 0 } });
      f.standIn.fail('chat.postMessage', { kind: 'server_error', status: 503 }, 5);
      await outbox.enqueue(f.store.db, 'nudge', post('C0ONE', 'nudge'));

      expect(await drain(outbox)).toEqual({ sent: 0, dead: 1, pending: 0 });
      expect(posts()).toHaveLength(3);
      expect(await row('nudge')).toMatchObject({ status: 'dead', attempts: 3, last_error: 'HTTP 503' });
      expect(f.logger.lines).toContain('error Gave up sending nudge after 3 attempts: HTTP 503');
    });

    it('leaves for later what cannot go before the deadline', async () => {
      const outbox = f.outbox({ clock });
      f.standIn.fail('chat.postMessage', { kind: 'server_error' }, 3);
      await outbox.enqueue(f.store.db, 'later', post('C0ONE', 'later'));

      // The second retry falls after a deadline 1.2 s away: it stays queued for the running bot.
      expect(await outbox.drain({ deadline: new Date(clock.now() + 1200) })).toEqual({ sent: 0, dead: 0, pending: 1 });
      expect(await row('later')).toMatchObject({ status: 'pending', attempts: 2, lease_owner: null });
    });
  });

  describe('pacing', () => {
    it('posts at most one message a second to a channel', async () => {
      const outbox = f.outbox({ clock });
      for (let i = 1; i <= 5; i++) await outbox.enqueue(f.store.db, `m${i}`, post('C0ONE', `message ${i}`));
      const start = clock.now();

      expect(await drain(outbox)).toEqual({ sent: 5, dead: 0, pending: 0 });
      expect(clock.now() - start).toBeGreaterThanOrEqual(4000);
      expect(posts().map(text)).toEqual(['message 1', 'message 2', 'message 3', 'message 4', 'message 5']);
    });

    it('does not make other channels wait, within the workspace cap', async () => {
      const outbox = f.outbox({ clock });
      for (let i = 1; i <= 5; i++) await outbox.enqueue(f.store.db, `m${i}`, post(`C0CH${i}`, `message ${i}`));
      const start = clock.now();

      expect(await drain(outbox)).toEqual({ sent: 5, dead: 0, pending: 0 });
      // Four gaps of the 50 ms workspace cap, and no one-second wait.
      expect(clock.now() - start).toBeGreaterThanOrEqual(200);
      expect(clock.now() - start).toBeLessThan(1000);
    });

    it('lets a channel that is free go before one that must wait', async () => {
      const outbox = f.outbox({ clock });
      await outbox.enqueue(f.store.db, 'a1', post('C0ONE', 'a1'));
      await outbox.enqueue(f.store.db, 'a2', post('C0ONE', 'a2'));
      await outbox.enqueue(f.store.db, 'b1', post('C0TWO', 'b1'));

      await drain(outbox);
      expect(posts().map(text)).toEqual(['a1', 'b1', 'a2']);
    });
  });

  describe('updates and direct messages', () => {
    it('opens the group DM when the post goes, and updates that message in order once it is sent', async () => {
      const outbox = f.outbox({ clock });
      f.standIn.fail('conversations.open', { kind: 'server_error' });
      const intro = { kind: 'post' as const, users: ['U0JUN', 'U0SEN'], message: { text: 'meet your partner' } };
      await outbox.enqueue(f.store.db, 'intro:7', intro);
      await outbox.enqueue(f.store.db, 'intro:7:junior', { kind: 'update', afterKey: 'intro:7', message: { text: 'junior accepted' } });
      await outbox.enqueue(f.store.db, 'intro:7:both', { kind: 'update', afterKey: 'intro:7', message: { text: 'both accepted' } });

      // The post and the newest update are sent; the older update is closed without a call.
      expect(await drain(outbox)).toEqual({ sent: 2, dead: 0, pending: 0 });
      const opened = f.standIn.callsTo('conversations.open').at(-1);
      expect(opened?.args.users).toBe('U0JUN,U0SEN');
      const channel = (opened?.response?.channel as { id: string }).id;
      const posted = posts()[0];
      expect(posted?.args.channel).toBe(channel);
      const ts = String(posted?.response?.ts);
      const updates = f.standIn.callsTo('chat.update');
      // Both updates were waiting when the post went: the older one is out of date and is not sent.
      expect(updates.map((u) => [u.args.channel, u.args.ts, u.args.text])).toEqual([[channel, ts, 'both accepted']]);
      expect(await row('intro:7:junior')).toMatchObject({ status: 'sent', last_error: 'superseded by a newer update' });
      // Waiting for the post was not a failure of the updates.
      expect(await row('intro:7:both')).toMatchObject({ status: 'sent', attempts: 1, result_channel: channel, result_ts: ts });
      expect(f.standIn.workspace.message(channel, ts)?.message.text).toBe('both accepted');
      expect(await outbox.delivered('intro:7')).toEqual({ channel, ts });
    });

    it('sends an update that nothing newer replaces, in order', async () => {
      const outbox = f.outbox({ clock });
      await outbox.enqueue(f.store.db, 'm', post('C0ONE', 'v1'));
      await drain(outbox);
      await outbox.enqueue(f.store.db, 'm:2', { kind: 'update', afterKey: 'm', message: { text: 'v2' } });
      await drain(outbox);
      await outbox.enqueue(f.store.db, 'm:3', { kind: 'update', afterKey: 'm', message: { text: 'v3' } });
      await drain(outbox);
      expect(f.standIn.callsTo('chat.update').map(text)).toEqual(['v2', 'v3']);
    });

    it('keeps posts to a channel in order when an earlier one must be retried', async () => {
      const outbox = f.outbox({ clock });
      f.standIn.fail('chat.postMessage', { kind: 'server_error' });
      await outbox.enqueue(f.store.db, 'summary', post('C0ONE', 'summary'));
      await outbox.enqueue(f.store.db, 'batch:1', post('C0ONE', 'batch 1'));
      await outbox.enqueue(f.store.db, 'batch:2', post('C0ONE', 'batch 2'));
      expect(await drain(outbox)).toEqual({ sent: 3, dead: 0, pending: 0 });
      expect(posts().filter((c) => c.status === 200).map(text)).toEqual(['summary', 'batch 1', 'batch 2']);
    });

    it('tells someone when a message is given up', async () => {
      const lost: string[] = [];
      const outbox = f.outbox({ clock, onDead: async (r, error) => void lost.push(`${r.key}: ${error}`) });
      await outbox.enqueue(f.store.db, 'to-nowhere', post('C0GONE', 'hello'));
      f.standIn.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
      expect(await drain(outbox)).toEqual({ sent: 0, dead: 1, pending: 0 });
      expect(lost).toEqual(['to-nowhere: channel_not_found']);
    });

    it('updates a message given by channel and ts', async () => {
      const outbox = f.outbox({ clock });
      await outbox.enqueue(f.store.db, 'p', post('C0ONE', 'before'));
      await drain(outbox);
      const { channel, ts } = (await outbox.delivered('p')) ?? { channel: '', ts: '' };
      await outbox.enqueue(f.store.db, 'p:edited', { kind: 'update', channel, ts, message: { text: 'after' } });
      await drain(outbox);
      expect(f.standIn.workspace.message(channel, ts)?.message.text).toBe('after');
    });
  });

  describe('processes', () => {
    it('delivers in the background once started, woken by enqueue, and stops after the current send', async () => {
      const outbox = f.outbox({ pollMs: 60_000 });
      outbox.start();
      await outbox.enqueue(f.store.db, 'live', post('C0ONE', 'right away'));
      await f.standIn.waitFor('chat.postMessage', (c) => text(c) === 'right away', 2000);
      await outbox.stop();

      await outbox.enqueue(f.store.db, 'after-stop', post('C0TWO', 'after the restart'));
      await new Promise((r) => setTimeout(r, 100));
      expect(posts().map(text)).toEqual(['right away']);
      outbox.start();
      await f.standIn.waitFor('chat.postMessage', (c) => text(c) === 'after the restart', 3000);
    });

    it('sends each message once when two processes deliver the same database', async () => {
      const pacing = { channelIntervalMs: 100, workspaceIntervalMs: 5 };
      const first = f.outbox({ pacing });
      const second = f.outbox({ pacing }, f.openAnotherStore());
      for (let i = 0; i < 30; i++) await first.enqueue(f.store.db, `m${i}`, post(`C0CH${i % 10}`, `message ${i}`));

      const deadline = new Date(Date.now() + 10_000);
      const [a, b] = await Promise.all([first.drain({ deadline }), second.drain({ deadline })]);
      expect(a.sent + b.sent).toBe(30);
      const sent = posts().map(text).sort();
      expect(sent).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i}`).sort());
      expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    });
  });
});
