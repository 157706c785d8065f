/**
 * What several processes on one database must agree on, held by the database: Slack's pace per
 * channel and a 429's pause (the outbox), one publisher per Home tab, and the facilitator list.
 * Each "process" here is an outbox or a service on its own connection to the same database.
 */
import { LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HomeRefresh } from '../../src/features/home/refresh.js';
import { Facilitators } from '../../src/slack/facilitators.js';
import { eventually } from '../support/contract-flows.js';
import { dueHomeTabs, markHomePublished, markHomesChanged, recordHomeOpened, takeHomeTab } from '../../src/store/home.js';
import { type OutboxFixture, outboxFixture, recordingLogger, TOKEN } from '../support/outbox-fixture.js';

const post = (channel: string, message: string) => ({ kind: 'post' as const, channel, message: { text: message } });

describe('several processes on one database', () => {
  let f: OutboxFixture;
  beforeEach(async () => {
    f = await outboxFixture();
  });
  afterEach(async () => {
    f.standIn.assertNoViolations();
    await f.close();
  });

  // Real time: a clock shared by two processes that each move it would run ahead of their leases.
  // A pace far longer than the drains shows who waited for whom without measuring any time.
  const pacing = { channelIntervalMs: 60_000, workspaceIntervalMs: 5 };
  const posted = () => f.standIn.callsTo('chat.postMessage').filter((c) => c.status === 200);
  const drainBoth = async () => {
    const first = f.outbox({ pacing });
    const second = f.outbox({ pacing }, f.openAnotherStore());
    const deadline = new Date(Date.now() + 2000);
    const [a, b] = await Promise.all([first.drain({ deadline }), second.drain({ deadline })]);
    return { a, b };
  };

  it('keep to one post per interval and channel between them', async () => {
    const queue = f.outbox({ pacing });
    for (let i = 1; i <= 4; i++) await queue.enqueue(f.store.db, `m${i}`, post('C0ONE', `message ${i}`));
    await queue.enqueue(f.store.db, 'other', post('C0TWO', 'another channel'));

    const { a, b } = await drainBoth();
    // Each process alone would post again after the other's post; shared, the channel's turn is taken.
    expect(a.sent + b.sent).toBe(2);
    expect(posted().map((c) => c.args.text).sort()).toEqual(['another channel', 'message 1']);
    expect(b.pending).toBe(3);
  });

  it('all wait out a 429 that one of them received', async () => {
    f.standIn.fail('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 60 });
    const queue = f.outbox({ pacing });
    for (let i = 1; i <= 4; i++) await queue.enqueue(f.store.db, `m${i}`, post(`C0CH${i}`, `message ${i}`));

    const { a, b } = await drainBoth();
    expect(f.standIn.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
    // The other process may have had one call on its way already; after that, it waited too.
    expect(a.sent + b.sent).toBeLessThanOrEqual(1);
    expect(b.pending).toBeGreaterThanOrEqual(3);
  });

  it('publish a Home tab from one process at a time', async () => {
    const other = f.openAnotherStore();
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000);
    await recordHomeOpened(f.store.db, 'U0ANA', false, now);
    await markHomesChanged(f.store.db, { userIds: ['U0ANA'] });

    const taken = await takeHomeTab(f.store.db, 'U0ANA', 'first', now, lease);
    expect(taken?.lease_owner).toBe('first');
    expect(await takeHomeTab(other.db, 'U0ANA', 'second', now, lease)).toBeUndefined();
    expect(await dueHomeTabs(other.db, now, 10)).toEqual([]);

    // A change while it is published: the tab stays stale, and free for anyone once published.
    await markHomesChanged(other.db, { userIds: ['U0ANA'] });
    await markHomePublished(f.store.db, 'U0ANA', { changes: taken?.changes ?? 0, dashboard: false, notBefore: null }, now);
    expect((await dueHomeTabs(other.db, now, 10)).map((r) => r.slack_user_id)).toEqual(['U0ANA']);
    expect((await takeHomeTab(other.db, 'U0ANA', 'second', now, lease))?.lease_owner).toBe('second');
    // A lease that ran out (its process died) is taken over.
    const later = new Date(lease.getTime() + 1);
    expect((await takeHomeTab(f.store.db, 'U0ANA', 'first', later, new Date(later.getTime() + 30_000)))?.lease_owner).toBe('first');
  });

  it('publish a stale Home tab once, whichever of their loops finds it first', async () => {
    const other = f.openAnotherStore();
    const clientOptions = { slackApiUrl: f.standIn.apiUrl, logger: recordingLogger(), logLevel: LogLevel.ERROR };
    const timing = { debounceMs: 1, pollMs: 20, paceMs: 1 };
    const loops = [f.store, other].map((store) => {
      const home = new HomeRefresh({ db: store.db, token: TOKEN, clientOptions, logger: recordingLogger(), timing });
      home.renderWith(async () => ({ view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your status' } }] }, dashboard: false }));
      return home;
    });
    const people = ['U0ANA', 'U0BEN', 'U0CAT', 'U0DAN'];
    for (const userId of people) await recordHomeOpened(f.store.db, userId, false, new Date());
    await markHomesChanged(f.store.db, { userIds: people });
    for (const loop of loops) loop.start();
    try {
      await eventually(async () => expect(await dueHomeTabs(f.store.db, new Date(), 10)).toEqual([]));
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await Promise.all(loops.map((loop) => loop.stop()));
    }
    expect(f.standIn.callsTo('views.publish').map((c) => c.args.user_id).sort()).toEqual(people);
  });

  it('drop the facilitator list everywhere when one of them hears that someone joined', async () => {
    const client = () => new WebClient(TOKEN, { slackApiUrl: f.standIn.apiUrl, logger: recordingLogger(), logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
    const other = f.openAnotherStore();
    const first = new Facilitators(client(), f.store.db, 'C0FACIL', [], recordingLogger());
    const second = new Facilitators(client(), other.db, 'C0FACIL', [], recordingLogger());
    f.standIn.setChannelMembers('C0FACIL', ['U0FAC1'], { isPrivate: true });
    expect(await first.isFacilitator('U0NEW')).toBe(false);
    expect(await second.isFacilitator('U0NEW')).toBe(false);
    expect(await second.peek('U0FAC1')).toBe(true);

    f.standIn.setChannelMembers('C0FACIL', ['U0FAC1', 'U0NEW']);
    // Slack tells one instance (member_joined_channel); the other had the old list for a minute more.
    await first.invalidate();
    expect(await second.peek('U0NEW')).toBeUndefined();
    expect(await second.isFacilitator('U0NEW')).toBe(true);
    expect(await first.isFacilitator('U0NEW')).toBe(true);
    expect(f.standIn.callsTo('conversations.members')).toHaveLength(4);
  });
});
