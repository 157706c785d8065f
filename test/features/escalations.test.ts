import { describe, expect, it } from 'vitest';
import { runPass } from '../../src/jobs/pass.js';
import { eventually, nextModal, pairUp } from '../support/contract-flows.js';
import {
  editedTo,
  escalationPost,
  escalationPosts,
  logSession,
  openDetails,
  postsTo,
  press,
  pressForModal,
  pressGone,
  raiseConcern,
  versionsOf,
} from '../support/escalation-flows.js';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import { asUser, command, readable, sendInteraction, sendView } from '../support/flows.js';
import { activePair, passAt, pressOn, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const OTHER_FACILITATOR = 'UFACIL2';
// The default pair: contract in force from Monday 1 March 2027, 09:00 UTC, both partners in Paris.
// Every two weeks, Tandem first asks how it went on 15 March; with no session logged, the 14th day
// after that question starts at midnight on 29 March in Paris.
const FIRST_DUE = '2027-03-15T09:00:00Z';
// An asked pair (below) meets weekly in a programme that allows 7 days: first asked on 8 March,
// escalated from midnight on 15 March in Paris.
const DAY_14 = '2027-03-15T00:00:00Z';

type Payload = Record<string, unknown>;
const escalations = (h: Harness) => h.store.db.selectFrom('escalation').selectAll().orderBy('id').execute();
const reasons = (h: Harness) => h.store.db.selectFrom('escalation_reason').selectAll().orderBy('id').execute();
const auditOf = (h: Harness, id: number) => h.store.db.selectFrom('audit_log').selectAll().where('subject', '=', `escalation:${id}`).orderBy('id').execute();
const buttonsOf = (call: RecordedCall): string[] =>
  ((call.args.blocks ?? []) as { type: string; elements?: { action_id?: string }[] }[]).filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
const latest = (h: Harness, post: RecordedCall): RecordedCall => versionsOf(h, post).at(-1) as RecordedCall;

/** An active weekly pair in a programme that expects a first session within 7 days, first asked on 8 March. */
async function askedPair(h: Harness) {
  const pair = await activePair(h, { cadence: 'weekly' });
  await h.store.db.updateTable('programme').set({ first_meeting_days: 7 }).execute();
  await passAt(h, '2027-03-08T09:00:00Z');
  return pair;
}

/** An asked pair that never met, escalated by the pass on 15 March: its channel post. */
async function escalatedPair(h: Harness) {
  const pair = await askedPair(h);
  const report = await passAt(h, DAY_14);
  expect(report.escalations).toMatchObject({ raised: 1 });
  return { pair, post: await escalationPost(h) };
}

describe('stall detection in the scheduled pass', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('escalates a pair with no first session on the 14th day after Tandem first asked, with the facts, a timeline and the buttons', async () => {
    const pair = await activePair(h);
    // The 14th day after signing: Tandem has not asked yet (every two weeks: first on 15 March).
    expect((await passAt(h, '2027-03-14T12:00:00Z')).escalations).toMatchObject({ checked: 1, raised: 0 });
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    // Then once per local day, early in it: 28 March is the 13th day after the question.
    expect((await passAt(h, '2027-03-28T12:00:00Z')).escalations).toMatchObject({ checked: 1, raised: 0 });
    expect((await passAt(h, '2027-03-28T21:59:00Z')).escalations).toMatchObject({ checked: 0, raised: 0 });
    // Pair 1's slot is 00:05 in Paris (summer time since 28 March) on 29 March.
    expect((await passAt(h, '2027-03-28T22:04:00Z')).escalations).toMatchObject({ checked: 0 });
    expect((await passAt(h, '2027-03-28T22:05:00Z')).escalations).toMatchObject({ checked: 1, raised: 1 });
    const post = await escalationPost(h);
    const text = readable(post);
    expect(text).toContain(`Escalation: <@${pair.junior}> and <@${pair.senior}>`);
    expect(text).toContain('No session logged 14 days after Tandem first asked, on 15 March 2027 (expected within 14 days)');
    expect(text).toContain('contract in force');
    expect(text).toContain('Timeline:');
    expect(text).toContain('introduced 1 March 2027');
    expect(text).toContain('no session logged');
    expect(text).toContain('waiting for a facilitator');
    expect(buttonsOf(post)).toEqual(['escalation_assign', 'escalation_nudge', 'escalation_talk', 'escalation_resolve', 'escalation_end', 'escalation_details']);
    expect(await escalations(h)).toMatchObject([{ pair_id: pair.pairId, status: 'open', assignee_user_id: null }]);
    expect(await reasons(h)).toMatchObject([{ kind: 'no_first_meeting', key: 'no_first_meeting:2027-03-01T09:00:00.000Z', subject: `pair:${pair.pairId}` }]);
    expect((await auditOf(h, 1)).map((a) => [a.actor_user_id, a.action])).toEqual([['tandem', 'escalation.opened']]);
    // The next days: the same reason is not raised again.
    expect((await passAt(h, '2027-03-29T22:05:00Z')).escalations).toMatchObject({ checked: 1, raised: 0 });
    await new Promise((r) => setTimeout(r, 100));
    expect(escalationPosts(h)).toHaveLength(1);
  });

  it('raises a stall that goes on after Resolve again, as a new episode, once the threshold has passed again since', async () => {
    const { post } = await escalatedPair(h);
    // Only the first-meeting rule in play: the unanswered weekly check-ins would be a reason of their own.
    await h.store.db.updateTable('programme').set({ unanswered_prompts_in_a_row: 10 }).execute();
    h.clock.now = new Date('2027-03-15T10:00:00Z');
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    expect(await h.driver.viewSubmission(FACILITATOR, modal, { note: 'They will meet this week.' }).then((r) => r.status)).toBe(200);
    await editedTo(h, post, `resolved by <@${FACILITATOR}>`);
    // Still no session: counted again from the resolution (7 days), not silenced, not raised at once.
    expect((await passAt(h, '2027-03-16T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-21T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-21T23:05:00Z')).escalations.raised).toBe(1);
    const again = await escalationPost(h, 2);
    expect(readable(again)).toContain('Still the case after the escalation was resolved on 15 March 2027; counted again from that date.');
    expect(readable(again)).toContain('No session logged 7 days after Tandem first asked');
    expect((await escalations(h)).map((e) => e.status)).toEqual(['resolved', 'open']);
    expect((await reasons(h)).map((r) => r.key)).toEqual(['no_first_meeting:2027-03-01T09:00:00.000Z', 'no_first_meeting:2027-03-01T09:00:00.000Z@2027-03-15T10:00:00.000Z']);
    // And only once for that episode.
    expect((await passAt(h, '2027-03-22T23:05:00Z')).escalations.raised).toBe(0);
  });

  it('runs twice for the same instant, or three times at once, and raises once', async () => {
    await askedPair(h);
    h.clock.now = new Date(DAY_14);
    const reports = await Promise.all([runPass(h.tandem.deps, h.clock.now), runPass(h.tandem.deps, h.clock.now), runPass(h.tandem.deps, h.clock.now)]);
    expect(reports.reduce((sum, r) => sum + r.escalations.raised, 0)).toBe(1);
    expect(reports.reduce((sum, r) => sum + r.escalations.checked, 0)).toBe(1);
    expect((await runPass(h.tandem.deps, h.clock.now)).escalations).toEqual({ checked: 0, raised: 0, reraised: 0 });
    await escalationPost(h);
    await new Promise((r) => setTimeout(r, 100));
    expect(escalationPosts(h)).toHaveLength(1);
    expect(await escalations(h)).toHaveLength(1);
    expect(await reasons(h)).toHaveLength(1);
  });

  it('raises several pairs in one pass: new escalations each posted once, a reason joining the open one in place', async () => {
    const first = await pairUp(h, junior('U0J1'), senior('U0S1'));
    const second = await pairUp(h, junior('U0J2'), senior('U0S2'));
    const third = await pairUp(h, junior('U0J3'), senior('U0S3'));
    await h.store.db.updateTable('programme').set({ contract_unsigned_days: 3 }).execute();
    // The second pair's escalation is already open: a concern, the day before (not yet raised again).
    h.clock.now = new Date('2027-03-03T10:00:00Z');
    await raiseConcern(h, second.junior, 'We cannot find a time that suits us both.');
    const concern = await escalationPost(h);
    expect((await passAt(h, '2027-03-04T12:00:00Z')).escalations).toMatchObject({ checked: 3, raised: 3 });
    const [, a, b] = [concern, await escalationPost(h, 2), await escalationPost(h, 3)];
    const opened = [readable(a as RecordedCall), readable(b as RecordedCall)];
    expect(opened.some((text) => text.includes(`<@${first.junior}>`) && text.includes('Contract still not in force 3 days after'))).toBe(true);
    expect(opened.some((text) => text.includes(`<@${third.junior}>`) && text.includes('Contract still not in force 3 days after'))).toBe(true);
    await editedTo(h, concern, 'Contract still not in force 3 days after');
    expect((await escalations(h)).map((e) => e.pair_id)).toEqual([second.pairId, first.pairId, third.pairId]);
    expect((await reasons(h)).map((r) => [r.subject, r.kind])).toEqual([
      [`pair:${second.pairId}`, 'concern'],
      [`pair:${second.pairId}`, 'contract_unsigned'],
      [`pair:${first.pairId}`, 'contract_unsigned'],
      [`pair:${third.pairId}`, 'contract_unsigned'],
    ]);
    const audits = await h.store.db.selectFrom('audit_log').select(['subject', 'action', 'details']).where('subject', 'like', 'escalation:%').orderBy('id').execute();
    expect(audits.map((a) => [a.subject, a.action])).toEqual([
      ['escalation:1', 'escalation.opened'],
      ['escalation:1', 'escalation.reason_added'],
      ['escalation:2', 'escalation.opened'],
      ['escalation:3', 'escalation.opened'],
    ]);
    expect(JSON.parse(audits[2]?.details ?? '{}')).toEqual({ kinds: ['contract_unsigned'] });
    // Nothing again at the next pass.
    expect((await passAt(h, '2027-03-05T12:00:00Z')).escalations.raised).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(escalationPosts(h)).toHaveLength(3);
  });

  it('escalates a contract still unsigned N days after acceptance, as the programme sets N', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    await h.store.db.updateTable('programme').set({ contract_unsigned_days: 3 }).execute();
    expect((await passAt(h, '2027-03-03T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-04T12:00:00Z')).escalations.raised).toBe(1);
    const post = await escalationPost(h);
    expect(readable(post)).toContain('Contract still not in force 3 days after the pair accepted on 1 March 2027 (the programme allows 3 days)');
    expect(readable(post)).toContain('accepted, contract not in force yet');
    expect(await reasons(h)).toMatchObject([{ kind: 'contract_unsigned', subject: `pair:${pair.pairId}` }]);
  });

  it('escalates an introduction nobody answered, naming who has not', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await command(h, FACILITATOR, 'pair <@U0J1|j> <@U0S1|s>');
    const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
    const groupDm = dmChannelId(['U0J1', 'U0S1']);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === groupDm && readable(c).includes('introduction_accept'));
    await h.driver.blockAction('U0J1', { actionId: 'introduction_accept', channelId: groupDm });
    await eventually(async () => expect((await h.store.db.selectFrom('pair').select('junior_answer').executeTakeFirstOrThrow()).junior_answer).toBe('accepted'));
    // The programme's default: five days.
    expect((await passAt(h, '2027-03-05T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-06T12:00:00Z')).escalations.raised).toBe(1);
    const post = await escalationPost(h);
    expect(readable(post)).toContain('The introduction sent on 1 March 2027 is still unanswered by <@U0S1> after 5 days');
  });

  it('escalates check-ins unanswered twice in a row once the second one\'s reminder went unanswered too', async () => {
    const pair = await activePair(h);
    // A session on 5 March: no "first meeting" reason; every two weeks, so "no session" only after 28 days.
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await logSession(h, pair.junior, { met_on: '2027-03-05' });
    await passAt(h, FIRST_DUE); // prompt of 15 March
    await passAt(h, '2027-03-17T09:00:00Z'); // its reminder
    await passAt(h, '2027-03-29T08:00:00Z'); // prompt of 29 March (summer time)
    expect((await passAt(h, '2027-03-30T12:00:00Z')).escalations.raised).toBe(0);
    // Its reminder makes the run two; the pair's daily look, due since 00:05, comes after it in the same pass.
    const reminded = await passAt(h, '2027-03-31T08:00:00Z');
    expect(reminded.followup.reminders).toBe(1);
    expect(reminded.escalations.raised).toBe(1);
    const post = await escalationPost(h);
    expect(readable(post)).toContain('2 check-ins in a row went unanswered, even after a reminder (sent from 15 March 2027 to 29 March 2027).');
    // 28 days after 5 March is 2 April: the day after, no session for too long joins the same escalation.
    expect((await passAt(h, '2027-04-03T12:00:00Z')).escalations.raised).toBe(1);
    const edited = await editedTo(h, post, 'No session logged since 5 March 2027: 29 days, more than 2 times their rhythm (every two weeks)');
    expect(readable(edited)).toContain('check-ins in a row went unanswered');
    expect(await escalations(h)).toHaveLength(1);
    expect((await reasons(h)).map((r) => r.kind)).toEqual(['unanswered_prompts', 'no_meeting']);
  });

  it('leaves a paused pair alone', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    await command(h, pair.junior, 'pause');
    expect((await passAt(h, '2027-04-20T12:00:00Z')).escalations).toMatchObject({ checked: 1, raised: 0 });
    expect(await escalations(h)).toEqual([]);
  });
});

