import type { Migration } from 'kysely';
import * as foundation from './001_foundation.js';

/** Every migration, in order, listed by hand so they run the same from source and from compiled code. */
export const migrations: Record<string, Migration> = {
  '001_foundation': foundation,
};
