import { describe, expect, it } from 'vitest';
import { contractInForce, pairUp } from '../support/contract-flows.js';
import { command, readable } from '../support/flows.js';
import { passAt } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';

// The harness's clock starts on Monday 1 March 2027, 09:00 UTC; everyone is in Paris; check-ins at 10:00.
const person = (h: Harness, userId: string) => h.store.db.selectFrom('participant').select(['status', 'paused_until']).where('slack_user_id', '=', userId).executeTakeFirstOrThrow();
const pairs = (h: Harness) => h.store.db.selectFrom('pair').selectAll().execute();
const reply = async (h: Harness, userId: string, text: string) => String((await command(h, userId, text)).args.text);

describe('pausing while waiting for a partner', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('leaves the person out of matching until the date, then puts them back by itself', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    expect(await reply(h, 'U0J1', 'pause 2027-03-10')).toContain('You are left out of matching until 10 March 2027; you are back in the pool automatically then.');
    expect(await person(h, 'U0J1')).toEqual({ status: 'paused', paused_until: '2027-03-10' });
    await command(h, FACILITATOR, 'match');
    expect(await pairs(h)).toEqual([]);
    // Not on the day before, nor that day before the check-in hour: from 10:00 in Paris on 10 March.
    expect((await passAt(h, '2027-03-10T08:59:00Z')).followup.resumed).toBe(0);
    expect((await passAt(h, '2027-03-10T09:00:00Z')).followup.resumed).toBe(1);
    expect(await person(h, 'U0J1')).toEqual({ status: 'enrolled', paused_until: null });
    h.clock.now = new Date('2027-03-10T10:00:00Z');
    expect(await reply(h, FACILITATOR, 'match')).toContain('Matching done');
    expect(await pairs(h)).toHaveLength(1);
  });

  it('lasts until /tandem resume when no date is given; bad dates are refused and change nothing', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await h.store.db.updateTable('programme').set({ ends_on: '2027-06-30' }).execute();
    expect(await reply(h, 'U0J1', 'pause 2027-02-30')).toContain('Give the date as YYYY-MM-DD');
    expect(await reply(h, 'U0J1', 'pause 2027-03-01')).toContain('Choose a date after today');
    expect(await reply(h, 'U0J1', 'pause 2027-07-01')).toContain('The programme ends on 30 June 2027: choose a date before then.');
    expect(await person(h, 'U0J1')).toEqual({ status: 'enrolled', paused_until: null });
    expect(await reply(h, 'U0J1', 'resume')).toContain('Nothing is paused, so there is nothing to resume.');
    expect(await reply(h, 'U0J1', 'pause')).toContain('You are left out of matching until you run `/tandem resume`');
    expect(await reply(h, 'U0J1', 'pause')).toContain('Your pause is already set this way.');
    expect((await passAt(h, '2027-09-01T09:00:00Z')).followup.resumed).toBe(0);
    expect(await reply(h, 'U0J1', 'resume')).toContain('You are back in the pool');
    expect(await person(h, 'U0J1')).toEqual({ status: 'enrolled', paused_until: null });
    // A paused person is not proposed directly either.
    h.clock.now = new Date('2027-03-02T10:00:00Z');
    await reply(h, 'U0S1', 'pause');
    expect(await reply(h, FACILITATOR, 'pair <@U0J1|j> <@U0S1|s>')).toContain('paused');
    expect(await pairs(h)).toEqual([]);
  });
});

describe('pausing a pair that accepted but has not signed yet', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('pauses both partners, tells the pair, and holds the unsigned-contract rule until it ends', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    await h.store.db.updateTable('programme').set({ contract_unsigned_days: 3 }).execute();
    expect(await reply(h, pair.junior, 'pause 2027-03-20')).toContain('Your pair is paused until 20 March 2027');
    expect(await person(h, pair.senior)).toEqual({ status: 'paused', paused_until: '2027-03-20' });
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes(`<@${pair.junior}> and <@${pair.senior}>, <@${pair.junior}> paused your pair until 20 March 2027: Tandem will not ask for your contract until then`));
    // Without the pause, 4 March would be the third day after acceptance.
    expect((await passAt(h, '2027-03-04T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-15T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-20T09:00:00Z')).followup.resumed).toBe(1);
    expect(await person(h, pair.junior)).toEqual({ status: 'paired', paused_until: null });
    // Counted from the end of the pause: the third day after 20 March.
    expect((await passAt(h, '2027-03-22T12:00:00Z')).escalations.raised).toBe(0);
    expect((await passAt(h, '2027-03-23T12:00:00Z')).escalations.raised).toBe(1);
  });

  it('ends with /tandem resume, told to the pair, or when the contract comes into force', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    expect(await reply(h, pair.senior, 'pause')).toContain('Your pair is paused until one of you runs `/tandem resume`');
    expect(await reply(h, pair.junior, 'resume')).toContain('Your pair is back');
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes(`<@${pair.junior}> and <@${pair.senior}>, <@${pair.junior}> ended your pair’s pause: your next step is your contract`));
    expect(await person(h, pair.senior)).toEqual({ status: 'paired', paused_until: null });
    await reply(h, pair.senior, 'pause');
    await contractInForce(h, pair);
    expect(await person(h, pair.junior)).toEqual({ status: 'paired', paused_until: null });
    expect(await person(h, pair.senior)).toEqual({ status: 'paired', paused_until: null });
  });
});
