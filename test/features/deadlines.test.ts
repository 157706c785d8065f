import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { t } from '../../src/i18n/index.js';
import { findParticipantByUser, updateIdentity } from '../../src/store/participants.js';
import { eventually, pairUp, propose } from '../support/contract-flows.js';
import { activePair, passAt, pressOn, waitForPosts } from '../support/followup-flows.js';
import { command, readable } from '../support/flows.js';
import { holdReads } from '../support/slow-reads.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';
import type { Database } from '../../src/store/database.js';

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

  it('with users.info slow, a modal opens at once as "Loading…" and is then filled with the real one, in the language Slack gives', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    const home = await openHome(h, ANA);
    const paths: { run: () => Promise<unknown>; callback: string; title: string }[] = [
      { run: () => h.driver.command(CAL, 'join'), callback: 'enrolment', title: t('fr', 'join.title') },
      { run: () => h.driver.command(pair.junior, 'concern'), callback: 'escalation_concern_form', title: t('fr', 'escalations.concern.title') },
      { run: () => h.driver.blockAction(CAL, { actionId: 'open_enrolment', view: homeOf(h, CAL) }), callback: 'enrolment', title: t('fr', 'join.title') },
      { run: () => h.driver.blockAction(ANA, { actionId: 'escalation_concern_open', view: home }), callback: 'escalation_concern_form', title: t('fr', 'escalations.concern.title') },
      { run: () => h.driver.blockAction(ANA, { actionId: 'home_contract', view: home }), callback: 'contract', title: t('fr', 'contract.form.title') },
    ];
    // Both changed their language in Slack, and Slack takes 2 s (past the 1 s a request may wait) to say who anyone is.
    for (const id of [ANA, CAL]) h.standIn.setUser(id, { locale: 'fr-FR', tz: 'Europe/Paris' });
    // Saved already, so that learning it again redraws no Home tab (whose drawing would ask Slack too).
    await updateIdentity(h.store.db, { userId: ANA, locale: 'fr', timeZone: 'Europe/Paris', displayName: (await findParticipantByUser(h.store.db, ANA))!.displayName }, h.clock.now);
    h.standIn.fail('users.info', { kind: 'slow', delayMs: 2000 }, 100);
    for (const path of paths) {
      // No answer still on its way (a Home tab being redrawn asks too); then nobody is known.
      while (h.standIn.callsTo('users.info').some((c) => c.status === undefined)) await new Promise((r) => setTimeout(r, 20));
      for (const id of [ANA, CAL]) h.tandem.deps.people.forget(id);
      const [opens, updates] = [h.standIn.callsTo('views.open').length, h.standIn.callsTo('views.update').length];
      await path.run();
      const loading = await opened(h, opens);
      expect(callbackOf(loading)).toBe('tandem_loading');
      expect(JSON.stringify(loading.args.view)).toContain(t('en', 'home.notice.loading'));
      const filled = await h.standIn.waitFor('views.update', (c) => h.standIn.callsTo('views.update').indexOf(c) >= updates);
      expect(filled.response).toMatchObject({ ok: true });
      // The loading modal itself, by its id and the hash Slack gave it: a newer view would not be overwritten.
      expect(filled.args).toMatchObject({ view_id: (loading.response?.view as Json).id, hash: (loading.response?.view as Json).hash });
      expect(callbackOf(filled)).toBe(path.callback);
      expect((filled.args.view as { title: { text: string } }).title.text).toBe(path.title);
      expect(h.standIn.callsTo('views.open')).toHaveLength(opens + 1);
    }
  });

  it('with users.info slow, a check-in prompt’s button in the group DM opens "Loading…" and fills it, and a refusal fills it too', async () => {
    const pair = await activePair(h);
    await passAt(h, '2027-03-15T09:00:00Z');
    const [prompt] = await waitForPosts(h, pair, 'followup_met');
    for (const id of [pair.junior, pair.senior, CAL]) h.tandem.deps.people.forget(id);
    h.standIn.fail('users.info', { kind: 'slow', delayMs: 2000 }, 100);

    let [opens, updates] = [h.standIn.callsTo('views.open').length, h.standIn.callsTo('views.update').length];
    await pressOn(h, pair.junior, prompt!, 'followup_met');
    expect(callbackOf(await opened(h, opens))).toBe('tandem_loading');
    const filled = await h.standIn.waitFor('views.update', (c) => h.standIn.callsTo('views.update').indexOf(c) >= updates);
    expect(callbackOf(filled)).toBe('followup_checkin');

    // Someone outside the pair: the refusal shows in the loading modal, not left on "Loading…".
    [opens, updates] = [h.standIn.callsTo('views.open').length, h.standIn.callsTo('views.update').length];
    await pressOn(h, CAL, prompt!, 'followup_met');
    expect(callbackOf(await opened(h, opens))).toBe('tandem_loading');
    const refused = await h.standIn.waitFor('views.update', (c) => h.standIn.callsTo('views.update').indexOf(c) >= updates);
    expect(callbackOf(refused)).toBeUndefined();
    expect(JSON.stringify(refused.args.view)).not.toContain(t('en', 'home.notice.loading'));
    expect(h.standIn.callsTo('views.open')).toHaveLength(opens + 1);
  });

  /**
   * With the person known but the database slow (as PostgreSQL waiting for a free connection), the
   * path opens "Loading…" while its read waits, and fills it with the real modal once the read is done.
   */
  async function loadingWhileReading(userId: string, table: keyof Database, run: () => Promise<unknown>, callback: string): Promise<void> {
    await h.tandem.deps.people.get(userId);
    expect(h.tandem.deps.people.peek(userId)).toBeDefined();
    const [opens, updates] = [h.standIn.callsTo('views.open').length, h.standIn.callsTo('views.update').length];
    const reads = holdReads(h, table);
    try {
      await run();
      const loading = await opened(h, opens);
      expect(callbackOf(loading)).toBe('tandem_loading');
      // Slack was not what it waited for: the person was known, the read is the one held.
      expect(reads.waiting()).toBeGreaterThan(0);
    } finally {
      reads.release();
    }
    const filled = await h.standIn.waitFor('views.update', (c) => h.standIn.callsTo('views.update').indexOf(c) >= updates);
    expect(filled.response).toMatchObject({ ok: true });
    expect(callbackOf(filled)).toBe(callback);
    expect(h.standIn.callsTo('views.open')).toHaveLength(opens + 1);
  }

  it('with the database slow, /tandem program, unpair and checkin, and the check-in and survey buttons open "Loading…" and then fill it', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, '2027-03-15T09:00:00Z');
    const [prompt] = await waitForPosts(h, pair, 'followup_met');
    await loadingWhileReading(FACILITATOR, 'programme', () => h.driver.command(FACILITATOR, 'program'), 'programme_settings');
    await loadingWhileReading(FACILITATOR, 'pair', () => h.driver.command(FACILITATOR, `unpair <@${pair.junior}|j>`), 'unpair');
    await loadingWhileReading(pair.junior, 'pair', () => h.driver.command(pair.junior, 'checkin'), 'followup_checkin');
    await loadingWhileReading(pair.junior, 'checkin_prompt', () => pressOn(h, pair.junior, prompt!, 'followup_met'), 'followup_checkin');
    await passAt(h, '2027-03-26T09:00:00Z');
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    await loadingWhileReading(pair.senior, 'checkin_prompt', () => pressOn(h, pair.senior, survey!, 'followup_survey'), 'followup_survey_form');
  });

  it('with the database slow, the Sign button of a proposed contract opens "Loading…" and then the signing modal', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    const { post } = await propose(h, pair, pair.junior);
    const sign = () => h.driver.blockAction(pair.senior, { actionId: 'contract_sign', messageTs: String(post.response?.ts), channelId: String(post.response?.channel) });
    await loadingWhileReading(pair.senior, 'contract', sign, 'contract_sign');
  });

  it('a loading modal that the person replaced meanwhile is not overwritten (the hash no longer matches)', async () => {
    h.tandem.deps.people.forget(CAL);
    h.standIn.fail('users.info', { kind: 'slow', delayMs: 1500 }, 1);
    const opens = h.standIn.callsTo('views.open').length;
    await h.driver.command(CAL, 'join');
    const loading = await opened(h, opens);
    // Another view took its place (as a newer update would): Slack gives it a new hash.
    const viewId = String((loading.response?.view as Json).id);
    const changed = await fetch(`${h.standIn.apiUrl}views.update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer xoxb-test-token' },
      body: JSON.stringify({ view_id: viewId, view: { type: 'modal', title: { type: 'plain_text', text: 'Newer' }, blocks: [] } }),
    });
    expect(((await changed.json()) as Json).ok).toBe(true);
    const refused = await h.standIn.waitFor('views.update', (c) => c.args.hash !== undefined);
    expect(refused.response).toMatchObject({ ok: false, error: 'hash_conflict' });
    expect((h.standIn.workspace.view(viewId) as { title: { text: string } }).title.text).toBe('Newer');
  });

  it('a form is acknowledged before any call to Slack, even with Slack busy', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.junior, 'concern');
    const modal = await opened(h, before);
    // What pairing queued (the proposal's edit, say) is sent first: only the form's own calls count.
    await eventually(async () => expect(await h.store.db.selectFrom('outbox').select('key').where('status', '=', 'pending').execute()).toEqual([]));
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
