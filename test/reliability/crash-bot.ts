/**
 * The bot as `npm start` runs it (createTandem, the HTTP server, the outbox, the scheduler), as a
 * child process for `npm run crash`, with a clock that starts at CRASH_AT and runs in real time
 * (a check-in day of the test world), and its scheduler ticking every second instead of every
 * minute. Prints `ready <port>` once it listens.
 *   CRASH_DATABASE  the SQLite file (already migrated, the world in it)
 *   SLACK_API_URL   the stand-in's Web API URL
 *   CRASH_AT        the instant the bot's clock starts from
 */
import type { Config } from '../../src/config.js';
import { runPass, startScheduler } from '../../src/jobs/pass.js';
import { createLogger } from '../../src/logger.js';
import { migrate, openStore } from '../../src/store/database.js';
import { createTandem } from '../../src/tandem.js';
import { FACILITATOR_CHANNEL, SIGNING_SECRET } from '../support/tandem-harness.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const databaseUrl = required('CRASH_DATABASE');
const config: Config = {
  slackBotToken: 'xoxb-test-token',
  slackSigningSecret: SIGNING_SECRET,
  slackAppToken: undefined,
  slackApiUrl: required('SLACK_API_URL'),
  port: 0,
  databaseUrl,
  facilitatorChannelId: FACILITATOR_CHANNEL,
  facilitatorUserIds: [],
  defaultLocale: 'en',
  tzDefault: 'Europe/Paris',
  logLevel: 'warn',
    logFormat: 'text',
};
const startsAt = Date.parse(required('CRASH_AT'));
const bootedAt = Date.now();
const now = () => new Date(startsAt + (Date.now() - bootedAt));

const store = openStore(databaseUrl);
const outcome = await migrate(store.db);
if (outcome.error) throw outcome.error;
const tandem = createTandem(config, {
  store,
  logger: createLogger('warn', 'crash-bot'),
  now,
  retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 },
  outboxPacing: { channelIntervalMs: 20, workspaceIntervalMs: 1 },
  // A killed process's messages wait for their lease to run out before another sends them.
  outbox: { leaseMs: 3000 },
});
const port = await tandem.slackApp.start(0);
startScheduler(tandem.deps, () => runPass(tandem.deps, now()), '* * * * * *');
process.stdout.write(`ready ${port}\n`);
