/**
 * A server under load for bench/http.ts, run in its own process so that the load generator does not
 * share its event loop: either Tandem itself (against the loopback stand-in) or a bare Bolt app that
 * only acks. Prints `READY <port> <response-url>` when it listens.
 *   http-target.ts bare
 *   http-target.ts tandem [DATABASE_URL]   a temp SQLite file by default; several targets may share
 *                                          one PostgreSQL database, as the instances of a fleet do
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { saveProfile } from '../src/store/participants.js';
import { migrate, openStore } from '../src/store/database.js';
import { createTandem } from '../src/tandem.js';
import { SlackStandIn } from '../src/sandbox/slack-stand-in.js';

export const BENCH_SECRET = 'bench-signing-secret';
export const BENCH_USER = 'U0BENCH';

async function startBare(): Promise<number> {
  const receiver = new HTTPReceiver({ signingSecret: BENCH_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bench' }), logLevel: LogLevel.ERROR });
  app.command('/tandem', async ({ ack }) => ack());
  const server = (await app.start(0)) as Server;
  return (server.address() as AddressInfo).port;
}

async function startTandemTarget(standIn: SlackStandIn, databaseUrl: string | undefined): Promise<number> {
  standIn.setChannelMembers('C0FACIL', ['UFACIL1', 'UBOT'], { name: 'tandem-facilitators', isPrivate: true });
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: standIn.apiUrl,
    FACILITATOR_CHANNEL_ID: 'C0FACIL',
    DATABASE_URL: databaseUrl ?? join(dir, 'bench.sqlite'),
    LOG_LEVEL: 'error',
  });
  const store = openStore(config.databaseUrl);
  await migrate(store.db);
  // The benchmarked person is enrolled, so /tandem status reads a real profile.
  await saveProfile(
    store.db,
    { userId: BENCH_USER, timeZone: 'Europe/Paris', locale: 'en', displayName: 'bench' },
    { role: 'junior', shares: ['generative_ai'], learns: ['negotiation'], department: 'Marketing', managerUserId: null, languages: ['en'], format: 'video', cadence: 'biweekly', motivation: 'benchmarks' },
    new Date(),
  );
  const tandem = createTandem(config, { store, logger: createLogger('error', 'bench') });
  return tandem.slackApp.start(0);
}

/** Where replies posted to a response URL land: it answers at once, like Slack. */
async function startResponseSink(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  const standIn = await SlackStandIn.start();
  // The stand-in keeps every call for assertions; a benchmark would only grow it, so it forgets them.
  setInterval(() => standIn.reset(), 1000).unref();
  const port = kind === 'bare' ? await startBare() : await startTandemTarget(standIn, process.argv[3]);
  process.stdout.write(`READY ${port} ${await startResponseSink()}\n`);
}

process.once('SIGTERM', () => process.exit(0));

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
