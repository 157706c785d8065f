/**
 * Before the `postgres` project runs: one schema migrated by Tandem's own migrations, with a
 * random name, which every test's schema is then copied from (far quicker than migrating each one);
 * dropped at the end of the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, openStore } from '../../src/store/database.js';
import { DEFAULT_TEST_DATABASE_URL, withSchema } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplateSchema: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const schema = `tandem_template_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`The PostgreSQL tests need a server at ${url} (TEST_DATABASE_URL): ${error instanceof Error ? error.message : String(error)}`);
  }
  await admin.query(`create schema ${schema}`);
  const store = openStore(withSchema(url, schema), { poolSize: 1 });
  try {
    const outcome = await migrate(store.db);
    if (outcome.error) throw outcome.error;
  } finally {
    await store.close();
  }
  project.provide('postgresTemplateSchema', schema);
  return async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  };
}
