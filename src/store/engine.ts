/**
 * Everything that differs between SQLite and PostgreSQL, in one place: which engine a
 * DATABASE_URL names, how each one is opened (and waits for a lock, or for a lost server), and the
 * few SQL forms the two spell differently. Features and repositories never ask which engine runs;
 * they call these helpers, and the schema keeps one shape on both (booleans are integers 0/1,
 * instants ISO-8601 text, JSON text).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresDialect,
  type QueryExecutor,
  type QueryResult,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
  SqliteDialect,
  type SqliteDialectConfig,
  type Transaction,
  TransactionBuilder,
  type TransactionSettings,
} from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** A database, a transaction or a connection of it, of any schema. */
export interface AnyDb {
  getExecutor(): QueryExecutor;
}

export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/** A DATABASE_URL that names no database Tandem can open; the message says how to write it. */
export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

/**
 * `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:<path>` or a plain file path is SQLite.
 * Any other scheme is refused rather than taken for a file name.
 */
export function parseDatabaseUrl(raw: string): DatabaseLocation {
  const value = raw.trim();
  if (value === '') throw new DatabaseUrlError('is empty: give a SQLite file path such as ./db/tandem.sqlite, or postgres://user:password@host:5432/database');
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(value)?.[1]?.toLowerCase();
  if (scheme && POSTGRES_SCHEMES.includes(scheme)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new DatabaseUrlError('is not a valid PostgreSQL URL: write it as postgres://user:password@host:5432/database (percent-encode any @, : or / in the password)');
    }
    if (!url.hostname) throw new DatabaseUrlError(`names no server: write it as postgres://user:password@host:5432/database`);
    if (url.port !== '' && !(Number(url.port) > 0 && Number(url.port) < 65536)) throw new DatabaseUrlError(`has an invalid port "${url.port}"`);
    return { engine: 'postgres', url: value };
  }
  if (scheme === 'sqlite:') {
    // sqlite:./db/tandem.sqlite, sqlite:/var/lib/tandem.sqlite or sqlite:///var/lib/tandem.sqlite
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === '//') throw new DatabaseUrlError('names no file: write it as sqlite:./db/tandem.sqlite or a plain path');
    return { engine: 'sqlite', path };
  }
  // A Windows drive (C:\…) is a path; "mysql://…" or "postgre://…" is a mistake, not a file name.
  if (scheme && value.slice(scheme.length).startsWith('//')) {
    throw new DatabaseUrlError(`uses "${scheme.slice(0, -1)}", which Tandem does not speak: use postgres://… for PostgreSQL, or a file path for SQLite`);
  }
  return { engine: 'sqlite', path: value };
}

/** The URL as it may be shown in a log or a message: never the password. */
export function describeLocation(location: DatabaseLocation): string {
  if (location.engine === 'sqlite') return location.path;
  const url = new URL(location.url);
  if (url.password) url.password = '***';
  url.search = '';
  return `PostgreSQL ${url.toString()}`;
}

export interface OpenedDatabase<DB> {
  engine: Engine;
  db: Kysely<DB>;
  /** Where the database is, without its password. */
  description: string;
  /** Called with a problem when the database stops answering, and with null once it answers again. */
  onHealth(listener: (problem: string | null) => void): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Connections kept to a PostgreSQL server (tests keep few). */
  poolSize?: number;
  /** How long a PostgreSQL connection that cannot be had is tried again (default 10 s; the doctor does not wait). */
  connectRetryMs?: number;
}

export function engineOf(db: AnyDb): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Opens the database a location names (SQLite is created with its folder if missing; PostgreSQL is reached lazily). */
export function openDialect(
  location: DatabaseLocation,
  options: OpenOptions = {},
): { engine: Engine; dialect: Dialect; description: string; health: Health; sqlite?: SQLite.Database } {
  const health = new Health();
  if (location.engine === 'sqlite') {
    const { dialect, sqlite } = sqliteDialect(location.path);
    return { engine: 'sqlite', dialect, sqlite, description: describeLocation(location), health };
  }
  return { engine: 'postgres', dialect: postgresDialect(location.url, options, health), description: describeLocation(location), health };
}

