import { type Kysely, sql } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/**
 * One row per person who has opened Tandem's Home tab: only their tab is ever published again.
 * A change that concerns them bumps `changes` (in the transaction of the change, whichever process
 * makes it); the bot publishes the tab again while `changes` is ahead of what it last published.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('home_tab')
    .addColumn('slack_user_id', 'text', (c) => c.primaryKey())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    // 1 when the person was a facilitator when they last opened it: the dashboard moves with every change.
    .addColumn('dashboard', 'integer', (c) => c.notNull().defaultTo(0))
    // The page of the dashboard's waiting list they are on (0 = first).
    .addColumn('page', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_changes', 'integer', (c) => c.notNull().defaultTo(0))
    // Not published again before this instant (real time): the dashboard's pace, or a retry's backoff.
    .addColumn('not_before', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index home_tab_stale on home_tab (not_before) where changes > published_changes`.execute(db);
  await sql`create index home_tab_dashboard on home_tab (slack_user_id) where dashboard = 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('home_tab').execute();
}
