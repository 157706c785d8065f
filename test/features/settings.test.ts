import { describe, expect, it } from 'vitest';
import { nextModal, openContract, pairUp } from '../support/contract-flows.js';
import { command, readable } from '../support/flows.js';
import type { ViewValues } from '../../src/sandbox/payloads.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; label?: { text: string }; optional?: boolean };
type View = { blocks: Block[]; private_metadata: string; title: { text: string } };
const viewOf = (call: RecordedCall) => call.args.view as View;
const element = (call: RecordedCall, blockId: string) => viewOf(call).blocks.find((b) => b.block_id === blockId)?.element ?? {};
const PARTICIPANT = 'U0J1';

/** Every option label of a view that the 75-character limit cut (they end with "…"): a label to shorten in the catalogue. */
function cutOptions(view: View): string[] {
  const texts: string[] = [];
  JSON.stringify(view, (key, value: unknown) => {
    if (key === 'options' && Array.isArray(value)) for (const o of value as { text: { text: string } }[]) texts.push(o.text.text);
    return value;
  });
  expect(texts.length).toBeGreaterThan(20);
  return texts.filter((text) => text.endsWith('…'));
}

const INPUTS = [
  'checkin_hour',
  'default_cadence',
  'contract_unsigned_days',
  'introduction_unanswered_days',
  'first_meeting_days',
  'missed_cadence_factor',
  'low_rating',
  'unanswered_prompts_in_a_row',
  'escalation_reraise_working_days',
  'allow_same_department',
  'weight_complementarity',
  'weight_format',
  'weight_cadence',
  'weight_time_zone',
  'starts_on',
  'ends_on',
  'retention_months',
  'allow_guests',
];

async function openSettings(h: Harness, userId = FACILITATOR): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  const res = await h.driver.command(userId, 'program');
  if (res.status !== 200) throw new Error(`/tandem program answered ${res.status}`);
  return nextModal(h, 'programme_settings', before);
}

/** Posts a prepared (or replayed, or forged) submission, signed, and returns Slack's view of the ack. */
async function submit(h: Harness, payload: Record<string, unknown>) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
  expect(res.status).toBe(200);
  h.standIn.handleViewSubmissionAck(res.json ?? undefined, payload.view);
  return res.json ?? {};
}

