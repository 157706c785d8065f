import { describe, expect, it } from 'vitest';
import { markHomesChanged } from '../../src/store/home.js';
import { eventually, levels, objectiveCount, openSign, pairUp, propose } from '../support/contract-flows.js';
import { command, enrol, readable } from '../support/flows.js';
import { activePair, checkinValues, openFrom, passAt, surveyValues, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';
const OUTSIDER = 'U0OUT';

type Json = Record<string, unknown>;
type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };

const viewOf = (call: RecordedCall) => call.args.view as { type: string; blocks: Block[] };
const text = (call: RecordedCall) => JSON.stringify(call.args.view);
const publishesTo = (h: Harness, userId: string) => h.standIn.callsTo('views.publish').filter((c) => c.args.user_id === userId);
/** The Home tab as Slack shows it now (with its view id, for clicks). */
const homeOf = (h: Harness, userId: string) => h.standIn.workspace.homeView(userId) as Json;
/** The action ids of the Home tab's buttons, block by block. */
const buttonsOf = (call: RecordedCall, blockId = 'home_actions') => viewOf(call).blocks.find((b) => b.block_id === blockId)?.elements?.map((e) => e.action_id) ?? [];

/** The person opens the Home tab; the tab the app published in answer. */
async function openHome(h: Harness, userId: string): Promise<RecordedCall> {
  const before = publishesTo(h, userId).length;
  const res = await h.driver.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' });
  expect(res.status).toBe(200);
  return h.standIn.waitFor('views.publish', (c) => c.args.user_id === userId && c.response?.ok === true && publishesTo(h, userId).indexOf(c) >= before);
}

/** How many views.publish calls so far: a later refresh is looked for after them. */
const mark = (h: Harness) => h.standIn.callsTo('views.publish').length;
/** Waits until the app publishes this person's tab with `expected` in it (a refresh), after `since` publishes. */
const homeShowing = (h: Harness, userId: string, expected: string, since = 0) =>
  h.standIn.waitFor('views.publish', (c) => h.standIn.callsTo('views.publish').indexOf(c) >= since && c.args.user_id === userId && c.response?.ok === true && text(c).includes(expected));

/** Presses a button of someone's Home tab (as `userId`, who may not be its owner: a forged click). */
async function press(h: Harness, userId: string, actionId: string, owner = userId, value?: string): Promise<void> {
  const res = await h.driver.blockAction(userId, { actionId, view: homeOf(h, owner), ...(value !== undefined ? { value } : {}) });
  expect(res.status).toBe(200);
}

/** The modal the app opened for `userId` after `before` views.open calls, with this text in it. */
async function modalWith(h: Harness, expected: string, before: number): Promise<RecordedCall> {
  return h.standIn.waitFor('views.open', (c) => h.standIn.callsTo('views.open').indexOf(c) >= before && c.status === 200 && text(c).includes(expected));
}

const opens = (h: Harness) => h.standIn.callsTo('views.open').length;
const callbackOf = (call: RecordedCall) => (call.args.view as { callback_id?: string }).callback_id;

