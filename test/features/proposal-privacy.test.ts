import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { command, ephemeralReply, openJoin, readable } from '../support/flows.js';
import { enrolmentValues } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';

/** Everything the app sent to this person (DMs, group DMs they are in, ephemeral answers aside). */
const sentTo = (h: Harness, userId: string): string =>
  h.standIn
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === userId || c.args.channel === dmChannelId([ANA, BOB]))
    .map(readable)
    .join('\n');

async function homeOf(h: Harness, userId: string): Promise<string> {
  const before = h.standIn.callsTo('views.publish').length;
  await h.driver.event({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' });
  const published = await h.standIn.waitFor('views.publish', (c) => c.args.user_id === userId && c.response?.ok === true && h.standIn.callsTo('views.publish').indexOf(c) >= before);
  return JSON.stringify(published.args.view);
}

async function exported(h: Harness, userId: string): Promise<{ pairs: unknown[]; profile: { status: string }; audit: { action: string }[] }> {
  const before = h.standIn.callsTo('file_upload').length;
  await command(h, userId, 'export');
  await h.standIn.waitFor('file_upload', () => h.standIn.callsTo('file_upload').length > before);
  const file = JSON.parse(String((h.standIn.callsTo('file_upload').at(-1) as RecordedCall).args.content)) as Record<string, unknown>;
  const data = (file.data ?? file) as Record<string, unknown>;
  return data as unknown as { pairs: unknown[]; profile: { status: string }; audit: { action: string }[] };
}

async function propose(h: Harness): Promise<RecordedCall> {
  expect(String((await command(h, FACILITATOR, `pair <@${ANA}|a> <@${BOB}|b>`)).args.text)).toContain('Proposal posted');
  return h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposal_approve'));
}

describe('a proposal waiting for a facilitator', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('is invisible to the people in it: status, Home tab, export, commands and DMs', async () => {
    await seed(h, junior(ANA), senior(BOB, { locale: 'fr' }));
    await propose(h);
    expect((await h.store.db.selectFrom('participant').select('status').execute()).map((p) => p.status)).toEqual(['matched', 'matched']);

    const status = readable(await command(h, ANA, 'status'));
    expect(status).toContain('enrolled, waiting for a partner');
    expect(status).toContain('none yet');
    expect(status).not.toContain(BOB);
    const statusFr = readable(await command(h, BOB, 'status'));
    expect(statusFr).toContain('inscrit, en attente d’un partenaire');
    expect(statusFr).not.toContain(ANA);

    const home = await homeOf(h, ANA);
    expect(home).toContain('enrolled, waiting for a partner');
    expect(home).not.toContain(BOB);

    const data = await exported(h, ANA);
    expect(JSON.stringify(data)).not.toContain(BOB);
    expect(data.profile.status).toBe('enrolled');

    // Commands that name a pair answer as if there were none.
    expect(String((await command(h, ANA, 'contract')).args.text)).not.toContain(BOB);
    const checkin = String((await command(h, BOB, 'checkin')).args.text);
    expect(checkin).toContain('pas encore dans un binôme actif');
    // Their role is not locked by a pair they do not know of.
    const opened = await openJoin(h, ANA);
    const res = await h.driver.viewSubmission(ANA, opened, enrolmentValues({ role: 'senior', shares: ['negotiation'], shares_other: '', learns: ['generative_ai'] }));
    expect(res.json?.response_action).toBeUndefined();

    // Nothing was sent to either of them about it.
    expect(sentTo(h, ANA)).not.toContain(BOB);
    expect(sentTo(h, BOB)).not.toContain(ANA);
  });

  it('once rejected, is never seen; once approved, is', async () => {
    await seed(h, junior(ANA), senior(BOB));
    const proposal = await propose(h);
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_reject', messageTs: String(proposal.response?.ts) });
    await h.standIn.waitFor('chat.update', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('Rejected'));
    const data = await exported(h, ANA);
    expect(data.pairs).toEqual([]);
    expect(JSON.stringify(data)).not.toContain(BOB);
    expect(JSON.stringify(data.audit)).not.toContain('pair.rejected');
    expect(readable(await command(h, ANA, 'status'))).not.toContain(BOB);
    expect(sentTo(h, ANA)).not.toContain(BOB);

    // A new pairing, approved: now both know.
    await seed(h, senior('U0CAT'));
    expect(String((await command(h, FACILITATOR, `pair <@${ANA}|a> <@U0CAT|c>`)).args.text)).toContain('Proposal posted');
    const second = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('U0CAT') && readable(c).includes('proposal_approve'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(second.response?.ts) });
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId([ANA, 'U0CAT']) && readable(c).includes('introduction_accept'));
    const status = readable(await command(h, ANA, 'status'));
    expect(status).toContain('<@U0CAT>');
    expect(status).toContain('a partner proposed');
    const after = await exported(h, ANA);
    expect(after.pairs).toHaveLength(1);
    expect(JSON.stringify(after.pairs)).not.toContain(BOB);
    await ephemeralReply(h, 'Your export is in your direct messages');
  });
});
