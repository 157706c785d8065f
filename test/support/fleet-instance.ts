/**
 * One Tandem instance of the fleet test, in its own process: the real app (createTandem) against
 * the database and the Slack stand-in its environment names, as `npm start` would run it, but with
 * the scheduled pass run on request so that the test can start it in every instance at once.
 *   DATABASE_URL, SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, FACILITATOR_CHANNEL_ID
 *   FLEET_LEASE_MS  how long an outbox row stays reserved to the instance delivering it
 * Prints `READY <port>` once it listens; reads `pass <ISO instant>` lines on stdin and answers
 * `PASSED <report as JSON>`.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { runPass } from '../../src/jobs/pass.js';
import { createLogger } from '../../src/logger.js';
import { migrate, openStore } from '../../src/store/database.js';
import { createTandem } from '../../src/tandem.js';

const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'error' });
const store = openStore(config.databaseUrl);
const outcome = await migrate(store.db);
if (outcome.error) throw outcome.error;
const tandem = createTandem(config, {
  store,
  logger: createLogger('error', 'fleet'),
  retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 },
  // Slack's real pace (one post a second per channel); a short lease so that what a killed
  // instance held is taken over within the test.
  outbox: { leaseMs: Number(process.env.FLEET_LEASE_MS ?? 2000), pollMs: 200 },
  homeTiming: { debounceMs: 10, pollMs: 200 },
});
const port = await tandem.slackApp.start(0);
process.stdout.write(`READY ${port}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [verb, at] = line.trim().split(' ');
  if (verb !== 'pass' || !at) continue;
  const report = await runPass(tandem.deps, new Date(at));
  process.stdout.write(`PASSED ${JSON.stringify({ prompts: report.followup.prompts, reminders: report.followup.reminders })}\n`);
}