describe('/tandem program', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  const programme = () => h.store.db.selectFrom('programme').selectAll().executeTakeFirstOrThrow();
  const auditEntries = () => h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'programme.settings').orderBy('id').execute();
  // Keys only: the outbox delivers in the background and updates its rows as it goes.
  const notices = () => h.store.db.selectFrom('outbox').select('key').where('key', 'like', 'programme:settings:%').execute();

  /** Everything a refused submission must leave as it was. */
  const snapshot = async () => ({ programme: await programme(), audit: await auditEntries(), notices: await notices() });

  it('is for facilitators only, and listed in their help', async () => {
    const refused = await command(h, PARTICIPANT, 'program');
    expect(String(refused.args.text)).toContain('Only facilitators');
    expect(h.standIn.callsTo('views.open')).toEqual([]);
    expect(String((await command(h, FACILITATOR, 'program now')).args.text)).toContain('takes no arguments');

    expect(readable(await command(h, FACILITATOR, 'help'))).toContain('/tandem program');
    expect(readable(await command(h, PARTICIPANT, 'help'))).not.toContain('/tandem program');
  });

  it('opens every setting, pre-filled with the values in force', async () => {
    const modal = await openSettings(h);
    const view = viewOf(modal);
    expect(view.title.text).toBe('Programme settings');
    expect(cutOptions(view)).toEqual([]);
    expect(JSON.parse(view.private_metadata)).toEqual({ version: 0, locale: 'en' });
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(INPUTS);

    expect(element(modal, 'checkin_hour').initial_option).toMatchObject({ value: '10', text: { text: '10:00' } });
    expect((element(modal, 'checkin_hour').options as unknown[]).length).toBe(24);
    expect(element(modal, 'default_cadence').initial_option).toMatchObject({ value: 'biweekly' });
    const numbers = Object.fromEntries(
      INPUTS.filter((id) => element(modal, id).type === 'number_input').map((id) => [id, element(modal, id).initial_value]),
    );
    // The SPEC's defaults: contract 7 days, introduction 5, first meeting 14, twice the rhythm, a rating of 2,
    // two prompts in a row, two working days before an escalation is raised again, data kept two years.
    expect(numbers).toEqual({
      contract_unsigned_days: '7',
      introduction_unanswered_days: '5',
      first_meeting_days: '14',
      missed_cadence_factor: '2',
      low_rating: '2',
      unanswered_prompts_in_a_row: '2',
      escalation_reraise_working_days: '2',
      weight_complementarity: '0.6',
      weight_format: '0.15',
      weight_cadence: '0.1',
      weight_time_zone: '0.15',
      retention_months: '24',
    });
    expect(element(modal, 'retention_months')).toMatchObject({ min_value: '1', max_value: '120', is_decimal_allowed: false });
    expect(element(modal, 'weight_format')).toMatchObject({ min_value: '0', max_value: '10', is_decimal_allowed: true });
    expect(element(modal, 'allow_same_department').initial_options).toBeUndefined();
    expect(element(modal, 'starts_on').initial_date).toBeUndefined();
  });

  it('saves, records who changed what in the audit log, and tells the facilitators’ channel', async () => {
    const modal = await openSettings(h);
    const res = await h.driver.viewSubmission(FACILITATOR, modal, {
      checkin_hour: '9',
      default_cadence: 'weekly',
      first_meeting_days: '10',
      allow_same_department: ['allowed'],
      weight_format: '0.3',
      starts_on: '2027-04-01',
      ends_on: '2028-03-31',
      retention_months: '36',
    });
    expect(res.json?.response_action).toBe('update');
    const confirmation = JSON.stringify(res.json?.view);
    expect(confirmation).toContain('Saved. The new settings take effect from the next pass');
    expect(confirmation).toContain('Check-in hour: 10:00 → 09:00');

    expect(await programme()).toMatchObject({
      checkin_hour: 9,
      default_cadence: 'weekly',
      first_meeting_days: 10,
      allow_same_department: 1,
      starts_on: '2027-04-01',
      ends_on: '2028-03-31',
      retention_months: 36,
      contract_unsigned_days: 7,
      version: 1,
      updated_at: h.clock.now.toISOString(),
    });
    expect(JSON.parse((await programme()).matching_weights)).toEqual({ complementarity: 0.6, format: 0.3, cadence: 0.1, timeZone: 0.15 });

    const [entry, ...more] = await auditEntries();
    expect(more).toEqual([]);
    expect(entry?.actor_user_id).toBe(FACILITATOR);
    expect(JSON.parse(entry?.details ?? '{}')).toEqual({
      version: 1,
      changes: {
        checkinHour: { from: 10, to: 9 },
        defaultCadence: { from: 'biweekly', to: 'weekly' },
        firstMeetingDays: { from: 14, to: 10 },
        allowSameDepartment: { from: false, to: true },
        formatWeight: { from: 0.15, to: 0.3 },
        startsOn: { from: null, to: '2027-04-01' },
        endsOn: { from: null, to: '2028-03-31' },
        retentionMonths: { from: 24, to: 36 },
      },
    });

    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('changed the programme settings'));
    const text = readable(notice);
    expect(text).toContain(`<@${FACILITATOR}> changed the programme settings`);
    expect(text).toContain('Check-in hour: 10:00 → 09:00');
    expect(text).toContain('Default rhythm of a new contract: Every two weeks → Every week');
    expect(text).toContain('Same department: not allowed → allowed');
    expect(text).toContain('Programme start: not set → 1 April 2027');
    // Only what changed is listed.
    expect(text).not.toContain('Contract unsigned');

    const reopened = await openSettings(h);
    expect(JSON.parse(viewOf(reopened).private_metadata)).toEqual({ version: 1, locale: 'en' });
    expect(element(reopened, 'checkin_hour').initial_option).toMatchObject({ value: '9' });
    expect(element(reopened, 'default_cadence').initial_option).toMatchObject({ value: 'weekly' });
    expect(element(reopened, 'allow_same_department').initial_options).toMatchObject([{ value: 'allowed' }]);
    expect(element(reopened, 'weight_format').initial_value).toBe('0.3');
    expect(element(reopened, 'starts_on').initial_date).toBe('2027-04-01');
    expect(element(reopened, 'retention_months').initial_value).toBe('36');
  });

  it('takes effect at the next pass: matching and new contracts read the saved settings', async () => {
    await seed(h, junior('U0J1', { department: 'Sales' }), senior('U0S1', { department: 'Sales' }));
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('no pair could be proposed');

    const modal = await openSettings(h);
    await h.driver.viewSubmission(FACILITATOR, modal, { allow_same_department: ['allowed'], default_cadence: 'monthly' });
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('1 proposal posted');

    const pair = await pairUp(h, junior('U0J2'), senior('U0S2'));
    const contract = await openContract(h, pair.junior);
    expect(element(contract, 'cadence').initial_option).toMatchObject({ value: 'monthly' });
  });

  it('says so when nothing changed, and records nothing', async () => {
    const before = await snapshot();
    const modal = await openSettings(h);
    const res = await h.driver.viewSubmission(FACILITATOR, modal, {});
    expect(res.json?.response_action).toBe('update');
    expect(JSON.stringify(res.json?.view)).toContain('Nothing changed');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses every invalid field, next to it, and changes nothing', async () => {
    const before = await snapshot();
    const modal = await openSettings(h);
    const invalid: ViewValues = {
      contract_unsigned_days: '0',
      introduction_unanswered_days: '61',
      first_meeting_days: '2.5',
      missed_cadence_factor: 'twice',
      low_rating: '5',
      unanswered_prompts_in_a_row: '',
      escalation_reraise_working_days: '21',
      weight_complementarity: '11',
      weight_format: '-1',
      starts_on: '2027-06-01',
      ends_on: '2027-05-01',
      retention_months: '121',
    };
    const res = await h.driver.viewSubmission(FACILITATOR, modal, invalid);
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: {
        contract_unsigned_days: 'Enter a whole number from 1 to 60.',
        introduction_unanswered_days: 'Enter a whole number from 1 to 60.',
        first_meeting_days: 'Enter a whole number from 1 to 90.',
        missed_cadence_factor: 'Enter a number, for example 7.',
        low_rating: 'Enter a whole number from 1 to 4.',
        unanswered_prompts_in_a_row: 'Fill this in.',
        escalation_reraise_working_days: 'Enter a whole number from 1 to 20.',
        weight_complementarity: 'Enter a number from 0 to 10 (decimals allowed).',
        weight_format: 'Enter a number from 0 to 10 (decimals allowed).',
        ends_on: 'Choose an end date after the start date.',
        retention_months: 'Enter a whole number from 1 to 120.',
      },
    });

    const zero = await h.driver.viewSubmission(FACILITATOR, modal, { weight_complementarity: '0', weight_format: '0', weight_cadence: '0', weight_time_zone: '0' });
    expect(zero.json).toEqual({ response_action: 'errors', errors: { weight_complementarity: 'Set at least one weight above 0: matching needs something to go on.' } });
    const sameDay = await h.driver.viewSubmission(FACILITATOR, modal, { starts_on: '2027-06-01', ends_on: '2027-06-01' });
    expect(sameDay.json).toEqual({ response_action: 'errors', errors: { ends_on: 'Choose an end date after the start date.' } });

    // What a client cannot pick but a forged payload can carry: an hour or a rhythm off the lists, an impossible date.
    const forged = h.driver.viewSubmissionPayload(FACILITATOR, modal);
    const values = (forged.view as { state: { values: Record<string, Record<string, Record<string, unknown>>> } }).state.values;
    (values.checkin_hour as Record<string, Record<string, unknown>>).checkin_hour = { type: 'static_select', selected_option: { value: '24' } };
    (values.default_cadence as Record<string, Record<string, unknown>>).default_cadence = { type: 'static_select', selected_option: { value: 'daily' } };
    (values.starts_on as Record<string, Record<string, unknown>>).starts_on = { type: 'datepicker', selected_date: '2027-02-30' };
    expect(await submit(h, forged)).toEqual({
      response_action: 'errors',
      errors: {
        checkin_hour: 'Choose again from the list: this choice is not in it.',
        default_cadence: 'Choose again from the list: this choice is not in it.',
        starts_on: 'Choose a date from the calendar.',
      },
    });

    expect(await snapshot()).toEqual(before);
  });

  it('refuses a form opened before someone else saved, and a replayed submission', async () => {
    const first = await openSettings(h);
    const second = await openSettings(h);
    const save = h.driver.viewSubmissionPayload(FACILITATOR, first, { first_meeting_days: '21' });
    const ack = await submit(h, save);
    expect(ack.response_action).toBe('update');
    const saved = await snapshot();
    expect(saved.programme).toMatchObject({ first_meeting_days: 21, version: 1 });

    // The other form still shows version 0: saving it would silently undo the change above.
    const stale = await h.driver.viewSubmission(FACILITATOR, second, { low_rating: '1' });
    expect(stale.json).toEqual({ response_action: 'errors', errors: { checkin_hour: expect.stringContaining('changed by someone else since you opened this form') } });
    // The same submission again, as a double click or a replay would send it.
    expect(await submit(h, save)).toEqual({ response_action: 'errors', errors: { checkin_hour: expect.stringContaining('nothing was saved') } });

    expect(await snapshot()).toEqual(saved);
    expect(saved.audit).toHaveLength(1);
    expect(saved.notices).toEqual([{ key: 'programme:settings:1' }]);
  });

  it('refuses a submission by someone who is not a facilitator, or with tampered metadata', async () => {
    const before = await snapshot();
    const modal = await openSettings(h);
    const forged = h.driver.viewSubmissionPayload(PARTICIPANT, modal, { retention_months: '1', low_rating: '4' });
    expect(await submit(h, forged)).toEqual({ response_action: 'errors', errors: { checkin_hour: expect.stringContaining('Only facilitators can do this') } });

    const metadatas = ['{"version":"0","locale":"en"}', '{"version":-1,"locale":"en"}', '{"version":0,"locale":"de"}', '{"version":0}', '{"version":0,"locale":"en","extra":1}', 'not json', ''];
    for (const metadata of metadatas) {
      const tampered = h.driver.viewSubmissionPayload(FACILITATOR, modal, { retention_months: '1' });
      (tampered.view as { private_metadata: string }).private_metadata = metadata;
      expect(await submit(h, tampered)).toEqual({ response_action: 'errors', errors: { checkin_hour: expect.stringContaining('could not be read') } });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers in the facilitator’s language, even long after the form was opened; the channel reads the programme’s', async () => {
    h.standIn.setUser(FACILITATOR, { locale: 'fr-FR' });
    const modal = await openSettings(h);
    expect(viewOf(modal).title.text).toBe('Réglages du programme');
    // Three hours later Tandem no longer remembers the facilitator's language: the form says it.
    h.clock.now = new Date(h.clock.now.getTime() + 3 * 60 * 60 * 1000);
    const invalid = await h.driver.viewSubmission(FACILITATOR, modal, { retention_months: '0' });
    expect(invalid.json).toEqual({ response_action: 'errors', errors: { retention_months: 'Saisissez un nombre entier de 1 à 120.' } });
    await h.driver.viewSubmission(FACILITATOR, modal, { retention_months: '12' });
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('changed the programme settings'));
    expect(readable(notice)).toContain('Keep a finished pair’s data for (months): 24 → 12');
  });

  it('tells the facilitator when Slack cannot open the form', async () => {
    h.standIn.fail('views.open', { kind: 'server_error' }, 5);
    await h.driver.command(FACILITATOR, 'program');
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Slack is busy'));
  });
});