describe('one open escalation per pair', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('"We need help" opens the escalation, a second partner\'s joins it in place, and a resolved reason never comes back', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await logSession(h, pair.senior, { met_on: '2027-03-05' });
    await passAt(h, FIRST_DUE);
    const [prompt] = await waitForPosts(h, pair, 'followup_help');
    await pressOn(h, pair.junior, prompt as RecordedCall, 'followup_help');
    const post = await escalationPost(h);
    expect(readable(post)).toContain(`<@${pair.junior}> pressed *We need help* on the check-in of 15 March 2027`);
    await pressOn(h, pair.senior, prompt as RecordedCall, 'followup_help');
    await editedTo(h, post, `<@${pair.senior}> pressed *We need help*`);
    expect(escalationPosts(h)).toHaveLength(1);
    expect(await escalations(h)).toHaveLength(1);
    expect((await reasons(h)).map((r) => r.kind)).toEqual(['help_requested', 'help_requested']);
    expect((await auditOf(h, 1)).map((a) => [a.actor_user_id, a.action])).toEqual([
      [pair.junior, 'escalation.opened'],
      [pair.senior, 'escalation.reason_added'],
    ]);
    // Resolved; the next pass raises nothing again; a new sign opens a new escalation.
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    expect((await h.driver.viewSubmission(FACILITATOR, modal, { note: 'Talked with both: a busy month, they meet next week.' })).status).toBe(200);
    await editedTo(h, post, 'resolved by');
    expect((await passAt(h, '2027-03-16T12:00:00Z')).escalations.raised).toBe(0);
    h.clock.now = new Date('2027-03-18T15:00:00Z');
    await logSession(h, pair.senior, { met_on: '2027-03-18', rating: '2' });
    const second = await escalationPost(h, 2);
    expect(readable(second)).toContain('A session of 18 March 2027 was rated 2/5 (the programme escalates at 2 or below)');
    expect((await escalations(h)).map((e) => e.status)).toEqual(['resolved', 'open']);
  });
});

