import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildViewState, slackSignature, SlackDriver } from '../../src/sandbox/driver.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';

const SECRET = 'stand-in-signing-secret';
const plain = (text: string) => ({ type: 'plain_text', text });
const option = (value: string) => ({ text: plain(value.toUpperCase()), value });
const input = (blockId: string, element: Record<string, unknown>) => ({ type: 'input', block_id: blockId, label: plain(blockId), element });

describe('signing', () => {
  it("produces signatures Bolt's verifySlackRequest accepts, and detects tampering", () => {
    const body = 'command=%2Ftandem&text=hello';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'x-slack-signature': slackSignature(SECRET, timestamp, body), 'x-slack-request-timestamp': timestamp };
    expect(() => verifySlackRequest({ signingSecret: SECRET, body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: SECRET, body: `${body}&x=1`, headers })).toThrow(/signature mismatch/);
    const stale = { ...headers, 'x-slack-request-timestamp': timestamp - 600 };
    expect(() => verifySlackRequest({ signingSecret: SECRET, body, headers: stale })).toThrow(/stale/);
  });
});

describe('buildViewState', () => {
  const view = {
    blocks: [
      input('text', { type: 'plain_text_input', action_id: 'text_a', initial_value: 'draft' }),
      input('number', { type: 'number_input', action_id: 'number_a', is_decimal_allowed: false }),
      input('email', { type: 'email_text_input', action_id: 'email_a' }),
      input('url', { type: 'url_text_input', action_id: 'url_a' }),
      input('static', { type: 'static_select', action_id: 'static_a', options: [option('weekly'), option('monthly')] }),
      input('grouped', { type: 'static_select', action_id: 'grouped_a', option_groups: [{ label: plain('G'), options: [option('x')] }] }),
      input('radio', { type: 'radio_buttons', action_id: 'radio_a', options: [option('yes'), option('no')], initial_option: option('no') }),
      input('external', { type: 'external_select', action_id: 'external_a' }),
      input('multi', { type: 'multi_static_select', action_id: 'multi_a', options: [option('a'), option('b'), option('c')] }),
      input('checks', { type: 'checkboxes', action_id: 'checks_a', options: [option('a'), option('b')] }),
      input('user', { type: 'users_select', action_id: 'user_a' }),
      input('users', { type: 'multi_users_select', action_id: 'users_a', initial_users: ['U1'] }),
      input('conv', { type: 'conversations_select', action_id: 'conv_a' }),
      input('date', { type: 'datepicker', action_id: 'date_a' }),
      input('time', { type: 'timepicker', action_id: 'time_a', initial_time: '09:00' }),
      { type: 'actions', block_id: 'buttons', elements: [{ type: 'button', action_id: 'ignored', text: plain('B') }] },
    ],
  };

  it('reports each element type the way Slack does, with initial values as defaults', () => {
    const state = buildViewState(view, {
      number_a: '3',
      email_a: 'ada@example.com',
      static_a: 'monthly',
      grouped_a: 'x',
      external_a: 'ext-1',
      multi_a: ['a', 'c'],
      user_a: 'U2',
      conv_a: 'C1',
      date_a: '2025-01-31',
    });
    expect(state.values).toEqual({
      text: { text_a: { type: 'plain_text_input', value: 'draft' } },
      number: { number_a: { type: 'number_input', value: '3' } },
      email: { email_a: { type: 'email_text_input', value: 'ada@example.com' } },
      url: { url_a: { type: 'url_text_input', value: null } },
      static: { static_a: { type: 'static_select', selected_option: option('monthly') } },
      grouped: { grouped_a: { type: 'static_select', selected_option: option('x') } },
      radio: { radio_a: { type: 'radio_buttons', selected_option: option('no') } },
      external: { external_a: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: 'ext-1', emoji: true }, value: 'ext-1' } } },
      multi: { multi_a: { type: 'multi_static_select', selected_options: [option('a'), option('c')] } },
      checks: { checks_a: { type: 'checkboxes', selected_options: [] } },
      user: { user_a: { type: 'users_select', selected_user: 'U2' } },
      users: { users_a: { type: 'multi_users_select', selected_users: ['U1'] } },
      conv: { conv_a: { type: 'conversations_select', selected_conversation: 'C1' } },
      date: { date_a: { type: 'datepicker', selected_date: '2025-01-31' } },
      time: { time_a: { type: 'timepicker', selected_time: '09:00' } },
    });
  });

  it('clears with null and refuses unknown keys and options', () => {
    expect(buildViewState(view, { text_a: null }).values.text).toEqual({ text_a: { type: 'plain_text_input', value: null } });
    expect(() => buildViewState(view, { nope: 'x' })).toThrow(/No element in the view for nope/);
    expect(() => buildViewState(view, { static_a: 'daily' })).toThrow('"daily" is not an option of static_select "static_a" (options: "weekly", "monthly")');
  });
});

