import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findParticipantByUser } from '../../src/store/participants.js';
import { enrolmentValues } from '../support/flows.js';
import { buildCommandPayload, buildEventEnvelope, buildViewSubmissionPayload, buildViewState, DEFAULT_IDENTITY } from '../../src/sandbox/payloads.js';
import { newTriggerId } from '../../src/sandbox/fake-workspace.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { SocketModeServer } from '../../src/sandbox/socket-mode-server.js';
import { type Harness, startTandem } from '../support/tandem-harness.js';

describe('Socket Mode', () => {
  let h: Harness;
  let socket: SocketModeServer;

  beforeEach(async () => {
    const standIn = await SlackStandIn.start();
    socket = await SocketModeServer.start({ standIn });
    h = await startTandem({ standIn, config: { slackAppToken: 'xapp-test', slackSigningSecret: undefined } });
    await socket.waitForConnection();
  });
  afterEach(async () => {
    h.standIn.assertNoViolations();
    await h.close();
    await socket.close();
    await h.standIn.close();
  });

  it('opens its connection through SLACK_API_URL with the app token', async () => {
    const open = await h.standIn.waitFor('apps.connections.open');
    expect(open.token).toBe('xapp-test');
  });

  it('serves /healthz on PORT while connected', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
  });

  it('acks a slash command and answers on its response URL', async () => {
    const payload = buildCommandPayload({
      identity: DEFAULT_IDENTITY,
      user: { id: 'U0ANA', name: 'ana' },
      command: '/tandem',
      text: 'help',
      channelId: 'D0ANA',
      channelName: 'directmessage',
      responseUrl: h.standIn.responseUrl({ channelId: 'D0ANA', userId: 'U0ANA' }),
      triggerId: newTriggerId(),
    });
    const ack = await socket.send('slash_commands', payload);
    expect(ack.envelope_id).toBeTruthy();
    const reply = await h.standIn.waitFor('response_url');
    expect(JSON.stringify(reply.args)).toContain('/tandem join');
  });

  it('returns modal field errors in the ack, and enrols on a valid submission', async () => {
    // In Socket Mode nothing listens for Slack's HTTP posts.
    expect((await h.driver.command('U0ANA', 'join')).status).toBe(404);
    const payload = buildCommandPayload({
      identity: DEFAULT_IDENTITY,
      user: { id: 'U0ANA', name: 'ana' },
      command: '/tandem',
      text: 'join',
      channelId: 'D0ANA',
      channelName: 'directmessage',
      responseUrl: h.standIn.responseUrl({ channelId: 'D0ANA', userId: 'U0ANA' }),
      triggerId: newTriggerId(),
    });
    await socket.send('slash_commands', payload);
    const opened = await h.standIn.waitFor('views.open');
    const view = { ...(opened.args.view as Record<string, unknown>), id: (opened.response?.view as { id: string }).id };
    const user = { id: 'U0ANA', name: 'ana' };
    const bad = buildViewSubmissionPayload({ identity: DEFAULT_IDENTITY, user, triggerId: 't1', view, state: buildViewState(view, enrolmentValues({ department: '' })) });
    const refused = await socket.send('interactive', bad);
    expect(refused.payload).toMatchObject({ response_action: 'errors', errors: { department: 'Write your department.' } });
    const good = buildViewSubmissionPayload({ identity: DEFAULT_IDENTITY, user, triggerId: 't2', view, state: buildViewState(view, enrolmentValues()) });
    const accepted = await socket.send('interactive', good);
    expect(accepted.payload?.response_action).toBeUndefined();
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0ANA');
    expect((await findParticipantByUser(h.store.db, 'U0ANA'))?.status).toBe('enrolled');
  });

  it('handles an event once even when Slack delivers it again', async () => {
    const event = { type: 'app_home_opened', user: 'U0ANA', channel: 'D0ANA', tab: 'home', event_ts: '1.1' };
    const envelope = buildEventEnvelope({ identity: DEFAULT_IDENTITY, event, eventId: 'Ev0SOCKET' });
    await socket.send('events_api', envelope);
    await socket.send('events_api', envelope, { retryAttempt: 1, retryReason: 'timeout' });
    await h.standIn.waitFor('views.publish');
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standIn.callsTo('views.publish')).toHaveLength(1);
  });
});