describe('App Home: a participant', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('not enrolled: invited to enrol, and the button opens the enrolment modal', async () => {
    const home = await openHome(h, ANA);
    expect(text(home)).toContain('You are not enrolled yet');
    expect(buttonsOf(home)).toEqual(['open_enrolment']);
    expect(text(home)).not.toContain('Programme dashboard');
    const before = opens(h);
    await press(h, ANA, 'open_enrolment');
    expect(callbackOf(await modalWith(h, 'consent', before))).toBe('enrolment');
  });

  it('enrolled: status and profile, waiting for a partner, and only the profile to edit', async () => {
    await enrol(h, ANA);
    const home = await openHome(h, ANA);
    expect(text(home)).toContain('enrolled, waiting for a partner');
    expect(text(home)).toContain('*Partner:* none yet');
    expect(text(home)).toContain('Marketing');
    expect(buttonsOf(home)).toEqual(['open_enrolment', 'escalation_concern_open']);
    expect(text(home)).toContain('Edit my profile');
  });

  it('introduced: the partner and what to do next, no contract yet', async () => {
    await seed(h, junior(ANA), senior(BOB));
    await command(h, FACILITATOR, `pair <@${ANA}|a> <@${BOB}|b>`);
    const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
    await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('introduction_accept'));
    const home = await openHome(h, ANA);
    expect(text(home)).toContain(`*Partner:* <@${BOB}>. You were introduced`);
    expect(buttonsOf(home)).toEqual(['open_enrolment', 'escalation_concern_open']);
  });

  it('paired: writes the contract from the Home tab; another person’s click and a tampered value are refused', async () => {
    const pair = await pairUp(h, junior(ANA), senior(BOB));
    await seed(h, junior(OUTSIDER));
    const home = await openHome(h, ANA);
    expect(buttonsOf(home)).toEqual(['open_enrolment', 'home_contract', 'escalation_concern_open']);
    expect(text(home)).toContain('Write our contract');
    let before = opens(h);
    await press(h, ANA, 'home_contract');
    const modal = await h.standIn.waitFor('views.open', (c) => h.standIn.callsTo('views.open').indexOf(c) >= before && c.status === 200);
    expect(callbackOf(modal)).toBe('contract');
    expect(JSON.parse(String((modal.args.view as Json).private_metadata))).toEqual({ pairId: pair.pairId, basedOn: 0 });

    before = opens(h);
    await press(h, OUTSIDER, 'home_contract', ANA);
    await modalWith(h, 'belongs to another pair', before);
    before = opens(h);
    await press(h, ANA, 'home_contract', ANA, JSON.stringify({ pairId: pair.pairId, extra: 1 }));
    await modalWith(h, 'could not be read', before);
    before = opens(h);
    await press(h, ANA, 'home_contract', ANA, 'not json');
    await modalWith(h, 'could not be read', before);
    expect(await h.store.db.selectFrom('contract').selectAll().execute()).toEqual([]);
  });

  it('active: contract in force, next check-in, and the buttons to log a session and pause', async () => {
    const pair = await activePair(h, {}, { junior: junior(ANA), senior: senior(BOB) });
    const home = await openHome(h, ANA);
    expect(text(home)).toContain('*Contract:* version 1 in force');
    expect(text(home)).toContain('Next check-in: 15 March 2027.');
    expect(text(home)).toContain('No session logged yet.');
    expect(buttonsOf(home)).toEqual(['open_enrolment', 'home_contract', 'home_checkin', 'home_pause', 'escalation_concern_open']);
    expect(text(home)).toContain('Our contract');

    // Log a session: the check-in modal of this pair.
    let before = opens(h);
    await press(h, ANA, 'home_checkin');
    const checkin = await h.standIn.waitFor('views.open', (c) => h.standIn.callsTo('views.open').indexOf(c) >= before && c.status === 200);
    expect(callbackOf(checkin)).toBe('followup_checkin');
    expect(JSON.parse(String((checkin.args.view as Json).private_metadata))).toMatchObject({ pairId: pair.pairId, promptId: null });
    // Someone else with this pair's button, and a value that names no pair of theirs.
    await seed(h, junior(OUTSIDER));
    before = opens(h);
    await press(h, OUTSIDER, 'home_checkin', ANA);
    await modalWith(h, 'belongs to another pair', before);
    before = opens(h);
    await press(h, ANA, 'home_checkin', ANA, JSON.stringify({ pairId: -1 }));
    await modalWith(h, 'could not be read', before);
    before = opens(h);
    await press(h, ANA, 'home_checkin', ANA, JSON.stringify({ pairId: pair.pairId + 100 }));
    await modalWith(h, 'belongs to another pair', before);
    expect(await h.store.db.selectFrom('checkin').selectAll().execute()).toEqual([]);
  });

  it('pauses from a small modal: invalid dates shown next to the field, then paused and shown; resume from the tab', async () => {
    const pair = await activePair(h, {}, { junior: junior(ANA), senior: senior(BOB) });
    await openHome(h, ANA);
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    // The button pressed by someone else, or with a value that names no pair of theirs, opens no form.
    await seed(h, junior(OUTSIDER));
    let before = opens(h);
    await press(h, OUTSIDER, 'home_pause', ANA);
    await modalWith(h, 'belongs to another pair', before);
    before = opens(h);
    await press(h, ANA, 'home_pause', ANA, '{"pairId":null}');
    await modalWith(h, 'could not be read', before);
    expect(h.standIn.callsTo('views.open').filter((c) => callbackOf(c) === 'home_pause_form')).toEqual([]);
    before = opens(h);
    await press(h, ANA, 'home_pause');
    const modal = await h.standIn.waitFor('views.open', (c) => h.standIn.callsTo('views.open').indexOf(c) >= before && callbackOf(c) === 'home_pause_form');
    const followup = () => h.store.db.selectFrom('followup').selectAll().where('pair_id', '=', pair.pairId).executeTakeFirstOrThrow();

    const errorsOf = async (values: Json, userId = ANA, metadata?: string) => {
      const payload = h.driver.viewSubmissionPayload(userId, modal, values as never);
      if (metadata !== undefined) (payload.view as Json).private_metadata = metadata;
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
      h.standIn.handleViewSubmissionAck(res.json, payload.view);
      return res.json as { response_action: string; errors?: Record<string, string> };
    };
    expect((await errorsOf({ pause_until: '2027-03-05' })).errors).toEqual({ pause_until: expect.stringContaining('after today') });
    expect((await errorsOf({ pause_until: '2028-01-01' })).errors).toEqual({ pause_until: expect.stringContaining('Your contract ends on') });
    expect((await errorsOf({ pause_until: '2027-02-30' })).errors).toEqual({ pause_until: expect.stringContaining('Choose a date from the calendar') });
    expect((await errorsOf({ pause_until: '2027-03-20' }, ANA, JSON.stringify({ pairId: pair.pairId + 100 }))).errors).toEqual({ pause_until: expect.stringContaining('another pair') });
    expect((await errorsOf({ pause_until: '2027-03-20' }, ANA, '{"pairId":"1"}')).errors).toEqual({ pause_until: expect.stringContaining('could not be read') });
    expect((await errorsOf({ pause_until: '2027-03-20' }, OUTSIDER)).errors).toEqual({ pause_until: expect.stringContaining('another pair') });
    expect((await errorsOf({ pause_until: '2027-03-20' }, 'U0NOBODY')).errors).toEqual({ pause_until: expect.stringContaining('not enrolled') });
    expect((await followup()).paused_at).toBeNull();

    const done = await errorsOf({ pause_until: '2027-03-20' });
    expect(done.response_action).toBe('update');
    expect(JSON.stringify(done)).toContain('until 20 March 2027');
    expect(await followup()).toMatchObject({ paused_until: '2027-03-20' });
    const paused = await homeShowing(h, ANA, 'Check-ins are paused until 20 March 2027.');
    expect(buttonsOf(paused)).toEqual(['open_enrolment', 'home_contract', 'home_checkin', 'home_resume', 'escalation_concern_open']);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes('paused your check-ins until'));

    // Resume: refused to someone else (nothing changes), then done for the partner.
    before = opens(h);
    await press(h, OUTSIDER, 'home_resume', ANA);
    await modalWith(h, 'belongs to another pair', before);
    before = opens(h);
    await press(h, ANA, 'home_resume', ANA, JSON.stringify({ pairId: 0 }));
    await modalWith(h, 'could not be read', before);
    expect((await followup()).paused_at).not.toBeNull();
    const since = mark(h);
    await press(h, ANA, 'home_resume');
    const resumed = await homeShowing(h, ANA, 'Next check-in: 15 March 2027.', since);
    expect(buttonsOf(resumed)).toContain('home_pause');
    expect((await followup()).paused_at).toBeNull();
  });

  it('completed: the partner, the sessions and the learning gain, and the way back in', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' }, { junior: junior(ANA), senior: senior(BOB) });
    await openHome(h, BOB);
    await passAt(h, '2027-03-15T09:00:00Z');
    await passAt(h, '2027-03-26T09:00:00Z');
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    for (const [userId, level] of [[ANA, '5'], [BOB, '4']] as const) {
      const modal = await openFrom(h, userId, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
      const res = await h.driver.viewSubmission(userId, modal, surveyValues(2, { end_level_0: level, end_level_1: level }));
      expect(res.json?.response_action).toBe('update');
    }
    const home = await homeShowing(h, BOB, 'Your learning gain:* +1 on average, on the 1-to-5 scale.');
    expect(text(home)).toContain('programme completed');
    expect(text(home)).toContain(`<@${ANA}>. You completed the programme together.`);
    expect(text(home)).toContain('3 → 4');
    expect(buttonsOf(home)).toEqual(['open_enrolment', 'escalation_concern_open']);
    expect(text(home)).toContain('Take part again');
  });

  it('speaks French to a French participant', async () => {
    await seed(h, junior(ANA, { locale: 'fr' }));
    const home = await openHome(h, ANA);
    expect(text(home)).toContain('inscrit, en attente d’un partenaire');
    expect(text(home)).toContain('Modifier mon profil');
    expect(text(home)).not.toContain('Edit my profile');
  });
});

