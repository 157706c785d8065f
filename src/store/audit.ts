import type { Kysely } from 'kysely';
import type { Database } from './database.js';

/** Records who did what to which record, and when: every facilitator action and state change. */
export async function audit(
  db: Kysely<Database>,
  entry: { actorUserId: string; action: string; subject: string; details?: Record<string, unknown> },
  now: Date,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      actor_user_id: entry.actorUserId,
      action: entry.action,
      subject: entry.subject,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Several entries in one statement (the scheduled pass writes a page's at once). */
export async function auditMany(db: Kysely<Database>, entries: readonly { actorUserId: string; action: string; subject: string; details?: Record<string, unknown> }[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  const at = now.toISOString();
  await db
    .insertInto('audit_log')
    .values(entries.map((entry) => ({ at, actor_user_id: entry.actorUserId, action: entry.action, subject: entry.subject, details: JSON.stringify(entry.details ?? {}) })))
    .execute();
}
