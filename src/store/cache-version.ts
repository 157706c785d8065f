/**
 * Versions of the lists that processes keep in memory: a process that learns a list went stale
 * bumps its version, and every process compares the version it loaded with the database's at its
 * next request, so a change seen by one instance is used by all.
 */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export type CachedList = 'facilitators';

export async function readCacheVersion(db: Kysely<Database>, name: CachedList): Promise<number> {
  const row = await db.selectFrom('cache_version').select('version').where('name', '=', name).executeTakeFirst();
  return row?.version ?? 0;
}

export async function bumpCacheVersion(db: Kysely<Database>, name: CachedList): Promise<void> {
  await db
    .insertInto('cache_version')
    .values({ name, version: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ version: eb('cache_version.version', '+', 1) })))
    .execute();
}
