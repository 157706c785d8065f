import { type Kysely, type Migration, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/features/admin/doctor.js';
import { migrations } from '../../db/migrations/index.js';
import { Readiness } from '../../src/health.js';
import { migrateWhenReachable } from '../../src/store/availability.js';
import { migrate, NewerDatabaseError, openStore, schemaState, type Store } from '../../src/store/database.js';
import { recordingLogger } from '../support/outbox-fixture.js';
import { SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { startTandem } from '../support/tandem-harness.js';
import { createTestDatabase, tableNames, type TestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  const opened: Store[] = [];
  let database: TestDatabase | undefined;
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await database?.drop();
  });

  it('several instances starting at once on an empty database apply each migration once', async () => {
    database = await createTestDatabase({ empty: true });
    const stores = Array.from({ length: 4 }, () => openStore(database!.url, { poolSize: 2 }));
    opened.push(...stores);
    const outcomes = await Promise.all(stores.map((store) => migrate(store.db)));
    expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(outcomes.flatMap((o) => o.applied).sort()).toEqual(Object.keys(migrations).sort());
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(stores[0]!.db);
    expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await schemaState(stores[0]!.db)).toBe('current');
    // The one row of settings, once.
    expect(await stores[0]!.db.selectFrom('programme').select('id').execute()).toEqual([{ id: 1 }]);
  });

  it('a database migrated by a newer Tandem is refused with what to do, at start, from the doctor and on /readyz', async () => {
    const h = await startTandem();
    try {
      await sql`insert into kysely_migration (name, timestamp) values (${'999_from_a_newer_tandem'}, ${new Date().toISOString()})`.execute(h.store.db);
      expect(await schemaState(h.store.db)).toBe('newer');
      const outcome = await migrate(h.store.db);
      expect(outcome.error).toBeInstanceOf(NewerDatabaseError);
      expect(String((outcome.error as Error).message)).toContain('999_from_a_newer_tandem');

      // At start: not ready, with the reason; no retry loop (waiting would not change it).
      const readiness = new Readiness();
      const logger = recordingLogger();
      expect(await migrateWhenReachable(h.store, readiness, logger, { retryMs: 10 })).toBe(false);
      expect(readiness.report().details).toMatchObject({ database: expect.stringContaining('newer version of Tandem') });
      expect(logger.lines.join('\n')).toContain('run that newer version');

      const ready = await fetch(`${h.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ok: false, database: 'migrated by a newer Tandem' });

      const standIn = await SlackStandIn.start();
      try {
        standIn.setChannelMembers('C0FACIL', ['UFACIL1', 'UBOT'], { name: 'facilitators', isPrivate: true });
        const lines: string[] = [];
        const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: standIn.apiUrl, FACILITATOR_CHANNEL_ID: 'C0FACIL', DATABASE_URL: h.config.databaseUrl };
        expect(await runDoctor(env, (line) => lines.push(line))).toBe(1);
        expect(lines.join('\n')).toMatch(/^PROBLEM database: .* was migrated by a newer version of Tandem/m);
      } finally {
        await standIn.close();
      }
    } finally {
      await h.close();
    }
  });

  it('a migration that fails leaves nothing of itself, those before it stay applied, and it runs again once fixed', async () => {
    database = await createTestDatabase({ empty: true });
    const store = openStore(database.url, { poolSize: 2 });
    opened.push(store);
    const broken: Record<string, Migration> = {
      ...migrations,
      '999_broken': {
        up: async (db) => {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`insert into no_such_table (id) values (1)`.execute(db);
        },
      },
    };
    const outcome = await migrate(store.db, broken);
    expect(outcome.applied).toEqual(Object.keys(migrations).sort());
    expect(String(outcome.error)).toMatch(/^Error: migration 999_broken failed: .*no_such_table/);
    expect(await tableNames(store.db)).not.toContain('half_done');
    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await schemaState(store.db)).toBe('current');

    const fixed = { ...migrations, '999_broken': { up: async (db: Kysely<unknown>) => db.schema.createTable('half_done').addColumn('id', 'integer').execute() } };
    expect(await migrate(store.db, fixed)).toEqual({ applied: ['999_broken'] });
    expect(await tableNames(store.db)).toContain('half_done');
  });

  it('refuses a migration that sorts before one applied already, applying nothing', async () => {
    database = await createTestDatabase();
    const store = openStore(database.url, { poolSize: 2 });
    opened.push(store);
    await migrate(store.db);
    const late = { ...migrations, '013_added_late': { up: async (db: Kysely<unknown>) => db.schema.createTable('late').addColumn('id', 'integer').execute() } };
    const outcome = await migrate(store.db, late);
    expect(outcome.applied).toEqual([]);
    expect(String(outcome.error)).toContain(`migration 013_added_late sorts before ${Object.keys(migrations).sort().at(-1)}, which is applied already`);
    expect(await tableNames(store.db)).not.toContain('late');
  });

  it('migrating again changes nothing', async () => {
    database = await createTestDatabase();
    const store = openStore(database.url, { poolSize: 2 });
    opened.push(store);
    await migrate(store.db);
    const again = await migrate(store.db);
    expect(again).toEqual({ applied: [] });
  });
});
