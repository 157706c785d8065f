import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { pairUp } from '../support/contract-flows.js';
import { command, readable } from '../support/flows.js';
import { type Harness, useTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';
const CAL = 'U0CAL';

type Json = Record<string, unknown>;
const callbackOf = (call: RecordedCall) => (call.args.view as { callback_id?: string }).callback_id;
const homeOf = (h: Harness, userId: string) => h.standIn.workspace.homeView(userId) as Json;

/** The next views.open after `before` calls, answered: it must have been made while its trigger lived. */
async function opened(h: Harness, before: number): Promise<RecordedCall> {
  const call = await h.standIn.waitFor('views.open', (c) => h.standIn.callsTo('views.open').indexOf(c) >= before);
  expect(call.response).toMatchObject({ ok: true });
  return call;
}

async function openHome(h: Harness, userId: string): Promise<Json> {
  const before = h.standIn.callsTo('views.publish').filter((c) => c.args.user_id === userId && c.response?.ok === true).length;
  await h.driver.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' });
  await h.standIn.waitFor('views.publish', () => h.standIn.callsTo('views.publish').filter((c) => c.args.user_id === userId && c.response?.ok === true).length > before);
  return homeOf(h, userId);
}

describe('Slack’s deadlines while Slack is busy', () => {
  let h: Harness;
  useTandem((harness) => (h = harness));

  /** users.info answers 429 (Retry-After 30 s) to every call from now on. */
  const holdUsersInfo = () => h.standIn.fail('users.info', { kind: 'rate_limited', retryAfterSeconds: 30 }, 1000);

  it('with users.info held at 429, /tandem join, /tandem concern and the Home tab buttons still open their modals', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    const homeBefore = await openHome(h, ANA);
    await openHome(h, CAL);
    const asked = h.standIn.callsTo('users.info').length;
    holdUsersInfo();
    // Nobody is known any more: every request has to ask Slack, which says "later".
    h.tandem.deps.people.forget(ANA);
    h.tandem.deps.people.forget(CAL);

    let before = h.standIn.callsTo('views.open').length;
    await h.driver.command(CAL, 'join');
    expect(callbackOf(await opened(h, before))).toBe('enrolment');

    before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.junior, 'concern');
    expect(callbackOf(await opened(h, before))).toBe('escalation_concern_form');

    before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction(CAL, { actionId: 'open_enrolment', view: homeOf(h, CAL) });
    expect(callbackOf(await opened(h, before))).toBe('enrolment');

    before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction(ANA, { actionId: 'escalation_concern_open', view: homeBefore });
    expect(callbackOf(await opened(h, before))).toBe('escalation_concern_form');

    before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction(ANA, { actionId: 'home_contract', view: homeBefore });
    await opened(h, before);

    // Each users.info was asked once and refused at once: nobody waited out Retry-After.
    const held = h.standIn.callsTo('users.info').slice(asked);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((c) => c.status === 429)).toBe(true);
  });

  it('a form is acknowledged before any call to Slack, even with Slack busy', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.junior, 'concern');
    const modal = await opened(h, before);
    holdUsersInfo();
    h.tandem.deps.people.forget(ANA);
    const callsBefore = h.standIn.calls.length;
    const res = await h.driver.viewSubmission(ANA, modal, { concern: '' });
    expect(res.json).toMatchObject({ response_action: 'errors' });
    expect(h.standIn.calls.slice(callsBefore).filter((c) => c.method !== 'chat.postMessage')).toEqual([]);
  });

  it('views.open at 429: the person is told Slack is busy, and the outbox still sends its messages', async () => {
    h.standIn.setUser(CAL, {});
    h.standIn.fail('views.open', { kind: 'rate_limited', retryAfterSeconds: 30 }, 10);
    const reply = await command(h, CAL, 'join');
    expect(readable(reply)).toContain('Slack is busy');
    await h.tandem.deps.outbox.enqueue(h.store.db, 'busy-test', { kind: 'post', channel: BOB, message: { text: 'still delivered' } });
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.text === 'still delivered');
    expect(h.standIn.callsTo('views.open')).toHaveLength(1);
  });

  it('a Home tab button answers where the person sees it: a refusal opens in a small modal', async () => {
    await pairUp(h, { userId: ANA }, { userId: BOB });
    const home = await openHome(h, ANA);
    // Someone not enrolled presses the concern button of a Home tab (a forged click).
    const before = h.standIn.callsTo('views.open').length;
    const replies = h.standIn.callsTo('response_url').length;
    await h.driver.blockAction(CAL, { actionId: 'escalation_concern_open', view: home });
    const notice = await opened(h, before);
    expect(JSON.stringify(notice.args.view)).not.toContain('escalation_concern_form');
    expect(JSON.stringify(notice.args.view)).toContain("You are not enrolled yet");
    expect(h.standIn.callsTo('response_url')).toHaveLength(replies);
  });
});
