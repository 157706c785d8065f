import { type Kysely, sql } from 'kysely';
import { idColumn, floatType } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('matching_run')
    .addColumn('id', ...idColumn(db))
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('juniors', 'integer', (c) => c.notNull())
    .addColumn('seniors', 'integer', (c) => c.notNull())
    .addColumn('proposals', 'integer', (c) => c.notNull())
    .addColumn('unmatched', 'integer', (c) => c.notNull())
    .addColumn('total_score', floatType(db), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pair')
    .addColumn('id', ...idColumn(db))
    .addColumn('junior_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('senior_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('proposed', 'introduced', 'accepted', 'active', 'completed', 'ended', 'rejected', 'declined', 'withdrawn')`),
    )
    .addColumn('score', floatType(db), (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull()) // JSON array of matching reasons
    .addColumn('run_id', 'integer', (c) => c.references('matching_run.id'))
    .addColumn('batch', 'integer') // which proposals message of the run shows it
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('junior_answer', 'text', (c) => c.check(sql`junior_answer in ('accepted', 'declined')`))
    .addColumn('senior_answer', 'text', (c) => c.check(sql`senior_answer in ('accepted', 'declined')`))
    .addColumn('introduced_at', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A pair is never proposed twice; a withdrawn proposal (someone left before it was decided) does not count.
  await sql`create unique index pair_once on pair (junior_id, senior_id) where status != 'withdrawn'`.execute(db);
  await db.schema.createIndex('pair_status').on('pair').columns(['status']).execute();
  await db.schema.createIndex('pair_run').on('pair').columns(['run_id', 'batch']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pair').execute();
  await db.schema.dropTable('matching_run').execute();
}
