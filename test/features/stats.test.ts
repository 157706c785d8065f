import { describe, expect, it } from 'vitest';
import { activityCounts } from '../../src/features/stats/chart.js';
import { contractInForce, ephemeralTo, levels, nextModal, objectiveCount, openSign, pairUp, propose } from '../support/contract-flows.js';
import { asUser, command, readable, sendInteraction } from '../support/flows.js';
import { checkinValues, openFrom, passAt, surveyValues, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const OUTSIDER = 'U0OUT';
const FRENCH_FACILITATOR = 'UFACFR';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const FIRST_DUE = '2027-03-15T09:00:00Z';

type Block = { type: string; text?: { text: string }; elements?: { text?: string | { text: string }; value?: string; action_id?: string }[] };
const blocksOf = (call: RecordedCall) => (call.args.blocks ?? []) as Block[];
/** Everything a person reads in the reply, blocks included, as one string. */
const shown = (call: RecordedCall) =>
  blocksOf(call)
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))])
    .join('\n');

/** `/tandem stats` as this person, once the harness knows them. */
async function stats(h: Harness, userId = FACILITATOR): Promise<RecordedCall> {
  return command(h, userId, 'stats');
}

/** The activity chart button of the newest stats reply this person can see. */
const pressChart = (h: Harness, userId = FACILITATOR, value?: string) => h.driver.blockAction(userId, { actionId: 'stats_post_chart', ...(value !== undefined ? { value } : {}) });

const uploads = (h: Harness) => h.standIn.callsTo('files.completeUploadExternal').filter((c) => c.status === 200 && (c.response as { ok?: boolean } | undefined)?.ok);
const replies = (h: Harness, text: string) => h.standIn.callsTo('response_url').filter((c) => String(c.args.text).includes(text));

/**
 * A small programme whose every figure is known:
 * - pair A (U0J1, U0S1): both rated their start (junior 2 and 1, senior 3 and 3); met on 12 March
 *   (both logged it: the junior said "I learned", the senior "I learned") and on 19 March (the
 *   senior alone logged it: "both"); closing survey: junior reached/partly at 4 and 3, senior
 *   reached/not at 4 and 3. Completed.
 * - pair B (U0J2, U0S2): contract in force, its one check-in prompt unanswered, no meeting.
 * - U0J3 and U0S3: proposed, then rejected by the facilitator (back to waiting).
 * - U0W1: a junior waiting for a partner.
 */