describe('facilitator buttons', () => {
  let h: Harness;
  useTandem((started) => (h = started), { config: { facilitatorUserIds: [OTHER_FACILITATOR] } });

  it('"I\'ll handle it" assigns the clicker; a second facilitator can take it over; a stale click is refused', async () => {
    const { post } = await escalatedPair(h);
    expect(await press(h, FACILITATOR, post, 'escalation_assign')).toContain('You are handling this escalation');
    const edited = await editedTo(h, post, `<@${FACILITATOR}> is handling it`);
    expect(buttonsOf(edited)[0]).toBe('escalation_assign');
    expect(readable(edited)).toContain('Take it over');
    expect((await escalations(h))[0]).toMatchObject({ assignee_user_id: FACILITATOR });
    expect(await press(h, FACILITATOR, post, 'escalation_assign')).toContain('already handling');
    // A click on the first version's "I'll handle it" (nobody assigned then) by someone else.
    const stale = await press(h, OTHER_FACILITATOR, post, 'escalation_assign', { value: JSON.stringify({ escalationId: 1, from: null }) });
    expect(stale).toContain(`<@${FACILITATOR}> started handling this escalation just before you`);
    expect(await press(h, OTHER_FACILITATOR, post, 'escalation_assign')).toContain('You are handling');
    await editedTo(h, post, `<@${OTHER_FACILITATOR}> is handling it`);
    expect((await escalations(h))[0]).toMatchObject({ assignee_user_id: OTHER_FACILITATOR });
    expect((await auditOf(h, 1)).filter((a) => a.action === 'escalation.assigned').map((a) => [a.actor_user_id, JSON.parse(a.details)])).toEqual([
      [FACILITATOR, { from: null }],
      [OTHER_FACILITATOR, { from: FACILITATOR }],
    ]);
  });

  it('refuses a non-facilitator, a tampered value and an unknown id on every button, and changes nothing', async () => {
    const { pair, post } = await escalatedPair(h);
    const before = await escalations(h);
    const modals = h.standIn.callsTo('views.open').length;
    for (const actionId of ['escalation_assign', 'escalation_nudge', 'escalation_talk', 'escalation_resolve', 'escalation_end', 'escalation_details']) {
      const count = h.standIn.calls.length;
      expect(await sendInteraction(h, asUser(h.driver.blockActionPayload(FACILITATOR, { actionId, messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL }), pair.junior))).toBe(200);
      await h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= count && String(c.args.text).includes('Only facilitators'));
      expect(await press(h, FACILITATOR, post, actionId, { value: '{"escalationId":"1; drop table escalation"}' })).toContain('could not be read');
      expect(await press(h, FACILITATOR, post, actionId, { value: 'x'.repeat(3000) })).toContain('could not be read');
      const unknown = actionId === 'escalation_assign' ? { escalationId: 999, from: null } : { escalationId: 999 };
      expect(await press(h, FACILITATOR, post, actionId, { value: JSON.stringify(unknown) })).toContain('does not exist');
    }
    expect(await escalations(h)).toEqual(before);
    expect(h.standIn.callsTo('views.open')).toHaveLength(modals);
    expect(postsTo(h, pair.groupDm).filter((c) => readable(c).includes('wondering'))).toEqual([]);
  });

  it('"Nudge the pair" sends the pair a kind message, once a day, naming no reason', async () => {
    const { pair, post } = await escalatedPair(h);
    expect(await press(h, FACILITATOR, post, 'escalation_nudge')).toContain('kind nudge');
    const nudge = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes('wondering how your pair is going'));
    expect(readable(nudge)).toContain(`<@${FACILITATOR}>`);
    expect(readable(nudge)).not.toContain('No session logged');
    expect(await press(h, OTHER_FACILITATOR, post, 'escalation_nudge')).toContain(`<@${FACILITATOR}> already nudged the pair today`);
    await editedTo(h, post, 'nudged the pair');
    // The next day, again.
    h.clock.now = new Date('2027-03-16T10:00:00Z');
    expect(await press(h, OTHER_FACILITATOR, post, 'escalation_nudge')).toContain('kind nudge');
    await h.standIn.waitFor('chat.postMessage', () => postsTo(h, pair.groupDm).filter((c) => readable(c).includes('wondering')).length === 2);
    expect((await auditOf(h, 1)).filter((a) => a.action === 'escalation.nudged').map((a) => a.actor_user_id)).toEqual([FACILITATOR, OTHER_FACILITATOR]);
  });

  it('"Talk with the pair" opens a group DM of the facilitator and both partners, with what both know', async () => {
    const { pair, post } = await escalatedPair(h);
    expect(await press(h, FACILITATOR, post, 'escalation_talk')).toContain('group conversation');
    const mediation = dmChannelId([FACILITATOR, pair.junior, pair.senior]);
    const opening = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === mediation);
    expect(readable(opening)).toContain(`<@${FACILITATOR}> from the Tandem facilitators here`);
    expect(readable(opening)).toContain('No session logged yet, 7 days after Tandem first asked how your sessions were going');
    const open = h.standIn.callsTo('conversations.open').find((c) => String(c.args.users).split(',').length === 3);
    expect(String(open?.args.users).split(',').sort()).toEqual([FACILITATOR, pair.junior, pair.senior].sort());
    expect(await press(h, FACILITATOR, post, 'escalation_talk')).toContain('already opened a conversation with them on 15 March 2027');
    await new Promise((r) => setTimeout(r, 100));
    expect(postsTo(h, mediation)).toHaveLength(1);
    await editedTo(h, post, 'opened a conversation with the pair');
  });

  it('"Resolve" asks for a note: empty or too long is refused next to the field; resolved, every button is refused', async () => {
    const { pair, post } = await escalatedPair(h);
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    for (const [note, message] of [['', 'Write a short note'], ['   ', 'Write a short note'], ['n'.repeat(1001), 'Write the note in at most 1,000 characters (you wrote 1,001).']] as const) {
      const res = await h.driver.viewSubmission(FACILITATOR, modal, { note });
      expect(res.json?.response_action).toBe('errors');
      expect(String((res.json?.errors as Record<string, string>).note)).toContain(message);
    }
    expect((await escalations(h))[0]?.status).toBe('open');
    // A non-facilitator's submission, and tampered metadata.
    const valid = h.driver.viewSubmissionPayload(FACILITATOR, modal, { note: 'Both will meet on Friday; the junior had exams.' });
    expect(JSON.stringify((await sendView(h, asUser(valid, pair.senior)))?.errors)).toContain('Only facilitators');
    const forged = structuredClone(valid);
    (forged.view as { private_metadata: string }).private_metadata = '{"escalationId":-1}';
    expect(JSON.stringify((await sendView(h, forged))?.errors)).toContain('could not be read');
    expect((await escalations(h))[0]?.status).toBe('open');
    // The real one.
    expect(await sendView(h, valid)).toBeUndefined();
    const resolved = await editedTo(h, post, `resolved by <@${FACILITATOR}>`);
    expect(readable(resolved)).not.toContain('the junior had exams');
    expect(buttonsOf(resolved)).toEqual(['escalation_details']);
    expect((await escalations(h))[0]).toMatchObject({ status: 'resolved', outcome: 'resolved', resolved_by: FACILITATOR, resolution: 'Both will meet on Friday; the junior had exams.' });
    // Replayed, or any button of an older version of the message.
    expect(JSON.stringify((await sendView(h, valid))?.errors)).toContain('already resolved');
    for (const actionId of ['escalation_nudge', 'escalation_talk', 'escalation_resolve', 'escalation_end']) {
      expect(await pressGone(h, OTHER_FACILITATOR, post, actionId, JSON.stringify({ escalationId: 1 }))).toContain(`already resolved by <@${FACILITATOR}> on 15 March 2027`);
    }
    expect(await pressGone(h, OTHER_FACILITATOR, post, 'escalation_assign', JSON.stringify({ escalationId: 1, from: null }))).toContain('already resolved');
    expect((await auditOf(h, 1)).filter((a) => a.action === 'escalation.resolved')).toHaveLength(1);
    expect(postsTo(h, pair.groupDm).filter((c) => readable(c).includes('wondering'))).toEqual([]);
    // Its note is in the details, for facilitators.
    expect(JSON.stringify((await openDetails(h, FACILITATOR, post)).args.view)).toContain('the junior had exams');
  });

  it('"End the pair" asks for a reason, tells both kindly, returns them to the pool and resolves the escalation', async () => {
    const { pair, post } = await escalatedPair(h);
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_end', 'escalation_end_form');
    const empty = await h.driver.viewSubmission(FACILITATOR, modal, { reason: ' ' });
    expect(String((empty.json?.errors as Record<string, string>).reason)).toContain('Give a reason');
    const long = await h.driver.viewSubmission(FACILITATOR, modal, { reason: 'r'.repeat(501) });
    expect(String((long.json?.errors as Record<string, string>).reason)).toContain('500 characters');
    expect((await h.store.db.selectFrom('pair').select('status').executeTakeFirstOrThrow()).status).toBe('active');
    const replay = h.driver.viewSubmissionPayload(FACILITATOR, modal, { reason: 'again' });
    const res = await h.driver.viewSubmission(FACILITATOR, modal, { reason: 'They never found a common slot; both agreed to stop.' });
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBeUndefined();
    await editedTo(h, post, `<@${FACILITATOR}> ended the pair`);
    expect((await h.store.db.selectFrom('pair').select(['status', 'end_reason']).executeTakeFirstOrThrow())).toEqual({ status: 'ended', end_reason: 'They never found a common slot; both agreed to stop.' });
    expect((await h.store.db.selectFrom('participant').select('status').orderBy('id').execute()).map((p) => p.status)).toEqual(['enrolled', 'enrolled']);
    for (const person of [pair.junior, pair.senior]) {
      const told = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === person && readable(c).includes('Your Tandem pair has ended'));
      expect(readable(told)).not.toContain('common slot');
    }
    expect((await escalations(h))[0]).toMatchObject({ status: 'resolved', outcome: 'pair_ended', resolution: 'They never found a common slot; both agreed to stop.' });
    expect(readable(latest(h, post))).not.toContain('common slot');
    expect(JSON.stringify((await sendView(h, replay))?.errors)).toContain('already resolved');
    expect(await pressGone(h, FACILITATOR, post, 'escalation_nudge', JSON.stringify({ escalationId: 1 }))).toContain('already resolved');
  });

  it('shows the details and the history of the escalation and its pair to facilitators only', async () => {
    const { pair, post } = await escalatedPair(h);
    await press(h, FACILITATOR, post, 'escalation_assign');
    const details = await openDetails(h, FACILITATOR, post);
    const text = JSON.stringify(details.args.view);
    expect(text).toContain('History');
    expect(text).toContain(`<@${FACILITATOR}> started handling it`);
    expect(text).toContain(`<@${FACILITATOR}> approved the pair`);
    expect(text).toContain(`<@${pair.senior}> signed the contract`);
    expect(text).toContain('Tandem escalated it: no first session');
    const count = h.standIn.callsTo('views.open').length;
    await sendInteraction(h, asUser(h.driver.blockActionPayload(FACILITATOR, { actionId: 'escalation_details', messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL }), pair.senior));
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Only facilitators'));
    expect(h.standIn.callsTo('views.open')).toHaveLength(count);
  });
});

