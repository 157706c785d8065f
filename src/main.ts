import { ConfigError, hasNoSlackSettings, loadConfig, readDotEnv } from './config.js';
import { serveSandbox } from './sandbox/sandbox.js';
import { configureLogs, createLogger, redact } from './logger.js';
import { openStore } from './store/database.js';
import { migrateWhenReachable } from './store/availability.js';
import { type Scheduler, startScheduler } from './jobs/pass.js';
import { createTandem } from './tandem.js';

async function main(): Promise<void> {
  readDotEnv();
  // No Slack setting at all: someone trying Tandem out. A partial configuration is still an error.
  if (hasNoSlackSettings(process.env)) {
    await serveSandbox(process.env);
    return;
  }
  const config = loadConfig(process.env);
  // Tokens key the hash that stands for user ids in logs: stable across restarts, and secret.
  configureLogs({ format: config.logFormat, idKey: config.slackSigningSecret ?? config.slackBotToken });
  const logger = createLogger(config.logLevel);
  const store = openStore(config.databaseUrl);
  const tandem = createTandem(config, { store, logger });
  // A database that cannot be reached yet (or was migrated by a newer Tandem) does not stop the
  // start: the bot listens, /readyz answers 503 with the reason, and it migrates once it can.
  const stopping = new AbortController();
  const migrated = migrateWhenReachable(store, tandem.deps.readiness, logger, { signal: stopping.signal });
  const port = await tandem.slackApp.start(config.port, undefined, migrated);
  let scheduler: Scheduler | undefined;
  const schedulerStarted = migrated.then((ok) => {
    if (ok && !stopping.signal.aborted) scheduler = startScheduler(tandem.deps);
  });
  // Lists the facilitator channel once the database answers, so that a public one is logged as a
  // problem at start; a database still out of reach is already said (and retried) by the migration.
  void migrated
    .then((ok) => (ok ? tandem.deps.facilitators.standing() : undefined))
    .catch((error: unknown) => logger.warn(`Could not check the facilitators' channel at start: ${error instanceof Error ? error.message : String(error)}`));
  logger.info(
    config.slackAppToken
      ? `Tandem is running in Socket Mode (health checks on port ${port})`
      : `Tandem is listening on port ${port}: Slack posts to /slack/events`,
  );

  const stop = async (signal: string) => {
    logger.info(`${signal} received: stopping`);
    stopping.abort();
    await schedulerStarted.catch(() => undefined);
    await scheduler?.stop().catch((error) => logger.error('Error while stopping the scheduler', error));
    await tandem.slackApp.stop().catch((error) => logger.error('Error while stopping', error));
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  // A migration that fails for another reason than the database being out of reach stops the bot.
  schedulerStarted.catch((error: unknown) => {
    logger.error(`The database migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(redact(`Tandem could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  }
  process.exit(1);
});
