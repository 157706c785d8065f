import type { Kysely } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/** Whether the workspace's guests (multi- or single-channel) may enrol: a programme setting, off by default. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('programme').addColumn('allow_guests', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('programme').dropColumn('allow_guests').execute();
}
