/**
 * The database as `/readyz` and the start-up see it: a server that is down, refuses the password
 * or names no such database makes the instance not ready (with what to do), and the start waits for
 * it rather than giving up; a database migrated by a newer Tandem keeps it not ready for good.
 */
import type { Logger } from '@slack/bolt';
import type { Readiness } from '../health.js';
import { migrate, NewerDatabaseError, type Store } from './database.js';
import { describeDatabaseError, isConnectionError } from './engine.js';

/** The name of the cause of "not ready" that this module sets and clears. */
export const DATABASE_CAUSE = 'database';

/** Errors of reaching the database, which may end by themselves (or once an administrator acts). */
const UNAVAILABLE_CODES = new Set(['28P01', '28000', '3D000', '57P03', '53300']);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return isConnectionError(error) || (typeof code === 'string' && UNAVAILABLE_CODES.has(code));
}

/** `/readyz` answers 503 while the store reports that its database does not answer. */
export function watchDatabase(store: Store, readiness: Readiness): void {
  store.onHealth((problem) => (problem ? readiness.set(DATABASE_CAUSE, { database: problem }) : readiness.clear(DATABASE_CAUSE)));
}

export interface MigrateOptions {
  /** How long to wait between two attempts while the database cannot be reached. */
  retryMs?: number;
  signal?: AbortSignal;
}

/**
 * Migrates as soon as the database can be reached, saying once per change of problem what is
 * wrong; true once migrated, false for a database migrated by a newer Tandem (or when stopped).
 * A migration that fails for another reason is thrown: the start stops on it.
 */
export async function migrateWhenReachable(store: Store, readiness: Readiness, logger: Logger, options: MigrateOptions = {}): Promise<boolean> {
  const retryMs = options.retryMs ?? 5_000;
  let told: string | undefined;
  while (!options.signal?.aborted) {
    let error: unknown;
    try {
      const outcome = await migrate(store.db);
      if (outcome.applied.length > 0) logger.info(`Database migrated: ${outcome.applied.join(', ')}`);
      error = outcome.error;
    } catch (thrown) {
      error = thrown;
    }
    if (error === undefined) {
      readiness.clear(DATABASE_CAUSE);
      if (told) logger.info(`${store.description} answers again: Tandem is ready.`);
      return true;
    }
    if (error instanceof NewerDatabaseError) {
      readiness.set(DATABASE_CAUSE, { database: error.message });
      logger.error(`Tandem cannot use ${store.description}: ${error.message}.`);
      return false;
    }
    // A migration that failed because the database went away is waited for like any other absence.
    if (error instanceof Error && error.cause != null && isUnavailable(error.cause)) error = error.cause;
    if (!isUnavailable(error)) throw error;
    const problem = describeDatabaseError(error);
    readiness.set(DATABASE_CAUSE, { database: problem });
    if (problem !== told) logger.error(`Tandem cannot use ${store.description}: ${problem}. It tries again every ${Math.round(retryMs / 1000)} s; /readyz answers 503 meanwhile.`);
    told = problem;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return false;
}