describe('SlackDriver against a real Bolt app (HTTP mode)', () => {
  let standIn: SlackStandIn;
  let app: App;
  let driver: SlackDriver;
  const submitted: unknown[] = [];

  const contractModal = {
    type: 'modal' as const,
    callback_id: 'contract',
    private_metadata: 'pair-1',
    title: plain('Contract') as { type: 'plain_text'; text: string },
    submit: plain('Save') as { type: 'plain_text'; text: string },
    blocks: [
      input('goal', { type: 'plain_text_input', action_id: 'goal_input' }),
      input('cadence', { type: 'static_select', action_id: 'cadence_select', options: [option('weekly'), option('monthly')] }),
      // No block_id: Slack generates one, which the submission must use.
      { type: 'input', label: plain('Start'), element: { type: 'datepicker', action_id: 'start_date' } },
    ],
  };

  beforeEach(async () => {
    standIn = await SlackStandIn.start();
    app = new App({
      token: 'xoxb-stand-in',
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/tandem', async ({ ack, respond }) => {
      await ack();
      await respond({
        text: 'Pick a pair',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'Your match is ready' } },
          { type: 'actions', block_id: 'pair', elements: [{ type: 'button', action_id: 'open_contract', value: 'pair-1', text: plain('Open') as { type: 'plain_text'; text: string } }] },
        ],
      });
    });
    app.action('open_contract', async ({ ack, body, client }) => {
      await ack();
      await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: contractModal });
    });
    app.view('contract', async ({ ack, view }) => {
      submitted.push(view.state.values);
      if (!view.state.values.goal?.goal_input?.value) await ack({ response_action: 'errors', errors: { goal: 'Say what you want to learn' } });
      else await ack();
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const { port } = server.address() as AddressInfo;
    driver = new SlackDriver({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SECRET, standIn });
    // Bolt calls auth.test from its constructor; let it finish before a test can close the stand-in.
    await standIn.waitFor('auth.test');
  });

  afterEach(async () => {
    submitted.length = 0;
    await app.stop();
    await standIn.close();
  });

  it('runs command → button → modal → submission with Slack-shaped payloads', async () => {
    const command = await driver.command('U1', 'start');
    expect(command.status).toBe(200);
    const responded = await standIn.waitFor('response_url');
    expect(responded.args).toMatchObject({ text: 'Pick a pair', url: command.responseUrl });

    const click = await driver.blockAction('U1', { actionId: 'open_contract' });
    expect(click.status).toBe(200);
    const opened = await standIn.waitFor('views.open');

    const rejected = await driver.viewSubmission('U1', opened, { cadence_select: 'weekly', start_date: '2025-02-01' });
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { goal: 'Say what you want to learn' } });

    const accepted = await driver.viewSubmission('U1', opened, { goal_input: 'TikTok', cadence_select: 'monthly' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toBe('');
    const values = submitted[1] as Record<string, Record<string, unknown>>;
    expect(values.goal).toEqual({ goal_input: { type: 'plain_text_input', value: 'TikTok' } });
    expect(values.cadence?.cadence_select).toMatchObject({ selected_option: { value: 'monthly' } });
    expect(Object.keys(values)).toHaveLength(3);
    standIn.assertNoViolations();
  });

  it('is refused with a wrong or missing signature or a stale timestamp', async () => {
    expect((await driver.command('U1', 'x', { signature: 'wrong' })).status).toBe(401);
    expect((await driver.command('U1', 'x', { signature: 'missing' })).status).toBe(401);
    expect((await driver.command('U1', 'x', { timestampOffsetSeconds: -600 })).status).toBe(401);
  });

  it('answers url_verification and acks events', async () => {
    const verified = await driver.urlVerification('challenge-123');
    expect(verified.json).toEqual({ challenge: 'challenge-123' });
    const event = await driver.event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' }, { retryNum: 1, retryReason: 'http_timeout' });
    expect(event.status).toBe(200);
  });

  it('refuses to click a button the app never rendered', () => {
    expect(() => driver.blockActionPayload('U1', { actionId: 'ghost' })).toThrow('Nothing the app rendered has action_id "ghost"');
  });
});
