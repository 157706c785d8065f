/**
 * The sandbox: the real bot (same Bolt app, signed requests into /slack/events, Web API client,
 * outbox, Home refresh and scheduled pass) against the built-in Slack stand-in, a demo company,
 * and a page on 127.0.0.1 to act as any of its people. It never reaches Slack: SLACK_API_URL is
 * always the stand-in's, whatever .env holds, and its database is its own file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Logger } from '@slack/bolt';
import { loadConfig, type Config } from '../config.js';
import { startScheduler, type Scheduler } from '../jobs/pass.js';
import { createLogger } from '../logger.js';
import { migrate, openStore, type Store } from '../store/database.js';
import { createTandem, type Tandem } from '../tandem.js';
import { DEMO_PEOPLE, FACILITATORS_CHANNEL, GENERAL_CHANNEL, handle, type DemoPerson } from './demo-company.js';
import type { ViewValues } from './payloads.js';
import { SlackDriver } from './driver.js';
import { BOT_USER_ID } from './fake-workspace.js';
import { startPageServer, type PageServer } from './page-server.js';
import { SandboxClock, SandboxSession } from './session.js';
import { SlackStandIn } from './slack-stand-in.js';

export const SANDBOX_DATABASE = './db/sandbox.sqlite';
/** The sandbox is for one visitor on this machine: the page lets anyone act as anyone. */
export const SANDBOX_HOST = '127.0.0.1';

export interface SandboxOptions {
  env: NodeJS.ProcessEnv;
  /** Default: PORT, else 3000; 0 picks a free port. */
  port?: number;
  databasePath?: string;
  /** No demo enrolments on the first start (the people and channels are still there). */
  empty?: boolean;
  logger?: Logger;
  /** The simulated instant at start (default: now). */
  startAt?: Date;
}

export interface Sandbox {
  /** The address to open, http://localhost:PORT */
  url: string;
  port: number;
  standIn: SlackStandIn;
  tandem: Tandem;
  store: Store;
  session: SandboxSession;
  clock: SandboxClock;
  /** True when this start created the database (and seeded the demo unless empty). */
  seeded: boolean;
  close(): Promise<void>;
}

/**
 * The configuration of the sandbox: the environment's own settings (port, language, time zone,
 * logging…) validated as usual, with every Slack setting and the database replaced.
 */
export function sandboxConfig(env: NodeJS.ProcessEnv, overrides: { apiUrl: string; databasePath: string; signingSecret: string; port?: number }): Config {
  const config = loadConfig({
    ...env,
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: overrides.signingSecret,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: overrides.apiUrl,
    FACILITATOR_CHANNEL_ID: FACILITATORS_CHANNEL.id,
    FACILITATOR_USER_IDS: '',
    DATABASE_URL: overrides.databasePath,
    // The stand-in is on this machine: no proxy stands between them.
    HTTPS_PROXY: '',
    HTTP_PROXY: '',
    https_proxy: '',
    http_proxy: '',
  });
  return { ...config, ...(overrides.port !== undefined ? { port: overrides.port } : {}) };
}

/** The demo company's people and channels in the stand-in (it keeps them in memory only). */
function seedWorkspace(standIn: SlackStandIn): void {
  // Slack shows the display name; many people set their first name there.
  for (const p of DEMO_PEOPLE) standIn.setUser(p.id, { name: p.name.split(' ')[0] ?? handle(p), realName: p.name, locale: p.locale, tz: p.tz });
  const everyone = DEMO_PEOPLE.map((p) => p.id);
  standIn.setChannelMembers(GENERAL_CHANNEL.id, everyone, { name: GENERAL_CHANNEL.name, isPrivate: false });
  const facilitators = DEMO_PEOPLE.filter((p) => p.facilitator).map((p) => p.id);
  standIn.setChannelMembers(FACILITATORS_CHANNEL.id, [...facilitators, BOT_USER_ID], { name: FACILITATORS_CHANNEL.name, isPrivate: true });
  for (const p of DEMO_PEOPLE) standIn.workspace.openDm(p.id);
}

