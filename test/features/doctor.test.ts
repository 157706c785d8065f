import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { migrate, openStore } from '../../src/store/database.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';

const run = promisify(execFile);

describe('npx tandem doctor', () => {
  let standIn: SlackStandIn;
  let env: NodeJS.ProcessEnv;
  let dbPath: string;

  beforeEach(async () => {
    standIn = await SlackStandIn.start();
    standIn.setChannelMembers('C0FACIL', ['UFACIL1', 'UBOT'], { name: 'facilitators', isPrivate: true });
    dbPath = join(mkdtempSync(join(tmpdir(), 'tandem-doctor-')), 'tandem.sqlite');
    const store = openStore(dbPath);
    await migrate(store.db);
    await store.close();
    env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: standIn.apiUrl, FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: dbPath };
  });
  afterEach(async () => standIn.close());

  async function doctor(overrides: NodeJS.ProcessEnv = {}) {
    const lines: string[] = [];
    const code = await runDoctor({ ...env, ...overrides }, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  it('passes every check on a healthy install', async () => {
    const { code, out } = await doctor();
    expect(code).toBe(0);
    expect(out).toMatch(/^ok\s+configuration/m);
    expect(out).toMatch(/^ok\s+bot token: connected to the workspace/m);
    expect(out).toMatch(/^ok\s+facilitator channel: #facilitators is reachable and the bot is in it \(1 facilitator/m);
    expect(out).toMatch(/^ok\s+database: .* writable and migrated/m);
    expect(out).toContain('All checks passed');
    expect(standIn.callsTo('auth.test')).toHaveLength(1);
  });

  it('names the scopes the installed app lacks', async () => {
    standIn.grantedScopes = ['chat:write', 'commands', 'users:read'];
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out).toMatch(/^PROBLEM bot token: the app lacks the scopes channels:read, files:write, groups:read, mpim:write/m);
    expect(out).toContain('Reinstall to Workspace');
  });

  it('says how to invite the bot when it is not in the channel', async () => {
    standIn.setChannelMembers('C0FACIL', ['UFACIL1']);
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out).toMatch(/^PROBLEM facilitator channel: the bot is not a member/m);
    expect(out).toContain('/invite @Tandem');
  });

  it('refuses a public facilitator channel: its members would get rights by joining it', async () => {
    standIn.setChannelMembers('C0FACIL', ['UFACIL1', 'UBOT'], { name: 'mentoring', isPrivate: false });
    const { code, out } = await doctor();
    expect(code).toBe(1);
    expect(out).toMatch(/^PROBLEM facilitator channel: #mentoring is public/m);
    expect(out).toContain('fix: make #mentoring private or use a private channel');
  });

  it('reports an unknown channel and a refused token with their fixes', async () => {
    standIn.fail('auth.test', { kind: 'error', error: 'invalid_auth' });
    const { code, out } = await doctor({ FACILITATOR_CHANNEL_ID: 'C0NOPE' });
    expect(code).toBe(1);
    expect(out).toMatch(/^PROBLEM bot token: Slack refused the bot token \(invalid_auth\)/m);
    expect(out).toMatch(/^PROBLEM facilitator channel: channel C0NOPE was not found/m);
    expect(out).toContain('2 problems found');
  });

  it('reports a missing database without creating it, and one not migrated', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'tandem-doctor-')), 'new.sqlite');
    const missing = await doctor({ DATABASE_URL: fresh });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/^PROBLEM database: there is no database at/m);
    expect(existsSync(fresh)).toBe(false);
    await openStore(fresh).close();
    const unmigrated = await doctor({ DATABASE_URL: fresh });
    expect(unmigrated.code).toBe(1);
    expect(unmigrated.out).toContain('run npx tandem migrate');
    // A path under a regular file can never exist, whoever runs the tests (root included).
    const unwritable = await doctor({ DATABASE_URL: join(dbPath, 'below-a-file', 'tandem.sqlite') });
    expect(unwritable.code).toBe(1);
    expect(unwritable.out).toMatch(/^PROBLEM database: there is no database at .*below-a-file/m);
  });

  it('stops at the configuration and lists every problem', async () => {
    const { code, out } = await doctor({ SLACK_BOT_TOKEN: 'nope', FACILITATOR_CHANNEL_ID: '' });
    expect(code).toBe(1);
    expect(out).toContain('SLACK_BOT_TOKEN must start with xoxb-');
    expect(out).toContain('FACILITATOR_CHANNEL_ID');
    expect(standIn.calls).toEqual([]);
  });

  it('checks Socket Mode when an app token is set', async () => {
    const { code, out } = await doctor({ SLACK_APP_TOKEN: 'xapp-test' });
    expect(out).toMatch(/socket mode/);
    expect(standIn.callsTo('apps.connections.open')).toHaveLength(1);
    expect(code === 0 || out.includes('Socket Mode is refused')).toBe(true);
  });
});

describe('the tandem command and the bot process', () => {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const main = join(process.cwd(), 'src', 'main.ts');

  it('migrates a new database from the command line, then says it is up to date', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'tandem-cli-')), 'sub', 'tandem.sqlite');
    const env = { ...process.env, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: dbPath };
    const first = await run(tsx, ['src/cli.ts', 'migrate'], { env });
    expect(first.stdout).toContain('Applied: 001_foundation');
    const second = await run(tsx, ['src/cli.ts', 'migrate'], { env });
    expect(second.stdout).toContain('up to date');
  });

  it('refuses to start with a bad configuration, listing every problem', async () => {
    const env = { PATH: process.env.PATH, SLACK_BOT_TOKEN: 'xoxp-user', PORT: 'x' };
    const failure = await run(tsx, [main], { env, cwd: mkdtempSync(join(tmpdir(), 'tandem-start-')) }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('the configuration has 4 problems');
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'FACILITATOR_CHANNEL_ID', 'SLACK_SIGNING_SECRET']) expect(failure?.stderr).toContain(name);
  });
});
