import { describe, expect, it } from 'vitest';
import { ephemeralTo, eventually } from '../support/contract-flows.js';
import { asUser, command, readable, sendInteraction, sendView } from '../support/flows.js';
import { activePair, checkinValues, openFrom, passAt, postsWith, pressOn, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const OUTSIDER = 'U0OUT';

type Payload = Record<string, unknown>;
/** Replaces the selected option of a field, as a forged request would. */
function forgeChoice(payload: Payload, block: string, value: string, type = 'static_select'): Payload {
  const copy = structuredClone(payload);
  const values = (copy.view as { state: { values: Record<string, Record<string, unknown>> } }).state.values;
  values[block] = { [block]: { type, selected_option: { value } } };
  return copy;
}
// The default contract: from Monday 1 March 2027, every two weeks, four objectives (two a side);
// both partners in Paris, check-in hour 10:00, so the first check-in is Monday 15 March, 09:00 UTC.
const FIRST_DUE = '2027-03-15T09:00:00Z';

describe('check-in prompts', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const prompts = () => h.store.db.selectFrom('checkin_prompt').selectAll().orderBy('id').execute();
  const answers = () => h.store.db.selectFrom('prompt_answer').selectAll().orderBy('id').execute();
  const checkins = () => h.store.db.selectFrom('checkin').selectAll().orderBy('id').execute();

  it('are asked in the group DM at the check-in hour, not before, and once whatever the number of passes', async () => {
    const pair = await activePair(h);
    expect((await passAt(h, '2027-03-15T08:59:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-15T12:00:00Z')).followup.prompts).toBe(0);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    expect(readable(post as RecordedCall)).toContain('followup_not_yet');
    expect(readable(post as RecordedCall)).toContain('followup_help');
    expect(await prompts()).toMatchObject([{ pair_id: pair.pairId, kind: 'checkin', due_on: '2027-03-15' }]);
    // The next one follows the rhythm: two weeks later.
    const followup = await h.store.db.selectFrom('followup').selectAll().where('pair_id', '=', pair.pairId).executeTakeFirstOrThrow();
    expect(followup).toMatchObject({ last_due_on: '2027-03-15', next_due_on: '2027-03-29', next_kind: 'checkin' });
    // Paris changed to summer time on 28 March: 10:00 there is now 08:00 UTC.
    expect((await passAt(h, '2027-03-29T07:59:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-29T08:00:00Z')).followup.prompts).toBe(1);
    // The second pass also sends the first prompt's reminder, which carries the same buttons.
    await waitForPosts(h, pair, 'followup_met', 3);
    const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm && readable(c).includes('followup_met'));
    expect(posts.filter((c) => !readable(c).includes('gentle reminder'))).toHaveLength(2);
  });

  it('are sent once when two passes run at the same time', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date(FIRST_DUE);
    const { runPass } = await import('../../src/jobs/pass.js');
    const reports = await Promise.all([runPass(h.tandem.deps, h.clock.now), runPass(h.tandem.deps, h.clock.now), runPass(h.tandem.deps, h.clock.now)]);
    expect(reports.reduce((sum, r) => sum + r.followup.prompts, 0)).toBe(1);
    await waitForPosts(h, pair, 'followup_met');
    await new Promise((r) => setTimeout(r, 100));
    expect(postsWith(h, pair, 'followup_met')).toHaveLength(1);
  });

  it('"We met" opens the check-in modal with every field; a valid one is stored and shown on the prompt', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    const modal = await openFrom(h, pair.junior, post as RecordedCall, 'followup_met', 'followup_checkin');
    const blocks = (modal.args.view as { blocks: { type: string; block_id?: string }[] }).blocks;
    expect(blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual([
      'met_on',
      'minutes',
      'topics',
      'progress_0',
      'progress_1',
      'progress_2',
      'progress_3',
      'rating',
      'flow',
      'private_note',
    ]);
    const res = await h.driver.viewSubmission(pair.junior, modal, checkinValues(4, { rating: '5', private_note: 'All good' }));
    expect(res.json?.response_action).toBe('update');
    expect(await checkins()).toMatchObject([{ pair_id: pair.pairId, met_on: '2027-03-12', minutes: 60, rating: 5, flow: 'both', private_note: 'All good', prompt_id: 1 }]);
    expect(JSON.parse((await checkins())[0]?.progress as string)).toEqual(['started', 'started', 'started', 'started']);
    expect(await answers()).toMatchObject([{ answer: 'met', checkin_id: 1 }]);
    const update = await h.standIn.waitFor('chat.update', (c) => c.args.channel === pair.groupDm && readable(c).includes('logged a session'));
    expect(readable(update)).toContain(`<@${pair.junior}>`);
    // The partner answers for themselves.
    const other = await openFrom(h, pair.senior, post as RecordedCall, 'followup_met', 'followup_checkin');
    expect((await h.driver.viewSubmission(pair.senior, other, checkinValues(4))).json?.response_action).toBe('update');
    expect(await checkins()).toHaveLength(2);
  });

  it('refuses invalid check-ins field by field, and stores nothing', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    const modal = await openFrom(h, pair.junior, post as RecordedCall, 'followup_met', 'followup_checkin');
    const cases: [Record<string, string | null>, string, string][] = [
      [{ met_on: '2027-03-16' }, 'met_on', 'Choose today or an earlier date: a session is logged once it has happened (today is 15 March 2027).'],
      [{ met_on: '2027-02-26' }, 'met_on', 'contract started on 1 March 2027'],
      [{ rating: null }, 'rating', 'Fill this in.'],
      [{ topics: ' ' }, 'topics', 'Fill this in.'],
      [{ topics: 'x'.repeat(1001) }, 'topics', 'Write at most 1,000 characters (you wrote 1,001).'],
      [{ progress_2: null }, 'progress_2', 'Fill this in.'],
      [{ private_note: 'y'.repeat(1001) }, 'private_note', 'Write at most 1,000 characters (you wrote 1,001).'],
    ];
    for (const [override, block, message] of cases) {
      const res = await h.driver.viewSubmission(pair.junior, modal, checkinValues(4, override));
      expect(res.json?.response_action, block).toBe('errors');
      expect(String((res.json?.errors as Record<string, string>)[block]), block).toContain(message);
    }
    // Choices that are not in the lists can only come from a forged request.
    const valid = h.driver.viewSubmissionPayload(pair.junior, modal, checkinValues(4));
    for (const [block, value, type] of [['rating', '6', 'radio_buttons'], ['minutes', '7', 'static_select'], ['flow', 'sideways', 'radio_buttons'], ['progress_1', 'done!', 'static_select']] as const) {
      const answer = await sendView(h, forgeChoice(valid, block, value, type));
      expect(answer?.response_action, block).toBe('errors');
      expect(String((answer?.errors as Record<string, string>)[block]), block).toContain('options offered');
    }
    expect(await checkins()).toEqual([]);
    expect(await answers()).toEqual([]);
  });

  it('refuses a second answer to the same prompt, a replayed form, an outsider and a tampered value', async () => {
    const pair = await activePair(h);
    await seed(h, junior(OUTSIDER));
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    const modal = await openFrom(h, pair.junior, post as RecordedCall, 'followup_met', 'followup_checkin');
    const submission = h.driver.viewSubmissionPayload(pair.junior, modal, checkinValues(4));
    expect((await sendView(h, submission))?.response_action).toBe('update');
    // The same form sent again (a double click on Save, or a retry).
    expect(JSON.stringify((await sendView(h, submission))?.errors)).toContain('already answered');
    // "Not yet" after having met.
    await pressOn(h, pair.junior, post as RecordedCall, 'followup_not_yet');
    await ephemeralTo(h, 'already answered');
    // Someone outside the pair.
    await pressOn(h, OUTSIDER, post as RecordedCall, 'followup_help');
    await ephemeralTo(h, 'belongs to another pair');
    const outsiderForm = await sendView(h, asUser(submission, OUTSIDER));
    expect(JSON.stringify(outsiderForm?.errors)).toContain('another pair');
    // A tampered button value.
    const payload = h.driver.blockActionPayload(pair.senior, { actionId: 'followup_help', messageTs: String(post?.response?.ts), channelId: pair.groupDm });
    const actions = payload.actions as { value: string }[];
    (actions[0] as { value: string }).value = '{"promptId":"1; drop table"}';
    expect(await sendInteraction(h, payload)).toBe(200);
    await ephemeralTo(h, 'could not be read');
    // Tampered metadata.
    const forged = structuredClone(asUser(submission, pair.senior));
    (forged.view as { private_metadata: string }).private_metadata = JSON.stringify({ pairId: pair.pairId, contractId: 1, promptId: 'x' });
    expect((await sendView(h, forged))?.response_action).toBe('errors');
    expect(await checkins()).toHaveLength(1);
    expect(await answers()).toHaveLength(1);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('We need help'))).toEqual([]);
  });

  it('"Not yet" and "We need help" are stored per partner; help reaches the facilitators', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    await pressOn(h, pair.junior, post as RecordedCall, 'followup_not_yet');
    await ephemeralTo(h, 'Tandem will ask again');
    await pressOn(h, pair.senior, post as RecordedCall, 'followup_help');
    await ephemeralTo(h, 'A facilitator has been told');
    expect((await answers()).map((a) => a.answer)).toEqual(['not_yet', 'help']);
    // The first check-in is too early for "no first session" (counted from this very prompt): the
    // request for help opens the pair's escalation.
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('We need help'));
    expect(readable(notice)).not.toContain('No session logged');
    expect(readable(notice)).toContain(`<@${pair.senior}>`);
    // Pressed twice: nothing more.
    await pressOn(h, pair.senior, post as RecordedCall, 'followup_help');
    await ephemeralTo(h, 'already answered');
    expect(await answers()).toHaveLength(2);
  });

  it('get one reminder, two working days later, when nobody answered', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    await waitForPosts(h, pair, 'followup_met');
    expect((await passAt(h, '2027-03-17T08:59:00Z')).followup.reminders).toBe(0);
    expect((await passAt(h, '2027-03-17T09:00:00Z')).followup.reminders).toBe(1);
    expect((await passAt(h, '2027-03-18T09:00:00Z')).followup.reminders).toBe(0);
    const posts = await waitForPosts(h, pair, 'followup_met', 2);
    expect(readable(posts[1] as RecordedCall)).toContain('gentle reminder');
  });

  it('get no reminder once a partner answered', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    await pressOn(h, pair.junior, post as RecordedCall, 'followup_not_yet');
    await ephemeralTo(h, 'Tandem will ask again');
    expect((await passAt(h, '2027-03-18T09:00:00Z')).followup.reminders).toBe(0);
  });
});

