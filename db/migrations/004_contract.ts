import { type Kysely, sql } from 'kysely';
import { idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every version of a pair's contract. A version is never edited: a change is a new version, and
  // the earlier ones are kept (superseded) so the pair's history can be read back.
  await db.schema
    .createTable('contract')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.notNull().references('pair.id'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('awaiting_signature', 'in_force', 'superseded')`))
    .addColumn('senior_objectives', 'text', (c) => c.notNull()) // JSON array, one objective per item
    .addColumn('junior_objectives', 'text', (c) => c.notNull()) // JSON array
    .addColumn('cadence', 'text', (c) => c.notNull().check(sql`cadence in ('weekly', 'biweekly', 'triweekly', 'monthly')`))
    .addColumn('session_minutes', 'integer', (c) => c.notNull().check(sql`session_minutes in (30, 45, 60, 90)`))
    .addColumn('means', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('in_person', 'video', 'either')`))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('proposed_by', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('in_force_at', 'text')
    .addColumn('superseded_at', 'text')
    // Set when the version comes into force: the first check-in, on the contract's cadence.
    .addColumn('first_checkin_on', 'text')
    .addColumn('first_checkin_at', 'text')
    .execute();
  await db.schema.createIndex('contract_version').on('contract').columns(['pair_id', 'version']).unique().execute();
  // At most one version waits for signatures and at most one is in force, per pair.
  await sql`create unique index contract_awaiting on contract (pair_id) where status = 'awaiting_signature'`.execute(db);
  await sql`create unique index contract_in_force on contract (pair_id) where status = 'in_force'`.execute(db);

  // A partner's signature of one version, with their self-rated starting level on each of their
  // own objectives (JSON array of 1–5, in the order of the objectives), once they rated them.
  await db.schema
    .createTable('contract_signature')
    .addColumn('id', ...idColumn(db))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('start_levels', 'text')
    .addColumn('rated_at', 'text')
    .execute();
  await db.schema.createIndex('contract_signature_once').on('contract_signature').columns(['contract_id', 'participant_id']).unique().execute();

  // The calendar file each partner is sent when a version comes into force. Files go through
  // Slack's upload API, which the outbox does not carry: this row makes the sending idempotent
  // (one file per version and partner) and lets a failed upload be tried again later.
  await db.schema
    .createTable('contract_calendar')
    .addColumn('id', ...idColumn(db))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed', 'superseded')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'text') // whoever uploads holds the row until then, so two processes never both send it
    .addColumn('file_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('contract_calendar_once').on('contract_calendar').columns(['contract_id', 'participant_id']).unique().execute();
  await db.schema.createIndex('contract_calendar_status').on('contract_calendar').columns(['status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('contract_calendar').execute();
  await db.schema.dropTable('contract_signature').execute();
  await db.schema.dropTable('contract').execute();
}
