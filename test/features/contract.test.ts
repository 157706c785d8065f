import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import {
  contractInForce,
  contractPosted,
  contractValues,
  ephemeralTo,
  eventually,
  levels,
  nextModal,
  objectiveCount,
  openContract,
  openSign,
  pairUp,
  propose,
} from '../support/contract-flows.js';
import { asUser, command, readable, sendInteraction } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; label?: { text: string } };
const blocksOf = (call: RecordedCall) => (call.args.view as { blocks: Block[] }).blocks;
const element = (call: RecordedCall, blockId: string) => blocksOf(call).find((b) => b.block_id === blockId)?.element ?? {};
const OUTSIDER = 'U0OUT';

describe('the contract', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const contracts = (pairId: number) => h.store.db.selectFrom('contract').selectAll().where('pair_id', '=', pairId).orderBy('version').execute();
  const signatures = () => h.store.db.selectFrom('contract_signature').selectAll().orderBy('id').execute();
  const pairRow = (pairId: number) => h.store.db.selectFrom('pair').selectAll().where('id', '=', pairId).executeTakeFirstOrThrow();

  /** Everything a refusal must leave as it was. */
  async function snapshot(pairId: number) {
    return {
      contracts: await contracts(pairId),
      signatures: await signatures(),
      pair: (await pairRow(pairId)).status,
      calendars: await h.store.db.selectFrom('contract_calendar').selectAll().execute(),
      audit: (await h.store.db.selectFrom('audit_log').select('id').where('action', 'like', 'contract.%').execute()).length,
    };
  }

  it('opens from /tandem contract and from the introduction, every field there, with the defaults', async () => {
    const pair = await pairUp(h, junior('U0J1', { format: 'video' }), senior('U0S1', { format: 'either' }));
    const modal = await openContract(h, pair.junior);
    const view = modal.args.view as { private_metadata: string; title: { text: string } };
    expect(JSON.parse(view.private_metadata)).toEqual({ pairId: pair.pairId, basedOn: 0 });
    expect(blocksOf(modal).filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual([
      'senior_objectives',
      'junior_objectives',
      'cadence',
      'session_minutes',
      'session_day',
      'session_time',
      'means',
      'format',
      'start_date',
      'end_date',
      'ground_rules',
      'notes',
    ]);
    // Start today in the person's zone, six months, every two weeks, an hour, the format both accept.
    expect(element(modal, 'start_date').initial_date).toBe('2027-03-01');
    expect(element(modal, 'end_date').initial_date).toBe('2027-09-01');
    expect(element(modal, 'cadence').initial_option).toMatchObject({ value: 'biweekly' });
    expect(element(modal, 'session_minutes').initial_option).toMatchObject({ value: '60' });
    expect(element(modal, 'format').initial_option).toMatchObject({ value: 'video' });
    // The session's weekday and time on the opener's clock: the first working day, early afternoon.
    expect(element(modal, 'session_day').initial_option).toMatchObject({ value: '1', text: { text: 'Monday' } });
    expect(element(modal, 'session_time').initial_time).toBe('14:00');
    expect(element(modal, 'ground_rules').initial_options).toBeUndefined();
    expect(readable({ ...modal, args: { blocks: blocksOf(modal) } })).toContain('Confidentiality');

    const before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction(pair.senior, { actionId: 'contract_open', channelId: pair.groupDm });
    const fromButton = await nextModal(h, 'contract', before);
    expect(JSON.parse((fromButton.args.view as { private_metadata: string }).private_metadata)).toEqual({ pairId: pair.pairId, basedOn: 0 });
  });

  it('tells who cannot write one yet why, and the button of another pair does nothing', async () => {
    await seed(h, junior('U0ALONE'));
    expect(String((await command(h, 'U0NOBODY', 'contract')).args.text)).toContain('not enrolled');
    expect(String((await command(h, 'U0ALONE', 'contract')).args.text)).toContain('not in a pair yet');
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    await seed(h, junior(OUTSIDER));
    const click = h.driver.blockActionPayload(pair.junior, { actionId: 'contract_open', channelId: pair.groupDm });
    await sendInteraction(h, asUser(click, OUTSIDER));
    await ephemeralTo(h, 'belongs to another pair');
    await h.driver.blockAction(pair.junior, { actionId: 'contract_open', channelId: pair.groupDm, value: '{"pairId":"1 or 1=1"}' });
    await ephemeralTo(h, 'could not be read');
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
  });

  it('one partner submits: a version awaiting signature, posted to the pair, and the proposer rates their levels', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    const opened = await openContract(h, pair.junior);
    const res = await h.driver.viewSubmission(pair.junior, opened, contractValues({ junior_objectives: '- Read a P&L\n- Prepare a negotiation\n- Speak at a steering committee', notes: '<!channel> coffee first' }));
    expect(res.json?.response_action).toBe('update');
    const rating = (res.json as { view: { callback_id: string; blocks: Block[] } }).view;
    expect(rating.callback_id).toBe('contract_rate');
    expect(rating.blocks.filter((b) => b.type === 'input').map((b) => b.label?.text)).toEqual(['Read a P&L', 'Prepare a negotiation', 'Speak at a steering committee']);

    const [v1] = await contracts(pair.pairId);
    expect(v1).toMatchObject({ version: 1, status: 'awaiting_signature', cadence: 'biweekly', session_minutes: 60, start_date: '2027-03-01', end_date: '2027-09-01' });
    expect(JSON.parse(v1?.junior_objectives ?? '')).toEqual(['Read a P&L', 'Prepare a negotiation', 'Speak at a steering committee']);
    const [signature] = await signatures();
    expect(signature).toMatchObject({ contract_id: v1?.id, start_levels: null });
    expect((await pairRow(pair.pairId)).status).toBe('accepted');

    const post = await contractPosted(h, pair, 1);
    expect(post.args.channel).toBe(dmChannelId([pair.junior, pair.senior]));
    const text = readable(post);
    expect(text).toContain('Read a P&amp;L');
    expect(text).toContain('&lt;!channel&gt; coffee first');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('waiting for the signature of <@U0S1>');
    expect(text).toMatch(/<@U0J1>: signed on <!date\^\d+\^\{date_long\}\|1 March 2027>/);
    expect(text).toContain('contract_sign');

    // The modal turned into the rating step; the proposer fills it in.
    const rated = await h.driver.viewSubmission(pair.junior, opened, { level_0: '2', level_1: '1', level_2: '4' });
    expect(rated.json?.response_action).toBe('update');
    expect((await signatures())[0]?.start_levels).toBe('[2,1,4]');
    await h.standIn.waitFor('chat.update', (c) => c.args.channel === pair.groupDm && readable(c).includes('version 1') && !readable(c).includes('contract_rate'));
  });

  it('validates on the server, with each error next to its field, and saves nothing', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    const opened = await openContract(h, pair.junior);
    const res = await h.driver.viewSubmission(
      pair.junior,
      opened,
      contractValues({
        senior_objectives: 'a\nb\nc\nd\ne\nf',
        junior_objectives: `Fine\n${'x'.repeat(151)}`,
        means: 'm'.repeat(1001),
        start_date: '2027-02-01',
        end_date: '2027-01-01',
        ground_rules: [],
      }),
    );
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        senior_objectives: 'Write 1 to 5 objectives, one per line (you wrote 6).',
        junior_objectives: 'Shorten line 2 to at most 150 characters (it has 151), so that it reads well on a phone.',
        means: 'Write at most 1,000 characters (you wrote 1,001).',
        start_date: 'Choose a start date on or after 22 February 2027: it can be at most 7 days in the past.',
        ground_rules: 'Tick the box: both partners agree to the ground rules.',
      },
    });
    const empty = await h.driver.viewSubmission(pair.junior, opened, contractValues({ senior_objectives: ' \n - \n', means: '   ', end_date: '2028-06-01' }));
    expect(empty.json?.errors).toEqual({
      senior_objectives: 'Write at least 1 objective, one per line (at most 5).',
      means: 'Fill this in.',
      end_date: 'Choose an end date on 1 March 2028 at the latest: a contract lasts at most 12 months.',
    });
    const order = await h.driver.viewSubmission(pair.junior, opened, contractValues({ end_date: '2027-02-28' }));
    expect(order.json?.errors).toEqual({ end_date: 'Choose an end date after the start date.' });
    // A Monday start and a Saturday end that same week: one session. Sat → Sun holds none.
    const none = await h.driver.viewSubmission(pair.junior, opened, contractValues({ start_date: '2027-03-06', end_date: '2027-03-07' }));
    expect(none.json?.errors).toEqual({ end_date: 'No session falls between these dates: choose a later end date.' });
    expect(await contracts(pair.pairId)).toEqual([]);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm)).toHaveLength(1);
  });

  it('the other partner signs with their levels: in force, pair active, first check-in set, facilitators told, a calendar file each', async () => {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/London' }), senior('U0S1', { timeZone: 'Europe/Paris' }));
    const { post } = await propose(h, pair, pair.junior, { session_time: '14:00' });
    const sign = await openSign(h, pair.senior, post);
    expect(blocksOf(sign).filter((b) => b.type === 'input').map((b) => b.label?.text)).toEqual(['Use Slack channels well', 'Automate a spreadsheet']);
    const missing = await h.driver.viewSubmission(pair.senior, sign, { level_0: '4' });
    expect(missing.json).toEqual({ response_action: 'errors', errors: { level_1: 'Choose your level today, from 1 (beginner) to 5 (expert).' } });
    expect((await contracts(pair.pairId))[0]?.status).toBe('awaiting_signature');

    const res = await h.driver.viewSubmission(pair.senior, sign, { level_0: '4', level_1: '1' });
    expect(readable({ ...sign, args: (res.json as { view: Record<string, unknown> }).view })).toContain('your contract is in force');
    const [v1] = await contracts(pair.pairId);
    // The first check-in asks about the sessions of the first two weeks: the working morning after the second one (14:00 on 15 March).
    expect(v1).toMatchObject({ status: 'in_force', first_checkin_on: '2027-03-16' });
    expect((await signatures()).map((s) => s.start_levels)).toEqual([null, '[4,1]']);
    expect((await pairRow(pair.pairId)).status).toBe('active');
    const people = await h.store.db.selectFrom('participant').select('status').execute();
    expect(people.every((p) => p.status === 'paired')).toBe(true);

    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('Contract in force'));
    expect(String(notice.args.text)).toBe('Contract in force for <@U0J1> and <@U0S1> (version 1): every two weeks, 60 minutes per session, from 1 March 2027 to 1 September 2027.');
    // A group message: it names both partners.
    const inForce = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes('is in force'));
    expect(String(inForce.args.text)).toBe('*The contract between <@U0J1> and <@U0S1> is in force* (version 1). Enjoy your sessions!');
    expect(readable(inForce)).toContain('<@U0J1> and <@U0S1>, you each receive a calendar file of the sessions by direct message');
    await h.standIn.waitFor('chat.update', (c) => c.args.channel === pair.groupDm && readable(c).includes('First check-in: 16 March 2027'));

    // Each partner's file, in their own zone, at one shared moment.
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    const uploads = h.standIn.callsTo('file_upload');
    expect(uploads).toHaveLength(2);
    const byZone = (zone: string) => String(uploads.find((u) => String(u.args.content).includes(`TZID:${zone}`))?.args.content);
    expect(byZone('Europe/London')).toContain('DTSTART;TZID=Europe/London:20270301T140000');
    expect(byZone('Europe/Paris')).toContain('DTSTART;TZID=Europe/Paris:20270301T150000');
    for (const content of uploads.map((u) => String(u.args.content))) {
      expect(content).toContain('SEQUENCE:1');
      expect(content).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=');
      expect(content).toContain('DURATION:PT1H');
    }
    const completes = h.standIn.callsTo('files.completeUploadExternal');
    expect(completes.map((c) => c.args.channel_id).sort()).toEqual([dmChannelId(pair.junior), dmChannelId(pair.senior)].sort());
    // Each file goes under a direct message, sent through the outbox, saying what it holds.
    const toJunior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.junior && readable(c).includes('Your Tandem sessions'));
    expect(String(toJunior.args.text)).toContain('Your Tandem sessions with <@U0S1>: every two weeks, 60 minutes each, from 1 March 2027 to 1 September 2027, Mondays at 14:00 (your time).');
    const toSenior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.senior && readable(c).includes('Your Tandem sessions'));
    expect(String(toSenior.args.text)).toContain('with <@U0J1>: every two weeks, 60 minutes each, from 1 March 2027 to 1 September 2027, Mondays at 15:00 (your time).');
    // Direct messages go to the user id: the bot opens group DMs only (no im:write scope).
    expect(new Set(h.standIn.callsTo('conversations.open').map((c) => c.args.users))).toEqual(new Set(['U0J1,U0S1']));
    await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));

    const status = readable(await command(h, pair.junior, 'status'));
    expect(status).toContain('*Contract:* version 1 in force: every two weeks, 60 minutes per session, until 1 September 2027.');
    expect(status).not.toContain('Awaiting signature');
  });

  it('refuses outsiders, the proposer, a double click and a replayed signature: nothing changes twice', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    await seed(h, junior(OUTSIDER));
    const { post } = await propose(h, pair, pair.junior);
    const before = await snapshot(pair.pairId);

    const click = h.driver.blockActionPayload(pair.senior, { actionId: 'contract_sign', messageTs: String(post.response?.ts), channelId: pair.groupDm });
    await sendInteraction(h, asUser(click, OUTSIDER));
    await ephemeralTo(h, 'Only the two partners of this pair can sign');
    await sendInteraction(h, asUser(click, pair.junior));
    await ephemeralTo(h, 'You proposed this version, so it already carries your signature. It is waiting for <@U0S1>.');
    await h.driver.blockAction(pair.senior, { actionId: 'contract_sign', messageTs: String(post.response?.ts), value: '{"contractId":1,"admin":true}' });
    await ephemeralTo(h, 'could not be read');

    // An outsider submitting the senior's signing modal, or the pair's contract form.
    const sign = await openSign(h, pair.senior, post);
    const forged = await h.driver.viewSubmission(OUTSIDER, sign, levels(2));
    expect(forged.json?.errors).toEqual({ level_0: 'Only the two partners of this pair can sign their contract, so nothing was changed.' });
    const fresh = await openContract(h, pair.junior);
    const byOutsider = await h.driver.viewSubmission(OUTSIDER, fresh, contractValues());
    expect(byOutsider.json?.errors).toEqual({ senior_objectives: 'Only the two partners of this pair can write their contract, so nothing was saved.' });
    expect(await snapshot(pair.pairId)).toEqual(before);

    // A double click on the signing modal's button: the same submission twice, at once.
    const payload = h.driver.viewSubmissionPayload(pair.senior, sign, levels(2, '2'));
    expect(await Promise.all([sendInteraction(h, payload), sendInteraction(h, payload)])).toEqual([200, 200]);
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    const replay = await h.driver.viewSubmission(pair.senior, sign, levels(2, '5'));
    expect(replay.json?.errors).toEqual({ level_0: 'Version 1 is already signed by both of you and in force, so nothing was changed.' });
    await sendInteraction(h, click);
    await ephemeralTo(h, 'already signed by both of you and in force');

    await new Promise((r) => setTimeout(r, 200));
    expect((await signatures()).map((s) => s.start_levels)).toEqual([null, '[2,2]']);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('Contract in force'))).toHaveLength(1);
    expect(h.standIn.callsTo('file_upload')).toHaveLength(2);
    const audit = await h.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'contract.%').execute();
    expect(audit.map((a) => a.action)).toEqual(['contract.proposed', 'contract.signed', 'contract.in_force']);
  });

  it('refuses a replayed submission of the contract form, and tampered metadata', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    const opened = await openContract(h, pair.junior);
    const payload = h.driver.viewSubmissionPayload(pair.junior, opened, contractValues());
    expect(await sendInteraction(h, payload)).toBe(200);
    await contractPosted(h, pair, 1);
    const before = await snapshot(pair.pairId);
    const replay = await h.driver.viewSubmission(pair.junior, opened, contractValues());
    expect(replay.json?.errors).toEqual({
      senior_objectives: 'Nothing was saved: the contract changed since you opened this form (version 1 is now the latest). Close it and run `/tandem contract` again to start from that version.',
    });
    const tampered = h.driver.viewSubmissionPayload(pair.junior, opened, contractValues());
    (tampered.view as { private_metadata: string }).private_metadata = JSON.stringify({ pairId: pair.pairId, basedOn: 1, terms: 'signed' });
    expect(await sendInteraction(h, tampered)).toBe(200);
    expect(await snapshot(pair.pairId)).toEqual(before);
  });

  it('a change makes a new version both sign again; a superseded version cannot be signed; earlier versions are kept', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    await contractInForce(h, pair);
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);

    // The senior amends: the form opens on the version in force.
    const amend = await openContract(h, pair.senior);
    expect(JSON.parse((amend.args.view as { private_metadata: string }).private_metadata)).toEqual({ pairId: pair.pairId, basedOn: 1 });
    expect(element(amend, 'junior_objectives').initial_value).toBe('Read a P&L\nPrepare a negotiation');
    // A week later the start is more than 7 days back, and keeping it is still allowed.
    h.clock.now = new Date('2027-03-20T09:00:00Z');
    const sent = await h.driver.viewSubmission(pair.senior, amend, contractValues({ cadence: 'weekly' }));
    expect(sent.json?.response_action).toBe('update');
    const v2 = await contractPosted(h, pair, 2);
    expect(readable(v2)).toContain('waiting for the signature of <@U0J1>');
    const status = readable(await command(h, pair.junior, 'status'));
    expect(status).toContain('*Contract:* version 1 in force');
    expect(status).toContain('*Awaiting signature:* version 2, waiting for <@U0J1>.');

    // The junior opens v2's signing modal, but the senior changes the contract again meanwhile.
    const staleSign = await openSign(h, pair.junior, v2);
    const staleClick = h.driver.blockActionPayload(pair.junior, { actionId: 'contract_sign', messageTs: String(v2.response?.ts), channelId: pair.groupDm });
    const { post: v3, rating } = await propose(h, pair, pair.senior, { cadence: 'weekly', session_minutes: '45' });
    // The senior's objectives did not change since they rated them in v1: those levels are offered.
    expect(rating.blocks.find((b) => b.block_id === 'level_0')?.element?.initial_option).toMatchObject({ value: '3' });
    await h.standIn.waitFor('chat.update', (c) => c.args.ts === v2.response?.ts && readable(c).includes('was replaced by a newer version'));
    const before = await snapshot(pair.pairId);
    const late = await h.driver.viewSubmission(pair.junior, staleSign, levels(2));
    expect(late.json?.errors).toEqual({ level_0: 'Version 2 was replaced by version 3, so it can no longer be signed. Sign version 3, in the latest message.' });
    await sendInteraction(h, staleClick);
    await ephemeralTo(h, 'Version 2 was replaced by version 3');
    expect(await snapshot(pair.pairId)).toEqual(before);

    // The junior never rated in v1 (they proposed it and closed the rating step): nothing to offer.
    const sign3 = await openSign(h, pair.junior, v3);
    expect(element(sign3, 'level_0').initial_option).toBeUndefined();
    await h.driver.viewSubmission(pair.junior, sign3, levels(2, '4'));
    expect((await contracts(pair.pairId)).map((c) => [c.version, c.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'in_force'],
    ]);
    // Amending a rhythm under way: the first check-in of v3 is the next one from today (a Saturday).
    expect((await contracts(pair.pairId))[2]?.first_checkin_on).toBe('2027-03-22');
    expect((await pairRow(pair.pairId)).status).toBe('active');
    await h.standIn.waitFor('chat.update', (c) => c.args.channel === pair.groupDm && readable(c).includes('Version 1 was replaced'));

    // A new file each, replacing the events: the same UID, a higher SEQUENCE.
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 4);
    const files = h.standIn.callsTo('file_upload').map((u) => String(u.args.content));
    const uid = (content: string) => /UID:(\S+)/.exec(content)?.[1];
    const [first, second, third, fourth] = files as [string, string, string, string];
    expect(new Set([uid(first), uid(second)]).size).toBe(2);
    expect(new Set([uid(first), uid(second)])).toEqual(new Set([uid(third), uid(fourth)]));
    expect([third, fourth].every((f) => f.includes('SEQUENCE:3') && f.includes('INTERVAL=1') && f.includes('DURATION:PT45M'))).toBe(true);
    const comments = h.standIn.callsTo('chat.postMessage').filter((c) => readable(c).includes('Your Tandem sessions'));
    expect(comments.map((c) => readable(c).includes('this file replaces the events of the earlier one'))).toEqual([false, false, true, true]);
    const finalStatus = readable(await command(h, pair.senior, 'status'));
    expect(finalStatus).toContain('version 3 in force: every week, 45 minutes per session');
    expect(finalStatus).not.toContain('Awaiting signature');
  });

  it('tries a failed calendar upload again at the next contract event, and sends each file once', async () => {
    const pair = await pairUp(h, junior('U0J1'), senior('U0S1'));
    h.standIn.fail('files.getUploadURLExternal', { kind: 'error', error: 'internal_error' });
    await contractInForce(h, pair);
    await h.standIn.waitFor('files.completeUploadExternal');
    const calendars = async () => (await h.store.db.selectFrom('contract_calendar').select(['status', 'attempts', 'last_error']).orderBy('id').execute()).map((c) => c.status);
    await eventually(async () => expect((await calendars()).sort()).toEqual(['pending', 'sent']));

    // Too soon: the failed file waits its turn.
    await openContract(h, pair.junior);
    expect(h.standIn.callsTo('file_upload')).toHaveLength(1);
    h.clock.now = new Date(h.clock.now.getTime() + 5 * 60_000);
    await openContract(h, pair.senior);
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    await eventually(async () => expect(await calendars()).toEqual(['sent', 'sent']));
    expect(h.standIn.callsTo('file_upload')).toHaveLength(2);
  });

  it('speaks French to a French pair, and keeps every message within Slack’s limits with the longest contract', async () => {
    const pair = await pairUp(h, junior('U0J1', { locale: 'fr' }), senior('U0S1', { locale: 'fr' }));
    const modal = await openContract(h, pair.junior);
    const labels = blocksOf(modal).filter((b) => b.type === 'input').map((b) => b.label?.text);
    expect(labels).toContain('Objectifs de u0s1, le senior\u202f: compétences numériques à apprendre');
    expect((modal.args.view as { title: { text: string } }).title.text).toBe('Notre contrat');
    const bad = await h.driver.viewSubmission(pair.junior, modal, contractValues({ junior_objectives: '', ground_rules: [] }));
    expect(bad.json?.errors).toEqual({
      junior_objectives: 'Écrivez au moins 1 objectif, un par ligne (5 au plus).',
      ground_rules: 'Cochez la case\u202f: les deux partenaires acceptent les règles.',
    });

    const line = (n: number) => `${n}. objectif ${n} ${'é'.repeat(130)} <@U0S1>`;
    const longest = {
      senior_objectives: [1, 2, 3, 4, 5].map(line).join('\n'),
      junior_objectives: [1, 2, 3, 4, 5].map(line).join('\n'),
      means: 'ö'.repeat(1000),
      notes: '<https://evil.example|clic>'.padEnd(1000, '!'),
    };
    await h.driver.viewSubmission(pair.junior, modal, contractValues(longest));
    const post = await contractPosted(h, pair, 1);
    expect(readable(post)).toContain('Contrat Tandem · version 1');
    expect(readable(post)).toContain('attend la signature de <@U0S1>');
    expect(readable(post)).toContain('&lt;https://evil.example|clic&gt;');
    const sign = await openSign(h, pair.senior, post);
    expect((sign.args.view as { title: { text: string } }).title.text).toBe('Signer le contrat');
    expect(objectiveCount(sign)).toBe(5);
    await h.driver.viewSubmission(pair.senior, sign, levels(5));
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes(`Le contrat entre <@${pair.junior}> et <@${pair.senior}> est en vigueur`));
    const comment = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.junior && readable(c).includes('Vos séances Tandem'));
    expect(String(comment.args.text)).toContain('Vos séances Tandem avec <@U0S1>\u202f: toutes les deux semaines, 60\u202fmin chacune, du 1er mars 2027 au 1er septembre 2027');
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    const status = readable(await command(h, pair.senior, 'status'));
    expect(status).toContain('*Contrat\u202f:* version 1 en vigueur\u202f: toutes les deux semaines, séances de 60\u202fmin, jusqu’au 1er septembre 2027.');
    // The facilitators' channel speaks the programme's language.
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('Contract in force'));
  });
});

