/**
 * A process that delivers the outbox of a database, as `tandem jobs run` does, for the test that
 * kills one in the middle of a pass. Prints the drain's counts as JSON on stdout.
 *   OUTBOX_DATABASE  the SQLite file
 *   SLACK_API_URL    the stand-in's Web API URL
 *   OUTBOX_LEASE_MS  how long a row stays reserved to this process
 */
import { LogLevel } from '@slack/bolt';
import { Outbox } from '../../src/slack/outbox.js';
import { openStore } from '../../src/store/database.js';
import { recordingLogger, TOKEN } from './outbox-fixture.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const store = openStore(required('OUTBOX_DATABASE'));
const outbox = new Outbox({
  db: store.db,
  token: TOKEN,
  clientOptions: { slackApiUrl: required('SLACK_API_URL'), logger: recordingLogger(), logLevel: LogLevel.ERROR },
  logger: recordingLogger(),
  leaseMs: Number(required('OUTBOX_LEASE_MS')),
});
const result = await outbox.drain({ deadline: new Date(Date.now() + 8000) });
process.stdout.write(`${JSON.stringify(result)}\n`);
await store.close();
