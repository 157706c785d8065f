import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { contractInForce, type PairedUp } from '../support/contract-flows.js';
import { escalationPost, logSession, openDetails, press, pressForModal, pressGone, raiseConcern } from '../support/escalation-flows.js';
import { asUser, command, readable, sendInteraction, sendView } from '../support/flows.js';
import { junior, type PersonSpec, seed, senior } from '../support/seed.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

// FACILITATOR is a member of the facilitators' channel and, here, the senior of a pair too.
const OTHER = 'UFACIL2';
const JUNIOR = 'U0J1';
const CONCERN = 'My partner keeps cancelling at the last minute.';

const escalationRow = (h: Harness) => h.store.db.selectFrom('escalation').selectAll().executeTakeFirstOrThrow();
const pairRow = (h: Harness) => h.store.db.selectFrom('pair').selectAll().executeTakeFirstOrThrow();
const escalationAudit = (h: Harness) => h.store.db.selectFrom('audit_log').select(['actor_user_id', 'action']).where('subject', 'like', 'escalation:%').orderBy('id').execute();

/** The junior and the facilitator, proposed by `by` with `/tandem pair`: the proposal's post. */
async function proposeWithFacilitator(h: Harness, by: string, facilitator: PersonSpec = senior(FACILITATOR)): Promise<RecordedCall> {
  await seed(h, junior(JUNIOR), facilitator);
  const reply = await command(h, by, `pair <@${JUNIOR}|j> <@${FACILITATOR}|f>`);
  expect(String(reply.args.text)).toContain('Proposal posted');
  return h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
}

/** Approved by the other facilitator, accepted by both, contract in force. */
async function activeWithFacilitator(h: Harness, proposal: RecordedCall): Promise<PairedUp> {
  await h.driver.blockAction(OTHER, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
  const groupDm = dmChannelId([JUNIOR, FACILITATOR]);
  await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === groupDm && readable(c).includes('introduction_accept'));
  await h.driver.blockAction(JUNIOR, { actionId: 'introduction_accept', channelId: groupDm });
  await h.driver.blockAction(FACILITATOR, { actionId: 'introduction_accept', channelId: groupDm });
  await h.standIn.waitFor('chat.update', (c) => c.args.channel === groupDm && readable(c).includes('contract_open'));
  const pair: PairedUp = { pairId: (await pairRow(h)).id, junior: JUNIOR, senior: FACILITATOR, groupDm };
  await contractInForce(h, pair);
  return pair;
}

/** An ephemeral answer to a click on a proposal's button. */
async function pressProposal(h: Harness, userId: string, proposal: RecordedCall, actionId: string): Promise<string> {
  const before = h.standIn.calls.length;
  await h.driver.blockAction(userId, { actionId, messageTs: String(proposal.response?.ts) });
  const reply = await h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= before);
  return String(reply.args.text);
}

