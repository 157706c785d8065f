import { describe, expect, it } from 'vitest';
import { contractValues, openContract, pairUp } from '../support/contract-flows.js';
import { command, readable } from '../support/flows.js';
import { activePair, passAt } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

// The harness's clock starts on Monday 1 March 2027, 09:00 UTC.
const setDates = (h: Harness, startsOn: string | null, endsOn: string | null) => h.store.db.updateTable('programme').set({ starts_on: startsOn, ends_on: endsOn }).execute();
const pairs = (h: Harness) => h.store.db.selectFrom('pair').selectAll().execute();
const endingPosts = (h: Harness) => h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('in a month'));

describe('the programme\'s dates', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('refuse matching before the programme starts and after it ends, with the date and how to change it; nothing is proposed', async () => {
    await seed(h, junior('U0J1'), senior('U0S1'));
    await setDates(h, '2027-03-15', '2027-12-15');
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('The programme starts on 15 March 2027: no pair can be proposed before then. To start earlier, change its dates with `/tandem program`.');
    expect(String((await command(h, FACILITATOR, 'pair <@U0J1|j> <@U0S1|s>')).args.text)).toContain('The programme starts on 15 March 2027');
    await setDates(h, '2026-03-01', '2027-02-28');
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('The programme ended on 28 February 2027: no new pair can be proposed.');
    expect(String((await command(h, FACILITATOR, 'pair <@U0J1|j> <@U0S1|s>')).args.text)).toContain('The programme ended on 28 February 2027');
    expect(await pairs(h)).toEqual([]);
    expect(await h.store.db.selectFrom('matching_run').selectAll().execute()).toEqual([]);
    // On its last day, matching still runs.
    await setDates(h, '2026-03-01', '2027-03-01');
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('Matching done');
    expect(await pairs(h)).toHaveLength(1);
  });

  it('cap a contract\'s end: the modal says why and proposes the programme\'s end; a later end is refused next to the field, nothing saved', async () => {
    await setDates(h, '2027-01-01', '2027-06-30');
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    const opened = await openContract(h, pair.junior);
    const blocks = (opened.args.view as { blocks: { block_id?: string; hint?: { text: string }; element?: { initial_date?: string } }[] }).blocks;
    const end = blocks.find((b) => b.block_id === 'end_date');
    expect(end?.element?.initial_date).toBe('2027-06-30');
    expect(end?.hint?.text).toContain('The programme ends on 30 June 2027: the contract ends then at the latest');
    const late = await h.driver.viewSubmission(pair.junior, opened, contractValues({ start_date: '2027-03-01', end_date: '2027-07-01' }));
    expect(late.json).toEqual({ response_action: 'errors', errors: { end_date: 'The programme ends on 30 June 2027: choose that date or an earlier one.' } });
    const tooLateStart = await h.driver.viewSubmission(pair.junior, opened, contractValues({ start_date: '2027-06-30', end_date: '2027-06-30' }));
    expect(tooLateStart.json?.errors).toMatchObject({ start_date: 'The programme ends on 30 June 2027: start before that date.' });
    expect(await h.store.db.selectFrom('contract').selectAll().execute()).toEqual([]);
    const ok = await h.driver.viewSubmission(pair.junior, opened, contractValues({ start_date: '2027-03-01', end_date: '2027-06-30' }));
    expect(ok.json?.response_action).toBe('update');
    expect(await h.store.db.selectFrom('contract').select('end_date').execute()).toEqual([{ end_date: '2027-06-30' }]);
  });

  it('tell the facilitators once, a month before the end, how many pairs are still under way', async () => {
    await activePair(h);
    await pairUp(h, junior('U0J2'), senior('U0S2'));
    await setDates(h, '2027-01-01', '2027-04-20');
    expect((await passAt(h, '2027-03-19T12:00:00Z')).endingNotice).toBe(false);
    // 20 March in Paris (the programme's zone in the tests): a month before 20 April.
    expect((await passAt(h, '2027-03-20T08:00:00Z')).endingNotice).toBe(true);
    expect((await passAt(h, '2027-03-20T08:00:00Z')).endingNotice).toBe(false);
    expect((await passAt(h, '2027-03-25T08:00:00Z')).endingNotice).toBe(false);
    await h.standIn.waitFor('chat.postMessage', () => endingPosts(h).length === 1);
    expect(readable(endingPosts(h)[0]!)).toContain('The programme ends on 20 April 2027, in a month. 1 pair is still under way, and 1 is still getting started.');
    await new Promise((r) => setTimeout(r, 100));
    expect(endingPosts(h)).toHaveLength(1);
  });
});
