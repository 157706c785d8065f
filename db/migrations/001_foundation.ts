import { type Kysely, sql } from 'kysely';
import { idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('participant')
    .addColumn('id', ...idColumn(db))
    .addColumn('slack_user_id', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('junior', 'senior')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('enrolled', 'matched', 'paired', 'paused', 'completed', 'left')`),
    )
    .addColumn('shares', 'text', (c) => c.notNull()) // JSON array of skills
    .addColumn('learns', 'text', (c) => c.notNull()) // JSON array of skills
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('manager_user_id', 'text')
    .addColumn('languages', 'text', (c) => c.notNull()) // JSON array of language codes
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('in_person', 'video', 'either')`))
    .addColumn('cadence', 'text', (c) =>
      c.notNull().check(sql`cadence in ('weekly', 'biweekly', 'triweekly', 'monthly')`),
    )
    .addColumn('motivation', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('left_at', 'text')
    .execute();
  await db.schema.createIndex('participant_status').on('participant').columns(['status', 'role']).execute();

  // One row: the programme's settings, edited by facilitators.
  await db.schema
    .createTable('programme')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('checkin_hour', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('default_cadence', 'text', (c) => c.notNull().defaultTo('biweekly'))
    .addColumn('allow_same_department', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('matching_weights', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('contract_unsigned_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('introduction_unanswered_days', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into programme (id, updated_at) values (1, ${new Date(0).toISOString()})`.execute(db);

  // Slack re-sends an event it thinks was lost; the event id is remembered so it acts once.
  await db.schema
    .createTable('processed_event')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', ...idColumn(db))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_log', 'processed_event', 'programme', 'participant']) {
    await db.schema.dropTable(table).execute();
  }
}