/** Enrols the demo's candidates through the real enrolment modal, as each of them would, all at once. */
async function seedEnrolments(standIn: SlackStandIn, driver: SlackDriver): Promise<void> {
  const enrol = async (person: DemoPerson, values: ViewValues) => {
    const command = driver.commandPayload(person.id, 'join');
    await driver.sendCommand(command);
    const opened = await standIn.waitForModal(String(command.trigger_id));
    const res = await driver.viewSubmission(person.id, opened, values);
    if (res.status !== 200 || res.json?.response_action === 'errors') throw new Error(`The demo enrolment of ${person.name} was refused: ${res.body}`);
  };
  await Promise.all(DEMO_PEOPLE.flatMap((person) => (person.enrolment ? [enrol(person, person.enrolment)] : [])));
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const databasePath = options.databasePath ?? SANDBOX_DATABASE;
  const firstStart = !existsSync(databasePath);
  const standIn = await SlackStandIn.start();
  const signingSecret = randomBytes(16).toString('hex');
  const config = sandboxConfig(options.env, { apiUrl: standIn.apiUrl, databasePath, signingSecret, ...(options.port !== undefined ? { port: options.port } : {}) });
  const logger = options.logger ?? createLogger(config.logLevel, 'sandbox');
  seedWorkspace(standIn);

  const store = openStore(databasePath);
  const outcome = await migrate(store.db);
  if (outcome.error) throw outcome.error;

  const clock = new SandboxClock(options.startAt);
  const tandem = createTandem(config, {
    store,
    logger,
    now: clock.now,
    // The same outbox and Home refresh, paced for the stand-in rather than Slack's limits: the
    // visitor should not wait a second per message for a rate limit that is not there.
    outboxPacing: { channelIntervalMs: 100, workspaceIntervalMs: 5 },
    homeTiming: { debounceMs: 100, dashboardIntervalMs: 2000, paceMs: 20, pollMs: 1000 },
  });
  tandem.deps.readiness.set('sandbox', { mode: 'sandbox' });
  const botPort = await tandem.slackApp.start(0, SANDBOX_HOST);
  const driver = new SlackDriver({ baseUrl: `http://${SANDBOX_HOST}:${botPort}`, signingSecret, standIn });
  const seeded = firstStart && !options.empty;
  if (seeded) await seedEnrolments(standIn, driver);
  const scheduler: Scheduler = startScheduler(tandem.deps);

  const session = new SandboxSession(standIn, driver, tandem, clock);
  let page: PageServer;
  try {
    page = await startPageServer({ session, standIn, port: config.port, host: SANDBOX_HOST, botUrl: `http://${SANDBOX_HOST}:${botPort}`, logger });
  } catch (error) {
    await scheduler.stop();
    await tandem.slackApp.stop();
    await store.close();
    await standIn.close();
    throw error;
  }
  return {
    url: `http://localhost:${page.port}`,
    port: page.port,
    standIn,
    tandem,
    store,
    session,
    clock,
    seeded,
    async close() {
      await page.close();
      await scheduler.stop();
      await tandem.slackApp.stop();
      await store.close();
      await standIn.close();
    },
  };
}

/**
 * `npm start` with no Slack settings, and `npx tandem sandbox`: starts the sandbox, says what it
 * is, and prints the address to open as its last line; stops on SIGINT/SIGTERM.
 */
export async function serveSandbox(env: NodeJS.ProcessEnv, options: { empty?: boolean } = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ env, ...(options.empty ? { empty: true } : {}) });
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print('Tandem is running as a sandbox: the real bot against a built-in Slack stand-in, with a demo company.');
  print(`Nothing reaches Slack. Its database is ${SANDBOX_DATABASE}${sandbox.seeded ? ' (the demo company was just created)' : ''}.`);
  print('Anyone who can open the page can act as anyone: it listens on this machine only.');
  print('To connect Tandem to your Slack instead, see "Connect Tandem to your Slack" in the README.');
  print('Open this address in your browser:');
  print(sandbox.url);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sandbox;
}
