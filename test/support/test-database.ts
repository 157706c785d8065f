/**
 * The database a test runs on: a temp SQLite file, or (in the `postgres` project of
 * vitest.config.ts) a schema of its own, with a random name, on the PostgreSQL server that
 * TEST_DATABASE_URL names, dropped when the test is done. Several people can run the suite at once
 * on one server: nobody's tests see another's tables.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/store/database.js';
import { type Engine, engineOf } from '../../src/store/engine.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Which engine this run of the tests is for (set per project in vitest.config.ts). */
export const testEngine: Engine = process.env.TANDEM_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** A DATABASE_URL for it. */
  url: string;
  engine: Engine;
  /** Drops it (the schema, or the temp folder). */
  drop(): Promise<void>;
}

let admin: pg.Pool | undefined;

function adminPool(): pg.Pool {
  admin ??= new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  return admin;
}

const testDatabaseUrl = () => process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;

/** The URL of a PostgreSQL database with `schema` first on the search path (where Tandem's tables go). */
export function withSchema(url: string, schema: string): string {
  const withOptions = new URL(url);
  // Tests write many small transactions: waiting for each to reach the disk would only slow them.
  // Parallel workers read the catalogue apart from the leader: with other runs' schemas coming and
  // going on the same server, they may meet one already dropped.
  withOptions.searchParams.set('options', `-c search_path=${schema} -c synchronous_commit=off -c max_parallel_workers_per_gather=0`);
  return withOptions.toString();
}

let copyScript: Promise<(schema: string) => string> | undefined;

/**
 * The SQL that copies the migrated template schema into a new one, in one round trip: each table
 * with its columns, defaults, checks, indexes and identity, then its foreign keys, then its rows
 * (the programme's settings and the list of migrations applied).
 */
async function templateCopy(template: string): Promise<(schema: string) => string> {
  const pool = adminPool();
  const tables = (await pool.query<{ name: string }>('select tablename as name from pg_tables where schemaname = $1 order by tablename', [template])).rows.map((r) => r.name);
  const keys = (
    await pool.query<{ table: string; name: string; definition: string }>(
      `select c.relname as table, k.conname as name, pg_get_constraintdef(k.oid) as definition
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and k.contype = 'f' order by c.relname, k.conname`,
      [template],
    )
  ).rows;
  return (schema) => {
    const q = (name: string) => `"${schema}"."${name}"`;
    return [
      `create schema "${schema}"`,
      ...tables.map((t) => `create table ${q(t)} (like "${template}"."${t}" including all)`),
      ...keys.map((k) => `alter table ${q(k.table)} add constraint "${k.name}" ${k.definition.replaceAll(`${template}.`, `"${schema}".`)}`),
      ...tables.map((t) => `insert into ${q(t)} select * from "${template}"."${t}"`),
    ].join(';\n');
  };
}

const drops = new Set<Promise<unknown>>();

/** Waits for the schemas dropped so far (see postgres-setup.ts). */
export async function droppingSchemas(): Promise<void> {
  await Promise.allSettled([...drops]);
}

/**
 * A new database for one test, on this run's engine. On PostgreSQL it is a copy of the template
 * schema the run migrated once (postgres-global-setup.ts), unless `empty`; the caller migrates it
 * anyway (nothing to do then), as it must a SQLite file.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (testEngine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-test-'));
    return {
      url: join(dir, 'tandem.sqlite'),
      engine: 'sqlite',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `tandem_test_${randomBytes(6).toString('hex')}`;
  if (options.empty) {
    await adminPool().query(`create schema "${schema}"`);
  } else {
    copyScript ??= templateCopy(inject('postgresTemplateSchema'));
    await adminPool().query((await copyScript)(schema));
  }
  return {
    url: withSchema(testDatabaseUrl(), schema),
    engine: 'postgres',
    drop: async () => {
      const dropping = adminPool().query(`drop schema if exists "${schema}" cascade`);
      drops.add(dropping);
      void dropping.finally(() => drops.delete(dropping));
    },
  };
}

/**
 * This database's tables. Only its own schema is read: Kysely's introspection reads every schema,
 * and another test's schema dropped meanwhile made it fail now and then.
 */
export async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const query =
    engineOf(db) === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  const { rows } = await query.execute(db);
  return rows.map((row) => row.name).sort();
}

/**
 * Every row of these tables (default: all of Tandem's), as JSON, in an order that does not depend on
 * the engine: to look for a person's traces, or to see that nothing changed.
 */
export async function dumpTables(db: Kysely<Database>, tables?: readonly string[]): Promise<string> {
  const names = tables ?? (await tableNames(db));
  const dump: Record<string, string[]> = {};
  for (const name of names) {
    const rows = await db.selectFrom(name as keyof Database).selectAll().execute();
    dump[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return JSON.stringify(dump);
}
