/**
 * Migrating a new schema on a PostgreSQL server where other schemas come and go meanwhile (other
 * Tandem databases, or anything else on a shared server). Kysely's migrator, used before, read the
 * tables of every schema first, and failed with "schema … does not exist" when one was dropped
 * while it read: this made the suite fail now and then, and could stop a real instance's start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrations } from '../../db/migrations/index.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { createTestDatabase, DEFAULT_TEST_DATABASE_URL, type TestDatabase } from '../support/test-database.js';

describe('migrations on a shared PostgreSQL server', () => {
  const opened: Store[] = [];
  let database: TestDatabase | undefined;
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await database?.drop();
  });

  it('apply each migration once while other schemas are created and dropped beside them', async () => {
    const others = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL, max: 3 });
    let churning = true;
    const churn = async (worker: number) => {
      for (let round = 0; churning; round += 1) {
        const schema = `churn_${process.pid}_${worker}_${round}`;
        await others.query(`create schema ${schema}; create table ${schema}.a (id serial primary key, b text); create table ${schema}.c (id serial primary key)`);
        await others.query(`drop schema ${schema} cascade`);
      }
    };
    const churners = [0, 1, 2].map(churn);
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        database = await createTestDatabase({ empty: true });
        const stores = Array.from({ length: 3 }, () => openStore(database!.url, { poolSize: 2 }));
        opened.push(...stores);
        const outcomes = await Promise.all(stores.map((store) => migrate(store.db)));
        expect(outcomes.map((o) => o.error)).toEqual([undefined, undefined, undefined]);
        expect(outcomes.flatMap((o) => o.applied).sort()).toEqual(Object.keys(migrations).sort());
        for (const store of opened.splice(0)) await store.close();
        await database.drop();
        database = undefined;
      }
    } finally {
      churning = false;
      await Promise.all(churners);
      await others.end();
    }
  });
});