describe('a facilitator who is also a participant, with another facilitator', () => {
  let h: Harness;
  useTandem((started) => (h = started), { config: { facilitatorUserIds: [OTHER] } });

  it('cannot propose, approve or reject their own pair: another facilitator decides', async () => {
    await seed(h, junior(JUNIOR), senior(FACILITATOR));
    const own = await command(h, FACILITATOR, `pair <@${JUNIOR}|j> <@${FACILITATOR}|f>`);
    expect(String(own.args.text)).toContain('You are in this proposal, so you cannot decide on it. Another facilitator will approve or reject it.');
    expect(await h.store.db.selectFrom('pair').selectAll().execute()).toEqual([]);

    expect(String((await command(h, OTHER, `pair <@${JUNIOR}|j> <@${FACILITATOR}|f>`)).args.text)).toContain('Proposal posted');
    const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
    for (const actionId of ['proposal_approve', 'proposal_reject']) {
      expect(await pressProposal(h, FACILITATOR, proposal, actionId)).toContain('Another facilitator will approve or reject it');
    }
    // A forged click naming the proposal, from a message that does not show it.
    const forged = h.driver.blockActionPayload(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
    (forged.actions as Record<string, unknown>[])[0]!.value = JSON.stringify({ pairId: (await pairRow(h)).id });
    expect(await sendInteraction(h, forged)).toBe(200);
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Another facilitator'));
    expect(await pairRow(h)).toMatchObject({ status: 'proposed', decided_by: null });
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === dmChannelId([JUNIOR, FACILITATOR]))).toEqual([]);

    // /tandem unpair of their own proposal is refused too; the other facilitator approves.
    expect(String((await command(h, FACILITATOR, `unpair <@${JUNIOR}|j> not a fit`)).args.text)).toContain('You are in this proposal');
    expect((await h.driver.blockAction(OTHER, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) })).status).toBe(200);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId([JUNIOR, FACILITATOR]) && readable(c).includes('introduction_accept'));
    expect((await pairRow(h)).decided_by).toBe(OTHER);
  });

  it('leaves their own proposals out of Approve all, and says so', async () => {
    await seed(h, junior(JUNIOR), senior(FACILITATOR), junior('U0J2', { languages: ['fr'] }), senior('U0S2', { languages: ['fr'] }));
    expect(String((await command(h, OTHER, 'match')).args.text)).toContain('2 proposal');
    const summary = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposals_approve_all'));
    const answer = await pressProposal(h, FACILITATOR, summary, 'proposals_approve_all');
    expect(answer).toContain('Proposals that name you, left for another facilitator to decide: 1.');
    const pairs = await h.store.db.selectFrom('pair as p').innerJoin('participant as s', 's.id', 'p.senior_id').select(['s.slack_user_id', 'p.status']).orderBy('p.id').execute();
    expect(Object.fromEntries(pairs.map((p) => [p.slack_user_id, p.status]))).toEqual({ [FACILITATOR]: 'proposed', U0S2: 'introduced' });
  });

  it('is never shown what their partner confided, and cannot take, nudge, talk, resolve or end their own pair’s escalation', async () => {
    const pair = await activeWithFacilitator(h, await proposeWithFacilitator(h, OTHER));
    expect(await raiseConcern(h, JUNIOR, CONCERN)).toMatchObject({ response_action: 'update' });
    const post = await escalationPost(h);
    // The channel reads neither what was confided nor who confided it.
    expect(readable(post)).not.toContain('cancelling');
    expect(readable(post)).toContain('A private concern was raised');
    for (const actionId of ['escalation_assign', 'escalation_nudge', 'escalation_talk', 'escalation_resolve', 'escalation_end', 'escalation_details']) {
      expect(await press(h, FACILITATOR, post, actionId)).toContain('This is about your own pair, so you cannot act on it nor read what was confided. Another facilitator will handle it.');
    }
    // Forged values on a message that does not show them.
    expect(await pressGone(h, FACILITATOR, post, 'escalation_assign', JSON.stringify({ escalationId: 1, from: OTHER }))).toContain('your own pair');
    // A forged form: the other facilitator's Resolve and End forms, submitted as the facilitator in the pair.
    const resolveForm = await pressForModal(h, OTHER, post, 'escalation_resolve', 'escalation_resolve_form');
    const resolve = asUser(h.driver.viewSubmissionPayload(OTHER, resolveForm, { note: 'Sorted.' }), FACILITATOR);
    expect(JSON.stringify((await sendView(h, resolve))?.errors)).toContain('your own pair');
    const endForm = await pressForModal(h, OTHER, post, 'escalation_end', 'escalation_end_form');
    const end = asUser(h.driver.viewSubmissionPayload(OTHER, endForm, { reason: 'Not working.' }), FACILITATOR);
    expect(JSON.stringify((await sendView(h, end))?.errors)).toContain('your own pair');
    // Nothing changed, and nobody read the concern.
    expect(await escalationRow(h)).toMatchObject({ status: 'open', assignee_user_id: null, nudged_by: null, resolution: null });
    expect((await pairRow(h)).status).toBe('active');
    expect(await escalationAudit(h)).toEqual([{ actor_user_id: JUNIOR, action: 'escalation.opened' }]);
    const opened = h.standIn.callsTo('views.open').filter((c) => JSON.stringify(c.args.view).includes('cancelling'));
    expect(opened).toEqual([]);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm && readable(c).includes('wondering'))).toEqual([]);
    // The other facilitator reads it and takes it.
    expect(JSON.stringify((await openDetails(h, OTHER, post)).args.view)).toContain('cancelling');
    expect(await press(h, OTHER, post, 'escalation_assign')).toContain('You are handling');
  });

  it('cannot read a private check-in note of their own pair, even by a forged click', async () => {
    const pair = await activeWithFacilitator(h, await proposeWithFacilitator(h, OTHER));
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await logSession(h, pair.junior, { met_on: '2027-03-05', rating: '4', private_note: 'I am shy about asking him questions.' });
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('escalation_note_read'));
    expect(readable(notice)).not.toContain('shy');
    const before = h.standIn.calls.length;
    await h.driver.blockAction(FACILITATOR, { actionId: 'escalation_note_read', messageTs: String(notice.response?.ts) });
    const reply = await h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= before);
    expect(String(reply.args.text)).toContain('your own pair');
    expect(h.standIn.callsTo('views.open').filter((c) => JSON.stringify(c.args.view).includes('shy'))).toEqual([]);
    expect(await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'escalation.note_read').execute()).toEqual([]);
  });
});

describe('a facilitator who is also a participant, alone', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('is told that nobody else can decide, and how to add a facilitator', async () => {
    await seed(h, junior(JUNIOR), senior(FACILITATOR));
    const reply = String((await command(h, FACILITATOR, `pair <@${JUNIOR}|j> <@${FACILITATOR}|f>`)).args.text);
    expect(reply).toContain('As you are the only facilitator, nobody can approve it yet');
    expect(reply).toContain('FACILITATOR_USER_IDS');
    expect(reply).toContain(`<#${FACILITATOR_CHANNEL}>`);
    expect(await h.store.db.selectFrom('pair').selectAll().execute()).toEqual([]);
  });

  it('says so in French, for their own pair’s escalation', async () => {
    // Proposed by a facilitator who has since left the channel: the one left is in the pair.
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, OTHER, 'UBOT'], { name: 'tandem-facilitators', isPrivate: true });
    const pair = await activeWithFacilitator(h, await proposeWithFacilitator(h, OTHER, senior(FACILITATOR, { locale: 'fr' })));
    h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, 'UBOT'], { name: 'tandem-facilitators', isPrivate: true });
    await h.tandem.deps.facilitators.invalidate();
    expect(await raiseConcern(h, pair.junior, CONCERN)).toMatchObject({ response_action: 'update' });
    const post = await escalationPost(h);
    const answer = await press(h, FACILITATOR, post, 'escalation_details');
    expect(answer).toContain('Il s’agit de votre propre binôme');
    expect(answer).toContain('vous êtes le seul animateur');
    expect(answer).toContain('FACILITATOR_USER_IDS');
    expect(h.standIn.callsTo('views.open').filter((c) => JSON.stringify(c.args.view).includes('cancelling'))).toEqual([]);
  });
});