describe('/tandem program in French', () => {
  let h: Harness;
  useTandem((started) => (h = started), { config: { defaultLocale: 'fr' } });

  it('shows the form, its errors, the confirmation and the channel’s notice in French', async () => {
    h.standIn.setUser(FACILITATOR, { locale: 'fr-FR' });
    h.standIn.setUser(PARTICIPANT, { locale: 'fr-FR' });
    expect(String((await command(h, PARTICIPANT, 'program')).args.text)).toContain('Seuls les animateurs');

    const modal = await openSettings(h);
    expect(viewOf(modal).title.text).toBe('Réglages du programme');
    expect(cutOptions(viewOf(modal))).toEqual([]);
    expect(element(modal, 'checkin_hour').initial_option).toMatchObject({ value: '10', text: { text: '10 h' } });
    expect(readable({ ...modal, args: { blocks: viewOf(modal).blocks } })).toContain('Quand un binôme est signalé aux animateurs');

    const invalid = await h.driver.viewSubmission(FACILITATOR, modal, { low_rating: '9', weight_cadence: '12', ends_on: '2027-01-01', starts_on: '2027-02-01' });
    expect(invalid.json).toEqual({
      response_action: 'errors',
      errors: {
        low_rating: 'Saisissez un nombre entier de 1 à 4.',
        weight_cadence: 'Saisissez un nombre de 0 à 10 (décimales acceptées).',
        ends_on: 'Choisissez une date de fin après la date de début.',
      },
    });

    const saved = await h.driver.viewSubmission(FACILITATOR, modal, { checkin_hour: '8', weight_cadence: '0.25' });
    expect(JSON.stringify(saved.json?.view)).toContain('Enregistré.');
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('a modifié les réglages du programme'));
    expect(readable(notice)).toContain('Heure des points d’étape\u202f: 10 h → 8 h');
    expect(readable(notice)).toContain('Poids du rythme\u202f: 0,1 → 0,25');
  });
});