describe('App Home: refreshed when the person’s state changes', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('follows a pair from proposal to contract in force, for people who opened the tab only', async () => {
    await seed(h, junior(ANA), senior(BOB));
    await openHome(h, ANA);
    await command(h, FACILITATOR, `pair <@${ANA}|a> <@${BOB}|b>`);
    const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    // A proposal waiting for a facilitator is not shown to the people in it.
    expect(publishesTo(h, ANA).filter((c) => text(c).includes(BOB))).toEqual([]);
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
    await homeShowing(h, ANA, 'You were introduced');
    // Bob never opened the tab: nothing is published for him.
    expect(publishesTo(h, BOB)).toEqual([]);
  });

  it('shows the next check-in moved by the scheduled pass, and a session logged', async () => {
    const pair = await activePair(h, {}, { junior: junior(ANA), senior: senior(BOB) });
    await openHome(h, BOB);
    await passAt(h, '2027-03-15T09:00:00Z');
    await homeShowing(h, BOB, 'Next check-in: 29 March 2027.');
    const [prompt] = await waitForPosts(h, pair, 'followup_met');
    const modal = await openFrom(h, ANA, prompt as RecordedCall, 'followup_met', 'followup_checkin');
    await h.driver.viewSubmission(ANA, modal, checkinValues(4, { met_on: '2027-03-12' }));
    await homeShowing(h, BOB, 'Sessions logged: 1 (last on 12 March 2027).');
  });

  it('publishes what another process marked (e.g. `tandem jobs run`), and retries when Slack fails', async () => {
    await seed(h, junior(ANA));
    await openHome(h, ANA);
    // Slack fails twice, then answers: the change still shows, and the command is answered meanwhile.
    h.standIn.fail('views.publish', { kind: 'server_error' }, 2);
    await seed(h, junior(ANA, { department: 'Finance' }));
    await markHomesChanged(h.store.db, { userIds: [ANA] });
    await homeShowing(h, ANA, 'Finance');
    expect(publishesTo(h, ANA).filter((c) => c.status === 500)).toHaveLength(2);
    // Rate-limited: the tab waits out Retry-After, then goes.
    h.standIn.fail('views.publish', { kind: 'rate_limited', retryAfterSeconds: 1 });
    await seed(h, junior(ANA, { department: 'Legal' }));
    await markHomesChanged(h.store.db, { userIds: [ANA] });
    await homeShowing(h, ANA, 'Legal');
    expect(publishesTo(h, ANA).filter((c) => c.status === 429)).toHaveLength(1);
    // Once published, the tab is up to date: nothing more is tried.
    await eventually(async () => {
      const row = await h.store.db.selectFrom('home_tab').selectAll().where('slack_user_id', '=', ANA).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ attempts: 0, last_error: null, published_changes: row.changes });
    });
  });

  it('publishes a tab that Slack refused when it was opened, once Slack takes it again', async () => {
    await seed(h, junior(ANA));
    h.standIn.fail('views.publish', { kind: 'error', error: 'internal_error' });
    const home = await openHome(h, ANA);
    expect(text(home)).toContain('enrolled, waiting for a partner');
    expect(publishesTo(h, ANA).map((c) => c.response?.ok)).toEqual([false, true]);
  });

  it('never keeps a person waiting: their request is answered while the tab is still being published', async () => {
    await enrol(h, ANA);
    await openHome(h, ANA);
    h.standIn.fail('views.publish', { kind: 'slow', delayMs: 2000 }, 1);
    const since = mark(h);
    expect(String((await command(h, ANA, 'leave')).args.text)).toContain('really want to leave');
    await h.driver.blockAction(ANA, { actionId: 'leave_confirm' });
    const inFlight = () => h.standIn.callsTo('views.publish').slice(since).find((c) => c.args.user_id === ANA && c.status === undefined);
    await eventually(async () => expect(inFlight()).toBeDefined());
    const slow = inFlight() as RecordedCall;
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('You have left'));
    // The reply went out while Slack was still holding the tab's publish.
    expect(slow.status).toBeUndefined();
    await homeShowing(h, ANA, 'You left the programme', since);
  });
});

