import { ConfigError, hasNoSlackSettings, loadConfig, readDotEnv } from './config.js';
import { serveSandbox } from './sandbox/sandbox.js';
import { configureLogs, createLogger, redact } from './logger.js';
import { migrate, openStore } from './store/database.js';
import { startScheduler } from './jobs/pass.js';
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
  const outcome = await migrate(store.db);
  if (outcome.error) throw outcome.error;
  if (outcome.applied.length > 0) logger.info(`Database migrated: ${outcome.applied.join(', ')}`);

  const tandem = createTandem(config, { store, logger });
  const port = await tandem.slackApp.start(config.port);
  const scheduler = startScheduler(tandem.deps);
  // Lists the facilitator channel once now, so that a public one is logged as a problem at start.
  void tandem.deps.facilitators.standing();
  logger.info(
    config.slackAppToken
      ? `Tandem is running in Socket Mode (health checks on port ${port})`
      : `Tandem is listening on port ${port}: Slack posts to /slack/events`,
  );

  const stop = async (signal: string) => {
    logger.info(`${signal} received: stopping`);
    await scheduler.stop().catch((error) => logger.error('Error while stopping the scheduler', error));
    await tandem.slackApp.stop().catch((error) => logger.error('Error while stopping', error));
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
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