describe('private concerns', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('reach the facilitators only: the partner is never told, and the text stays out of the channel', async () => {
    const pair = await activePair(h);
    const queued = await h.store.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command(pair.junior, 'concern');
    const modal = await nextModal(h, 'escalation_concern_form', before);
    expect(JSON.stringify(modal.args.view)).toContain(`<@${pair.senior}> is never told`);
    const empty = await h.driver.viewSubmission(pair.junior, modal, { concern: '  ' });
    expect(String((empty.json?.errors as Record<string, string>).concern)).toContain('Write a few words');
    const long = await h.driver.viewSubmission(pair.junior, modal, { concern: 'c'.repeat(2001) });
    expect(String((long.json?.errors as Record<string, string>).concern)).toContain('Write at most 2,000 characters (you wrote 2,001).');
    expect(await escalations(h)).toEqual([]);
    const submission = h.driver.viewSubmissionPayload(pair.junior, modal, { concern: 'My partner keeps cancelling at the last minute.' });
    const answer = await sendView(h, submission);
    expect(answer?.response_action).toBe('update');
    expect(JSON.stringify(answer?.view)).toContain('reached the facilitators, and only them');
    // Replayed: nothing more.
    await sendView(h, submission);
    expect(await reasons(h)).toMatchObject([{ kind: 'concern', note: 'My partner keeps cancelling at the last minute.' }]);
    const post = await escalationPost(h);
    expect(readable(post)).toContain('A private concern was raised');
    expect(readable(post)).not.toContain('cancelling');
    // The only message queued since is the one to the facilitators' channel: nothing to the pair or the partner.
    const since = await h.store.db.selectFrom('outbox').select(['key', 'request']).where('id', '>', Number(queued.id)).execute();
    expect(since.map((row) => [row.key, JSON.parse(row.request).channel])).toEqual([['escalation:1', FACILITATOR_CHANNEL]]);
    // Their status: the one who confided sees the facilitators know; the partner sees nothing.
    expect(readable(await command(h, pair.junior, 'status'))).toContain('the facilitators have been following your pair; they will be in touch');
    expect(readable(await command(h, pair.senior, 'status'))).toContain('Facilitator follow-up:* none.');
    // "Talk with the pair" warns before opening, and its context never mentions the concern.
    const talk = (latest(h, post).args.blocks as { type: string; elements?: { action_id: string; confirm?: unknown }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'escalation_talk');
    expect(JSON.stringify(talk?.confirm)).toContain('one partner confided');
    await press(h, FACILITATOR, post, 'escalation_talk');
    const opening = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId([FACILITATOR, pair.junior, pair.senior]));
    expect(readable(opening)).not.toContain('concern');
    expect(readable(opening)).not.toContain('cancelling');
    expect(readable(opening)).not.toContain('What Tandem noticed');
    // The text is in the details, for a facilitator, and reading it is recorded.
    const details = await openDetails(h, FACILITATOR, post);
    expect(JSON.stringify(details.args.view)).toContain('My partner keeps cancelling at the last minute.');
    expect(JSON.stringify(details.args.view)).toContain(`Private concern from <@${pair.junior}>`);
    expect((await auditOf(h, 1)).map((a) => a.action)).toContain('escalation.details_viewed');
  });

  it('can be raised from the App Home; someone without a pair raises one about themselves; not enrolled is told', async () => {
    await seed(h, junior('U0ALONE'));
    await h.driver.event({ type: 'app_home_opened', user: 'U0ALONE', channel: 'D0ALONE', tab: 'home', event_ts: '1.1' });
    const home = await h.standIn.waitFor('views.publish');
    expect(JSON.stringify(home.args.view)).toContain('escalation_concern_open');
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction('U0ALONE', { actionId: 'escalation_concern_open' });
    const modal = await nextModal(h, 'escalation_concern_form', before);
    expect(JSON.stringify(modal.args.view)).toContain('Only they read it.');
    expect((await h.driver.viewSubmission('U0ALONE', modal, { concern: 'I have waited two months for a partner.' })).json?.response_action).toBe('update');
    const post = await escalationPost(h);
    expect(readable(post)).toContain('Escalation: <@U0ALONE>');
    expect(readable(post)).toContain('not in a pair at the moment');
    expect(buttonsOf(post)).toEqual(['escalation_assign', 'escalation_talk', 'escalation_resolve', 'escalation_details']);
    expect(await escalations(h)).toMatchObject([{ pair_id: null, participant_id: 1 }]);
    expect(await pressGone(h, FACILITATOR, post, 'escalation_nudge', JSON.stringify({ escalationId: 1 }))).toContain('about one person, not a pair');
    expect(await press(h, FACILITATOR, post, 'escalation_talk')).toContain('group conversation');
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId([FACILITATOR, 'U0ALONE']) && readable(c).includes('what you shared with us'));
    expect(String((await command(h, 'U0NOBODY', 'concern')).args.text)).toContain('not enrolled');
  });
});