async function knownProgramme(h: Harness): Promise<void> {
  const a = await pairUp(h, junior('U0J1'), senior('U0S1'));
  const proposed = await propose(h, a, a.junior, { end_date: '2027-03-26' });
  expect((await h.driver.viewSubmission(a.junior, proposed.opened, { level_0: '2', level_1: '1' })).json?.response_action).toBe('update');
  const sign = await openSign(h, a.senior, proposed.post);
  expect((await h.driver.viewSubmission(a.senior, sign, levels(objectiveCount(sign), '3'))).json?.response_action).toBe('update');

  const b = await pairUp(h, junior('U0J2'), senior('U0S2'));
  await contractInForce(h, b);

  await seed(h, junior('U0J3'), senior('U0S3'), junior('U0W1'));
  await command(h, FACILITATOR, 'pair <@U0J3|j> <@U0S3|s>');
  const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('<@U0J3>'));
  await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_reject', messageTs: String(proposal.response?.ts) });
  await h.standIn.waitFor('chat.update', (c) => readable(c).includes('Rejected by'));

  expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(2);
  const [prompt] = await waitForPosts(h, a, 'followup_met');
  const juniorForm = await openFrom(h, a.junior, prompt as RecordedCall, 'followup_met', 'followup_checkin');
  expect((await h.driver.viewSubmission(a.junior, juniorForm, checkinValues(4, { met_on: '2027-03-12', flow: 'i_learned' }))).json?.response_action).toBe('update');
  const seniorForm = await openFrom(h, a.senior, prompt as RecordedCall, 'followup_met', 'followup_checkin');
  expect((await h.driver.viewSubmission(a.senior, seniorForm, checkinValues(4, { met_on: '2027-03-12', flow: 'i_learned' }))).json?.response_action).toBe('update');

  h.clock.now = new Date('2027-03-22T10:00:00Z');
  const before = h.standIn.callsTo('views.open').length;
  await h.driver.command(a.senior, 'checkin');
  const anyTime = await nextModal(h, 'followup_checkin', before);
  expect((await h.driver.viewSubmission(a.senior, anyTime, checkinValues(4, { met_on: '2027-03-19', flow: 'both' }))).json?.response_action).toBe('update');

  await passAt(h, '2027-03-26T09:00:00Z');
  const [survey] = await waitForPosts(h, a, 'followup_survey');
  const juniorSurvey = await openFrom(h, a.junior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
  const juniorAnswers = surveyValues(2, { reached_0: 'reached', reached_1: 'partly', end_level_0: '4', end_level_1: '3' });
  expect((await h.driver.viewSubmission(a.junior, juniorSurvey, juniorAnswers)).json?.response_action).toBe('update');
  const seniorSurvey = await openFrom(h, a.senior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
  const seniorAnswers = surveyValues(2, { reached_0: 'reached', reached_1: 'not', end_level_0: '4', end_level_1: '3' });
  expect((await h.driver.viewSubmission(a.senior, seniorSurvey, seniorAnswers)).json?.response_action).toBe('update');
  h.clock.now = new Date('2027-03-27T10:00:00Z');
}

describe('/tandem stats on a known programme', () => {
  let h: Harness;
  useTandem((started) => (h = started), { config: { facilitatorUserIds: [FRENCH_FACILITATOR] } });

  it('shows every figure exactly, each state counted, with what each figure means', async () => {
    await knownProgramme(h);
    const reply = await stats(h);
    const text = shown(reply);
    expect(String(reply.args.text)).toBe('Programme health: 7 people enrolled, 1 active pair.');
    expect(text).toContain('Figures as of 27 March 2027.');
    expect(text).toContain('*People* · 7 enrolled since the start (4 juniors, 3 seniors)');
    expect(text).toContain('Waiting for a partner *3*  ·  Partner proposed *0*  ·  In a pair *2*  ·  Paused *0*  ·  Completed *2*  ·  Left *0*');
    expect(text).toContain(
      'Awaiting approval *0*  ·  Being introduced *0*  ·  Writing their contract *0*  ·  Contract in force *1*  ·  Completed *1*  ·  Ended early *0*',
    );
    expect(text).toContain('Proposals that did not become a pair: 1 (rejected by a facilitator: 1, declined by a partner: 0, withdrawn when someone left: 0)');
    expect(text).toContain('Contracts signed by both partners: *2 pairs*, 2 signed versions counting amendments');
    // Two prompts (one per pair on 15 March); pair A's was answered, pair B's was not.
    expect(text).toContain('Check-in response rate: *50%* (1 of 2 prompts answered)');
    // Pair A met on two dates (12 March counted once though both logged it); pair B never met.
    expect(text).toContain('Sessions logged: *2*, that is *1.0* per pair with a signed contract (1 of 2 pairs without a session yet)');
    // The junior's "I learned", the senior's "I learned", and "both".
    expect(text).toContain('Knowledge flow, over 3 session reports: the senior learned *33%* · the junior learned *33%* · both learned *33%*');
    expect(text).toContain('*Outcomes* · 2 closing surveys answered');
    expect(text).toContain('Objectives reached: *50%* (2 of 4; partly: 1, not reached: 1)');
    // Junior: 2→4 and 1→3 (+2 each); senior: 3→4 and 3→3 (+1, 0). Mean of 2, 2, 1, 0 = 1.25.
    expect(text).toContain('Average learning gain: *+1.3* on the 1-to-5 scale, over 4 objectives · seniors’ digital skills: +0.5 · juniors’ business know-how: +2.0');
    for (const definition of ['Response rate: check-in prompts answered by at least one partner', 'Sessions: the distinct dates', 'Knowledge flow: who learned', 'Learning gain: level at the end']) {
      expect(text).toContain(definition);
    }
    expect(text).toContain('The activity chart covers April 2026 – March 2027');
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('counts the activity month by month, on the programme’s clock', async () => {
    await knownProgramme(h);
    const buckets = await activityCounts(h.tandem.deps, { from: '2026-04', to: '2027-03' });
    expect(buckets.months).toHaveLength(12);
    expect(buckets.months.at(-1)).toBe('2027-03');
    const march = (series: string) => buckets.counts.get(series)?.at(-1);
    const before = (series: string) => buckets.counts.get(series)?.slice(0, -1).reduce((s, n) => s + n, 0);
    expect([march('meetings'), march('answers'), march('pairsFormed')]).toEqual([2, 1, 2]);
    expect([before('meetings'), before('answers'), before('pairsFormed')]).toEqual([0, 0, 0]);
    // A period that ended before the programme began holds none of it.
    const earlier = await activityCounts(h.tandem.deps, { from: '2026-01', to: '2027-02' });
    expect([...earlier.counts.values()].flat().every((n) => n === 0)).toBe(true);
  });

  it('speaks French to a French-speaking facilitator, numbers included', async () => {
    await knownProgramme(h);
    h.standIn.setUser(FRENCH_FACILITATOR, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'animatrice' });
    const reply = await stats(h, FRENCH_FACILITATOR);
    const text = shown(reply);
    expect(text).toContain('Santé du programme');
    expect(text).toContain('Chiffres au 27 mars 2027.');
    expect(text).toContain('En attente d’un partenaire *3*');
    expect(text).toMatch(/Taux de réponse aux points d’étape\u202f: \*50\s%\* \(1 demande sur 2 a reçu une réponse\)/);
    expect(text).toContain('soit *1,0* par binôme au contrat signé');
    expect(text).toContain('Progression moyenne\u202f: *+1,3* sur l’échelle de 1 à 5, sur 4 objectifs · compétences numériques des seniors\u202f: +0,5 · savoir-faire métier des juniors\u202f: +2,0');
    expect(text).toContain('Le graphique d’activité couvre la période avril 2026 – mars 2027');
    const button = blocksOf(reply).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'stats_post_chart');
    expect(button?.text).toMatchObject({ text: 'Publier le graphique d’activité dans le canal des animateurs' });
    await pressChart(h, FRENCH_FACILITATOR);
    await ephemeralTo(h, 'Le graphique d’activité est publié dans <#C0FACIL>.');
  });
});

describe('/tandem stats before anything happened', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('shows zeros and dashes, never NaN', async () => {
    const text = shown(await stats(h));
    expect(text).toContain('*People* · 0 enrolled since the start (0 juniors, 0 seniors)');
    expect(text).toContain('Waiting for a partner *0*');
    expect(text).toContain('Contracts signed by both partners: *0 pairs*');
    expect(text).toContain('Check-in response rate: *—* (no check-in prompt sent yet)');
    expect(text).toContain('Sessions logged: *—* (no contract signed yet)');
    expect(text).toContain('Knowledge flow: *—* (no session logged yet)');
    expect(text).toContain('Objectives reached: *—* (no closing survey answered yet)');
    expect(text).toContain('Learning gain: *—*');
    expect(text).not.toMatch(/NaN|undefined|Infinity|\{\w+\}/);
  });

  it('charts since the programme start when it started less than three years ago, else the last 36 months', async () => {
    await h.store.db.updateTable('programme').set({ starts_on: '2026-11-15' }).execute();
    expect(shown(await stats(h))).toContain('The activity chart covers November 2026 – March 2027');
    await h.store.db.updateTable('programme').set({ starts_on: '2020-01-01' }).execute();
    expect(shown(await stats(h))).toContain('The activity chart covers April 2024 – March 2027');
    // A programme that starts later: the last twelve months.
    await h.store.db.updateTable('programme').set({ starts_on: '2027-09-01' }).execute();
    expect(shown(await stats(h))).toContain('The activity chart covers April 2026 – March 2027');
  });

  it('posts the chart as a PNG to the facilitator channel, even with no activity yet, and records who asked', async () => {
    await stats(h);
    await pressChart(h);
    await ephemeralTo(h, 'The activity chart is posted in <#C0FACIL>.');
    const [target] = h.standIn.callsTo('files.getUploadURLExternal');
    expect(target?.args.filename).toBe('tandem-activity-2026-04-to-2027-03.png');
    // Screen readers get what the chart shows, in words.
    expect(target?.args.alt_text).toBe('Bar chart of the programme’s activity from Apr 26 to Mar 27, month by month over 12 months: 0 sessions logged, 0 check-ins answered and 0 pairs formed in all.');
    const [sent] = h.standIn.callsTo('file_upload');
    const bytes = sent?.args.bytes as Buffer;
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1000, 500]);
    expect(Number(target?.args.length)).toBe(bytes.length);
    const [complete] = uploads(h);
    expect(complete?.args).toMatchObject({
      channel_id: FACILITATOR_CHANNEL,
      initial_comment: `The programme’s activity, month by month, posted at the request of <@${FACILITATOR}>.`,
      files: [{ id: target?.response?.file_id, title: 'Tandem programme activity, Apr 26 – Mar 27' }],
    });
    const audit = await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'stats.chart').execute();
    expect(audit).toMatchObject([{ actor_user_id: FACILITATOR, subject: 'programme' }]);
    expect(JSON.parse(audit[0]?.details as string)).toMatchObject({ from: '2026-04', to: '2027-03', fileId: target?.response?.file_id });
  });

  it('posts once on a double click, and again for a click a minute later', async () => {
    await stats(h);
    await Promise.all([pressChart(h), pressChart(h)]);
    const chartReplies = () => h.standIn.callsTo('response_url').filter((c) => String(c.args.text).includes('activity chart'));
    await h.standIn.waitFor('response_url', () => chartReplies().length === 2);
    expect(uploads(h)).toHaveLength(1);
    expect(h.standIn.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    const texts = chartReplies().map((c) => String(c.args.text));
    expect(texts.filter((t) => t.includes('is posted in'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('already on its way') || t.includes('less than a minute ago'))).toHaveLength(1);
    // A third click just after: still the one chart.
    await pressChart(h);
    await ephemeralTo(h, 'less than a minute ago');
    expect(uploads(h)).toHaveLength(1);
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    await pressChart(h);
    await h.standIn.waitFor('response_url', () => replies(h, 'is posted in').length === 2);
    expect(uploads(h)).toHaveLength(2);
  });

  it('tells the facilitator to try again when Slack fails at any step of the upload, and a new press then posts it', async () => {
    await stats(h);
    const failures: [string, Parameters<Harness['standIn']['fail']>[1], number][] = [
      ['files.getUploadURLExternal', { kind: 'error', error: 'internal_error' }, 1],
      ['file_upload', { kind: 'error', error: 'expired' }, 1],
      // The client tries twice before giving up.
      ['files.completeUploadExternal', { kind: 'server_error', status: 503 }, 2],
    ];
    for (const [index, [method, failure, times]] of failures.entries()) {
      h.standIn.fail(method, failure, times);
      await pressChart(h);
      await h.standIn.waitFor('response_url', () => replies(h, 'Slack did not take the chart just now').length === index + 1);
      expect(uploads(h), method).toHaveLength(0);
    }
    expect(String(replies(h, 'Slack did not take')[0]?.args.text)).toBe(
      'Slack did not take the chart just now, so nothing was posted in <#C0FACIL>. Press *Post the activity chart to the facilitators’ channel* again in a minute.',
    );
    expect(await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'stats.chart').execute()).toEqual([]);
    await pressChart(h);
    await ephemeralTo(h, 'is posted in');
    expect(uploads(h)).toHaveLength(1);
  });
});