/** A programme of `counts` people in each state, inserted at once; ids in that order. */
async function bulkProgramme(h: Harness, counts: Record<'enrolled' | 'matched' | 'paired' | 'paused' | 'completed' | 'left', number>): Promise<void> {
  const at = h.clock.now.toISOString();
  const rows = Object.entries(counts).flatMap(([status, count]) => Array.from({ length: count }, () => status));
  const values = rows.map((status, i) => ({
    slack_user_id: `UBULK${String(i).padStart(5, '0')}`,
    role: i % 2 === 0 ? ('junior' as const) : ('senior' as const),
    status: status as 'enrolled',
    shares: '["generative_ai"]',
    learns: '["negotiation"]',
    department: `Department ${i % 25}`,
    manager_user_id: null,
    languages: '["en"]',
    format: 'either' as const,
    cadence: 'biweekly' as const,
    motivation: 'To learn',
    consent_at: at,
    time_zone: 'Europe/Paris',
    locale: 'en',
    display_name: `person ${i}`,
    created_at: at,
    updated_at: at,
    left_at: status === 'left' ? at : null,
  }));
  for (let i = 0; i < values.length; i += 400) await h.store.db.insertInto('participant').values(values.slice(i, i + 400)).execute();
  const idsOf = async (status: string) => (await h.store.db.selectFrom('participant').select('id').where('status', '=', status as 'enrolled').orderBy('id').execute()).map((r) => r.id);
  const pairs = async (status: string, pairStatus: 'proposed' | 'active' | 'completed') => {
    const ids = await idsOf(status);
    const made = [];
    for (let i = 0; i + 1 < ids.length; i += 2) {
      made.push({ junior_id: ids[i] as number, senior_id: ids[i + 1] as number, status: pairStatus, score: 1, reasons: '[]', proposed_by: FACILITATOR, proposed_at: at, updated_at: at });
    }
    for (let i = 0; i < made.length; i += 400) await h.store.db.insertInto('pair').values(made.slice(i, i + 400)).execute();
  };
  await pairs('matched', 'proposed');
  await pairs('paired', 'active');
  await pairs('paused', 'active');
  await pairs('completed', 'completed');
}

