import type { Kysely } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/**
 * The settings facilitators edit with `/tandem program` that 001 did not hold yet: the stall rules'
 * remaining thresholds (defaults as the SPEC states them), how soon an unhandled escalation is
 * raised again, how long a completed pair's data is kept, and a version that every save increments,
 * so a form opened before someone else's change cannot overwrite it unseen.
 */
const COLUMNS = [
  ['first_meeting_days', 14],
  ['missed_cadence_factor', 2],
  ['low_rating', 2],
  ['unanswered_prompts_in_a_row', 2],
  ['escalation_reraise_working_days', 2],
  ['retention_months', 24],
  ['version', 0],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE statement.
  for (const [name, value] of COLUMNS) {
    await db.schema.alterTable('programme').addColumn(name, 'integer', (c) => c.notNull().defaultTo(value)).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of [...COLUMNS].reverse()) {
    await db.schema.alterTable('programme').dropColumn(name).execute();
  }
}
