import { describe, expect, it } from 'vitest';
import { refreshRecipients } from '../../src/features/followup/recipients.js';
import { t } from '../../src/i18n/index.js';
import { findParticipantByUser } from '../../src/store/participants.js';
import { readable } from '../support/flows.js';
import { activePair, passAt, waitForPosts } from '../support/followup-flows.js';
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
    await refreshRecipients(h.tandem.deps, new Date(FIRST_DUE), 300);
    // Six people, four questions at once: the first four hang past the budget, and the last two are never asked.
    expect(h.standIn.callsTo('users.info').length - asked).toBeLessThanOrEqual(4);
  });
});