describe('/tandem checkin', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('opens the same modal at any time, without a prompt, and stores the session', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.senior, 'checkin');
    const { nextModal } = await import('../support/contract-flows.js');
    const modal = await nextModal(h, 'followup_checkin', before);
    expect(JSON.parse((modal.args.view as { private_metadata: string }).private_metadata)).toMatchObject({ pairId: pair.pairId, promptId: null });
    const res = await h.driver.viewSubmission(pair.senior, modal, checkinValues(4, { met_on: '2027-03-05' }));
    expect(res.json?.response_action).toBe('update');
    const rows = await h.store.db.selectFrom('checkin').selectAll().execute();
    expect(rows).toMatchObject([{ prompt_id: null, met_on: '2027-03-05' }]);
    const status = await command(h, pair.senior, 'status');
    expect(readable(status)).toContain('Sessions logged: 1');
    expect(readable(status)).toContain('Next check-in: 15 March 2027');
  });

  it('tells someone without an active pair what to do', async () => {
    await seed(h, junior('U0ALONE'), senior('U0SEN'));
    const reply = await command(h, 'U0ALONE', 'checkin');
    expect(String(reply.args.text)).toContain('not in an active pair');
  });
});

describe('/tandem pause and /tandem resume', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('pause until a date: no prompt meanwhile, and check-ins restart by themselves at the date', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    const reply = await command(h, pair.junior, 'pause 2027-04-02');
    expect(String(reply.args.text)).toContain('paused for your pair until 2 April 2027');
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes(`<@${pair.junior}> and <@${pair.senior}>, <@${pair.junior}> paused your check-ins until 2 April 2027`));
    const people = await h.store.db.selectFrom('participant').select('status').execute();
    expect(people.map((p) => p.status)).toEqual(['paused', 'paused']);
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-29T09:00:00Z')).followup.prompts).toBe(0);
    // The pause ends on 2 April at the check-in hour in the pauser's zone; the next date of the rhythm is 12 April.
    const groupPosts = () => h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm).length;
    await new Promise((r) => setTimeout(r, 100));
    const before = groupPosts();
    expect((await passAt(h, '2027-04-01T22:00:00Z')).followup.resumed).toBe(0);
    const resumed = await passAt(h, '2027-04-02T08:00:00Z');
    expect(resumed.followup.resumed).toBe(1);
    // Silent: the pair was told the date when pausing, and the next prompt comes at its own date and hour.
    await new Promise((r) => setTimeout(r, 150));
    expect(groupPosts()).toBe(before);
    const followup = await h.store.db.selectFrom('followup').selectAll().executeTakeFirstOrThrow();
    expect(followup).toMatchObject({ paused_at: null, next_due_on: '2027-04-12' });
    expect((await passAt(h, '2027-04-12T08:00:00Z')).followup.prompts).toBe(1);
  });

  it('pause without a date lasts until resume; the missed check-ins are not asked afterwards', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    expect(String((await command(h, pair.senior, 'pause')).args.text)).toContain('until one of you resumes them (`/tandem resume` or *Resume check-ins* on the Home tab)');
    expect(String((await command(h, pair.junior, 'pause')).args.text)).toContain('already paused');
    expect((await passAt(h, '2027-04-30T09:00:00Z')).followup).toMatchObject({ prompts: 0, resumed: 0 });
    h.clock.now = new Date('2027-05-03T12:00:00Z');
    expect(String((await command(h, pair.junior, 'resume')).args.text)).toContain('resume');
    expect(String((await command(h, pair.junior, 'resume')).args.text)).toContain('Nothing is paused, so there is nothing to resume.');
    const followup = await h.store.db.selectFrom('followup').selectAll().executeTakeFirstOrThrow();
    expect(followup.next_due_on).toBe('2027-05-10');
    expect((await h.store.db.selectFrom('participant').select('status').execute()).map((p) => p.status)).toEqual(['paired', 'paired']);
  });

  it('refuses a malformed, past or too late date; someone with no pair steps out of matching instead', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    expect(String((await command(h, pair.junior, 'pause next week')).args.text)).toContain('YYYY-MM-DD');
    expect(String((await command(h, pair.junior, 'pause 2027-02-30')).args.text)).toContain('YYYY-MM-DD');
    expect(String((await command(h, pair.junior, 'pause 2027-03-10')).args.text)).toContain('after today');
    expect(String((await command(h, pair.junior, 'pause 2028-01-01')).args.text)).toContain('Your contract ends on');
    await seed(h, junior(OUTSIDER));
    expect(String((await command(h, OUTSIDER, 'pause')).args.text)).toContain('You are left out of matching');
    const followup = await h.store.db.selectFrom('followup').selectAll().executeTakeFirstOrThrow();
    expect(followup.paused_at).toBeNull();
  });
});