/** Who is told when the database stops or starts answering. */
export class Health {
  private readonly listeners: ((problem: string | null) => void)[] = [];
  private problem: string | null = null;

  on(listener: (problem: string | null) => void): void {
    this.listeners.push(listener);
    if (this.problem) listener(this.problem);
  }

  report(problem: string | null): void {
    if (problem === this.problem) return;
    this.problem = problem;
    for (const listener of this.listeners) listener(problem);
  }
}

// --- SQLite -----------------------------------------------------------------------------------

/**
 * How long SQLite itself may wait for another process's write lock, blocking the thread: a few
 * milliseconds at most. Longer waits happen between timers (below), so requests keep being acked.
 */
const SQLITE_BUSY_WAIT_MS = 2;
/** Then the statement is tried again after a pause that grows to this, for this long in all. */
const SQLITE_RETRY_MAX_PAUSE_MS = 25;
// Past 1 s the write fails as a storage fault, so that a person still hears "try again" within
// Slack's 3 s; the event loop meanwhile runs on.
const SQLITE_RETRY_TOTAL_MS = 1_000;

const STATEMENT_CACHE_SIZE = 500;

function sqliteDialect(path: string): { dialect: Dialect; sqlite: SQLite.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_WAIT_MS}`);
  sqlite.pragma('synchronous = NORMAL');
  const base = new SqliteDialect({ database: withStatementCache(sqlite) });
  const dialect: Dialect = {
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
    createDriver: () => new PatientSqliteDriver(base.createDriver(), sqlite),
  };
  return { dialect, sqlite };
}

/**
 * Kysely prepares every query anew; preparing is a good part of a simple lookup's cost, so the
 * prepared statements are kept by their SQL text (the queries are few shapes with parameters).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * PostgreSQL's text cannot hold the character U+0000 (it refuses the whole statement), so no
 * engine stores it: it is dropped from every text parameter. Nothing a person means is lost: Slack
 * never sends it in what people type, only a forged request would.
 */
function withoutNul(query: CompiledQuery): CompiledQuery {
  if (!query.parameters.some((p) => typeof p === 'string' && p.includes('\u0000'))) return query;
  return { ...query, parameters: query.parameters.map((p) => (typeof p === 'string' ? p.replaceAll('\u0000', '') : p)) };
}

const isBusy = (error: unknown): boolean => typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SQLite's driver, waiting for another process's write lock between timers instead of inside
 * SQLite (which would freeze the event loop, and every request with it, for as long as it waits).
 * Transactions take the write lock as they begin (`begin immediate`): one that read first could not
 * write once another process had committed in between, and would fail instead of waiting its turn.
 * A statement is tried again only where a refusal changed nothing: outside a transaction, or the
 * transaction's own begin and commit.
 */
class PatientSqliteDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly sqlite: SQLite.Database,
  ) {}

  init = () => this.inner.init();
  destroy = () => this.inner.destroy();
  releaseConnection = (connection: DatabaseConnection) => this.inner.releaseConnection(connection);

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    return {
      executeQuery: <R>(query: CompiledQuery) => this.patiently(() => connection.executeQuery<R>(withoutNul(query)), query.sql),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
    };
  }

  beginTransaction = (connection: DatabaseConnection, _settings: TransactionSettings) => connection.executeQuery(CompiledQuery.raw('begin immediate')).then(() => undefined);
  commitTransaction = async (connection: DatabaseConnection) => {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    committed(connection);
  };
  rollbackTransaction = async (connection: DatabaseConnection) => {
    afterCommits.delete(connection);
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  };
  savepoint: Driver['savepoint'] = (connection, name, compile) => this.inner.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) => this.inner.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) => this.inner.releaseSavepoint!(connection, name, compile);

  private async patiently<R>(run: () => Promise<QueryResult<R>>, text: string): Promise<QueryResult<R>> {
    const deadline = Date.now() + SQLITE_RETRY_TOTAL_MS;
    for (let wait = 1; ; wait = Math.min(wait * 2, SQLITE_RETRY_MAX_PAUSE_MS)) {
      try {
        return await run();
      } catch (error) {
        const retriable = text === 'begin immediate' || text === 'commit' || !this.sqlite.inTransaction;
        if (!isBusy(error) || !retriable || Date.now() + wait > deadline) throw error;
        await pause(wait);
      }
    }
  }
}

// --- PostgreSQL -------------------------------------------------------------------------------

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** Counts and sums come back as JavaScript numbers, as SQLite gives them (Tandem's counts are far below 2^53). */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_INT8 || oid === PG_NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A lost or unreachable server is waited for this long (connection by connection) before a request fails. */
const PG_CONNECT_RETRY_TOTAL_MS = 10_000;

function postgresDialect(url: string, options: OpenOptions, health: Health): Dialect {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: pgTypes, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle connection the server drops is discarded by the pool; without a listener, Node would
  // treat the event as an uncaught error and stop the process.
  pool.on('error', (error) => health.report(describeDatabaseError(error)));
  // The same for a connection lost while in use: the query under way fails (and is retried or
  // reported by its caller); the event itself must not stop the process.
  pool.on('connect', (client) => client.on('error', (error) => health.report(describeDatabaseError(error))));
  const base = new PostgresDialect({ pool, onCreateConnection: plannerCosts });
  return {
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db) => base.createIntrospector(db),
    createQueryCompiler: () => base.createQueryCompiler(),
    createDriver: () => new PatientPostgresDriver(base.createDriver(), health, options.connectRetryMs ?? PG_CONNECT_RETRY_TOTAL_MS),
  };
}

/**
 * PostgreSQL's planner assumes by default that reading a page at random costs four sequential reads,
 * a figure for spinning disks. Tandem reads by key, a page of ids at a time, from tables that fit in
 * memory: with that default, the planner scans whole tables where its indexes answer several times
 * faster (the stall pass reads 3 to 6 times faster at 1.1). So each of Tandem's connections uses 1.1,
 * the value PostgreSQL's documentation suggests for solid-state storage, unless the operator set
 * their own (server, database, role or connection string): a value other than the default is kept.
 */
async function plannerCosts(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(
    CompiledQuery.raw("select set_config('random_page_cost', '1.1', false) where current_setting('random_page_cost') = '4'"),
  );
}

/** Errors that mean the server could not be reached or dropped the connection, not that the SQL failed. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
    // Class 08 (connection exception), 57P01–57P03 (the server shuts down or is starting).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/**
 * PostgreSQL's driver, waiting for the server when a connection cannot be had (it restarts, or
 * the network blinks): taking a connection is tried again, a statement run outside a transaction on
 * a connection that was lost is tried again on a new one. A transaction whose connection is lost is
 * not: the server has rolled it back whole, and the request fails with nothing half-applied.
 */
class PatientPostgresDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly health: Health,
    private readonly retryMs: number,
  ) {}

  init = () => this.inner.init();
  destroy = () => this.inner.destroy();
  releaseConnection = (connection: DatabaseConnection) => this.inner.releaseConnection(engineConnection(connection));
  beginTransaction: Driver['beginTransaction'] = (connection, settings) => this.inner.beginTransaction(engineConnection(connection), settings);
  commitTransaction: Driver['commitTransaction'] = async (connection) => {
    await this.inner.commitTransaction(engineConnection(connection));
    committed(engineConnection(connection));
  };
  rollbackTransaction: Driver['rollbackTransaction'] = (connection) => {
    afterCommits.delete(engineConnection(connection));
    return this.inner.rollbackTransaction(engineConnection(connection));
  };
  savepoint: Driver['savepoint'] = (connection, name, compile) => this.inner.savepoint!(engineConnection(connection), name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) => this.inner.rollbackToSavepoint!(engineConnection(connection), name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) => this.inner.releaseSavepoint!(engineConnection(connection), name, compile);

  async acquireConnection(): Promise<DatabaseConnection> {
    const deadline = Date.now() + this.retryMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 1_000)) {
      try {
        const connection = await this.inner.acquireConnection();
        this.health.report(null);
        return {
          executeQuery: <R>(query: CompiledQuery) => connection.executeQuery<R>(withoutNul(query)),
          streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(withoutNul(query), chunkSize),
          [WRAPPED_CONNECTION]: connection,
        } as DatabaseConnection;
      } catch (error) {
        if (!isConnectionError(error)) {
          this.health.report(describeDatabaseError(error));
          throw error;
        }
        this.health.report(describeDatabaseError(error));
        if (Date.now() + wait > deadline) throw error;
        await pause(wait);
      }
    }
  }
}

/** What a person can do about a database error: the sentence `/readyz`, the log and the doctor show. */
export function describeDatabaseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'the PostgreSQL server refuses connections (is it running, and on this host and port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the PostgreSQL server\'s host name is not known: check the host in DATABASE_URL';
    case 'ETIMEDOUT':
      return 'the PostgreSQL server does not answer: check the host, the port and the firewall';
    case '28P01':
    case '28000':
      return `PostgreSQL refused the user or the password (${message}): check them in DATABASE_URL`;
    case '3D000':
      return `the database does not exist (${message}): create it (createdb) or fix its name in DATABASE_URL`;
    case '57P03':
      return 'the PostgreSQL server is starting up: Tandem waits for it';
    default:
      return isConnectionError(error) ? `the connection to PostgreSQL was lost (${message})` : message;
  }
}

// --- Transactions that hold on both engines ---------------------------------------------------

/** PostgreSQL's refusals that mean "try the whole transaction again": a serialization failure, a deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
const TRANSACTION_ATTEMPTS = 20;

/**
 * The database with every `transaction()` made to hold as SQLite's do: serializable on PostgreSQL
 * (a transaction that read something another changed meanwhile is refused), and run again from the
 * start when PostgreSQL refuses it that way or loses its connection before the commit (the server
 * rolled it back whole: nothing was half-applied). On SQLite `begin immediate` already makes
 * writers take turns, and nothing is retried.
 */
export function withPatientTransactions<DB>(db: Kysely<DB>): Kysely<DB> {
  if (engineOf(db) !== 'postgres') return db;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'transaction') return () => patientBuilder(target.transaction().setIsolationLevel('serializable'));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function patientBuilder<DB>(builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, property) {
      if (property === 'execute') {
        return async <T>(body: (trx: Transaction<DB>) => Promise<T>): Promise<T> => {
          const deadline = Date.now() + PG_CONNECT_RETRY_TOTAL_MS;
          for (let attempt = 1; ; attempt += 1) {
            let fromBody = false;
            try {
              return await target.execute(async (trx) => {
                try {
                  return await body(trx);
                } catch (error) {
                  fromBody = true;
                  throw error;
                }
              });
            } catch (error) {
              const code = (error as { code?: unknown }).code;
              const again =
                (typeof code === 'string' && RETRY_CODES.has(code) && attempt < TRANSACTION_ATTEMPTS) ||
                // A commit that lost its connection may have landed: only a loss before it is retried.
                (fromBody && isConnectionError(error) && Date.now() < deadline);
              if (!again) throw error;
              await pause(Math.random() * Math.min(100, 5 * attempt));
            }
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // setIsolationLevel and setAccessMode return a new builder: it stays patient.
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof TransactionBuilder ? patientBuilder(result as TransactionBuilder<DB>) : result;
      };
    },
  });
}

// --- After a commit ---------------------------------------------------------------------------

/** What runs once the transaction open on a connection commits (forgotten if it rolls back). */
const afterCommits = new WeakMap<DatabaseConnection, (() => void)[]>();

/**
 * A connection that wraps another (a driver layered over the engine's, as the record of requests
 * is) names the one it wraps here, so that the callbacks are kept where the engine's driver commits.
 */
export const WRAPPED_CONNECTION: unique symbol = Symbol('wrapped connection');

function engineConnection(connection: DatabaseConnection): DatabaseConnection {
  let current = connection as DatabaseConnection & { [WRAPPED_CONNECTION]?: DatabaseConnection };
  while (current[WRAPPED_CONNECTION]) current = current[WRAPPED_CONNECTION];
  return current;
}

function committed(connection: DatabaseConnection): void {
  const callbacks = afterCommits.get(connection);
  afterCommits.delete(connection);
  for (const callback of callbacks ?? []) callback();
}

/**
 * Runs `callback` once what `db` wrote is visible to every connection: at once outside a
 * transaction, after the commit inside one (never if it rolls back). A loop woken to deliver a
 * message queued in a transaction must not look before the commit: on PostgreSQL it reads through
 * another connection, and would find nothing.
 */
export async function afterCommit(db: AnyDb & { readonly isTransaction: boolean }, callback: () => void): Promise<void> {
  if (!db.isTransaction) {
    callback();
    return;
  }
  await db.getExecutor().provideConnection(async (provided) => {
    const connection = engineConnection(provided);
    const callbacks = afterCommits.get(connection) ?? [];
    callbacks.push(callback);
    afterCommits.set(connection, callbacks);
  });
}

// --- SQL that the engines spell differently ----------------------------------------------------

/** The primary key column `id`: SQLite's integer primary key, PostgreSQL's identity column. */
export function idColumn(db: AnyDb): [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return engineOf(db) === 'postgres' ? ['integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()] : ['integer', (c) => c.primaryKey().autoIncrement()];
}

/** A floating-point column: SQLite's `real` is 8 bytes, PostgreSQL's only 4. */
export function floatType(db: AnyDb): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'double precision' : 'real';
}

/** The larger of two values (SQLite's scalar max, PostgreSQL's greatest). */
export function greatest<T>(db: AnyDb, a: unknown, b: unknown): RawBuilder<T> {
  return engineOf(db) === 'postgres' ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/** `like`, but ignoring case on both engines (SQLite's like already does for ASCII; PostgreSQL's does not). */
export function likeIgnoringCase(db: AnyDb): 'like' | 'ilike' {
  return engineOf(db) === 'postgres' ? 'ilike' : 'like';
}

/**
 * ` indexed by <index>` after a table in raw SQL: SQLite's planner guesses from statistics that a
 * large programme's tables may not have yet; PostgreSQL plans from its own statistics.
 */
export function indexedBy(db: AnyDb, index: string): RawBuilder<unknown> {
  return engineOf(db) === 'postgres' ? sql`` : sql.raw(` indexed by ${index}`);
}

/** An inner join that keeps the tables in the written order on SQLite (its `cross join`); a plain join on PostgreSQL. */
export function orderedJoin(db: AnyDb): RawBuilder<unknown> {
  return sql.raw(engineOf(db) === 'postgres' ? 'join' : 'cross join');
}

/** The ISO-8601 instant `hours` before midnight UTC of a date column (text 'YYYY-MM-DD'). */
export function instantBeforeDate(db: AnyDb, column: string, hours: number): RawBuilder<string> {
  const ref = sql.ref(column);
  if (engineOf(db) === 'postgres') {
    return sql<string>`to_char(cast(${ref} as date) - make_interval(hours => ${sql.lit(hours)}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${ref}, ${sql.lit(`-${hours} hours`)})`;
}

/**
 * For the subquery that picks a row to claim (`update … where id = (select … limit 1)`): on
 * PostgreSQL it locks the row it picks and skips rows another process is claiming, so two never
 * take the same one; SQLite's writers already take turns.
 */
export function claimingRows(db: AnyDb) {
  return <QB extends SelectQueryBuilder<any, any, any>>(qb: QB): QB => (engineOf(db) === 'postgres' ? (qb.forUpdate().skipLocked() as QB) : qb);
}

/** A parameter with its type spelt out, for a `values` list (PostgreSQL cannot guess it there). */
export function typed(value: string | number | null, type: 'integer' | 'text'): RawBuilder<unknown> {
  return sql`cast(${value} as ${sql.raw(type)})`;
}

/**
 * Runs `task` while holding a lock named `name` across every process on the database (its schema):
 * PostgreSQL's session advisory lock, on a connection held for the purpose. On SQLite, whose
 * writers take turns already, the task runs in one `begin immediate` transaction, which waits for
 * (and then holds off) every other process's writes.
 */
export async function withAdvisoryLock<DB, T>(db: Kysely<DB>, name: string, task: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (engineOf(db) !== 'postgres') {
    // By hand rather than db.transaction(): the task runs its own statements on the connection (migrations use savepoints).
    return db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await task(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        // SQLite may have rolled back already (a full disk): the task's error is the one to see.
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw error;
      }
    });
  }
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(current_schema() || ${`:${name}`}))`.execute(connection);
    try {
      return await task(connection);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(current_schema() || ${`:${name}`}))`.execute(connection);
    }
  });
}
