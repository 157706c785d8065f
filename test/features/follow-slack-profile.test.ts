import { describe, expect, it } from 'vitest';
import { SURVEY_OPEN_DAYS } from '../../src/features/followup/pass.js';
import { refreshRecipients } from '../../src/features/followup/recipients.js';
import { t } from '../../src/i18n/index.js';
import { findParticipantByUser } from '../../src/store/participants.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { eventually } from '../support/contract-flows.js';
import { readable } from '../support/flows.js';
import { activePair, openFrom, passAt, surveyValues, waitForPosts } from '../support/followup-flows.js';
import { junior, senior } from '../support/seed.js';
import { type Harness, useTandem } from '../support/tandem-harness.js';

const FIRST_DUE = '2027-03-15T09:00:00Z';
const JUNIOR = 'U0J1';
const SENIOR = 'U0S1';

describe('a scheduled message follows the language and time zone the person has in Slack now', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  /** A pair that speaks French except the junior, who then switches to French in Slack (no event reaches Tandem). */
  async function pairThenJuniorSwitches() {
    const pair = await activePair(h, {}, { junior: junior(JUNIOR, { locale: 'en' }), senior: senior(SENIOR, { locale: 'fr' }) });
    expect((await findParticipantByUser(h.store.db, JUNIOR))?.locale).toBe('en');
    h.standIn.setUser(JUNIOR, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'u0j1' });
    return pair;
  }

  it('asks Slack before writing the check-in prompt: the pair, now both French speakers, gets it in French', async () => {
    const pair = await pairThenJuniorSwitches();
    const asked = h.standIn.callsTo('users.info').length;
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    const [prompt] = await waitForPosts(h, pair, 'followup_met');
    const french = t('fr', 'followup.prompt.text', { junior: `<@${JUNIOR}>`, senior: `<@${SENIOR}>`, date: '15 mars 2027' }).slice(0, 20);
    expect(readable(prompt!)).toContain(french);
    expect((await findParticipantByUser(h.store.db, JUNIOR))?.locale).toBe('fr');
    // One users.info a person, and none again within hours: the next pass asks nobody.
    const refreshed = h.standIn.callsTo('users.info').slice(asked).map((c) => c.args.user);
    expect(refreshed.sort()).toEqual([JUNIOR, SENIOR]);
    await passAt(h, '2027-03-15T09:05:00Z');
    expect(h.standIn.callsTo('users.info').length).toBe(asked + 2);
  });

  it('when Slack fails, writes with what it has stored (English, the default for a mixed pair)', async () => {
    const pair = await pairThenJuniorSwitches();
    h.standIn.fail('users.info', { kind: 'rate_limited', retryAfterSeconds: 30 }, 10);
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    const [prompt] = await waitForPosts(h, pair, 'followup_met');
    expect(readable(prompt!)).toContain(t('en', 'followup.prompt.met'));
    expect(readable(prompt!)).not.toContain(t('fr', 'followup.prompt.met'));
    expect((await findParticipantByUser(h.store.db, JUNIOR))?.locale).toBe('en');
  });

  it('does not keep asking a Slack that fails, nor one that hangs: the messages are written without waiting on it', async () => {
    // Several pairs due at once: a failing Slack is asked a few questions at most (those already
    // on their way when the first failed), not one per person.
    const pairs = [];
    for (let i = 0; i < 6; i += 1) pairs.push(await activePair(h, {}, { junior: junior(`U0J${i + 2}`), senior: senior(`U0S${i + 2}`) }));
    h.standIn.fail('users.info', { kind: 'server_error' }, 1000);
    const asked = h.standIn.callsTo('users.info').length;
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(6);
    // Twelve people; at most the four questions at once, each tried twice by the client.
    expect(h.standIn.callsTo('users.info').length - asked).toBeLessThanOrEqual(8);
    for (const pair of pairs) await waitForPosts(h, pair, 'followup_met');
  });

  it('spends at most its budget asking Slack before it writes: a Slack that hangs is not asked about anyone else', async () => {
    for (let i = 0; i < 3; i += 1) await activePair(h, {}, { junior: junior(`U0J${i + 7}`), senior: senior(`U0S${i + 7}`) });
    h.standIn.fail('users.info', { kind: 'slow', delayMs: 10_000 }, 1000);
    const asked = h.standIn.callsTo('users.info').length;
    await refreshRecipients(h.tandem.deps, new Date(FIRST_DUE), SURVEY_OPEN_DAYS, 300);
    // Six people, four questions at once: the first four hang past the budget, and the last two are never asked.
    expect(h.standIn.callsTo('users.info').length - asked).toBeLessThanOrEqual(4);
  });

  it('asks Slack before the closing survey’s reminder: the partner who switched to French is reminded in French', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' }, { junior: junior(JUNIOR), senior: senior(SENIOR) });
    await passAt(h, '2027-03-15T09:00:00Z');
    await passAt(h, '2027-03-26T09:00:00Z');
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    const modal = await openFrom(h, pair.junior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    expect((await h.driver.viewSubmission(pair.junior, modal, surveyValues(2))).json?.response_action).toBe('update');
    h.standIn.setUser(SENIOR, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'u0s1' });
    expect((await passAt(h, '2027-03-31T12:00:00Z')).followup.reminders).toBe(1);
    const dm = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === SENIOR && readable(c).includes('followup_survey'));
    expect(readable(dm)).toContain(`<@${JUNIOR}> a répondu au bilan final de votre binôme Tandem`);
    expect((await findParticipantByUser(h.store.db, SENIOR))?.locale).toBe('fr');
  });

  it('asks Slack before completing a pair whose survey stayed open: the recognition is in the language the person has now', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' }, { junior: junior(JUNIOR), senior: senior(SENIOR) });
    await passAt(h, '2027-03-15T09:00:00Z');
    await passAt(h, '2027-03-26T09:00:00Z');
    await waitForPosts(h, pair, 'followup_survey');
    // The survey's reminder went out in English; then the junior switches to French in Slack.
    expect((await passAt(h, '2027-03-31T12:00:00Z')).followup.reminders).toBe(1);
    h.standIn.setUser(JUNIOR, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'u0j1' });
    // Nobody answers: fourteen days after the survey, the pass completes the pair.
    expect((await passAt(h, '2027-04-09T12:00:00Z')).followup.completed).toBe(1);
    const toJunior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === JUNIOR && readable(c).includes('Merci'));
    expect(readable(toJunior)).toContain('Ce que vous avez transmis à');
    const toSenior = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === SENIOR && readable(c).includes('Thank you'));
    expect(readable(toSenior)).toContain('What you taught');
  });

  it('reads a language Tandem does not speak as the workspace’s default, whether Slack tells it by an event or when asked', async () => {
    await activePair(h, {}, { junior: junior(JUNIOR, { locale: 'fr' }), senior: senior(SENIOR, { locale: 'fr' }) });
    await h.driver.event({ type: 'user_change', user: { id: JUNIOR, tz: 'Europe/Paris', locale: 'de-DE' }, event_ts: '5.1' });
    await eventually(async () => expect((await findParticipantByUser(h.store.db, JUNIOR))?.locale).toBe('en'));
    // An event without a language leaves the stored one.
    await h.driver.event({ type: 'user_change', user: { id: SENIOR, tz: 'Europe/London' }, event_ts: '5.2' });
    await eventually(async () => expect((await findParticipantByUser(h.store.db, SENIOR))?.timeZone).toBe('Europe/London'));
    expect((await findParticipantByUser(h.store.db, SENIOR))?.locale).toBe('fr');
    // Asked before the check-in prompt, Slack says German: the same default.
    h.standIn.setUser(SENIOR, { locale: 'de-DE', tz: 'Europe/Paris', name: 'u0s1' });
    expect((await passAt(h, FIRST_DUE)).followup.prompts).toBe(1);
    expect((await findParticipantByUser(h.store.db, SENIOR))?.locale).toBe('en');
  });

  it('a new time zone brings the next check-in to the moment it now falls on, not the one stored before', async () => {
    // Sessions on Fridays. New York and Paris share 10:00 in New York (15:00 in Paris) on Monday 22 March 2027, the first check-in.
    const pair = await activePair(h, { session_day: '5', session_time: '10:00' }, { junior: junior(JUNIOR, { timeZone: 'America/New_York' }), senior: senior(SENIOR) });
    expect((await h.store.db.selectFrom('followup').select('next_at').executeTakeFirstOrThrow()).next_at).toBe('2027-03-22T14:00:00.000Z');
    expect((await passAt(h, '2027-03-22T09:00:00Z')).followup.prompts).toBe(0);
    // The junior moves to Paris: both at 10:00 in Paris, 09:00 UTC, an hour that has already come.
    h.standIn.setUser(JUNIOR, { locale: 'en-US', tz: 'Europe/Paris', name: 'u0j1' });
    await h.driver.event({ type: 'user_change', user: { id: JUNIOR, tz: 'Europe/Paris', locale: 'en-US' }, event_ts: '5.1' });
    await eventually(async () => expect((await findParticipantByUser(h.store.db, JUNIOR))?.timeZone).toBe('Europe/Paris'));
    expect((await passAt(h, '2027-03-22T09:10:00Z')).followup.prompts).toBe(1);
    await waitForPosts(h, pair, 'followup_met');
  });
});