describe('the closing survey', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('goes out at the contract end; both answers complete the pair and status shows the learning gain', async () => {
    const { surveyValues } = await import('../support/followup-flows.js');
    const pair = await activePair(h, { end_date: '2027-03-26' });
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    expect((await passAt(h, '2027-03-26T08:00:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-26T09:00:00Z')).followup.prompts).toBe(1);
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    const modal = await openFrom(h, pair.junior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    const inputs = (modal.args.view as { blocks: { type: string; block_id?: string }[] }).blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(inputs).toEqual(['reached_0', 'end_level_0', 'reached_1', 'end_level_1', 'satisfaction', 'learned', 'may_quote']);
    const bad = forgeChoice(h.driver.viewSubmissionPayload(pair.junior, modal, surveyValues(2, { reached_0: null, learned: '' })), 'end_level_1', '9');
    expect(Object.keys((await sendView(h, bad))?.errors as object).sort()).toEqual(['end_level_1', 'learned', 'reached_0']);
    const good = h.driver.viewSubmissionPayload(pair.junior, modal, surveyValues(2));
    expect((await sendView(h, good))?.response_action).toBe('update');
    expect(JSON.stringify((await sendView(h, good))?.errors)).toContain('already answered the closing survey');
    const pairStatus = () => h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow();
    expect((await pairStatus()).status).toBe('active');
    const other = await openFrom(h, pair.senior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    expect((await h.driver.viewSubmission(pair.senior, other, surveyValues(2, { end_level_0: '4', end_level_1: '4' }))).json?.response_action).toBe('update');
    expect((await pairStatus()).status).toBe('completed');
    expect((await h.store.db.selectFrom('participant').select('status').execute()).map((p) => p.status)).toEqual(['completed', 'completed']);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('has completed its programme'));
    // Start levels were 3 (the flows' default); the senior ended at 4 on both: +1.
    const status = await command(h, pair.senior, 'status');
    expect(readable(status)).toContain('Your learning gain:* +1 on average, on the 1-to-5 scale.');
    expect(readable(status)).toContain('3 → 4');
    // No more prompts, and a check-in on a completed pair is refused.
    expect((await passAt(h, '2027-04-30T09:00:00Z')).followup.prompts).toBe(0);
    expect(String((await command(h, pair.junior, 'checkin')).args.text)).toContain('programme is over');
    expect(String((await command(h, pair.junior, 'pause')).args.text)).toContain('programme is over');
  });

  it('left unanswered, completes the pair two weeks later anyway', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, FIRST_DUE);
    await passAt(h, '2027-03-26T09:00:00Z');
    expect((await passAt(h, '2027-04-08T09:00:00Z')).followup.completed).toBe(0);
    expect((await passAt(h, '2027-04-09T09:00:00Z')).followup.completed).toBe(1);
    await eventually(async () => expect((await h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow()).status).toBe('completed'));
  });
});

