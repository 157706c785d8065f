import { type Kysely, sql } from 'kysely';
import { idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  // A pair (or, for a concern from someone without a pair, a person) brought to the facilitators.
  // One open escalation per pair or person at most (partial unique indexes): new reasons update it.
  await db.schema
    .createTable('escalation')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.references('pair.id'))
    .addColumn('participant_id', 'integer', (c) => c.references('participant.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text')
    .addColumn('assigned_at', 'text')
    .addColumn('reraised_at', 'text') // raised again once, when nobody took it in time
    .addColumn('nudged_on', 'text') // the date (facilitators' zone) of the last nudge: one a day
    .addColumn('nudged_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('resolved', 'pair_ended')`))
    .addColumn('resolution', 'text') // the note, or why the pair was ended: facilitators only
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)) // every change increments it
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('escalation_subject', sql`(pair_id is null) <> (participant_id is null)`)
    .execute();
  await sql`create unique index escalation_open_pair on escalation (pair_id) where status = 'open' and pair_id is not null`.execute(db);
  await sql`create unique index escalation_open_person on escalation (participant_id) where status = 'open' and participant_id is not null`.execute(db);
  await sql`create index escalation_open on escalation (opened_at) where status = 'open'`.execute(db);

  // Why: one row per reason, keyed as the stall rules key them. A reason is raised once per pair
  // (or person) whatever the number of passes, and a resolved one does not come back.
  await db.schema
    .createTable('escalation_reason')
    .addColumn('id', ...idColumn(db))
    .addColumn('escalation_id', 'integer', (c) => c.notNull().references('escalation.id'))
    .addColumn('subject', 'text', (c) => c.notNull()) // 'pair:<id>' or 'participant:<id>'
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull()) // JSON, no free text
    .addColumn('raised_by', 'integer', (c) => c.references('participant.id')) // who confided it
    .addColumn('note', 'text') // a concern's or a check-in's private text: facilitators only
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalation_reason_once').on('escalation_reason').columns(['subject', 'key']).unique().execute();
  await db.schema.createIndex('escalation_reason_of').on('escalation_reason').columns(['escalation_id']).execute();

  // When the stall rules next look at each pair: once per local day, so the scheduled pass reads
  // the few pairs whose day has turned, never the whole programme. Null once the pair is closed.
  await db.schema
    .createTable('stall_check')
    .addColumn('pair_id', 'integer', (c) => c.primaryKey().references('pair.id'))
    .addColumn('next_check_at', 'text')
    .addColumn('checked_at', 'text')
    .execute();
  await sql`create index stall_check_due on stall_check (next_check_at, pair_id) where next_check_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['stall_check', 'escalation_reason', 'escalation']) {
    await db.schema.dropTable(table).execute();
  }
}