describe('check-ins with a low rating or a private note', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('a low rating escalates, and the private note that came with it joins, its text for facilitators only', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await logSession(h, pair.senior, { met_on: '2027-03-05', rating: '1', private_note: 'I felt talked down to.' });
    const post = await escalationPost(h);
    expect(readable(post)).toContain('A session of 5 March 2027 was rated 1/5');
    expect(readable(post)).toContain('came with a private note');
    expect(readable(post)).not.toContain('talked down');
    expect(readable(post)).not.toContain(`rated the session`);
    expect((await reasons(h)).map((r) => [r.kind, r.note])).toEqual([
      ['low_rating', null],
      ['private_note', 'I felt talked down to.'],
    ]);
    // The partner is told nothing, and their status shows nothing.
    expect(readable(await command(h, pair.junior, 'status'))).toContain('Facilitator follow-up:* none.');
    expect(readable(await command(h, pair.senior, 'status'))).toContain('the facilitators have been following your pair');
    const details = JSON.stringify((await openDetails(h, FACILITATOR, post)).args.view);
    expect(details).toContain('I felt talked down to.');
    expect(details).toContain(`<@${pair.senior}> rated the session of 5 March 2027 1/5`);
  });

  it('a good rating with a private note opens no escalation: the channel hears of a note only a facilitator can read', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await logSession(h, pair.junior, { met_on: '2027-03-05', rating: '4', private_note: 'Going well, but I am shy about asking.' });
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('escalation_note_read'));
    expect(readable(notice)).not.toContain('shy');
    expect(await escalations(h)).toEqual([]);
    const count = h.standIn.callsTo('views.open').length;
    await sendInteraction(h, asUser(h.driver.blockActionPayload(FACILITATOR, { actionId: 'escalation_note_read', messageTs: String(notice.response?.ts) }), pair.senior));
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Only facilitators'));
    expect(h.standIn.callsTo('views.open')).toHaveLength(count);
    await h.driver.blockAction(FACILITATOR, { actionId: 'escalation_note_read', messageTs: String(notice.response?.ts) });
    await h.standIn.waitFor('views.open', () => h.standIn.callsTo('views.open').length > count);
    expect(JSON.stringify(h.standIn.callsTo('views.open').at(-1)?.args.view)).toContain('Going well, but I am shy about asking.');
    const read = await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'escalation.note_read').execute();
    expect(read).toMatchObject([{ actor_user_id: FACILITATOR, subject: `pair:${pair.pairId}` }]);
  });
});

