/**
 * The session's weekday and time, through the real app: refused next to the field when it cannot
 * work, shown to each partner on their own clock, written in each one's calendar file at the one
 * shared moment, and taken out of both calendars (METHOD:CANCEL, same UID) when the pair ends.
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { sessionStarts } from '../../src/domain/calendar.js';
import { deliverCalendars } from '../../src/features/contract/calendar.js';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { contractInForce, contractValues, ephemeralTo, eventually, nextModal, openContract, pairUp } from '../support/contract-flows.js';
import { command, readable, sendInteraction } from '../support/flows.js';
import { junior, senior } from '../support/seed.js';
import { dumpTables } from '../support/test-database.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';

type Json = Record<string, unknown>;
type StateValues = Record<string, Record<string, Json>>;

function read(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') as ICAL.Component);
  const starts: string[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && starts.length < 60; next = iterator.next()) starts.push(next.toJSDate().toISOString());
  return { method: calendar.getFirstPropertyValue('method'), event, starts };
}

describe('the session time of a contract', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const uploads = () => h.standIn.callsTo('file_upload').map((u) => String(u.args.content));
  const contractRows = () => h.store.db.selectFrom('contract').selectAll().execute();
  /** A submission of the open modal with its state edited as a forger would. */
  function forged(userId: string, modal: RecordedCall, edit: (values: StateValues) => void) {
    const payload = h.driver.viewSubmissionPayload(userId, modal, contractValues({ session_day: '2', session_time: '09:00' }));
    edit(((payload.view as Json).state as { values: StateValues }).values);
    return payload;
  }
  const errorsOf = async (payload: Json) => {
    const res = await h.driver.sendViewSubmission(payload);
    return (res.json as { errors?: Record<string, string> } | undefined)?.errors;
  };

  it('is refused next to its field when it cannot work for both, forged or missing, and nothing is stored', async () => {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/Paris' }), senior('U0S1', { timeZone: 'Asia/Tokyo' }));
    const modal = await openContract(h, pair.junior);
    const blocks = (modal.args.view as { blocks: { block_id?: string; hint?: { text: string } }[] }).blocks;
    expect(blocks.find((b) => b.block_id === 'session_time')?.hint?.text).toContain('On your own clock (Europe/Paris)');

    // 11:00 in Paris is 19:00 in Tokyo: the session would end at 20:00 on the partner's clock.
    const late = await h.driver.viewSubmission(pair.junior, modal, contractValues({ session_day: '2', session_time: '11:00' }));
    expect(late.json?.errors).toEqual({
      session_time:
        'For u0s1, this session would be on Tuesday 2 March 2027, 19:00–20:00 on their clock. Sessions fall between 08:00 and 19:00, Monday to Friday, for both of you: choose a time that suits both clocks.',
    });
    const own = await h.driver.viewSubmission(pair.junior, modal, contractValues({ session_day: '2', session_time: '07:30' }));
    expect(own.json?.errors).toEqual({ session_time: 'On 2 March 2027 this session would run 07:30–08:30 on your clock. Sessions fall between 08:00 and 19:00, Monday to Friday, for both of you. Choose a time that suits both clocks.' });

    // Missing, as a forged submission without them.
    const missing = forged(pair.junior, modal, (values) => {
      delete values.session_day;
      delete values.session_time;
    });
    expect(await errorsOf(missing)).toEqual({ session_day: 'Fill this in.', session_time: 'Fill this in.' });
    // A weekday the list does not offer (a Saturday), and a time that is no time.
    const saturday = forged(pair.junior, modal, (values) => {
      (values.session_day?.session_day as { selected_option: { value: string } }).selected_option.value = '6';
    });
    expect(await errorsOf(saturday)).toEqual({ session_day: 'Choose one of the options in the list.' });
    const badTime = forged(pair.junior, modal, (values) => {
      (values.session_time?.session_time as { selected_time: string }).selected_time = '25:00';
    });
    expect(await errorsOf(badTime)).toEqual({ session_time: 'Choose a time of day with the time picker, such as 09:30.' });
    expect(await contractRows()).toEqual([]);
  });

  it('refuses, in French too, a time that does not exist on the first session date (Cairo springs forward on a Friday)', async () => {
    const pair = await pairUp(h, junior('U0J2', { timeZone: 'Africa/Cairo', locale: 'fr' }), senior('U0S2', { timeZone: 'Africa/Cairo', locale: 'fr' }));
    const modal = await openContract(h, pair.junior);
    const gap = await h.driver.viewSubmission(pair.junior, modal, contractValues({ start_date: '2027-04-26', session_day: '5', session_time: '00:30' }));
    expect(gap.json?.errors).toEqual({
      session_time: '00:30 n’existe pas le 30 avril 2027 dans votre fuseau horaire (passage à l’heure d’été). Choisissez une autre heure.',
    });
    expect(await contractRows()).toEqual([]);
  });

  it('is shown to each partner on their own clock, and each one\'s calendar file holds the same instants', async () => {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/Paris' }), senior('U0S1', { timeZone: 'Asia/Tokyo' }));
    const post = await contractInForce(h, pair, { session_day: '2', session_time: '09:00' });
    expect(readable(post)).toContain('*Sessions:* <@U0J1>: Tuesdays at 09:00 · <@U0S1>: Tuesdays at 17:00');
    const [row] = await contractRows();
    expect(row).toMatchObject({ session_weekday: 2, session_time: '09:00', session_zone: 'Europe/Paris', first_checkin_on: '2027-03-17' });

    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    const expected = sessionStarts({ startDate: '2027-03-01', endDate: '2027-09-01', cadence: 'biweekly' }, { weekday: 2, hour: 9, minute: 0, timeZone: 'Europe/Paris' }).map((s) => s.at.toISOString());
    // 09:00 in Paris: 08:00 UTC in winter, 07:00 UTC from 28 March.
    expect(expected.slice(0, 3)).toEqual(['2027-03-02T08:00:00.000Z', '2027-03-16T08:00:00.000Z', '2027-03-30T07:00:00.000Z']);
    const paris = uploads().find((c) => c.includes('TZID:Europe/Paris')) as string;
    const tokyo = uploads().find((c) => c.includes('TZID:Asia/Tokyo')) as string;
    expect(paris).toContain('DTSTART;TZID=Europe/Paris:20270302T090000');
    expect(paris).toContain('RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=');
    // Tokyo has no summer time: 17:00, then 16:00 once Paris moves its clocks, each session listed.
    expect(tokyo).toContain('DTSTART;TZID=Asia/Tokyo:20270302T170000');
    expect(tokyo).toMatch(/RDATE;TZID=Asia\/Tokyo:20270302T170000,20270316T170000,\s?20270330T160000/);
    expect(read(paris).starts).toEqual(expected);
    expect(read(tokyo).starts).toEqual(expected);

    const toJunior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.junior && readable(c).includes('Your Tandem sessions'));
    expect(String(toJunior.args.text)).toContain('from 1 March 2027 to 1 September 2027, Tuesdays at 09:00 (your time).');
    const toSenior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.senior && readable(c).includes('Your Tandem sessions'));
    expect(String(toSenior.args.text)).toContain('from 1 March 2027 to 1 September 2027, Tuesdays at 17:00 (your time).');
    expect(readable(await command(h, pair.junior, 'status'))).toContain('*Sessions:* Tuesdays at 09:00 (your time).');
    expect(readable(await command(h, pair.senior, 'status'))).toContain('*Sessions:* Tuesdays at 17:00 (your time).');

    // Amending: the other partner's form opens on the same moment, on their own clock.
    const amend = await openContract(h, pair.senior);
    const element = (id: string) => (amend.args.view as { blocks: { block_id?: string; element?: Json }[] }).blocks.find((b) => b.block_id === id)?.element;
    expect(element('session_day')?.initial_option).toMatchObject({ value: '2' });
    expect(element('session_time')?.initial_time).toBe('17:00');
  });

  it('is cancelled in both calendars when the pair ends: METHOD:CANCEL, same UID, higher SEQUENCE, sent once despite a retried end', async () => {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/Paris' }), senior('U0S1', { timeZone: 'Europe/London' }));
    await contractInForce(h, pair, { session_day: '3', session_time: '10:00' });
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));
    const published = uploads().map((content) => read(content).event);

    // The facilitator ends the pair from the unpair modal; the submission arrives twice (a retry).
    const opened = h.standIn.callsTo('views.open').length;
    await h.driver.command(FACILITATOR, 'unpair <@U0J1|j>');
    const modal = await nextModal(h, 'unpair', opened);
    const payload = h.driver.viewSubmissionPayload(FACILITATOR, modal, { reason: 'Moving teams' });
    expect(await Promise.all([sendInteraction(h, payload), sendInteraction(h, payload)])).toEqual([200, 200]);
    await sendInteraction(h, payload);
    // The form is answered before the pair is ended: the command comes once it has.
    await eventually(async () => expect((await h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow()).status).not.toBe('active'));
    expect(readable(await command(h, FACILITATOR, 'unpair <@U0J1|j> again'))).toContain('is not in a pair');

    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 4);
    await deliverCalendars(h.tandem.deps);
    const cancels = uploads().filter((c) => c.includes('METHOD:CANCEL'));
    expect(cancels).toHaveLength(2);
    for (const content of cancels) {
      const { method, event } = read(content);
      expect(method).toBe('CANCEL');
      const before = published.find((e) => e.uid === event.uid);
      expect(before).toBeDefined();
      expect(event.sequence).toBeGreaterThan(before?.sequence ?? Infinity);
      expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    }
    expect(new Set(cancels.map((c) => read(c).event.uid)).size).toBe(2);
    const shared = h.standIn.callsTo('files.completeUploadExternal').slice(2).map((c) => c.args.channel_id);
    expect(shared.sort()).toEqual([dmChannelId(pair.junior), dmChannelId(pair.senior)].sort());
    for (const user of [pair.junior, pair.senior]) {
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === user && readable(c).includes('Your pair has ended, so its sessions will not take place'));
    }
    await eventually(async () =>
      expect(await h.store.db.selectFrom('calendar_cancellation').select(['status', 'sequence']).execute()).toEqual([
        { status: 'sent', sequence: 2 },
        { status: 'sent', sequence: 2 },
      ]),
    );
    // Another delivery run, once everything is sent, sends nothing more.
    await deliverCalendars(h.tandem.deps);
    expect(uploads().filter((c) => c.includes('METHOD:CANCEL'))).toHaveLength(2);
  });

  it('a partner who leaves Tandem gets the cancellation too, as their partner does', async () => {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/Paris' }), senior('U0S1', { timeZone: 'Europe/Paris' }));
    await contractInForce(h, pair, { session_day: '1', session_time: '15:00' });
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));
    await command(h, pair.senior, 'leave');
    await h.driver.blockAction(pair.senior, { actionId: 'leave_confirm' });
    await ephemeralTo(h, 'You have left Tandem');
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 4);
    const cancels = uploads().filter((c) => c.includes('METHOD:CANCEL'));
    expect(cancels.map((c) => read(c).method)).toEqual(['CANCEL', 'CANCEL']);
    expect(h.standIn.callsTo('files.completeUploadExternal').slice(2).map((c) => c.args.channel_id).sort()).toEqual([dmChannelId(pair.junior), dmChannelId(pair.senior)].sort());
  });

  /** The contract in force, both calendar files sent; the files as each partner got them, by UID. */
  async function sessionsSent(): Promise<{ pair: Awaited<ReturnType<typeof pairUp>>; published: ReturnType<typeof read>['event'][] }> {
    const pair = await pairUp(h, junior('U0J1', { timeZone: 'Europe/Paris' }), senior('U0S1', { timeZone: 'America/New_York' }));
    await contractInForce(h, pair, { session_day: '4', session_time: '15:00' });
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 2);
    await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));
    return { pair, published: uploads().map((content) => read(content).event) };
  }
  const idOf = async (userId: string) => (await h.store.db.selectFrom('participant').select('id').where('slack_user_id', '=', userId).executeTakeFirstOrThrow()).id;
  /** Every table, as JSON, holds none of these. */
  async function noTrace(traces: readonly string[]) {
    const dump = await dumpTables(h.store.db);
    for (const trace of traces) expect(dump).not.toContain(trace);
  }

  it('after a forget, both partners get the cancellation: the erased person first, in their DM, before their data goes, then nothing of them is kept', async () => {
    const { pair, published } = await sessionsSent();
    const juniorId = await idOf(pair.junior);
    const seniorId = await idOf(pair.senior);

    await command(h, pair.junior, 'forget');
    const click = h.driver.blockActionPayload(pair.junior, { actionId: 'privacy_forget_confirm' });
    await sendInteraction(h, click);
    await ephemeralTo(h, 'Your personal data has been erased');
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 4);
    await deliverCalendars(h.tandem.deps);

    const cancels = uploads().filter((c) => c.includes('METHOD:CANCEL'));
    expect(cancels).toHaveLength(2);
    const expected = new Map([
      [`tandem-pair-${pair.pairId}-participant-${juniorId}@tandem`, dmChannelId(pair.junior)],
      [`tandem-pair-${pair.pairId}-participant-${seniorId}@tandem`, dmChannelId(pair.senior)],
    ]);
    const shares = h.standIn.callsTo('files.completeUploadExternal').slice(2);
    for (const [k, content] of cancels.entries()) {
      const { method, event } = read(content);
      expect(method).toBe('CANCEL');
      expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
      const before = published.find((e) => e.uid === event.uid);
      expect(before).toBeDefined();
      expect(event.sequence).toBeGreaterThan(before?.sequence ?? Infinity);
      // Each file goes to the person whose calendar holds that UID.
      expect(shares[k]?.args.channel_id).toBe(expected.get(event.uid));
    }
    expect(new Set(cancels.map((c) => read(c).event.uid))).toEqual(new Set(expected.keys()));
    // The erased person's came first (before the erasure), under a kind word that does not name the partner.
    expect(shares[0]?.args.channel_id).toBe(dmChannelId(pair.junior));
    const word = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.junior && readable(c).includes('your data is being erased'));
    expect(readable(word)).toContain('The calendar file below removes your Tandem sessions from your calendar');
    expect(readable(word)).not.toContain(pair.senior);
    expect(readable(word)).not.toContain('u0s1');
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.senior && readable(c).includes('Your pair has ended, so its sessions will not take place'));

    // Nothing of the erased person is kept: not their id, name or DM, nor the files they were sent.
    await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('status').where('status', '=', 'pending').execute()).length).toBe(0));
    const theirFiles = h.standIn
      .callsTo('files.completeUploadExternal')
      .filter((c) => c.args.channel_id === dmChannelId(pair.junior))
      .map((c) => String((c.args.files as { id: string }[])[0]?.id));
    expect(theirFiles).toHaveLength(2);
    await noTrace([pair.junior, 'u0j1', dmChannelId(pair.junior), ...theirFiles]);
    await eventually(async () => expect(await h.store.db.selectFrom('calendar_cancellation').select(['participant_id', 'status']).execute()).toEqual([{ participant_id: seniorId, status: 'sent' }]));

    // The click again (Slack's retry): already erased, and nothing more is sent to anyone.
    const sent = h.standIn.callsTo('file_upload').length;
    await sendInteraction(h, click);
    await ephemeralTo(h, 'had already been erased');
    await deliverCalendars(h.tandem.deps);
    expect(h.standIn.callsTo('file_upload')).toHaveLength(sent);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.junior && readable(c).includes('your data is being erased'))).toHaveLength(1);
  });

  it('a forget while Slack refuses the file still erases everything, and the partner still gets theirs', async () => {
    const { pair, published } = await sessionsSent();
    const seniorId = await idOf(pair.senior);
    h.standIn.fail('files.getUploadURLExternal', { kind: 'error', error: 'internal_error' });

    await command(h, pair.junior, 'forget');
    await h.driver.blockAction(pair.junior, { actionId: 'privacy_forget_confirm' });
    await ephemeralTo(h, 'Your personal data has been erased');
    await h.standIn.waitFor('files.completeUploadExternal', () => h.standIn.callsTo('files.completeUploadExternal').length === 3);
    await deliverCalendars(h.tandem.deps);

    // Slack refused the erased person's file: no word announcing it, and the erasure went on.
    expect(h.standIn.callsTo('files.getUploadURLExternal').map((c) => c.response?.ok)).toEqual([true, true, false, true]);
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.junior && readable(c).includes('your data is being erased'))).toEqual([]);
    const cancels = uploads().filter((c) => c.includes('METHOD:CANCEL'));
    expect(cancels).toHaveLength(1);
    const { method, event } = read(cancels[0] as string);
    expect(method).toBe('CANCEL');
    expect(event.uid).toBe(`tandem-pair-${pair.pairId}-participant-${seniorId}@tandem`);
    expect(event.sequence).toBeGreaterThan(published.find((e) => e.uid === event.uid)?.sequence ?? Infinity);
    expect(h.standIn.callsTo('files.completeUploadExternal')[2]?.args.channel_id).toBe(dmChannelId(pair.senior));

    await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('status').where('status', '=', 'pending').execute()).length).toBe(0));
    const theirFiles = h.standIn
      .callsTo('files.completeUploadExternal')
      .filter((c) => c.args.channel_id === dmChannelId(pair.junior))
      .map((c) => String((c.args.files as { id: string }[])[0]?.id));
    await noTrace([pair.junior, 'u0j1', dmChannelId(pair.junior), ...theirFiles]);
    await eventually(async () => expect(await h.store.db.selectFrom('calendar_cancellation').select(['participant_id', 'status']).execute()).toEqual([{ participant_id: seniorId, status: 'sent' }]));
    expect(await h.store.db.selectFrom('participant').select('status').where('forgotten_at', 'is not', null).execute()).toEqual([{ status: 'left' }]);
  });
  it('a person who left while Slack refused their cancellation gets it when they ask to be erased, once, and nothing of them is kept', async () => {
    const { pair, published } = await sessionsSent();
    const juniorId = await idOf(pair.junior);
    const seniorId = await idOf(pair.senior);
    h.standIn.fail('files.getUploadURLExternal', { kind: 'error', error: 'internal_error' }, 2);
    await command(h, pair.senior, 'leave');
    await h.driver.blockAction(pair.senior, { actionId: 'leave_confirm' });
    await ephemeralTo(h, 'You have left Tandem');
    // Both cancellations wait for a retry.
    await eventually(async () =>
      expect((await h.store.db.selectFrom('calendar_cancellation').select(['participant_id', 'status', 'last_error']).orderBy('participant_id').execute()).map((r) => [r.participant_id, r.status, r.last_error !== null])).toEqual([
        [juniorId, 'pending', true],
        [seniorId, 'pending', true],
      ]),
    );
    expect(uploads().filter((c) => c.includes('METHOD:CANCEL'))).toEqual([]);

    await command(h, pair.senior, 'forget');
    const click = h.driver.blockActionPayload(pair.senior, { actionId: 'privacy_forget_confirm' });
    await sendInteraction(h, click);
    await ephemeralTo(h, 'Your personal data has been erased');
    const cancels = uploads().filter((c) => c.includes('METHOD:CANCEL'));
    expect(cancels).toHaveLength(1);
    const { method, event } = read(cancels[0] as string);
    expect(method).toBe('CANCEL');
    expect(event.uid).toBe(`tandem-pair-${pair.pairId}-participant-${seniorId}@tandem`);
    expect(event.sequence).toBeGreaterThan(published.find((e) => e.uid === event.uid)?.sequence ?? Infinity);
    expect(h.standIn.callsTo('files.completeUploadExternal').at(-1)?.args.channel_id).toBe(dmChannelId(pair.senior));

    // Pressed again: already erased, nothing sent; only the partner's cancellation is still to be sent.
    await sendInteraction(h, click);
    await ephemeralTo(h, 'had already been erased');
    expect(uploads().filter((c) => c.includes('METHOD:CANCEL'))).toHaveLength(1);
    expect(await h.store.db.selectFrom('calendar_cancellation').select(['participant_id', 'status']).execute()).toEqual([{ participant_id: juniorId, status: 'pending' }]);
    const theirFiles = h.standIn
      .callsTo('files.completeUploadExternal')
      .filter((c) => c.args.channel_id === dmChannelId(pair.senior))
      .map((c) => String((c.args.files as { id: string }[])[0]?.id));
    expect(theirFiles).toHaveLength(2);
    await noTrace([pair.senior, 'u0s1', dmChannelId(pair.senior), ...theirFiles]);
  });
});
