import { LogLevel, type Logger, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dmChannelId, newTriggerId } from '../../src/sandbox/fake-workspace.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';

let standIn: SlackStandIn;
let client: WebClient;

// The WebClient logs Slack's response_metadata messages as errors; these tests provoke them on purpose.
const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function webClient(options: { rejectRateLimitedCalls?: boolean } = {}): WebClient {
  return new WebClient('xoxb-stand-in', {
    slackApiUrl: standIn.apiUrl,
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    logger: silent,
    ...options,
  });
}

const modal = (title = 'Contract') => ({
  type: 'modal' as const,
  callback_id: 'contract',
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    { type: 'input', block_id: 'goal', label: { type: 'plain_text' as const, text: 'Goal' }, element: { type: 'plain_text_input', action_id: 'goal_input' } },
  ],
});

beforeEach(async () => {
  standIn = await SlackStandIn.start();
  client = webClient();
});

afterEach(async () => {
  await standIn.close();
});

describe('recording', () => {
  it('records method, token and JSON-decoded arguments', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Hello*' } }];
    const result = await client.chat.postMessage({ channel: 'C1', text: 'Hello', blocks, metadata: { event_type: 'x', event_payload: { a: 1 } } });
    expect(result.ok).toBe(true);
    expect(result.ts).toBe('1700000000.000100');
    const call = await standIn.waitFor('chat.postMessage');
    expect(call.token).toBe('xoxb-stand-in');
    expect(call.args).toMatchObject({ channel: 'C1', text: 'Hello', blocks, metadata: { event_type: 'x', event_payload: { a: 1 } } });
    expect(call.status).toBe(200);
    expect(call.response).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('gives increasing ts and posts to a user id land in their DM', async () => {
    const first = await client.chat.postMessage({ channel: 'U1', text: 'a' });
    const second = await client.chat.postMessage({ channel: 'U1', text: 'b' });
    expect(first.channel).toBe(dmChannelId('U1'));
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const updated = await client.chat.update({ channel: first.channel ?? '', ts: first.ts ?? '', text: 'a2' });
    expect(updated.ts).toBe(first.ts);
    await expect(client.chat.update({ channel: 'C9', ts: '1.2', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('waitFor resolves with calls still to come and times out listing what it saw', async () => {
    const pending = standIn.waitFor('chat.postMessage', (c) => c.args.text === 'second');
    await client.chat.postMessage({ channel: 'C1', text: 'first' });
    await client.chat.postMessage({ channel: 'C1', text: 'second' });
    expect((await pending).args.text).toBe('second');
    await expect(standIn.waitFor('views.open', undefined, 50)).rejects.toThrow(
      'Timed out after 50 ms waiting for a call to views.open. Calls seen: chat.postMessage ×2.',
    );
  });

  it('answer() overrides the default result', async () => {
    standIn.answer('team.info', (args) => ({ team: { id: 'T0TANDEM', name: `asked ${String(args.team)}` } }));
    const result = await client.team.info({ team: 'T0TANDEM' });
    expect(result.team?.name).toBe('asked T0TANDEM');
  });
});

describe('failure injection', () => {
  it('answers 429 with Retry-After, which the client waits out and retries', async () => {
    standIn.fail('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 0 }, 2);
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    expect(result.ok).toBe(true);
    expect(standIn.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('surfaces the 429 as WebAPIRateLimitedError with rejectRateLimitedCalls', async () => {
    standIn.fail('*', { kind: 'rate_limited', retryAfterSeconds: 7 });
    const error = await webClient({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(standIn.calls).toHaveLength(1);
  });

  it('gives up after the retries when rate limiting persists', async () => {
    standIn.fail('users.info', { kind: 'rate_limited', retryAfterSeconds: 0 }, 3);
    const error = await client.users.info({ user: 'U1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(String((error as WebAPIRequestError).original.message)).toContain('A rate limit was exceeded');
    expect(standIn.callsTo('users.info')).toHaveLength(3);
  });

  it('answers 5xx, which the client retries', async () => {
    standIn.fail('auth.test', { kind: 'server_error', status: 503 });
    expect((await client.auth.test()).user_id).toBe('UBOT');
    expect(standIn.callsTo('auth.test').map((c) => c.status)).toEqual([503, 200]);
  });

  it('delays slow calls, then answers normally', async () => {
    standIn.fail('auth.test', { kind: 'slow', delayMs: 150 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await client.auth.test();
    expect(standIn.calls.map((c) => c.status)).toEqual([200, 200]);
  });

  it('answers Slack errors as ok:false, then resumes', async () => {
    standIn.fail('conversations.info', { kind: 'error', error: 'ratelimited_by_policy' });
    standIn.setChannelMembers('C1', ['U1', 'UBOT']);
    await expect(client.conversations.info({ channel: 'C1' })).rejects.toBeInstanceOf(WebAPIPlatformError);
    expect((await client.conversations.info({ channel: 'C1' })).channel).toMatchObject({ id: 'C1', is_member: true });
  });
});

describe('workspace', () => {
  it('users.info gives defaults and returns locale only when asked', async () => {
    standIn.setUser('U2', { locale: 'fr-FR', tz: 'America/New_York', realName: 'Ada L' });
    const plain = await client.users.info({ user: 'U2' });
    expect(plain.user).toMatchObject({ id: 'U2', real_name: 'Ada L', tz: 'America/New_York' });
    expect(plain.user?.locale).toBeUndefined();
    expect([-18_000, -14_400]).toContain(plain.user?.tz_offset);
    const withLocale = await client.users.info({ user: 'U2', include_locale: true });
    expect(withLocale.user?.locale).toBe('fr-FR');
    const unknown = await client.users.info({ user: 'U404', include_locale: true });
    expect(unknown.user).toMatchObject({ locale: 'en-US', tz: 'Europe/Paris', deleted: false });
  });

  it('paginates conversations.members with limit and cursor', async () => {
    const members = Array.from({ length: 5 }, (_, i) => `U${i}`);
    standIn.setChannelMembers('C1', members);
    const seen: string[] = [];
    for await (const page of client.paginate('conversations.members', { channel: 'C1', limit: 2 })) {
      const { members: pageMembers } = page as { members?: string[] };
      seen.push(...(pageMembers ?? []));
    }
    expect(seen).toEqual(members);
    expect(standIn.callsTo('conversations.members')).toHaveLength(3);
    await expect(client.conversations.members({ channel: 'C404' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect((await client.conversations.info({ channel: 'C1' })).channel?.is_member).toBe(false);
  });

  it('conversations.open gives deterministic D/G ids', async () => {
    const one = await client.conversations.open({ users: 'U1' });
    const group = await client.conversations.open({ users: 'U2,U1' });
    expect(one.channel?.id).toBe(dmChannelId('U1'));
    expect(one.channel?.id).toMatch(/^D/);
    expect(group.channel?.id).toMatch(/^G/);
    expect((await client.conversations.open({ users: 'U1,U2' })).channel?.id).toBe(group.channel?.id);
    expect((await client.conversations.info({ channel: group.channel?.id ?? '' })).channel).toMatchObject({ is_mpim: true, is_member: true });
  });

  it('opens, updates and publishes views with ids, hashes and trigger rules', async () => {
    const opened = await client.views.open({ trigger_id: newTriggerId(), view: modal() });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'contract', title: { text: 'Contract' } });
    const viewId = opened.view?.id ?? '';
    const updated = await client.views.update({ view_id: viewId, hash: opened.view?.hash ?? '', view: modal('Contract 2') });
    expect(updated.view?.id).toBe(viewId);
    await expect(client.views.update({ view_id: viewId, hash: opened.view?.hash ?? '', view: modal() })).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await expect(client.views.open({ trigger_id: newTriggerId(Date.now() - 4000), view: modal() })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    const home = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    const again = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(again.view?.id).toBe(home.view?.id);
  });

  it('uploads files through the external upload flow', async () => {
    const result = await client.filesUploadV2({ channel_id: 'C1', filename: 'report.csv', content: 'a,b\n1,2\n', title: 'Report' });
    expect(result.ok).toBe(true);
    const upload = await standIn.waitFor('file_upload');
    expect(upload.args).toMatchObject({ filename: 'report.csv', content: 'a,b\n1,2\n' });
    const complete = await standIn.waitFor('files.completeUploadExternal');
    expect(complete.args).toMatchObject({ channel_id: 'C1', files: [{ id: upload.args.file_id, title: 'Report' }] });
  });

  it('records response_url posts and answers bad blocks with 400', async () => {
    const url = standIn.responseUrl({ channelId: 'C1', userId: 'U1' });
    const ok = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }) });
    expect(ok.status).toBe(200);
    const bad = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }) });
    expect(bad.status).toBe(400);
    expect(standIn.callsTo('response_url').map((c) => c.args.url)).toEqual([url, url]);
    expect(standIn.violations).toEqual(['response_url /blocks: must have at most 50 blocks (got 51)']);
  });
});

describe('Block Kit limits', () => {
  it('rejects payloads Slack would refuse, records them, and assertNoViolations lists them', async () => {
    await expect(client.views.open({ trigger_id: newTriggerId(), view: modal('x'.repeat(25)) })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must be at most 24 characters (got 25) [json-pointer:/view/title/text]'] } },
    });
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    await expect(client.chat.postMessage({ channel: 'C1', text: 't', blocks })).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(standIn.violations).toEqual([
      'views.open /view/title/text: must be at most 24 characters (got 25)',
      'chat.postMessage /blocks: must have at most 50 blocks (got 51)',
    ]);
    expect(() => standIn.assertNoViolations()).toThrow(/2 payload problems:\n {2}views\.open/);
  });

  it('lets a valid view through and reset() clears the record', async () => {
    await client.views.open({ trigger_id: newTriggerId(), view: modal() });
    standIn.assertNoViolations();
    standIn.reset();
    expect(standIn.calls).toEqual([]);
  });
});