describe('raising again', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('an escalation nobody took is raised again after two working days, once, with a link', async () => {
    // Opened on Monday 15 March, 01:00 in Paris: two working days later is Wednesday 17 March, 01:00.
    const { post } = await escalatedPair(h);
    // Posted (its link is known) well before it is raised again.
    await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('status').where('key', '=', 'escalation:1').executeTakeFirstOrThrow()).status).toBe('sent'));
    expect((await passAt(h, '2027-03-16T23:59:00Z')).escalations.reraised).toBe(0);
    expect((await passAt(h, '2027-03-17T00:00:00Z')).escalations.reraised).toBe(1);
    expect((await passAt(h, '2027-03-17T00:00:00Z')).escalations.reraised).toBe(0);
    expect((await passAt(h, '2027-03-25T00:00:00Z')).escalations.reraised).toBe(0);
    const again = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('Nobody has handled this escalation for 2 working days'));
    expect(readable(again)).toContain(`https://slack.com/archives/${FACILITATOR_CHANNEL}/p${String(post.response?.ts).replace('.', '')}`);
    expect(buttonsOf(again)).toEqual(['escalation_assign']);
    await editedTo(h, post, 'raised again');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => readable(c).includes('Nobody has handled'))).toHaveLength(1);
    // Its button takes the escalation like the original's.
    const reply = await (async () => {
      const before = h.standIn.calls.length;
      await h.driver.blockAction(FACILITATOR, { actionId: 'escalation_assign', messageTs: String(again.response?.ts), channelId: FACILITATOR_CHANNEL });
      return h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= before);
    })();
    expect(String(reply.args.text)).toContain('You are handling');
    await editedTo(h, post, `<@${FACILITATOR}> is handling it`);
  });

  it('is not raised again once someone took it, and follows the programme\'s number of working days', async () => {
    const first = await escalatedPair(h);
    await press(h, FACILITATOR, first.post, 'escalation_assign');
    expect((await passAt(h, '2027-03-30T00:00:00Z')).escalations.reraised).toBe(0);
    await h.store.db.updateTable('programme').set({ escalation_reraise_working_days: 5 }).execute();
    // A concern on Wednesday 31 March, 02:00 in Paris: five working days later is Wednesday 7 April, 02:00.
    await seed(h, junior('U0J2'));
    h.clock.now = new Date('2027-03-31T00:00:00Z');
    await raiseConcern(h, 'U0J2', 'Nobody has called me back.');
    expect((await escalations(h))[1]?.opened_at).toBe('2027-03-31T00:00:00.000Z');
    expect((await passAt(h, '2027-04-06T23:59:00Z')).escalations.reraised).toBe(0);
    expect((await passAt(h, '2027-04-07T00:00:00Z')).escalations.reraised).toBe(1);
    expect((await escalations(h)).map((e) => e.reraised_at)).toEqual([null, '2027-04-07T00:00:00.000Z']);
  });
});

