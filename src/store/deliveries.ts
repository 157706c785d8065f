import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  DummyDriver,
  Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import type { Database } from './database.js';

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
  dropIfSeen: boolean;
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
  const delivery: Delivery = { key: key.slice(0, KEY_LENGTH), at: at.toISOString(), recorded: false, done: false, dropIfSeen: rules.dropIfSeen };
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
 * Wraps a dialect so that the first transaction committed while handling a delivery writes the
 * delivery's key too (as it begins). Written at the driver, so every feature's transactions carry it
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

/** The delivery whose key the transaction open on a connection wrote, recorded once it commits. */
const pendingKeys = new WeakMap<DatabaseConnection, Delivery>();

class RecordingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly compile: (delivery: Delivery) => CompiledQuery,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }

  /**
   * The key is written as the transaction begins: a copy of the request handled at the same moment
   * on another connection (PostgreSQL runs them side by side) waits there for this one to commit,
   * then finds the key and acts on what this one left, as it would on SQLite, whose transactions
   * take turns. An event's copy is dropped then; a click's copy runs, and its feature refuses it by
   * the state of its records, with a message the person reads.
   */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    const delivery = current.getStore();
    if (!delivery || delivery.recorded || delivery.done) return;
    try {
      const result = await connection.executeQuery(this.compile(delivery));
      if ((result.numAffectedRows ?? 0n) > 0n) {
        pendingKeys.set(connection, delivery);
        return;
      }
    } catch (error) {
      // Kysely rolls back only a transaction whose begin succeeded.
      await this.inner.rollbackTransaction(connection);
      throw error;
    }
    if (delivery.dropIfSeen) {
      await this.inner.rollbackTransaction(connection);
      throw new DuplicateDelivery(delivery.key);
    }
    delivery.recorded = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.inner.commitTransaction(connection);
    const delivery = pendingKeys.get(connection);
    pendingKeys.delete(connection);
    if (delivery) delivery.recorded = true;
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    pendingKeys.delete(connection);
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.savepoint?.(connection, name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.rollbackToSavepoint?.(connection, name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await this.inner.releaseSavepoint?.(connection, name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
