#!/usr/bin/env node
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig, readDotEnv } from './config.js';
import { runBackup } from './features/admin/backup.js';
import { runDoctor } from './features/admin/doctor.js';
import { deliverCalendars } from './features/contract/calendar.js';
import { describePass, runPass } from './jobs/pass.js';
import { configureLogs, createLogger, redact } from './logger.js';
import { migrate, NewerDatabaseError, openStore, type Store } from './store/database.js';
import { isUnavailable } from './store/availability.js';
import { describeDatabaseError } from './store/engine.js';
import { createTandem } from './tandem.js';
import { serveSandbox } from './sandbox/sandbox.js';
import { countOf } from './i18n/index.js';

const USAGE = `Usage: npx tandem <command>

  migrate     apply the database migrations
  doctor      check the configuration, the Slack token, the facilitator channel and the database
  backup [FILE]
              a consistent copy of the SQLite database, safe while the bot runs (default:
              backups/tandem-<date and time>.sqlite beside the database); for PostgreSQL, the
              pg_dump command to use
  sandbox [--empty]
              the sandbox: the bot against a built-in Slack stand-in with a demo company (none
              with --empty), on a page at http://localhost:PORT; whatever .env holds
  jobs run [--at <ISO-8601 instant>]
              one pass of every scheduled job as of that instant (default now): check-in prompts,
              reminders, closing surveys; then delivers what it queued and exits. An instant in the
              past catches up after an outage; one in the future sends what is due until then
              now, so it also needs --future
`;

/** How long `jobs run` keeps delivering (waiting out Slack's rate limits) before leaving the rest to the bot. */
const DRAIN_MS = 120_000;

/** A little ahead of this machine's clock is still "now" (clocks drift). */
const FUTURE_SLACK_MS = 5 * 60_000;

function parseAt(allArgs: string[]): Date | string {
  const future = allArgs.includes('--future');
  const args = allArgs.filter((a) => a !== '--future');
  if (args.length === 0) return new Date();
  if (args[0] !== '--at' || args.length !== 2) return 'Usage: npx tandem jobs run [--at <ISO-8601 instant> [--future]]';
  const raw = args[1] as string;
  const at = new Date(raw);
  // An instant, not a date alone: "2027-03-01T09:00:00Z" or with an offset such as "+01:00".
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(at.getTime())) {
    return `"${raw}" is not an ISO-8601 instant. Give a date, a time and a zone, for example 2027-03-01T09:00:00Z or 2027-03-01T10:00:00+01:00.`;
  }
  if (at.getTime() > Date.now() + FUTURE_SLACK_MS && !future) {
    return `${raw} is in the future: a pass as of then would send now the check-ins, reminders and closing surveys due until then, and complete pairs early. If that is really what you want (e.g. on a test workspace), add --future.`;
  }
  return at;
}

async function runJobs(args: string[]): Promise<number> {
  const at = parseAt(args);
  if (typeof at === 'string') {
    process.stderr.write(`${at}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  // Tokens key the hash that stands for user ids in logs: stable across restarts, and secret.
  configureLogs({ format: config.logFormat, idKey: config.slackSigningSecret ?? config.slackBotToken });
  const logger = createLogger(config.logLevel);
  const store = openStore(config.databaseUrl);
  try {
    const outcome = await migrate(store.db);
    if (outcome.error) return databaseProblem(store, outcome.error);
    const { deps } = createTandem(config, { store, logger });
    const report = await runPass(deps, at);
    process.stdout.write(`${describePass(report)}\n`);
    await deliverCalendars(deps);
    const drained = await deps.outbox.drain({ deadline: new Date(Date.now() + DRAIN_MS) });
    process.stdout.write(
      `Delivered ${countOf(drained.sent, 'message', 'messages')}` + (drained.pending > 0 ? `; ${drained.pending} still queued, which the running bot will send.` : '.') + (drained.dead > 0 ? ` ${drained.dead} given up (the facilitators are told).` : '') + '\n',
    );
    return 0;
  } catch (error) {
    if (isUnavailable(error)) return databaseProblem(store, error);
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * A database Tandem cannot use (out of reach, refusing the password, migrated by a newer Tandem):
 * said as the bot says it, with what to do, rather than as the driver's error.
 */
function databaseProblem(store: Store, error: unknown): number {
  const problem = error instanceof NewerDatabaseError ? error.message : isUnavailable(error) ? describeDatabaseError(error) : undefined;
  process.stderr.write(problem ? `Tandem cannot use ${store.description}: ${problem}.\n` : `Migration failed: ${String(error)}\n`);
  return 1;
}

async function runMigrate(): Promise<number> {
  const config = loadConfig(process.env);
  const store = openStore(config.databaseUrl);
  try {
    const outcome = await migrate(store.db);
    if (outcome.error) return databaseProblem(store, outcome.error);
    process.stdout.write(outcome.applied.length > 0 ? `Applied: ${outcome.applied.join(', ')}\n` : 'The database is up to date.\n');
    return 0;
  } catch (error) {
    if (isUnavailable(error)) return databaseProblem(store, error);
    throw error;
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  readDotEnv();
  const [command] = argv;
  switch (command) {
    case 'migrate':
      return runMigrate();
    case 'jobs':
      if (argv[1] !== 'run') {
        process.stdout.write(USAGE);
        return 2;
      }
      return runJobs(argv.slice(2));
    case 'backup':
      if (argv.length > 2) {
        process.stdout.write(USAGE);
        return 2;
      }
      // Only the database's place is needed: a backup works with no Slack setting at all.
      return runBackup(process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL, argv[1], (line) => process.stdout.write(`${line}\n`));
    case 'doctor':
      return runDoctor(process.env, (line) => process.stdout.write(`${line}\n`));
    case 'sandbox': {
      const extra = argv.slice(1).filter((a) => a !== '--empty');
      if (extra.length > 0) {
        process.stderr.write(`Unknown option ${extra.join(' ')}. Usage: npx tandem sandbox [--empty]\n`);
        return 2;
      }
      await serveSandbox(process.env, { empty: argv.includes('--empty') });
      // The sandbox runs until it is stopped (Ctrl-C).
      return new Promise<number>(() => undefined);
    }
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(redact(error instanceof ConfigError ? `${error.message}\n` : `tandem: ${error instanceof Error ? error.message : String(error)}\n`));
    process.exit(1);
  },
);
