#!/usr/bin/env node
import { ConfigError, loadConfig, readDotEnv } from './config.js';
import { runDoctor } from './features/admin/doctor.js';
import { migrate, openStore } from './store/database.js';

const USAGE = `Usage: npx tandem <command>

  migrate     apply the database migrations
  doctor      check the configuration, the Slack token, the facilitator channel and the database
`;

async function runMigrate(): Promise<number> {
  const config = loadConfig(process.env);
  const store = openStore(config.databaseUrl);
  try {
    const outcome = await migrate(store.db);
    if (outcome.error) {
      process.stderr.write(`Migration failed: ${String(outcome.error)}\n`);
      return 1;
    }
    process.stdout.write(outcome.applied.length > 0 ? `Applied: ${outcome.applied.join(', ')}\n` : 'The database is up to date.\n');
    return 0;
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
    case 'doctor':
      return runDoctor(process.env, (line) => process.stdout.write(`${line}\n`));
    default:
      process.stdout.write(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `tandem: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