describe('/tandem stats is for facilitators', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('refuses the command to anyone else, with a clear message', async () => {
    await seed(h, junior(OUTSIDER));
    const reply = await stats(h, OUTSIDER);
    expect(String(reply.args.text)).toContain('Only facilitators can do this');
    expect(reply.args.blocks).toBeUndefined();
  });

  it('refuses the chart button to anyone else and to a tampered value, and posts nothing', async () => {
    await seed(h, junior(OUTSIDER));
    await stats(h);
    const click = h.driver.blockActionPayload(FACILITATOR, { actionId: 'stats_post_chart' });
    expect(await sendInteraction(h, asUser(click, OUTSIDER))).toBe(200);
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Only facilitators can do this'));

    const tampered = ['not json', '{"from":"2026-04"}', '{"from":"2026-04","to":"2027-03","extra":1}', '{"from":"1990-01","to":"2027-03"}', '{"from":"2027-03","to":"2026-04"}', '{"from":"2027-04","to":"2027-05"}', '{"from":"2026-13","to":"2027-03"}', 'x'.repeat(3000)];
    for (const [index, value] of tampered.entries()) {
      await pressChart(h, FACILITATOR, value);
      await h.standIn.waitFor('response_url', () => replies(h, 'could not be read').length === index + 1);
    }
    expect(h.standIn.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(h.standIn.callsTo('files.completeUploadExternal')).toHaveLength(0);
    expect(await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'stats.chart').execute()).toEqual([]);
  });
});
