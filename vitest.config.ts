import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import pg from 'pg';

const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The tests that touch the database: they run once on SQLite and once on PostgreSQL. */
const DATABASE_TESTS = [
  'test/features/**/*.test.ts',
  'test/slack/**/*.test.ts',
  'test/store/**/*.test.ts',
  'test/jobs/**/*.test.ts',
  'test/fleet/**/*.test.ts',
  'test/reliability/**/*.test.ts',
  'test/logs.test.ts',
];
/**
 * Left out on purpose: the sandbox's tests (test/sandbox), since the sandbox always runs on a SQLite
 * file of its own; and the tests of pure code (domain, i18n, config), which open no database.
 */
/** Among those folders, the tests of pure views and of the build, which never open a database. */
const NO_DATABASE = ['test/**/*-views.test.ts', 'test/slack/blocks.test.ts', 'test/features/cli-bin.test.ts'];
/** Tests of one engine's own behaviour (SQLite's file locks, PostgreSQL's lost connections). */
const SQLITE_ONLY = 'test/**/*-sqlite.test.ts';
const POSTGRES_ONLY = 'test/**/*-postgres.test.ts';

async function postgresReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default defineConfig(async () => {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const shared = { testTimeout: 20_000, hookTimeout: 20_000, pool: 'forks' as const };
  const projects: TestProjectInlineConfiguration[] = [
    { test: { ...shared, name: 'sqlite', include: ['test/**/*.test.ts'], exclude: [POSTGRES_ONLY], env: { TANDEM_TEST_ENGINE: 'sqlite' } } },
  ];
  // In CI the PostgreSQL run always happens, and fails if the server is missing; elsewhere a
  // missing server is said once, and those tests are not run (nor counted as passed).
  const unreachable = process.env.CI === 'true' ? null : await postgresReachable(url);
  if (unreachable === null) {
    projects.push({
      test: {
        ...shared,
        name: 'postgres',
        include: DATABASE_TESTS,
        exclude: [...NO_DATABASE, SQLITE_ONLY],
        env: { TANDEM_TEST_ENGINE: 'postgres', TEST_DATABASE_URL: url },
        globalSetup: ['test/support/postgres-global-setup.ts'],
        setupFiles: ['test/support/postgres-setup.ts'],
      },
    });
  } else {
    process.stderr.write(
      `\nPostgreSQL tests NOT RUN: no server at ${url.replace(/:[^:@/]*@/, ':***@')} (${unreachable}).\n` +
        'Only SQLite was tested. To test PostgreSQL too, start a PostgreSQL server with a "test" database (or set TEST_DATABASE_URL).\n\n',
    );
  }
  // Vitest's default on a 2-core machine is one worker; most of a database test's time is spent
  // waiting on sockets and the other engine, so three forks keep both cores busy.
  return { test: { projects, maxWorkers: 3 } };
});
