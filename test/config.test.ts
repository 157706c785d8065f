import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readDotEnv } from '../src/config.js';

const valid = { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: 'secret', FACILITATOR_CHANNEL_ID: 'C0FACIL' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: './db/tandem.sqlite',
      defaultLocale: 'en',
      tzDefault: 'Europe/Paris',
      logLevel: 'info',
      logFormat: 'text',
      facilitatorUserIds: [],
      slackAppToken: undefined,
      slackApiUrl: undefined,
    });
  });

  it('reads every variable of the spec', () => {
    const config = loadConfig({
      ...valid,
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      PORT: '8080',
      DATABASE_URL: '/data/t.sqlite',
      FACILITATOR_USER_IDS: 'U01AAA, U02BBB',
      DEFAULT_LOCALE: 'fr',
      TZ_DEFAULT: 'America/New_York',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
    });
    expect(config).toMatchObject({
      slackAppToken: 'xapp-1',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      port: 8080,
      databaseUrl: '/data/t.sqlite',
      facilitatorUserIds: ['U01AAA', 'U02BBB'],
      defaultLocale: 'fr',
      tzDefault: 'America/New_York',
      logLevel: 'debug',
      logFormat: 'json',
    });
  });

  it('lists every problem at once, each with how to fix it', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's', PORT: 'eighty', DEFAULT_LOCALE: 'de', TZ_DEFAULT: 'Mars/Olympus', FACILITATOR_USER_IDS: 'bob', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(7);
    const text = problems.join('\n');
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'DEFAULT_LOCALE', 'TZ_DEFAULT', 'FACILITATOR_USER_IDS', 'LOG_LEVEL', 'FACILITATOR_CHANNEL_ID']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('SLACK_SIGNING_SECRET');
  });

  it('asks for the signing secret only in HTTP mode', () => {
    const { SLACK_SIGNING_SECRET: _omit, ...withoutSecret } = valid;
    expect(problemsOf(withoutSecret)).toEqual([expect.stringContaining('SLACK_SIGNING_SECRET')]);
    expect(problemsOf({ ...withoutSecret, SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('refuses a channel name where an id is expected, and a malformed API URL', () => {
    const problems = problemsOf({ ...valid, FACILITATOR_CHANNEL_ID: '#facilitators', SLACK_API_URL: 'not a url' });
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('FACILITATOR_CHANNEL_ID'), expect.stringContaining('SLACK_API_URL')]));
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', SLACK_APP_TOKEN: ' ', DEFAULT_LOCALE: '' })).toMatchObject({ port: 3000, slackAppToken: undefined, defaultLocale: 'en' });
  });

  it('reads a .env file, and the real environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-env-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'TANDEM_TEST_A=from-file\nTANDEM_TEST_B=from-file\n');
    process.env.TANDEM_TEST_B = 'from-env';
    readDotEnv(file);
    expect(process.env.TANDEM_TEST_A).toBe('from-file');
    expect(process.env.TANDEM_TEST_B).toBe('from-env');
    expect(() => readDotEnv(join(dir, 'missing.env'))).not.toThrow();
  });
});