describe('/tandem escalations', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('lists the open ones with links to their messages, and the latest actions, for facilitators only', async () => {
    expect(readable(await command(h, FACILITATOR, 'escalations'))).toContain('No open escalation');
    const { pair, post } = await escalatedPair(h);
    await press(h, FACILITATOR, post, 'escalation_assign');
    const reply = await command(h, FACILITATOR, 'escalations');
    const text = readable(reply);
    expect(text).toContain('Open escalations (1)');
    expect(text).toContain(`<@${pair.junior}> and <@${pair.senior}>: no first session`);
    expect(text).toContain(`<@${FACILITATOR}> since`);
    expect(text).toContain(`<https://slack.com/archives/${FACILITATOR_CHANNEL}/p${String(post.response?.ts).replace('.', '')}|open>`);
    expect(text).toContain('Latest actions');
    expect(text).toContain(`<@${FACILITATOR}> started handling it`);
    expect(String((await command(h, pair.junior, 'escalations')).args.text)).toContain('Only facilitators');
    // Resolved: gone from the list, still in the latest actions.
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    await h.driver.viewSubmission(FACILITATOR, modal, { note: 'Sorted.' });
    await eventually(async () => expect((await escalations(h))[0]?.status).toBe('resolved'));
    const after = readable(await command(h, FACILITATOR, 'escalations'));
    expect(after).toContain('No open escalation');
    expect(after).toContain(`<@${FACILITATOR}> resolved it`);
  });
});

