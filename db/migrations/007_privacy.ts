import type { Kysely } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  // When the person's personal data was erased (at their request, or past the retention period):
  // the row stays, under an anonymous id, so that the programme's counts still add up.
  await db.schema.alterTable('participant').addColumn('forgotten_at', 'text').execute();
  // When a closed pair's free text was erased past the retention period; the scheduled pass skips it then.
  await db.schema.alterTable('pair').addColumn('anonymised_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pair').dropColumn('anonymised_at').execute();
  await db.schema.alterTable('participant').dropColumn('forgotten_at').execute();
}
