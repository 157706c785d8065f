import type { Logger } from '@slack/bolt';
import type { Kysely } from 'kysely';
import type { Readiness } from '../health.js';
import type { Database } from './database.js';

/**
 * Faults of the storage rather than of the request: the file is read-only, the disk is full,
 * another process holds the write lock past our patience, the disk fails. SQLite reports them
 * with these codes (extended codes start with them); PostgreSQL with these SQLSTATEs.
 */
const SQLITE_FAULTS = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_NOLFS'];
/** disk_full, out of memory, too many connections, read-only transaction, lock not available, admin shutdown, cannot connect now, connection exceptions (08…). */
const POSTGRES_FAULTS = /^(53100|53200|53300|25006|55P03|57P0[1-3]|08\w{3})$/;

/** The fault's code, when `error` is a storage fault; undefined for any other error. */
export function storageFault(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (SQLITE_FAULTS.some((fault) => code === fault || code.startsWith(`${fault}_`))) return code;
  return POSTGRES_FAULTS.test(code) ? code : undefined;
}

const PROBE_KEY = 'probe:storage';

/**
 * Watches the storage once a fault was seen: `/readyz` says 503 (cause 'storage') until a probe
 * write succeeds again, tried every `probeMs`; then the bot is ready again by itself.
 */
export class StorageWatch {
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly readiness: Readiness,
    private readonly logger: Logger,
    // Each probe may wait out the lock (1 s, synchronously, on SQLite): not too often.
    private readonly probeMs = 5000,
  ) {}

  /** Tells the watch of an error; true when it was a storage fault (the caller then says "try again"). */
  report(error: unknown): boolean {
    const code = storageFault(error);
    if (code === undefined) return false;
    if (!this.readiness.has('storage')) this.logger.warn(`The database cannot be written (${code}); requests are answered "try again" until it can`);
    this.readiness.set('storage', { storage: code });
    if (!this.timer) {
      this.timer = setInterval(() => void this.probe(), this.probeMs);
      this.timer.unref();
    }
    return true;
  }

  /** A write that changes nothing in the end, but needs the lock, the file and room on the disk. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('processed_event').values({ event_id: PROBE_KEY, processed_at: new Date().toISOString() }).onConflict((oc) => oc.column('event_id').doNothing()).execute();
        await trx.deleteFrom('processed_event').where('event_id', '=', PROBE_KEY).execute();
      });
      this.stop();
      this.readiness.clear('storage');
      this.logger.warn('The database can be written again');
    } catch (error) {
      // Another fault: still not ready. Anything else (the database closed): the watch ends.
      if (storageFault(error) === undefined) this.stop();
    } finally {
      this.probing = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
