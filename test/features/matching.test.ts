import { describe, expect, it } from 'vitest';
import { findPair } from '../../src/store/pairs.js';
import { findParticipantByUser } from '../../src/store/participants.js';
import { asUser, command, readable, sendInteraction } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const posted = (h: Harness, channel: string, text: string) =>
  h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === channel && readable(c).includes(text));

async function pairStatus(h: Harness, userId: string) {
  const person = await findParticipantByUser(h.store.db, userId);
  const row = await h.store.db
    .selectFrom('pair')
    .selectAll()
    .where((eb) => eb.or([eb('junior_id', '=', person?.id ?? -1), eb('senior_id', '=', person?.id ?? -1)]))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return { person: person?.status, pair: row?.status, pairId: row?.id };
}

describe('matching', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  async function runMatch(): Promise<RecordedCall> {
    const reply = await command(h, FACILITATOR, 'match');
    expect(String(reply.args.text)).toContain('Matching done');
    return reply;
  }

  it('is for facilitators only', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    const reply = await command(h, 'U0J1', 'match');
    expect(String(reply.args.text)).toContain('Only facilitators');
    expect(await h.store.db.selectFrom('pair').selectAll().execute()).toEqual([]);
  });

  it('proposes the best pairs with their reasons, and tells the unpaired why', async () => {
    await seed(
      h,
      junior('U0J1', { shares: ['generative_ai', 'linkedin'], learns: ['negotiation'] }),
      junior('U0J2', { shares: ['social_media'], learns: ['finance'] }),
      senior('U0S1', { shares: ['negotiation'], learns: ['linkedin'] }),
      senior('U0S2', { shares: ['finance'], learns: ['social_media'] }),
      senior('U0S3', { languages: ['de'] }),
    );
    const reply = await runMatch();
    // The channel they went to, as a mention Slack turns into a link (a plural's # once took its #).
    expect(String(reply.args.text)).toContain(`2 proposals posted in <#${FACILITATOR_CHANNEL}> for approval`);
    const summary = await posted(h, FACILITATOR_CHANNEL, 'Matching proposals');
    expect(readable(summary)).toContain('Approve all');
    const batch = await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–2 of 2');
    const text = readable(batch);
    expect(text).toContain('<@U0J1> shares personal branding on LinkedIn, which <@U0S1> wants to learn');
    expect(text).toContain('<@U0S1> shares negotiation, which <@U0J1> wants to learn');
    expect(text).toContain('<@U0J2> shares social media, which <@U0S2> wants to learn');
    expect(text).toContain('both speak English');
    const dm = await posted(h, 'U0S3', 'No partner for you');
    expect(readable(dm)).toContain('speak none of your languages');
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ person: 'matched', pair: 'proposed' });
    expect(await pairStatus(h, 'U0S3')).toMatchObject({ person: 'enrolled', pair: undefined });
  });

  it('says so when nobody is waiting', async () => {
    const reply = await command(h, FACILITATOR, 'match');
    expect(String(reply.args.text)).toContain('Nobody is waiting');
  });

  it('introduces an approved pair in a group DM, once, whoever double-clicks', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    const click = h.driver.blockActionPayload(FACILITATOR, { actionId: 'proposal_approve' });
    await Promise.all([sendInteraction(h, click), sendInteraction(h, click)]);
    const opened = await h.standIn.waitFor('conversations.open');
    expect(String(opened.args.users).split(',').sort()).toEqual(['U0J1', 'U0S1']);
    const intro = await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('Welcome to your Tandem pair'));
    const text = readable(intro);
    expect(text).toContain('Each has their role');
    expect(text).toContain('Your first session');
    expect(text).toContain('Questions to start with');
    expect(text).toContain('introduction_accept');
    // The notification names the partners and what each is asked to do.
    expect(intro.args.text).toBe('<@U0J1> and <@U0S1>, Tandem proposes that you pair up: read the introduction, then each of you press Accept or Decline.');
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('Approved by <@UFACIL1>'));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.standIn.callsTo('conversations.open')).toHaveLength(1);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => readable(c).includes('Welcome to your Tandem pair'))).toHaveLength(1);
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'introduced' });
  });

  it('refuses a facilitator button pressed by someone else, a tampered value and an unknown id', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    await sendInteraction(h, asUser(h.driver.blockActionPayload(FACILITATOR, { actionId: 'proposal_approve' }), 'U0J1'));
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Only facilitators'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', value: '{"pairId":"x"}' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('could not be read'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_reject', value: '{"pairId":424242}' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('no longer exists'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'proposed', person: 'matched' });
    expect(h.standIn.callsTo('conversations.open')).toHaveLength(0);
  });

  it('pairs two people who both accept, and only their own clicks count', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'), junior('U0X'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve' });
    await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('Welcome to your Tandem pair'));
    expect(readable(await command(h, 'U0J1', 'status'))).toContain('Partner:* <@U0S1>. You were introduced');
    const accept = h.driver.blockActionPayload('U0J1', { actionId: 'introduction_accept' });
    await sendInteraction(h, asUser(accept, 'U0X'));
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Only the two people'));
    await sendInteraction(h, accept);
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('acceptance is recorded'));
    await sendInteraction(h, accept);
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('already answered'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'introduced' });
    await sendInteraction(h, asUser(accept, 'U0S1'));
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('You are a pair, <@U0J1> and <@U0S1>!'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'accepted', person: 'paired' });
    expect(await pairStatus(h, 'U0S1')).toMatchObject({ pair: 'accepted', person: 'paired' });
    expect(readable(await command(h, 'U0S1', 'status'))).toContain('Partner:* <@U0J1>. You are a pair.');
    await posted(h, FACILITATOR_CHANNEL, 'both accepted');
  });

  it('returns both to the pool on a decline, tells the facilitators, and never proposes them again', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve' });
    await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('Welcome to your Tandem pair'));
    await h.driver.blockAction('U0S1', { actionId: 'introduction_decline' });
    await posted(h, FACILITATOR_CHANNEL, 'declined the introduction');
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'declined', person: 'enrolled' });
    expect(await pairStatus(h, 'U0S1')).toMatchObject({ pair: 'declined', person: 'enrolled' });
    const again = await command(h, FACILITATOR, 'match');
    expect(String(again.args.text)).toContain('no pair could be proposed');
    // Told without a count of earlier proposals: a rejected one was never theirs to know of.
    const dm = await posted(h, 'U0J1', 'Nobody waiting right now fits the programme’s rules for you.');
    expect(readable(dm)).not.toContain('proposed to you');
  });

  it('refuses to approve a proposal whose people changed, and withdraws it', async () => {
    const [, s1] = await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    await h.store.db.updateTable('participant').set({ status: 'left' }).where('id', '=', s1?.id ?? 0).execute();
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('can no longer be approved: <@U0S1> left the programme'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'withdrawn', person: 'enrolled' });
    expect(h.standIn.callsTo('conversations.open')).toHaveLength(0);
  });

  it('ends the pair kindly when a partner leaves, and withdraws a proposal whose person left', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'), junior('U0J2', { department: 'Ops' }), senior('U0S2', { department: 'Legal' }));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–2');
    const first = h.driver.blockActionPayload(FACILITATOR, { actionId: 'proposal_approve' });
    await sendInteraction(h, first);
    await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('Welcome to your Tandem pair'));
    const introduced = (await pairStatus(h, 'U0J1')).pair === 'introduced' ? ['U0J1', 'U0S1'] : ['U0J2', 'U0S2'];
    const waiting = introduced[0] === 'U0J1' ? ['U0J2', 'U0S2'] : ['U0J1', 'U0S1'];
    for (const user of introduced) await h.driver.blockAction(user as string, { actionId: 'introduction_accept' });
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes(`You are a pair, <@${introduced[0]}> and <@${introduced[1]}>!`));

    await command(h, introduced[0] as string, 'leave');
    await h.driver.blockAction(introduced[0] as string, { actionId: 'leave_confirm' });
    await posted(h, introduced[1] as string, `<@${introduced[0]}> has left Tandem, so your pair has ended`);
    expect(await pairStatus(h, introduced[1] as string)).toMatchObject({ pair: 'ended', person: 'enrolled' });
    expect(await pairStatus(h, introduced[0] as string)).toMatchObject({ pair: 'ended', person: 'left' });

    await command(h, waiting[1] as string, 'leave');
    await h.driver.blockAction(waiting[1] as string, { actionId: 'leave_confirm' });
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes(`Withdrawn: <@${waiting[1]}> left the programme`));
    expect(await pairStatus(h, waiting[0] as string)).toMatchObject({ pair: 'withdrawn', person: 'enrolled' });
  });

  it('checks the rules again on approval, after a profile was edited', async () => {
    const [j1] = await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    await h.store.db.updateTable('participant').set({ languages: JSON.stringify(['de']) }).where('id', '=', j1?.id ?? 0).execute();
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('the profiles changed and the pair now breaks a programme rule (they share no language)'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'withdrawn', person: 'enrolled' });
  });

  it('treats a facilitator ending a proposal as a rejection: never proposed again', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    const ended = await command(h, FACILITATOR, 'unpair <@U0J1|j1> Not a good fit');
    expect(String(ended.args.text)).toContain('has ended');
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'rejected', person: 'enrolled' });
    const again = await command(h, FACILITATOR, 'match');
    expect(String(again.args.text)).toContain('no pair could be proposed');
  });

  it('rejects a proposal: both back in the pool', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await runMatch();
    const proposal = await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–1');
    // Rejecting is final, so Slack asks first, naming the two people.
    const blocks = JSON.stringify(proposal.args.blocks);
    expect(blocks).toContain('Reject this pair?');
    expect(blocks).toContain('u0j1 and u0s1 will never be proposed together again');
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_reject' });
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('Rejected by <@UFACIL1>'));
    // Nothing is left to approve: the summary loses its Approve all button.
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('Matching proposals') && !readable(c).includes('proposals_approve_all'));
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'rejected', person: 'enrolled' });
    // Never proposed again.
    expect(String((await runMatch()).args.text)).toContain('no pair could be proposed');
  });

  it('keeps a large run readable: a summary, then proposals in as few messages as the limits allow, and Approve all', async () => {
    const people = [];
    for (let i = 0; i < 30; i++) people.push(junior(`U0J${i}`), senior(`U0S${i}`));
    await seed(h, ...people);
    const reply = await runMatch();
    expect(String(reply.args.text)).toContain('30 proposals posted');
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 1–24 of 30');
    await posted(h, FACILITATOR_CHANNEL, 'Proposals 25–30 of 30');
    const posts = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL);
    expect(posts).toHaveLength(3);
    expect(readable(posts[0] as RecordedCall)).toContain('Matching proposals');
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposals_approve_all' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('30 proposals approved'), 15_000);
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('approved all remaining proposals'), 15_000);
    const statuses = await h.store.db.selectFrom('pair').select('status').execute();
    expect(statuses.every((s) => s.status === 'introduced')).toBe(true);
  });
});

