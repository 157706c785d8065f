import type { Kysely } from 'kysely';
import { idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one.

export async function up(db: Kysely<unknown>): Promise<void> {
  // When the pair meets, as the partner who wrote the version chose it: a weekday (1 = Monday …
  // 5 = Friday), a time of day "HH:MM" and the zone of that clock. Empty for versions written before
  // the form asked (their sessions keep the early-afternoon moment shared by both partners).
  await db.schema.alterTable('contract').addColumn('session_weekday', 'integer').execute();
  await db.schema.alterTable('contract').addColumn('session_time', 'text').execute();
  await db.schema.alterTable('contract').addColumn('session_zone', 'text').execute();

  // The cancellation each partner who was sent a calendar file receives when the pair ends, once
  // per pair and partner: an iCalendar CANCEL of the same UID with a higher SEQUENCE, uploaded as
  // the calendar files are (leased while sent, tried again after a failure).
  await db.schema
    .createTable('calendar_cancellation')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.notNull().references('pair.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    // The version whose events it removes (the last one sent to this partner), and the SEQUENCE it carries.
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('file_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('calendar_cancellation_once').on('calendar_cancellation').columns(['pair_id', 'participant_id']).unique().execute();
  await db.schema.createIndex('calendar_cancellation_status').on('calendar_cancellation').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_cancellation').execute();
  await db.schema.alterTable('contract').dropColumn('session_zone').execute();
  await db.schema.alterTable('contract').dropColumn('session_time').execute();
  await db.schema.alterTable('contract').dropColumn('session_weekday').execute();
}
