import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findParticipantByUser } from '../../src/store/participants.js';
import { asUser, command, enrol, readable, sendInteraction } from '../support/flows.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, startTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';

describe('/tandem help, status, leave and unknown sub-commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTandem();
    h.standIn.setUser(ANA, { locale: 'en-GB', tz: 'Europe/London', name: 'ana' });
    h.standIn.setUser(BOB, { locale: 'fr-FR', tz: 'Europe/Paris', name: 'bob' });
  });
  afterEach(async () => {
    h.standIn.assertNoViolations();
    await h.close();
  });

  it('explains Tandem and lists the commands, ephemerally', async () => {
    for (const text of ['', 'help', 'HELP']) {
      const reply = await command(h, ANA, text);
      expect(reply.args.response_type).toBe('ephemeral');
      const shown = readable(reply);
      expect(shown).toContain('reverse mentoring');
      for (const sub of ['join', 'status', 'leave']) expect(shown).toContain(`/tandem ${sub}`);
    }
  });

  it('answers in the ack once the person is known, on the response URL before', async () => {
    const first = await command(h, ANA, 'help');
    expect(first.method).toBe('response_url');
    const second = await command(h, ANA, 'help');
    expect(second.method).toBe('command_ack');
    expect(readable(second)).toEqual(readable(first));
    // Once for Ana; listing the facilitators also looks up each member of their channel (guests are left out).
    expect(h.standIn.callsTo('users.info').filter((c) => c.args.user === ANA)).toHaveLength(1);
  });

  it('answers in the person’s Slack language', async () => {
    const reply = await command(h, BOB, 'help');
    expect(readable(reply)).toContain('mentorat inversé');
    expect(readable(reply)).toContain('Vos commandes');
  });

  it('falls back to DEFAULT_LOCALE when Slack is unreachable', async () => {
    h.standIn.fail('users.info', { kind: 'server_error' }, 10);
    const reply = await command(h, BOB, 'help');
    expect(readable(reply)).toContain('Your commands');
  });

  it('gives the usage for an unknown sub-command and for stray arguments', async () => {
    const unknown = await command(h, ANA, 'dance now');
    expect(String(unknown.args.text)).toContain('I do not know `/tandem dance`');
    expect(String(unknown.args.text)).toContain('/tandem join');
    const stray = await command(h, ANA, 'status please');
    expect(String(stray.args.text)).toContain('takes no arguments');
  });

  it('shows the enrolment in /tandem status', async () => {
    expect(String((await command(h, ANA, 'status')).args.text)).toContain('not enrolled');
    await enrol(h, ANA, { shares: ['linkedin'], shares_other: '', learns: ['strategy', 'finance'] });
    const status = readable(await command(h, ANA, 'status'));
    expect(status).toContain('enrolled, waiting for a partner');
    expect(status).toContain('Personal branding on LinkedIn');
    // A field lists skills apart, by their labels.
    expect(status).toContain('*You want to learn:* Strategy, Managing budgets');
    expect(status).toContain('Partner:* none yet');
  });

  describe('leave', () => {
    it('asks for confirmation, then leaves once and tells the facilitators', async () => {
      await enrol(h, ANA);
      const ask = await command(h, ANA, 'leave');
      expect(readable(ask)).toContain('Do you really want to leave');
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');

      // A double click: the same click arrives twice; it acts once and nobody is told twice.
      const click = h.driver.blockActionPayload(ANA, { actionId: 'leave_confirm' });
      expect(await Promise.all([sendInteraction(h, click), sendInteraction(h, click)])).toEqual([200, 200]);
      const done = await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('You have left Tandem'));
      expect(done.args.replace_original).toBe(true);
      // What happens to their data, as the programme's retention says (24 months by default).
      expect(done.args.text).toContain('Your data is kept for 24 months, then erased; to erase it now, run `/tandem forget`.');
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('already left'));
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('left');
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && String(c.args.text).includes('left the programme'));
      const notices = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && String(c.args.text).includes('left'));
      expect(notices).toHaveLength(1);
      expect(await h.store.db.selectFrom('audit_log').select('action').execute()).toEqual([{ action: 'participant.left' }]);
    });

    it('refuses a click by someone else and a tampered value, changing nothing', async () => {
      await enrol(h, ANA);
      await enrol(h, BOB, { role: 'senior' });
      const ask = await command(h, ANA, 'leave');
      await sendInteraction(h, asUser(h.driver.blockActionPayload(ANA, { actionId: 'leave_confirm' }), BOB));
      // Bob reads the refusal in his own language.
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('destiné à quelqu’un d’autre'));

      for (const value of ['{"participantId":"1 or 1=1"}', 'not json', '{"participantId":999}']) {
        await h.driver.blockAction(ANA, { actionId: 'leave_confirm', value });
      }
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('could not be read'));
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('belongs to someone else') && c.at > ask.at);
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
      expect((await findParticipantByUser(h.store.db, BOB))?.status).toBe('enrolled');
    });

    it('cancels without changing anything', async () => {
      await enrol(h, ANA);
      await command(h, ANA, 'leave');
      await h.driver.blockAction(ANA, { actionId: 'leave_cancel' });
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('still in Tandem'));
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
    });

    it('tells someone not enrolled, and someone who already left', async () => {
      expect(String((await command(h, ANA, 'leave')).args.text)).toContain('not enrolled');
      await enrol(h, ANA);
      await command(h, ANA, 'leave');
      await h.driver.blockAction(ANA, { actionId: 'leave_confirm' });
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('You have left'));
      expect(String((await command(h, ANA, 'leave')).args.text)).toContain('already left');
    });

    it('lets someone who left enrol again', async () => {
      await enrol(h, ANA);
      await command(h, ANA, 'leave');
      await h.driver.blockAction(ANA, { actionId: 'leave_confirm' });
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('You have left'));
      await enrol(h, ANA);
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
    });
  });

  describe('App Home and events', () => {
    it('publishes the Home tab, once per event even when Slack re-sends it', async () => {
      await enrol(h, ANA);
      const event = { type: 'app_home_opened', user: ANA, channel: 'D0ANA', tab: 'home', event_ts: '1.1' };
      await h.driver.event(event, { eventId: 'Ev0001' });
      const published = await h.standIn.waitFor('views.publish');
      expect(published.args.user_id).toBe(ANA);
      expect(JSON.stringify(published.args.view)).toContain('Edit my profile');
      await h.driver.event(event, { eventId: 'Ev0001', retryNum: 1, retryReason: 'http_timeout' });
      await h.driver.event(event, { eventId: 'Ev0002' });
      await h.standIn.waitFor('views.publish', () => h.standIn.callsTo('views.publish').length >= 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(h.standIn.callsTo('views.publish')).toHaveLength(2);
    });

    it('offers enrolment on the Home tab, and the button opens the modal', async () => {
      await h.driver.event({ type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home', event_ts: '1.2' });
      const published = await h.standIn.waitFor('views.publish');
      expect(JSON.stringify(published.args.view)).toContain('M’inscrire');
      await h.driver.blockAction(BOB, { actionId: 'open_enrolment' });
      const opened = await h.standIn.waitFor('views.open');
      expect(JSON.stringify(opened.args.view)).toContain('Rejoindre Tandem');
    });

    it('shows facilitators that they are facilitators', async () => {
      await h.driver.event({ type: 'app_home_opened', user: FACILITATOR, channel: 'D0F', tab: 'home', event_ts: '1.3' });
      const published = await h.standIn.waitFor('views.publish');
      expect(JSON.stringify(published.args.view)).toContain('You are a facilitator');
    });

    it('knows a new facilitator at once when Slack says they joined the facilitator channel', async () => {
      await h.driver.event({ type: 'app_home_opened', user: ANA, channel: 'D0ANA', tab: 'home', event_ts: '1.4' });
      expect(JSON.stringify((await h.standIn.waitFor('views.publish')).args.view)).not.toContain('You are a facilitator');
      h.standIn.setChannelMembers(FACILITATOR_CHANNEL, [FACILITATOR, ANA, 'UBOT']);
      await h.driver.event({ type: 'member_joined_channel', user: ANA, channel: FACILITATOR_CHANNEL, channel_type: 'G', event_ts: '1.5' });
      await h.driver.event({ type: 'app_home_opened', user: ANA, channel: 'D0ANA', tab: 'home', event_ts: '1.6' });
      await h.standIn.waitFor('views.publish', () => h.standIn.callsTo('views.publish').length >= 2);
      expect(JSON.stringify(h.standIn.callsTo('views.publish')[1]?.args.view)).toContain('You are a facilitator');
    });
  });
});
