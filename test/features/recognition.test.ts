import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import type { PairedUp } from '../support/contract-flows.js';
import { command, readable } from '../support/flows.js';
import { activePair, openFrom, passAt, surveyValues, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const JUNIOR_SAYS = 'That a client meeting is prepared weeks ahead, not the night before.';
const SENIOR_SAYS = 'Slack channels beat my inbox, and a spreadsheet can do the dull part for me.';

/** Both partners answer the closing survey of a pair ending on 26 March 2027. */
async function complete(h: Harness, pair: PairedUp, quote: { junior: string; senior: string }): Promise<void> {
  await passAt(h, '2027-03-15T09:00:00Z');
  await passAt(h, '2027-03-26T09:00:00Z');
  const [survey] = await waitForPosts(h, pair, 'followup_survey');
  for (const [userId, learned, mayQuote] of [
    [pair.junior, JUNIOR_SAYS, quote.junior],
    [pair.senior, SENIOR_SAYS, quote.senior],
  ] as const) {
    const modal = await openFrom(h, userId, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    const res = await h.driver.viewSubmission(userId, modal, surveyValues(2, { learned, may_quote: mayQuote, reached_1: 'partly' }));
    expect(res.json?.response_action).toBe('update');
  }
  expect((await h.store.db.selectFrom('pair').select('status').executeTakeFirstOrThrow()).status).toBe('completed');
}

const recognitionOf = (h: Harness, userId: string) => h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === userId && /Thank you: your Tandem pair|Merci/.test(readable(c)));

describe('what people gave at enrolment', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('the motivation each wrote appears in the introduction to the partner, in their language', async () => {
    await seed(h, junior('U0J1', { motivation: 'I want to see how <decisions> are made.' }), senior('U0S1', { motivation: 'My teams use tools I do not know.' }));
    await seed(h, junior('U0J2', { locale: 'fr', languages: ['fr'], motivation: 'Comprendre le métier.' }), senior('U0S2', { locale: 'fr', languages: ['fr'], motivation: 'Rester à la page.' }));
    await command(h, FACILITATOR, 'match');
    const summary = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('proposals_approve_all'));
    await h.driver.blockAction(FACILITATOR, { actionId: 'proposals_approve_all', messageTs: String(summary.response?.ts) });
    const intro = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId(['U0J1', 'U0S1']));
    expect(readable(intro)).toContain('Why each of you joined, in your own words');
    expect(readable(intro)).toContain('<@U0J1>: “I want to see how &lt;decisions&gt; are made.”');
    expect(readable(intro)).toContain('<@U0S1>: “My teams use tools I do not know.”');
    const fr = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === dmChannelId(['U0J2', 'U0S2']));
    expect(readable(fr)).toContain('Pourquoi chacun de vous a rejoint le programme');
    expect(readable(fr)).toContain('<@U0J2>\u202f: «\u202fComprendre le métier.\u202f»');
  });
});

describe('the end of a pair', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('recognises each partner: what they taught, what they learned, and thanks; once', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' }, { junior: junior('U0J1'), senior: senior('U0S1', { locale: 'fr' }) });
    await complete(h, pair, { junior: 'yes', senior: 'yes' });
    const toJunior = readable(await recognitionOf(h, pair.junior));
    expect(toJunior).toContain('Thank you: your Tandem pair is complete');
    expect(toJunior).toContain('You were chosen to share your digital practices with <@U0S1>');
    expect(toJunior).toContain('What you taught <@U0S1>');
    // The senior's objectives, with how far the senior says they got.
    expect(toJunior).toContain('Use Slack channels well: Reached, says your partner');
    expect(toJunior).toContain('Automate a spreadsheet: Partly, says your partner');
    expect(toJunior).toContain('What you learned from <@U0S1>');
    expect(toJunior).toContain('Read a P&amp;L');
    expect(toJunior).toContain('thank you for the time and the trust');
    const toSenior = readable(await recognitionOf(h, pair.senior));
    expect(toSenior).toContain('Merci : votre binôme Tandem est terminé'.replace(' :', '\u202f:'));
    expect(toSenior).toContain('Ce que vous avez transmis à <@U0J1>');
    expect(toSenior).toContain('Read a P&amp;L\u202f: Atteint, selon votre partenaire');
    // The senior rated 3 at the start and 5 at the end: their own levels and gain.
    expect(toSenior).toContain('Use Slack channels well\u202f: 3 → 5');
    expect(toSenior).toContain('Votre progression\u202f: +2 niveaux en moyenne.');
    // Through the outbox, once per person, whatever runs again.
    const keys = await h.store.db.selectFrom('outbox').select('key').where('key', 'like', '%recognition%').execute();
    expect(keys.map((k) => k.key).sort()).toEqual([`pair:${pair.pairId}:recognition:1`, `pair:${pair.pairId}:recognition:2`]);
    await passAt(h, '2027-04-20T09:00:00Z');
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.junior && readable(c).includes('What you taught'))).toHaveLength(1);
  });

  it('shows facilitators what participants say, with both partners’ consent, and the learning gain', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await complete(h, pair, { junior: 'yes', senior: 'yes' });
    const stats = readable(await command(h, FACILITATOR, 'stats'));
    expect(stats).toContain('What participants say');
    expect(stats).toContain(`“${SENIOR_SAYS}”`);
    expect(stats).toContain('— a senior, learning gain +2 levels');
    // The junior rated no starting level: quoted without a gain.
    expect(stats).toContain(`“${JUNIOR_SAYS}”\\n>— a junior`);
  });

  it('quotes nobody when one partner said no', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await complete(h, pair, { junior: 'yes', senior: 'no' });
    const stats = readable(await command(h, FACILITATOR, 'stats'));
    expect(stats).toContain('Nothing yet: what a completed pair learned appears here once both partners agreed to be quoted.');
    expect(stats).not.toContain(JUNIOR_SAYS);
    expect(stats).not.toContain(SENIOR_SAYS);
  });
});
