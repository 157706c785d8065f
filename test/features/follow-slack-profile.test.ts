import { describe, expect, it } from 'vitest';
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
});
