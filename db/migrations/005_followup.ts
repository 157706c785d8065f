import { type Kysely, sql } from 'kysely';
import { engineOf, idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per pair whose contract is in force: what it is asked next, and whether it is paused.
  // The scheduled pass reads only the rows due by the next day (index below), never every pair.
  await db.schema
    .createTable('followup')
    .addColumn('pair_id', 'integer', (c) => c.primaryKey().references('pair.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('last_due_on', 'text') // no prompt is asked for a date up to this one (the last sent, or the end of a pause)
    .addColumn('next_due_on', 'text') // null once the closing survey has gone out
    .addColumn('next_kind', 'text', (c) => c.check(sql`next_kind in ('checkin', 'closing')`))
    // The instant that prompt is due (ISO, UTC): what the pass looks up. Recomputed when it comes;
    // a change of the check-in hour moves every one back to the earliest the date could be due.
    .addColumn('next_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('paused_until', 'text') // a date; null with paused_at set: until resumed
    .addColumn('paused_by', 'integer', (c) => c.references('participant.id'))
    // The pauser's zone, where the pause date is read; kept so the pass need not look it up.
    .addColumn('paused_zone', 'text')
    // The last end of a pause: the stall rules count time without a session from then at the earliest.
    .addColumn('resumed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index followup_due on followup (next_at, pair_id) where paused_at is null and next_at is not null`.execute(db);
  await sql`create index followup_paused on followup (paused_until, pair_id) where paused_at is not null and paused_until is not null`.execute(db);

  // Each prompt sent to a pair (a check-in, or the closing survey). The unique index makes the
  // pass idempotent: the same due date is never prompted twice, whoever runs the pass.
  await db.schema
    .createTable('checkin_prompt')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.notNull().references('pair.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('checkin', 'closing')`))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('remind_at', 'text', (c) => c.notNull())
    .addColumn('reminded_at', 'text')
    .addColumn('answered_at', 'text') // the first answer of either partner
    // Set when the prompt no longer waits for anyone: its pair paused, ended or completed, or its
    // contract amended (a closing survey of the old end date): no reminder, no completion from it.
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('checkin_prompt_once').on('checkin_prompt').columns(['pair_id', 'kind', 'due_on']).unique().execute();
  await sql`create index checkin_prompt_reminder on checkin_prompt (remind_at, id) where answered_at is null and reminded_at is null and closed_at is null`.execute(db);
  await sql`create index checkin_prompt_closing on checkin_prompt (sent_at, id) where kind = 'closing' and closed_at is null`.execute(db);

  // A check-in logged by one partner: from a prompt's "We met", or at any time with /tandem checkin.
  await db.schema
    .createTable('checkin')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.notNull().references('pair.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('prompt_id', 'integer', (c) => c.references('checkin_prompt.id'))
    .addColumn('met_on', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('topics', 'text', (c) => c.notNull())
    .addColumn('progress', 'text', (c) => c.notNull()) // JSON: one level per objective of the contract
    .addColumn('rating', 'integer', (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn('flow', 'text', (c) => c.notNull().check(sql`flow in ('i_learned', 'partner_learned', 'both')`))
    .addColumn('private_note', 'text') // for the facilitators only
    .addColumn('view_id', 'text') // the Slack form it came from: a replayed form is stored once
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index checkin_once_per_prompt on checkin (prompt_id, participant_id) where prompt_id is not null`.execute(db);
  await sql`create unique index checkin_once_per_form on checkin (participant_id, view_id) where view_id is not null`.execute(db);
  await db.schema.createIndex('checkin_pair').on('checkin').columns(['pair_id', 'met_on']).execute();

  // Each partner's answer to a prompt: one per partner and prompt.
  await db.schema
    .createTable('prompt_answer')
    .addColumn('id', ...idColumn(db))
    .addColumn('prompt_id', 'integer', (c) => c.notNull().references('checkin_prompt.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('met', 'not_yet', 'help', 'survey')`))
    .addColumn('checkin_id', 'integer', (c) => c.references('checkin.id'))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prompt_answer_once').on('prompt_answer').columns(['prompt_id', 'participant_id']).unique().execute();

  // The closing survey, one per partner.
  await db.schema
    .createTable('closing_survey')
    .addColumn('id', ...idColumn(db))
    .addColumn('pair_id', 'integer', (c) => c.notNull().references('pair.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('participant_id', 'integer', (c) => c.notNull().references('participant.id'))
    .addColumn('objectives_reached', 'text', (c) => c.notNull()) // JSON: reached | partly | not, per own objective
    .addColumn('end_levels', 'text', (c) => c.notNull()) // JSON: 1–5 per own objective
    .addColumn('satisfaction', 'integer', (c) => c.notNull().check(sql`satisfaction between 1 and 5`))
    .addColumn('learned', 'text', (c) => c.notNull())
    .addColumn('may_quote', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('closing_survey_once').on('closing_survey').columns(['pair_id', 'participant_id']).unique().execute();

  // A person's own pairs, for /tandem status, the Home tab and every check of "is this your pair":
  // looked up by either partner, without reading the programme's other pairs.
  await db.schema.createIndex('pair_junior').on('pair').columns(['junior_id', 'status']).execute();
  await db.schema.createIndex('pair_senior').on('pair').columns(['senior_id', 'status']).execute();

  // Pairs already active when this version is installed: their first check-in was stored with
  // the contract; one with no check-in before its end gets its closing survey at the end date (the
  // pass computes the exact date; this one only has to be no later). Only a SQLite database can
  // predate this migration: a PostgreSQL one is created with every migration at once, empty.
  if (engineOf(db) !== 'sqlite') return;
  await sql`
    insert into followup (pair_id, contract_id, next_due_on, next_at, next_kind, updated_at)
    select c.pair_id, c.id, coalesce(c.first_checkin_on, date(c.end_date, '-3 days')),
           coalesce(c.first_checkin_at, strftime('%Y-%m-%dT%H:%M:%fZ', c.end_date, '-3 days', '-14 hours')),
           case when c.first_checkin_on is null then 'closing' else 'checkin' end, c.in_force_at
    from contract c join pair p on p.id = c.pair_id
    where c.status = 'in_force' and p.status = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('pair_junior').execute();
  await db.schema.dropIndex('pair_senior').execute();
  for (const table of ['closing_survey', 'prompt_answer', 'checkin', 'checkin_prompt', 'followup']) {
    await db.schema.dropTable(table).execute();
  }
}