describe('/tandem pair and /tandem unpair', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const reply = async (text: string) => String((await command(h, FACILITATOR, text)).args.text);

  it('checks the people and the roles, then posts a proposal', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'), junior('U0J2', { languages: ['fr'] }));
    expect(await reply('pair <@U0J1|j1>')).toContain('Usage: `/tandem pair');
    expect(await reply('pair <@U0J1|j1> <@U0J1|j1>')).toContain('cannot be paired with themselves');
    expect(await reply('pair <@U0J1|j1> <@U0NOBODY|n>')).toContain('<@U0NOBODY> is not enrolled');
    expect(await reply('pair <@U0S1|s1> <@U0J1|j1>')).toContain('<@U0S1> is enrolled as a senior');
    expect(await reply('pair <@U0J2|j2> <@U0S1|s1>')).toContain('they share no language');
    expect(await h.store.db.selectFrom('pair').selectAll().execute()).toEqual([]);
    expect(await reply('pair <@U0J1|j1> <@U0S1|s1>')).toContain('Proposal posted');
    await posted(h, FACILITATOR_CHANNEL, 'proposed this pair directly');
    expect(await reply('pair <@U0J1|j1> <@U0S1|s1>')).toContain('is not available');
  });

  it('refuses non-facilitators', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    const answer = await command(h, 'U0J1', 'pair <@U0J1|j> <@U0S1|s>');
    expect(String(answer.args.text)).toContain('Only facilitators');
  });

  it('ends a pair after a reason is given, and tells both kindly', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    expect(await reply('pair <@U0J1|j1> <@U0S1|s1>')).toContain('Proposal posted');
    await posted(h, FACILITATOR_CHANNEL, 'proposed this pair directly');
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve' });
    await h.standIn.waitFor('chat.postMessage', (c) => readable(c).includes('Welcome to your Tandem pair'));
    await h.driver.blockAction('U0J1', { actionId: 'introduction_accept' });
    await h.driver.blockAction('U0S1', { actionId: 'introduction_accept' });
    await h.standIn.waitFor('chat.update', (c) => readable(c).includes('You are a pair, <@U0J1> and <@U0S1>!'));

    expect(await reply('unpair')).toContain('Usage: `/tandem unpair');
    await h.driver.command(FACILITATOR, 'unpair <@U0J1|j1>');
    const modal = await h.standIn.waitFor('views.open');
    const empty = await h.driver.viewSubmission(FACILITATOR, modal, { reason: '  ' });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Give a reason') } });
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'accepted' });
    const tampered = h.driver.viewSubmissionPayload(FACILITATOR, modal, { reason: 'Moving teams' });
    (tampered.view as { private_metadata: string }).private_metadata = '{"pairId":"1; drop table pair"}';
    await sendInteraction(h, tampered);
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'accepted' });
    const byPartner = h.driver.viewSubmissionPayload('U0S1', modal, { reason: 'I want out' });
    await sendInteraction(h, byPartner);
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'accepted' });

    const done = await h.driver.viewSubmission(FACILITATOR, modal, { reason: 'Moving teams' });
    expect(done.json?.response_action).toBeUndefined();
    await posted(h, 'U0J1', 'Your Tandem pair has ended');
    await posted(h, 'U0S1', 'Your Tandem pair has ended');
    await posted(h, FACILITATOR_CHANNEL, 'ended the pair of <@U0J1> and <@U0S1>');
    expect(await pairStatus(h, 'U0J1')).toMatchObject({ pair: 'ended', person: 'enrolled' });
    const pair = await findPair(h.store.db, (await pairStatus(h, 'U0J1')).pairId ?? 0);
    expect(pair?.endReason).toBe('Moving teams');
    expect(await reply('unpair <@U0J1|j1> again')).toContain('is not in a pair');
  });
});
