import type { Kysely } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/**
 * What several instances on one database must agree on, held by the database rather than by each
 * process's memory: Slack's pace, who is publishing a Home tab, and when an in-memory list is stale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Slack's pace for the whole fleet: a lane (a channel's posts, the workspace, a method paused by a
  // 429, the Home tab publishes) is free again at next_at (real time, ISO-8601). A process claims it
  // with a compare-and-set update, so two instances never both take the same second of a channel.
  await db.schema
    .createTable('slack_pace')
    .addColumn('lane', 'text', (c) => c.primaryKey())
    .addColumn('next_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slack_pace_next').on('slack_pace').column('next_at').execute();

  // One instance publishes a given Home tab at a time, so an older state never lands after a newer one.
  await db.schema.alterTable('home_tab').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('home_tab').addColumn('lease_until', 'text').execute();

  // Lists a process keeps in memory (the facilitators' channel members): a change seen by one
  // instance bumps the version, and every instance drops its copy at its next request.
  await db.schema
    .createTable('cache_version')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cache_version').execute();
  await db.schema.alterTable('home_tab').dropColumn('lease_until').execute();
  await db.schema.alterTable('home_tab').dropColumn('lease_owner').execute();
  await db.schema.dropTable('slack_pace').execute();
}
