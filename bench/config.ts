import type { Config } from '../src/config.js';

/** A complete configuration for benches that build the app without ever reaching Slack. */
export function benchConfig(databaseUrl: string): Config {
  return {
    slackBotToken: 'xoxb-bench',
    slackSigningSecret: 'bench',
    slackAppToken: undefined,
    slackApiUrl: 'http://127.0.0.1:9/api/',
    port: 0,
    databaseUrl,
    facilitatorChannelId: 'C0FACIL',
    facilitatorUserIds: [],
    defaultLocale: 'en',
    tzDefault: 'Europe/Paris',
    logLevel: 'error',
    logFormat: 'text',
  };
}
