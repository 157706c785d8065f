import { type Kysely, sql } from 'kysely';

// Frozen: once released, a migration never changes; later changes go into a new one.

/**
 * A person's own pause: someone waiting for a partner, or a pair that accepted but has not signed
 * yet, steps aside until a date (or `/tandem resume`). An active pair's pause stays on `followup`.
 * And the stall rules read a pair's resolved escalations, by pair.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('participant').addColumn('paused_until', 'text').execute();
  // When the person's last pause ended: the time rules count from then at the earliest.
  await db.schema.alterTable('participant').addColumn('resumed_at', 'text').execute();
  // The scheduled pass resumes only the dated pauses that end, never reading every person.
  await sql`create index participant_pause_ends on participant (paused_until, id) where status = 'paused' and paused_until is not null`.execute(db);
  await sql`create index escalation_resolved_pair on escalation (pair_id) where status = 'resolved' and pair_id is not null`.execute(db);
}