describe('follow-up records and people’s data', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('export holds my sessions and my own notes, never my partner’s; forget and retention erase what we wrote', async () => {
    const { collectExport } = await import('../../src/features/privacy/registry.js');
    const { personalDataProviders } = await import('../../src/features/privacy/providers/index.js');
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    for (const [user, note] of [[pair.junior, 'Junior secret'], [pair.senior, 'Senior secret']] as const) {
      const modal = await openFrom(h, user, post as RecordedCall, 'followup_met', 'followup_checkin');
      expect((await h.driver.viewSubmission(user, modal, checkinValues(4, { private_note: note }))).json?.response_action).toBe('update');
    }
    const junior = await h.store.db.selectFrom('participant').selectAll().where('slack_user_id', '=', pair.junior).executeTakeFirstOrThrow();
    const exported = JSON.stringify(await collectExport(h.store.db, personalDataProviders('en'), { participantId: junior.id, userId: pair.junior, displayName: junior.display_name }));
    expect(exported).toContain('Junior secret');
    expect(exported).not.toContain('Senior secret');
    expect(exported).toContain('"sessionsMyPartnerLogged":1');
    // The pair completes, and 24 months later (the default retention) the pass erases what was written.
    await passAt(h, '2027-03-26T09:00:00Z');
    await passAt(h, '2027-04-09T09:00:00Z');
    const texts = () => h.store.db.selectFrom('checkin').select(['topics', 'private_note', 'rating']).execute();
    expect((await passAt(h, '2029-04-01T09:00:00Z')).retention.pairs).toBe(0);
    expect((await texts()).map((c) => c.private_note)).toEqual(['Junior secret', 'Senior secret']);
    expect((await passAt(h, '2029-04-10T09:00:00Z')).retention.pairs).toBe(1);
    expect(await texts()).toEqual([
      { topics: '', private_note: null, rating: 4 },
      { topics: '', private_note: null, rating: 4 },
    ]);
    expect((await passAt(h, '2029-04-10T09:00:00Z')).retention.pairs).toBe(0);
  });
});

