import { type Kysely, sql } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The scheduled pruning of delivered and given-up messages (src/store/housekeeping.ts) looks them
  // up by status and by the day they were sent (or queued, for one never sent): with this index it
  // reads only the rows it erases or deletes, not the whole outbox, however many years it holds.
  await db.schema
    .createIndex('outbox_prune')
    .on('outbox')
    .columns(['status'])
    .expression(sql`coalesce(sent_at, created_at)`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_prune').execute();
}