const BIG = { enrolled: 1500, matched: 200, paired: 180, paused: 40, completed: 50, left: 30 };

describe('App Home: the facilitators’ dashboard', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('summarises a programme of 2,000 people within Slack’s 100 blocks, and pages the waiting list', async () => {
    await bulkProgramme(h, BIG);
    const home = await openHome(h, FACILITATOR);
    const blocks = viewOf(home).blocks;
    expect(blocks.length).toBeLessThanOrEqual(30);
    const shown = text(home);
    expect(shown).toContain('Programme dashboard');
    expect(shown).toContain('*Participants:* 1,970 taking part');
    expect(shown).toContain('*Waiting for a partner*\\n1,500');
    expect(shown).toContain('*Left*\\n30');
    expect(shown).toContain('*Pairs:* 210 under way');
    expect(shown).toContain('*Awaiting approval*\\n100');
    expect(shown).toContain('*Contract in force*\\n110');
    expect(shown).toContain('*Completed*\\n25');
    expect(shown).toContain('<@UBULK00000>');
    expect(shown).toContain('<@UBULK00009>');
    expect(shown).not.toContain('<@UBULK00010>');
    expect(shown).toContain('…and 1,490 more.');
    expect(shown).toContain('Page 1 of 150');
    expect(buttonsOf(home, 'home_waiting_pages')).toEqual(['home_page_next']);
    expect(buttonsOf(home, 'home_matching')).toEqual(['home_run_matching']);

    await press(h, FACILITATOR, 'home_page_next');
    const second = await homeShowing(h, FACILITATOR, 'Page 2 of 150');
    expect(text(second)).toContain('<@UBULK00010>');
    expect(text(second)).not.toContain('<@UBULK00009>');
    expect(buttonsOf(second, 'home_waiting_pages')).toEqual(['home_page_previous', 'home_page_next']);
    const since = mark(h);
    await press(h, FACILITATOR, 'home_page_previous');
    await homeShowing(h, FACILITATOR, 'Page 1 of 150', since);
    // A page past the end (the list shrank since): the last one.
    await press(h, FACILITATOR, 'home_page_next', FACILITATOR, JSON.stringify({ page: 9999 }));
    const last = await homeShowing(h, FACILITATOR, 'Page 150 of 150');
    expect(text(last)).toContain('<@UBULK01499>');
    expect(text(last)).not.toContain('more.');
    expect(buttonsOf(last, 'home_waiting_pages')).toEqual(['home_page_previous']);
    for (const call of h.standIn.callsTo('views.publish')) expect(viewOf(call).blocks.length).toBeLessThanOrEqual(100);
  });

  it('refuses a page click from someone who is not a facilitator, and a tampered page, changing nothing', async () => {
    await bulkProgramme(h, { ...BIG, enrolled: 35 });
    await openHome(h, FACILITATOR);
    await press(h, FACILITATOR, 'home_page_next');
    await homeShowing(h, FACILITATOR, 'Page 2 of 4');
    const page = async () => (await h.store.db.selectFrom('home_tab').select('page').where('slack_user_id', '=', FACILITATOR).executeTakeFirstOrThrow()).page;
    expect(await page()).toBe(1);
    const published = h.standIn.callsTo('views.publish').length;

    let before = opens(h);
    await press(h, ANA, 'home_page_next', FACILITATOR);
    await modalWith(h, 'Only facilitators can do this', before);
    for (const forged of ['{"page":-1}', '{"page":1.5}', '{"page":"2"}', '{"page":10001}', '{"page":2,"user":"U0ANA"}', 'x'.repeat(3000)]) {
      before = opens(h);
      await press(h, FACILITATOR, 'home_page_next', FACILITATOR, forged);
      await modalWith(h, 'could not be read', before);
    }
    expect(await page()).toBe(1);
    expect(h.standIn.callsTo('views.publish')).toHaveLength(published);
    expect(await h.store.db.selectFrom('home_tab').select('slack_user_id').where('slack_user_id', '=', ANA).execute()).toEqual([]);
  });

  it('runs matching from the tab, for facilitators only, and shows its outcome', async () => {
    await seed(h, junior(ANA), senior(BOB));
    await openHome(h, FACILITATOR);
    await openHome(h, ANA);

    let before = opens(h);
    await press(h, ANA, 'home_run_matching', FACILITATOR);
    await modalWith(h, 'Only facilitators can do this', before);
    expect(await h.store.db.selectFrom('matching_run').selectAll().execute()).toEqual([]);

    before = opens(h);
    await press(h, FACILITATOR, 'home_run_matching');
    const running = await modalWith(h, 'Tandem is looking for the best pairs', before);
    const outcome = await h.standIn.waitFor('views.update', (c) => c.args.view_id === (running.response?.view as Json).id);
    expect(text(outcome)).toContain('1 proposal posted');
    expect(await h.store.db.selectFrom('matching_run').selectAll().execute()).toHaveLength(1);
    await homeShowing(h, FACILITATOR, 'Last matching run on 1 March 2027: 1 proposal,');
    // ANA's tab does not show the proposal before a facilitator approves it.
    expect(publishesTo(h, ANA).filter((c) => text(c).includes('has been proposed to you'))).toEqual([]);
  });

  it('follows the programme: a new enrolment shows on the dashboard shortly after', async () => {
    await seed(h, junior(ANA));
    const home = await openHome(h, FACILITATOR);
    expect(text(home)).toContain('*Waiting for a partner:* 1');
    await enrol(h, BOB);
    await homeShowing(h, FACILITATOR, '*Waiting for a partner:* 2');
  });

  it('stops showing the dashboard to someone who left the facilitators', async () => {
    await seed(h, junior(ANA));
    expect(text(await openHome(h, FACILITATOR))).toContain('Programme dashboard');
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, ['UBOT']);
    await h.driver.event({ type: 'member_left_channel', user: FACILITATOR, channel: FACILITATOR_CHANNEL, channel_type: 'G', team: 'T0' });
    const since = mark(h);
    await enrol(h, BOB);
    const home = await homeShowing(h, FACILITATOR, 'You are not enrolled yet', since);
    expect(text(home)).not.toContain('Programme dashboard');
    await eventually(async () => {
      const row = await h.store.db.selectFrom('home_tab').select('dashboard').where('slack_user_id', '=', FACILITATOR).executeTakeFirstOrThrow();
      expect(row.dashboard).toBe(0);
    });
  });

  it('shows a facilitator who is also a participant both parts, in French', async () => {
    h.standIn.setUser(FACILITATOR, { locale: 'fr-FR', tz: 'Europe/Paris' });
    await seed(h, junior(FACILITATOR, { locale: 'fr' }), ...Array.from({ length: 14 }, (_, i) => junior(`U0P${i}`)));
    const home = await openHome(h, FACILITATOR);
    const shown = text(home);
    expect(shown).toContain('Modifier mon profil');
    expect(shown).toContain('Tableau de bord du programme');
    expect(shown).toContain('*En attente d’un partenaire\u202f:* 15');
    expect(shown).toContain('… et 5 autres.');
    expect(shown).toContain('Page 1 sur 2');
    expect(shown).toContain('Page suivante');
    expect(shown).toContain('Lancer l’appariement');
    expect(shown).toContain('L’appariement n’a pas encore été lancé.');
  });
});

describe('App Home: the contract on both tabs', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('the partner who has not signed sees the version awaiting them, then the contract in force', async () => {
    const pair = await pairUp(h, junior(ANA), senior(BOB));
    await openHome(h, BOB);
    const { post } = await propose(h, pair, ANA);
    await homeShowing(h, BOB, `*Awaiting signature:* version 1, waiting for <@${BOB}>`);
    const sign = await openSign(h, BOB, post);
    await h.driver.viewSubmission(BOB, sign, levels(objectiveCount(sign)));
    const inForce = await homeShowing(h, BOB, '*Contract:* version 1 in force');
    expect(buttonsOf(inForce)).toEqual(['open_enrolment', 'home_contract', 'home_checkin', 'home_pause', 'escalation_concern_open']);
  });
});
