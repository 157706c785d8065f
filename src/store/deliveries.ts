import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  DummyDriver,
  Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Database } from './database.js';
import { WRAPPED_CONNECTION } from './engine.js';

/**
 * One request from Slack (an event, a command, a click, a form) being handled. Slack delivers a
 * request again when it thinks our answer was lost (X-Slack-Retry-Num, same event id or trigger
 * id): the key is recorded in processed_event, in the same transaction as the request's first
 * effect, so that either both are kept or neither (a crash in between leaves the retry to act).
 */
interface Delivery {
  key: string;
  at: string;
  /** Set once the key is written; later transactions of the same request leave it alone. */
  recorded: boolean;
  /** Set when the request's handling ends: work it scheduled for later is not part of it. */
  done: boolean;
}

const current = new AsyncLocalStorage<Delivery>();

/** A transaction of a request already handled (the same delivery, handled twice at once): rolled back. */
export class DuplicateDelivery extends Error {
  constructor(readonly key: string) {
    super(`The request ${key} was already handled`);
    this.name = 'DuplicateDelivery';
  }
}

/** Keys are cut to what the table holds; Slack's event ids and trigger ids are far shorter. */
const KEY_LENGTH = 100;

export interface DeliveryRules {
  /** Drop the delivery when its key is already recorded (an event seen, or a request Slack retries). */
  dropIfSeen: boolean;
  /** Record the key even when handling changed nothing (events: a retry would only repeat them). */
  keepWithoutEffect: boolean;
}

/**
 * Runs `handle` as the handling of the delivery `key`: the first transaction it commits also
 * records the key (see `recordingDeliveries`). Returns false, without running `handle`, when the
 * key was already recorded and `rules.dropIfSeen`. A request seen before but not dropped (the same
 * click replayed without Slack's retry header) runs as usual: each feature refuses it by the
 * state of its records, with a message the person reads.
 */
export async function handleOnce(db: Kysely<Database>, key: string, at: Date, rules: DeliveryRules, handle: () => Promise<unknown>): Promise<boolean> {
  const delivery: Delivery = { key: key.slice(0, KEY_LENGTH), at: at.toISOString(), recorded: false, done: false };
  const seen = await db.selectFrom('processed_event').select('event_id').where('event_id', '=', delivery.key).executeTakeFirst();
  if (seen && rules.dropIfSeen) return false;
  delivery.recorded = seen !== undefined;
  try {
    await current.run(delivery, handle);
  } finally {
    delivery.done = true;
  }
  if (!delivery.recorded && rules.keepWithoutEffect) {
    await insertKey(db, delivery).execute();
    delivery.recorded = true;
  }
  return true;
}

function insertKey(db: Kysely<Database>, delivery: Delivery) {
  return db
    .insertInto('processed_event')
    .values({ event_id: delivery.key, processed_at: delivery.at })
    .onConflict((oc) => oc.column('event_id').doNothing());
}

/**
 * Wraps a dialect so that each commit made while handling a delivery first writes the delivery's
 * key in the same transaction. Written at the driver, so every feature's transactions carry it
 * without knowing of it, on SQLite and PostgreSQL alike (the insert is compiled by the dialect).
 */
export function recordingDeliveries(dialect: Dialect): Dialect {
  // A Kysely that only compiles, to build the insert with the dialect's own placeholders.
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
  });
  const compile = (delivery: Delivery): CompiledQuery => insertKey(compiler, delivery).compile();
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new RecordingDriver(dialect.createDriver(), compile),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/** A connection that notes whether the current transaction changed any row. */
class WatchedConnection implements DatabaseConnection {
  changed = false;

  constructor(readonly connection: DatabaseConnection) {}

  get [WRAPPED_CONNECTION](): DatabaseConnection {
    return this.connection;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.connection.executeQuery<R>(query);
    if ((result.numAffectedRows ?? 0n) > 0n) this.changed = true;
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}

const inner = (connection: DatabaseConnection) => (connection instanceof WatchedConnection ? connection.connection : connection);

class RecordingDriver implements Driver {
  private readonly watched = new WeakMap<DatabaseConnection, WatchedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly compile: (delivery: Delivery) => CompiledQuery,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let watched = this.watched.get(connection);
    if (!watched) {
      watched = new WatchedConnection(connection);
      this.watched.set(connection, watched);
    }
    return watched;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as WatchedConnection).changed = false;
    return this.inner.beginTransaction(inner(connection), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const delivery = current.getStore();
    // Only a transaction that changed something is the request's effect: a refusal, checked in a transaction, records nothing.
    if (delivery && !delivery.recorded && !delivery.done && (connection as WatchedConnection).changed) {
      const result = await inner(connection).executeQuery(this.compile(delivery));
      // Kysely rolls the transaction back when its commit throws.
      if ((result.numAffectedRows ?? 0n) === 0n) throw new DuplicateDelivery(delivery.key);
      await this.inner.commitTransaction(inner(connection));
      delivery.recorded = true;
      return;
    }
    await this.inner.commitTransaction(inner(connection));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(inner(connection));
    } catch (error) {
      // SQLite rolls back by itself when a write meets a full disk or an I/O error; the rollback
      // asked for then has nothing to undo, and must not hide the fault that caused it.
      if (!/no transaction is active/i.test(error instanceof Error ? error.message : '')) throw error;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint?.(inner(connection), name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.(inner(connection), name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.(inner(connection), name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(inner(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
