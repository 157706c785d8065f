import { App, LogLevel } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackDriver } from '../../src/sandbox/driver.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { SocketModeServer } from '../../src/sandbox/socket-mode-server.js';

let standIn: SlackStandIn;
let server: SocketModeServer;

beforeEach(async () => {
  standIn = await SlackStandIn.start();
  server = await SocketModeServer.start({ standIn });
});

afterEach(async () => {
  await server.close();
  await standIn.close();
});

describe('SocketModeServer with the real SocketModeClient', () => {
  let client: SocketModeClient;

  beforeEach(() => {
    client = new SocketModeClient({
      appToken: 'xapp-1-stand-in',
      logLevel: LogLevel.ERROR,
      // Short ping timeout: the client also waits this long before reconnecting.
      clientPingTimeout: 300,
      clientOptions: { slackApiUrl: standIn.apiUrl },
    });
  });

  afterEach(async () => {
    await client.disconnect();
  });

  it('completes the hello handshake and returns the ack of an envelope', async () => {
    client.on('slash_commands', async ({ ack, body }: { ack: (r?: Record<string, unknown>) => Promise<void>; body: Record<string, unknown> }) => {
      await ack({ text: `got ${String(body.text)}` });
    });
    await client.start();
    expect(server.connectionCount).toBe(1);
    const opened = await standIn.waitFor('apps.connections.open');
    expect(opened.token).toBe('xapp-1-stand-in');

    const ack = await server.send('slash_commands', { command: '/tandem', text: 'hi' });
    expect(ack).toEqual({ envelope_id: expect.any(String), payload: { text: 'got hi' } });
  });

  it('times out clearly when nobody acks, and reconnects after a disconnect message', async () => {
    await client.start();
    await expect(server.send('events_api', { type: 'event_callback', event: { type: 'nobody_listens' } }, { timeoutMs: 100 })).rejects.toThrow(
      /No ack for the events_api envelope .* within 100 ms/,
    );
    const reconnected = new Promise((resolve) => client.once('connected', resolve));
    server.disconnect();
    await reconnected;
    expect(standIn.callsTo('apps.connections.open')).toHaveLength(2);
    expect(server.connectionCount).toBe(1);
  });
});

describe('SocketModeServer with a Bolt app in Socket Mode', () => {
  let app: App;

  beforeEach(async () => {
    app = new App({
      token: 'xoxb-stand-in',
      appToken: 'xapp-1-stand-in',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl },
      // Bolt builds the SocketModeClient from installerOptions.clientOptions, not from clientOptions.
      installerOptions: { clientOptions: { slackApiUrl: standIn.apiUrl } },
    });
    app.command('/tandem', async ({ ack, client, body }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'goal',
          title: { type: 'plain_text', text: 'Goal' },
          submit: { type: 'plain_text', text: 'Save' },
          blocks: [{ type: 'input', block_id: 'goal', label: { type: 'plain_text', text: 'Goal' }, element: { type: 'plain_text_input', action_id: 'goal_input' } }],
        },
      });
    });
    app.view('goal', async ({ ack }) => {
      await ack({ response_action: 'errors', errors: { goal_typo: 'Required' } });
    });
    await app.start();
  });

  afterEach(async () => {
    await app.stop();
  });

  it('delivers the same payloads as the HTTP driver and checks view_submission acks', async () => {
    const driver = new SlackDriver({ baseUrl: 'http://unused.invalid', signingSecret: 'unused', standIn });
    const commandAck = await server.send('slash_commands', driver.commandPayload('U1', 'goal'));
    expect(commandAck.payload).toEqual({});
    const opened = await standIn.waitFor('views.open');

    const ack = await server.send('interactive', driver.viewSubmissionPayload('U1', opened, { goal_input: '' }));
    expect(ack.payload).toEqual({ response_action: 'errors', errors: { goal_typo: 'Required' } });
    expect(standIn.violations).toEqual([
      'view_submission ack (socket mode) /errors/goal_typo: "goal_typo" is not the block_id of an input block in the view',
    ]);
  });
});