describe('follow-up edge cases', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const prompts = () => h.store.db.selectFrom('checkin_prompt').selectAll().orderBy('id').execute();

  it('a late prompt gets its reminder two working days after it really went, not in the same pass', async () => {
    await activePair(h);
    const late = await passAt(h, '2027-03-18T09:00:00Z');
    expect(late.followup).toMatchObject({ prompts: 1, reminders: 0 });
    expect((await passAt(h, '2027-03-19T09:00:00Z')).followup.reminders).toBe(0);
    expect((await passAt(h, '2027-03-22T09:00:00Z')).followup.reminders).toBe(1);
  });

  it('a prompt left open before a pause is not chased during or after it', async () => {
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    await waitForPosts(h, pair, 'followup_met');
    h.clock.now = new Date('2027-03-16T10:00:00Z');
    expect(String((await command(h, pair.junior, 'pause')).args.text)).toContain('paused');
    h.clock.now = new Date('2027-05-03T10:00:00Z');
    expect(String((await command(h, pair.junior, 'resume')).args.text)).toContain('resume');
    expect((await passAt(h, '2027-05-03T10:05:00Z')).followup.reminders).toBe(0);
    expect((await passAt(h, '2027-05-06T10:05:00Z')).followup.reminders).toBe(0);
  });

  it('a pause over the closing date still ends with the closing survey', async () => {
    const pair = await activePair(h, { end_date: '2027-04-03' });
    h.clock.now = new Date('2027-03-22T10:00:00Z');
    expect(String((await command(h, pair.senior, 'pause 2027-04-03')).args.text)).toContain('until 3 April 2027');
    expect((await passAt(h, '2027-04-02T09:00:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-04-02T22:00:00Z')).followup.resumed).toBe(0);
    // The pause ends on 3 April at the check-in hour (10:00 in Paris); the survey due the day before goes then.
    expect((await passAt(h, '2027-04-03T08:00:00Z')).followup).toMatchObject({ resumed: 1, prompts: 1 });
    expect((await prompts()).map((p) => p.kind)).toContain('closing');
    await waitForPosts(h, pair, 'followup_survey');
  });

  it('an amended contract after the closing survey keeps the pair going: no completion from the old survey', async () => {
    const { propose, openSign, levels, objectiveCount } = await import('../support/contract-flows.js');
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, FIRST_DUE);
    await passAt(h, '2027-03-26T09:00:00Z');
    expect((await prompts()).at(-1)?.kind).toBe('closing');
    // The pair extends its contract to the end of July the same day.
    h.clock.now = new Date('2027-03-26T12:00:00Z');
    const { post } = await propose(h, pair, pair.junior, { end_date: '2027-07-30' });
    const sign = await openSign(h, pair.senior, post);
    expect((await h.driver.viewSubmission(pair.senior, sign, levels(objectiveCount(sign)))).json?.response_action).toBe('update');
    const later = await passAt(h, '2027-04-09T09:00:00Z');
    expect(later.followup).toMatchObject({ completed: 0, prompts: 1, reminders: 0 });
    expect((await h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('/tandem checkin answers the open prompt (no reminder for it), and the same form sent twice is stored once', async () => {
    const { nextModal } = await import('../support/contract-flows.js');
    const pair = await activePair(h);
    await passAt(h, FIRST_DUE);
    await waitForPosts(h, pair, 'followup_met');
    h.clock.now = new Date('2027-03-15T15:00:00Z');
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.senior, 'checkin');
    const modal = await nextModal(h, 'followup_checkin', before);
    const payload = h.driver.viewSubmissionPayload(pair.senior, modal, checkinValues(4, { met_on: '2027-03-15' }));
    expect((await sendView(h, payload))?.response_action).toBe('update');
    expect(JSON.stringify((await sendView(h, payload))?.errors)).toContain('already answered');
    expect(await h.store.db.selectFrom('checkin').select(['prompt_id']).execute()).toEqual([{ prompt_id: 1 }]);
    expect((await passAt(h, '2027-03-17T09:00:00Z')).followup.reminders).toBe(0);
  });

  it('refuses a session dated after the contract ended', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, FIRST_DUE);
    const [post] = await waitForPosts(h, pair, 'followup_met');
    h.clock.now = new Date('2027-03-30T09:00:00Z');
    const modal = await openFrom(h, pair.junior, post as RecordedCall, 'followup_met', 'followup_checkin');
    const res = await h.driver.viewSubmission(pair.junior, modal, checkinValues(4, { met_on: '2027-03-29' }));
    expect(String((res.json?.errors as Record<string, string>).met_on)).toContain('ended on 26 March 2027');
  });
});

