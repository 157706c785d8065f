import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { SocketModeServer } from '../../src/sandbox/socket-mode-server.js';
import { sandboxConfig } from '../../src/sandbox/sandbox.js';
import { migrate, openStore } from '../../src/store/database.js';
import { command, enrol, ephemeralReply } from '../support/flows.js';
import { RecordingProxy } from '../support/recording-proxy.js';
import { type Harness, startTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const hostOf = (url: string) => new URL(url).host;

/** Web API calls, a response_url reply and a file upload: enrolment, then `/tandem export`. */
async function enrolAndExport(h: Harness): Promise<void> {
  await enrol(h, ANA);
  await command(h, ANA, 'export');
  await ephemeralReply(h, 'Your export is in your direct messages');
}

describe('behind a corporate proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)', () => {
  let proxy: RecordingProxy;
  let standIn: SlackStandIn;
  let h: Harness | undefined;
  let socket: SocketModeServer | undefined;

  beforeEach(async () => {
    proxy = await RecordingProxy.start();
    standIn = await SlackStandIn.start();
  });
  afterEach(async () => {
    await h?.close();
    await socket?.close();
    await standIn.close();
    await proxy.close();
    h = undefined;
    socket = undefined;
  });

  it('sends Web API calls, response_url replies and file uploads through the proxy', async () => {
    h = await startTandem({ standIn, config: { proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: '' } } });
    await enrolAndExport(h);
    const paths = proxy.to(hostOf(standIn.apiUrl)).map((p) => `${p.method} ${p.path}`);
    expect(paths).toContain('POST /api/views.open');
    expect(paths).toContain('POST /api/files.getUploadURLExternal');
    expect(paths).toContain('POST /api/files.completeUploadExternal');
    // The outbox's own client (the welcome DM) too.
    expect(paths).toContain('POST /api/chat.postMessage');
    expect(paths.some((p) => p.startsWith('POST /upload/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('POST /response/'))).toBe(true);
    // Every call the stand-in received came through the proxy: as many requests as it recorded.
    const slackCalls = standIn.calls.filter((c) => c.method !== 'command_ack');
    expect(paths.length).toBeGreaterThanOrEqual(slackCalls.length);
  });

  it('opens the Socket Mode connection (apps.connections.open and the WebSocket) through the proxy', async () => {
    socket = await SocketModeServer.start({ standIn });
    h = await startTandem({ standIn, config: { slackAppToken: 'xapp-test', slackSigningSecret: undefined, proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: '' } } });
    await socket.waitForConnection();
    expect(proxy.to(hostOf(standIn.apiUrl)).map((p) => p.path)).toContain('/api/apps.connections.open');
    const upgrade = proxy.to(hostOf(socket.url)).find((p) => p.path.startsWith('/link/'));
    expect(upgrade).toMatchObject({ via: 'tunnel', method: 'GET' });
  });

  it('goes directly to the hosts in NO_PROXY', async () => {
    socket = await SocketModeServer.start({ standIn });
    const noProxy = `localhost,127.0.0.1`;
    h = await startTandem({ standIn, config: { slackAppToken: 'xapp-test', slackSigningSecret: undefined, proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy } } });
    await socket.waitForConnection();
    await h.close();
    h = await startTandem({ standIn, config: { proxy: { httpProxy: proxy.url, httpsProxy: proxy.url, noProxy } } });
    await enrolAndExport(h);
    expect(standIn.callsTo('file_upload')).toHaveLength(1);
    expect(proxy.passages).toEqual([]);
  });

  it('reads the variables, lower case first, and HTTP_PROXY alone serves https hosts too', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', FACILITATOR_CHANNEL_ID: 'C0FACIL' };
    expect(loadConfig(base).proxy).toBeUndefined();
    expect(loadConfig({ ...base, HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.corp' }).proxy).toEqual({ httpProxy: 'http://proxy.corp:3128', httpsProxy: 'http://proxy.corp:3128', noProxy: '.corp' });
    expect(loadConfig({ ...base, HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', no_proxy: 'x', NO_PROXY: 'y' }).proxy).toEqual({ httpProxy: '', httpsProxy: 'http://lower:2', noProxy: 'x' });
  });

  it('lists a malformed proxy URL among the configuration problems, without its password', () => {
    let problems: string[] = [];
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', FACILITATOR_CHANNEL_ID: 'nope', HTTPS_PROXY: 'proxy.corp:3128', http_proxy: 'socks4://user:hunter2@proxy.corp' });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems.some((p) => p.startsWith('FACILITATOR_CHANNEL_ID'))).toBe(true);
    expect(problems).toContain('HTTPS_PROXY has the scheme proxy.corp, not http or https: write the proxy\'s address as a URL such as http://proxy.example.com:3128');
    expect(problems.some((p) => p.startsWith('http_proxy has the scheme socks4'))).toBe(true);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', FACILITATOR_CHANNEL_ID: 'C0FACIL', HTTP_PROXY: 'http://' })).toThrow(/HTTP_PROXY is not a URL/);
  });

  it('doctor reports a malformed proxy URL and names the proxy in use', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tandem-proxy-')), 'tandem.sqlite');
    const store = openStore(dbPath);
    await migrate(store.db);
    await store.close();
    standIn.setChannelMembers('C0FACIL', ['UFACIL1', 'UBOT'], { name: 'facilitators', isPrivate: true });
    const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: standIn.apiUrl, FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: dbPath };
    const lines: string[] = [];
    expect(await runDoctor({ ...env, HTTPS_PROXY: 'not a url' }, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/^PROBLEM configuration: HTTPS_PROXY is not a URL/m);

    lines.length = 0;
    expect(await runDoctor({ ...env, HTTP_PROXY: `http://user:hunter2@${hostOf(proxy.url)}` }, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain(`ok      network: Slack is reached through the proxy ${proxy.url}`);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(proxy.to(hostOf(standIn.apiUrl)).map((p) => p.path)).toContain('/api/auth.test');
  });

  it('the sandbox never goes through a proxy set in the environment', () => {
    const config = sandboxConfig({ HTTPS_PROXY: proxy.url, http_proxy: proxy.url, HTTP_PROXY: proxy.url, https_proxy: proxy.url }, { apiUrl: standIn.apiUrl, databasePath: ':memory:', signingSecret: 's' });
    expect(config.proxy).toBeUndefined();
  });
});