describe('in French', () => {
  let h: Harness;
  const FRENCH_FACILITATOR = 'UFACILFR';
  useTandem((started) => (h = started), { config: { defaultLocale: 'fr', facilitatorUserIds: [FRENCH_FACILITATOR] } });

  it('the channel message, its buttons, the replies to a French facilitator and a French participant\'s concern form', async () => {
    h.standIn.setUser(FRENCH_FACILITATOR, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'animatrice' });
    const { pair, post } = await escalatedPair(h);
    const text = readable(post);
    expect(text).toContain(`Signalement\u202f: <@${pair.junior}> et <@${pair.senior}>`);
    expect(text).toContain('Aucune séance consignée 7 jours après la première question de Tandem, le 8 mars 2027');
    expect(text).toContain('Je m’en occupe');
    expect(text).toContain('Relancer le binôme');
    expect(text).toContain('Mettre fin au binôme');
    expect(await press(h, FRENCH_FACILITATOR, post, 'escalation_nudge')).toContain('le binôme reçoit une relance bienveillante');
    expect(await press(h, FRENCH_FACILITATOR, post, 'escalation_nudge')).toContain('a déjà relancé le binôme aujourd’hui');
    await editedTo(h, post, 'a relancé le binôme');
    await seed(h, { ...junior('U0FR'), locale: 'fr' });
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.command('U0FR', 'concern');
    const modal = await nextModal(h, 'escalation_concern_form', before);
    expect(JSON.stringify(modal.args.view)).toContain('Confier une inquiétude');
    const empty = await h.driver.viewSubmission('U0FR', modal, { concern: '' });
    expect(String((empty.json?.errors as Record<string, string>).concern)).toContain('Écrivez quelques mots');
    const listed = readable(await command(h, FRENCH_FACILITATOR, 'escalations'));
    expect(listed).toContain('Signalements ouverts (1)');
  });
});

describe('open escalations on the facilitators’ Home tab', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('the dashboard lists the open escalation with a link to its message, and the partners’ tabs say a facilitator is on it', async () => {
    const { pair } = await escalatedPair(h);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && c.response?.ok === true && JSON.stringify(c.args.blocks ?? []).includes('escalation'));
    const res = await h.driver.event({ type: 'app_home_opened', user: FACILITATOR, channel: `D${FACILITATOR}`, tab: 'home' });
    expect(res.status).toBe(200);
    const publish = await h.standIn.waitFor('views.publish', (c) => c.args.user_id === FACILITATOR && c.response?.ok === true);
    const text = JSON.stringify((publish.args.view as { blocks: unknown[] }).blocks);
    expect(text).toContain('(1)');
    expect(text).toContain(`<@${pair.junior}>`);
    expect(text).toContain('slack.com/archives/');
    const status = await command(h, pair.junior, 'status');
    expect(JSON.stringify([status.args.text, status.args.blocks])).not.toContain('*Facilitator follow-up:* none');
    const stats = await command(h, FACILITATOR, 'stats');
    expect(JSON.stringify(stats.args.blocks)).toContain('Escalations to the facilitators: *1* open · 0 closed');
  });
});

describe('escalations and confidences, after the review', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('is not raised again once its pair has ended another way', async () => {
    const { pair } = await escalatedPair(h);
    h.clock.now = new Date('2027-03-15T10:00:00Z');
    const reply = await command(h, FACILITATOR, `unpair <@${pair.junior}|j> They moved to another office`);
    expect(String(reply.args.text)).not.toContain('I do not know');
    await eventually(async () => expect((await h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow()).status).toBe('ended'));
    expect((await passAt(h, '2027-03-17T00:00:00Z')).escalations.reraised).toBe(0);
  });

  it('asks before a nudge when the escalation holds a confidence, and dates the partner’s status from what they may know', async () => {
    const { raiseConcern } = await import('../support/escalation-flows.js');
    const pair = await askedPair(h);
    h.clock.now = new Date('2027-03-08T15:00:00Z');
    await raiseConcern(h, pair.junior, 'My partner keeps cancelling.');
    const post = await escalationPost(h);
    const nudge = ((post.args.blocks ?? []) as { type: string; elements?: { action_id?: string; confirm?: unknown }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'escalation_nudge');
    expect(nudge?.confirm).toBeDefined();
    // The partner knows of nothing yet.
    expect(readable(await command(h, pair.senior, 'status'))).toContain('*Facilitator follow-up:* none');
    // No first session 7 days after the first check-in joins the escalation: the partner is told, from that day only.
    await passAt(h, '2027-03-15T01:00:00Z');
    const status = readable(await command(h, pair.senior, 'status'));
    expect(status).toContain('since 15 March 2027, the facilitators have been following your pair');
  });
});