describe('a change of the check-in hour', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('applies from the next pass, earlier or later, to prompts already scheduled', async () => {
    const { updateProgramme, getProgramme } = await import('../../src/store/programme.js');
    const { resetFollowupTimes } = await import('../../src/store/followup.js');
    // Sessions on Fridays at 08:00, Paris time: 5 and 19 March, 2 April…
    const pair = await activePair(h, { session_day: '5' });
    // The facilitators move the check-in hour from 10:00 to 08:00, as /tandem program does.
    const setHour = async (checkinHour: number) => {
      const before = await getProgramme(h.store.db);
      await h.store.db.transaction().execute(async (trx) => {
        await updateProgramme(trx, { ...before, checkinHour }, before.version, h.clock.now);
        await resetFollowupTimes(trx);
      });
    };
    await setHour(8);
    // 08:00 on 19 March is when that session starts, not after it: the check-in waits for Monday 08:00.
    expect((await passAt(h, '2027-03-19T09:00:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-22T06:59:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-03-22T07:00:00Z')).followup.prompts).toBe(1);
    await waitForPosts(h, pair, 'followup_met');
    // Later than before: 15:00 in Paris; the next check-in (2 April, summer time) waits until 13:00 UTC.
    await setHour(15);
    expect((await passAt(h, '2027-04-02T06:00:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-04-02T12:59:00Z')).followup.prompts).toBe(0);
    expect((await passAt(h, '2027-04-02T13:00:00Z')).followup.prompts).toBe(1);
  });
});
