import type { Kysely } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/**
 * Which summary to the facilitators told of a message given up (its outbox key), so that a long
 * outage ends in one notice listing every loss rather than one notice per lost message.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('lost_notice', 'text').execute();
  await db.schema.createIndex('outbox_lost_notice').on('outbox').column('lost_notice').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_lost_notice').execute();
  await db.schema.alterTable('outbox').dropColumn('lost_notice').execute();
}
