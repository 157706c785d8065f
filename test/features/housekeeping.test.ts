import { describe, expect, it } from 'vitest';
import { SlackApiError } from '../../src/sandbox/fake-workspace.js';
import { ERASED_REQUEST, pruneBookkeeping } from '../../src/store/housekeeping.js';
import { lostSummaryText } from '../../src/features/workspace/lost.js';
import { readable } from '../support/flows.js';
import { passAt } from '../support/followup-flows.js';
import { FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const NOW = new Date('2029-06-01T09:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

async function outboxRow(h: Harness, key: string, status: 'pending' | 'sent' | 'dead', at: string, afterKey: string | null = null) {
  await h.store.db
    .insertInto('outbox')
    .values({
      key,
      kind: afterKey ? 'update' : 'post',
      request: JSON.stringify(afterKey ? { kind: 'update', afterKey, message: { text: `secret text ${key}` } } : { kind: 'post', channel: 'U0ANA', message: { text: `secret text ${key}` } }),
      channel_hint: afterKey ? `after:${afterKey}` : 'U0ANA',
      after_key: afterKey,
      status,
      next_attempt_at: status === 'pending' ? '2100-01-01T00:00:00.000Z' : at,
      created_at: at,
      sent_at: status === 'sent' ? at : null,
      result_channel: status === 'sent' ? 'D0ANA' : null,
      result_ts: status === 'sent' ? '1.000100' : null,
    })
    .execute();
}

describe('bookkeeping pruned on a schedule', () => {
  let h: Harness;
  useTandem((harness) => (h = harness), { now: NOW });

  it('erases old delivery records, old message texts then rows, and audit entries past the retention, keeping what a retry or an edit needs', async () => {
    await h.store.db
      .insertInto('processed_event')
      .values([
        { event_id: 'old', processed_at: daysAgo(8) },
        { event_id: 'recent', processed_at: daysAgo(1) },
      ])
      .execute();
    await outboxRow(h, 'sent-recent', 'sent', daysAgo(5));
    await outboxRow(h, 'sent-month', 'sent', daysAgo(40));
    await outboxRow(h, 'dead-month', 'dead', daysAgo(40));
    await outboxRow(h, 'sent-old', 'sent', daysAgo(500));
    await outboxRow(h, 'parent-old', 'sent', daysAgo(500));
    await outboxRow(h, 'child-pending', 'pending', daysAgo(500), 'parent-old');
    await h.store.db
      .insertInto('audit_log')
      .values([
        { at: daysAgo(800), actor_user_id: 'U0ANA', action: 'old', subject: 'x', details: '{}' },
        { at: daysAgo(30), actor_user_id: 'U0ANA', action: 'recent', subject: 'x', details: '{}' },
      ])
      .execute();

    const report = await passAt(h, NOW.toISOString());
    expect(report.pruned).toMatchObject({ processedEvents: 1, messages: 1, auditEntries: 1 });

    expect((await h.store.db.selectFrom('processed_event').select('event_id').execute()).map((r) => r.event_id)).toEqual(['recent']);
    const rows = new Map((await h.store.db.selectFrom('outbox').select(['key', 'request', 'status']).execute()).map((r) => [r.key, r]));
    expect(rows.get('sent-recent')?.request).toContain('secret text');
    expect(rows.get('sent-month')?.request).toBe(ERASED_REQUEST);
    expect(rows.get('dead-month')?.request).toBe(ERASED_REQUEST);
    expect(rows.has('sent-old')).toBe(false);
    // A pending edit still needs the message its parent posted; the pending row keeps its text.
    expect(rows.has('parent-old')).toBe(true);
    expect(rows.get('child-pending')?.request).toContain('secret text');
    expect((await h.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)).toContain('recent');
    expect((await h.store.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)).not.toContain('old');

    // The audit log follows the retention setting: shorter, and more goes.
    await h.store.db.insertInto('audit_log').values({ at: daysAgo(45), actor_user_id: 'U0ANA', action: 'six weeks', subject: 'x', details: '{}' }).execute();
    expect((await pruneBookkeeping(h.store.db, NOW, 24)).auditEntries).toBe(0);
    expect((await pruneBookkeeping(h.store.db, NOW, 1)).auditEntries).toBe(1);
    const left = await h.store.db.selectFrom('audit_log').select(['at', 'action']).execute();
    expect(left.map((r) => r.action)).toContain('recent');
    expect(left.every((r) => r.at >= daysAgo(31))).toBe(true);
  });
});

describe('a long Slack outage', () => {
  let h: Harness;
  useTandem((harness) => (h = harness));

  it('ends in one summary notice to the facilitators, in words, not one notice per lost message', async () => {
    // People's DMs are refused for good, and the facilitators' channel is down meanwhile.
    h.standIn.answer('chat.postMessage', (args) => {
      if (args.channel === FACILITATOR_CHANNEL) throw new Error('Slack is down');
      throw new SlackApiError('user_not_found');
    });
    const outbox = h.tandem.deps.outbox;
    await outbox.enqueue(h.store.db, 'prompt:1:2027-03-01', { kind: 'post', channel: 'U0ANA', message: { text: 'Time for a check-in' } });
    await outbox.enqueue(h.store.db, 'reminder:1', { kind: 'post', channel: 'U0BOB', message: { text: 'A reminder' } });
    await outbox.enqueue(h.store.db, 'intro:7', { kind: 'post', users: ['U0CAL', 'U0DAN'], message: { text: 'Meet your partner' } });
    const dead = async () => (await h.store.db.selectFrom('outbox').select('id').where('status', '=', 'dead').execute()).length;
    for (let i = 0; i < 200 && (await dead()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await dead()).toBe(3);

    const summaries = await h.store.db.selectFrom('outbox').select(['key', 'status']).where('key', 'like', 'lost:%').execute();
    expect(summaries).toHaveLength(1);
    // Slack comes back: the one summary goes.
    h.standIn.answer('chat.postMessage', () => ({ channel: FACILITATOR_CHANNEL, ts: '9.000100' }));
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && c.status === 200, 10_000);
    const text = readable(notice);
    expect(text).toContain('stopped trying to deliver 3 messages');
    expect(text).toContain('2 check-in prompts or reminders for <@U0ANA> and <@U0BOB>');
    expect(text).toContain('1 introduction of a pair for <@U0CAL> and <@U0DAN>');
    expect(text).not.toContain('prompt:1');
    expect(text).not.toContain('reminder:1');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && c.status === 200)).toHaveLength(1);
  });

  it('names five people at most per kind of message, then says how many others, as a list reads in each language', () => {
    const rows = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'].map((user, i) => ({ key: `prompt:${i}:2027-03-01`, request: JSON.stringify({ kind: 'post', channel: user }) }));
    expect(lostSummaryText(h.tandem.deps, 'en', rows)).toContain('7 check-in prompts or reminders for <@U1>, <@U2>, <@U3>, <@U4>, <@U5> and 2 others');
    expect(lostSummaryText(h.tandem.deps, 'fr', rows)).toContain('pour <@U1>, <@U2>, <@U3>, <@U4>, <@U5> et 2 autres');
    const one = [...rows.slice(0, 5), { key: 'prompt:9:2027-03-01', request: JSON.stringify({ kind: 'post', channel: 'U6' }) }];
    expect(lostSummaryText(h.tandem.deps, 'en', one)).toContain('<@U5> and 1 other');
  });
});
