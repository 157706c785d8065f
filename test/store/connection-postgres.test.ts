/**
 * PostgreSQL's own failures (only the `postgres` project runs this file): a server that is down or
 * refuses the password, and a connection lost in the middle of a request.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { Readiness } from '../../src/health.js';
import { migrateWhenReachable } from '../../src/store/availability.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { audit } from '../../src/store/audit.js';
import { createTandem } from '../../src/tandem.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { recordingLogger } from '../support/outbox-fixture.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A TCP port with nothing listening on it: the server is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that answers every connection as PostgreSQL does when the password is wrong. */
async function refusingServer(): Promise<Server> {
  const field = (type: string, value: string) => Buffer.concat([Buffer.from(type), Buffer.from(value), Buffer.from([0])]);
  const server = createServer((socket) => {
    socket.once('data', () => {
      const body = Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', '28P01'), field('M', 'password authentication failed for user "tandem"'), Buffer.from([0])]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(body.length + 4, 1);
      socket.end(Buffer.concat([header, body]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const slackEnv = (apiUrl: string, databaseUrl: string) => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: apiUrl, FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: databaseUrl });

describe('a PostgreSQL server that cannot be used', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('down: the start says so, waits for it with /readyz 503, and the doctor says what to check', async () => {
    const url = `postgres://tandem:secret@127.0.0.1:${await closedPort()}/tandem`;
    const store = openStore(url, { poolSize: 1 });
    cleanups.push(() => store.close());
    const standIn = await SlackStandIn.start();
    cleanups.push(() => standIn.close());
    const logger = recordingLogger();
    const config = { slackBotToken: 'xoxb-test', slackSigningSecret: 's', slackAppToken: undefined, slackApiUrl: standIn.apiUrl, port: 0, databaseUrl: url, facilitatorChannelId: 'C0FACIL', facilitatorUserIds: [], defaultLocale: 'en' as const, tzDefault: 'Europe/Paris', logLevel: 'error' as const, logFormat: 'text' as const };
    const tandem = createTandem(config, { store, logger });
    const port = await tandem.slackApp.start(0);
    cleanups.push(() => tandem.slackApp.stop());

    const stop = new AbortController();
    const migrating = migrateWhenReachable(store, tandem.deps.readiness, logger, { retryMs: 50, signal: stop.signal });
    await expect.poll(() => tandem.deps.readiness.has('database'), { timeout: 15_000 }).toBe(true);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { database: string };
    expect(body.database).toContain('refuses connections');
    expect(JSON.stringify(body)).not.toContain('secret');
    stop.abort();
    expect(await migrating).toBe(false);
    // Said once, however many attempts.
    expect(logger.lines.filter((l) => l.includes('refuses connections'))).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('secret');

    const lines: string[] = [];
    expect(await runDoctor(slackEnv(standIn.apiUrl, url), (line) => lines.push(line))).toBe(1);
    expect(lines.join('\n')).toMatch(/^PROBLEM database: PostgreSQL postgres:\/\/tandem:\*\*\*@127\.0\.0\.1:\d+\/tandem cannot be used: the PostgreSQL server refuses connections/m);
  }, 60_000);

  it('refusing the password: the start and the doctor say to check the user and password', async () => {
    const server = await refusingServer();
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `postgres://tandem:wrong@127.0.0.1:${(server.address() as AddressInfo).port}/tandem`;
    const store = openStore(url, { poolSize: 1 });
    cleanups.push(() => store.close());
    const readiness = new Readiness();
    const logger = recordingLogger();
    const stop = new AbortController();
    const migrating = migrateWhenReachable(store, readiness, logger, { retryMs: 50, signal: stop.signal });
    await expect.poll(() => readiness.report().details.database, { timeout: 15_000 }).toEqual(expect.stringContaining('refused the user or the password'));
    stop.abort();
    expect(await migrating).toBe(false);

    const standIn = await SlackStandIn.start();
    cleanups.push(() => standIn.close());
    const lines: string[] = [];
    expect(await runDoctor(slackEnv(standIn.apiUrl, url), (line) => lines.push(line))).toBe(1);
    expect(lines.join('\n')).toContain('refused the user or the password');
    expect(lines.join('\n')).not.toContain('wrong@');
  }, 60_000);
});

describe('a connection lost while running', () => {
  let database: TestDatabase;
  let store: Store;
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('a transaction cut in the middle is run again whole: applied once, never half', async () => {
    database = await createTestDatabase();
    store = openStore(database.url, { poolSize: 2 });
    await migrate(store.db);
    let attempts = 0;
    const now = new Date('2027-03-01T09:00:00Z');
    await store.db.transaction().execute(async (trx) => {
      attempts += 1;
      await audit(trx, { actorUserId: 'U1', action: 'test.first_half', subject: 'test:1', details: {} }, now);
      // The server ends this connection (a restart, a failover) before the second half.
      if (attempts === 1) await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
      await audit(trx, { actorUserId: 'U1', action: 'test.second_half', subject: 'test:1', details: {} }, now);
    });
    expect(attempts).toBe(2);
    const rows = await store.db.selectFrom('audit_log').select('action').where('subject', '=', 'test:1').orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['test.first_half', 'test.second_half']);
    // The pool dropped the dead connection: the next request works.
    expect(await store.db.selectFrom('programme').select('id').execute()).toEqual([{ id: 1 }]);
  });

  it('two transactions that read then write the same row never both act on what they read', async () => {
    database = await createTestDatabase();
    store = openStore(database.url, { poolSize: 4 });
    await migrate(store.db);
    // Each reads the version, then writes version + 1 and an audit line: serializable, as on SQLite.
    const bump = () =>
      store.db.transaction().execute(async (trx) => {
        const { version } = await trx.selectFrom('programme').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
        await trx.updateTable('programme').set({ version: version + 1 }).where('id', '=', 1).execute();
        await audit(trx, { actorUserId: 'U1', action: 'test.bump', subject: `version:${version + 1}`, details: {} }, new Date());
      });
    await Promise.all(Array.from({ length: 6 }, bump));
    const { version } = await store.db.selectFrom('programme').select('version').executeTakeFirstOrThrow();
    expect(version).toBe(6);
    const subjects = await store.db.selectFrom('audit_log').select('subject').where('action', '=', 'test.bump').orderBy('subject').execute();
    expect(subjects.map((s) => s.subject)).toEqual(['version:1', 'version:2', 'version:3', 'version:4', 'version:5', 'version:6']);
  });
});

describe('the planner costs of Tandem’s connections', () => {
  let database: TestDatabase | undefined;
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database?.drop();
    database = undefined;
  });
  const costOf = async (store: Store) => (await sql<{ cost: string }>`select current_setting('random_page_cost') as cost`.execute(store.db)).rows[0]?.cost;

  it('read at random as cheaply as solid-state storage does, unless the operator chose a cost', async () => {
    database = await createTestDatabase();
    const tandem = openStore(database.url);
    stores.push(tandem);
    expect(await costOf(tandem)).toBe('1.1');
    // A cost set by the operator (here in the connection string) is kept.
    const url = new URL(database.url);
    url.searchParams.set('options', `${url.searchParams.get('options') ?? ''} -c random_page_cost=2`.trim());
    const tuned = openStore(url.toString());
    stores.push(tuned);
    expect(await costOf(tuned)).toBe('2');
  });
});
