import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import type { SendOptions } from '../../src/sandbox/driver.js';
import { eventually } from '../support/contract-flows.js';
import { command, enrolmentValues, openJoin, readable } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

/** Slack's redelivery of a request: the same body, signed anew, with X-Slack-Retry-Num. */
const RETRY: SendOptions = { retryNum: 1, retryReason: 'http_timeout' };

describe("Slack's retries", () => {
  let h: Harness;
  useTandem((started) => (h = started));

  async function sendForm(body: string, opts: SendOptions = {}) {
    return h.driver.raw(body, { ...h.driver.signedHeaders(body, opts), 'Content-Type': 'application/x-www-form-urlencoded' });
  }
  const interaction = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const processed = () => h.store.db.selectFrom('processed_event').select('event_id').execute();

  it('a command delivered again runs once: one matching run, one proposal', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    const body = new URLSearchParams(h.driver.commandPayload(FACILITATOR, 'match')).toString();
    expect((await sendForm(body)).status).toBe(200);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    await eventually(async () => expect(await h.store.db.selectFrom('matching_run').selectAll().execute()).toHaveLength(1));
    const retried = await sendForm(body, RETRY);
    expect(retried.status).toBe(200);
    expect(retried.body).toBe('');
    // A different command afterwards: its reply shows the retry was handled before it.
    await command(h, FACILITATOR, 'status');
    expect(await h.store.db.selectFrom('matching_run').selectAll().execute()).toHaveLength(1);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'))).toHaveLength(1);
  });

  it('a form delivered again enrols once and welcomes once', async () => {
    const opened = await openJoin(h, 'U0NEW');
    const body = interaction(h.driver.viewSubmissionPayload('U0NEW', opened, enrolmentValues()));
    expect((await sendForm(body)).status).toBe(200);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0NEW');
    const participant = await h.store.db.selectFrom('participant').selectAll().executeTakeFirstOrThrow();
    expect((await sendForm(body, RETRY)).status).toBe(200);
    await command(h, 'U0NEW', 'status');
    expect(await h.store.db.selectFrom('participant').selectAll().execute()).toEqual([participant]);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0NEW')).toHaveLength(1);
  });

  it('a click delivered again approves a proposal once: one introduction', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await command(h, FACILITATOR, 'pair <@U0J1|j> <@U0S1|s>');
    const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    const body = interaction(h.driver.blockActionPayload(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) }));
    expect((await sendForm(body)).status).toBe(200);
    const groupDm = dmChannelId(['U0J1', 'U0S1']);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === groupDm && readable(c).includes('introduction_accept'));
    const audit = await h.store.db.selectFrom('audit_log').selectAll().execute();
    const pairs = await h.store.db.selectFrom('pair').selectAll().execute();
    expect((await sendForm(body, RETRY)).status).toBe(200);
    expect((await sendForm(body, { retryNum: 2, retryReason: 'http_error' })).status).toBe(200);
    await command(h, FACILITATOR, 'status');
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === groupDm)).toHaveLength(1);
    expect(await h.store.db.selectFrom('audit_log').selectAll().execute()).toEqual(audit);
    expect(await h.store.db.selectFrom('pair').selectAll().execute()).toEqual(pairs);
  });

  it('an event delivered again with the same event id publishes the Home tab once', async () => {
    const opened = { type: 'app_home_opened', user: 'U0NEW', channel: 'D0NEW', tab: 'home' };
    expect((await h.driver.event(opened, { eventId: 'Ev0HOME1' })).status).toBe(200);
    await h.standIn.waitFor('views.publish', (c) => c.args.user_id === 'U0NEW');
    expect((await h.driver.event(opened, { eventId: 'Ev0HOME1', ...RETRY })).status).toBe(200);
    // Another person's event afterwards, handled in turn: the retry had its chance to act before.
    expect((await h.driver.event({ ...opened, user: 'U0OTHER', channel: 'D0OTHER' }, { eventId: 'Ev0HOME2' })).status).toBe(200);
    await h.standIn.waitFor('views.publish', (c) => c.args.user_id === 'U0OTHER');
    expect(h.standIn.callsTo('views.publish').filter((c) => c.args.user_id === 'U0NEW')).toHaveLength(1);
    await eventually(async () => expect((await processed()).map((r) => r.event_id)).toEqual(expect.arrayContaining(['Ev0HOME1', 'Ev0HOME2'])));
  });
});
