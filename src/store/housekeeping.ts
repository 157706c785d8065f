import { type Kysely, sql } from 'kysely';
import { retentionCutoff } from '../domain/erasure.js';
import type { Database } from './database.js';

/**
 * How long Tandem's own bookkeeping is kept: bounded by days, and never shorter than what a retry
 * or a later edit needs.
 */
export const BOOKKEEPING_DAYS = {
  /** Slack re-sends an event or a request within minutes (an hour at most): a week is ample. */
  processedEvents: 7,
  /** The text of a message once sent or given up; where it landed (its key, channel and ts) stays. */
  sentMessageTexts: 30,
  /**
   * A sent or given-up message's row: its key keeps a rerun from sending it twice, and later edits
   * find the message by it (an escalation updated, a contract signed); past this, nothing edits it.
   */
  sentMessages: 400,
} as const;

/** What a sent message's row keeps once its text is erased. */
export const ERASED_REQUEST = '{"erased":true}';

export interface Pruned {
  processedEvents: number;
  messageTexts: number;
  messages: number;
  auditEntries: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/**
 * Erases what Tandem no longer needs: the record of Slack deliveries seen, the texts and then the
 * rows of messages long sent, and audit entries older than the programme's retention period.
 */
export async function pruneBookkeeping(db: Kysely<Database>, now: Date, retentionMonths: number): Promise<Pruned> {
  return db.transaction().execute(async (trx) => {
    const events = await trx.deleteFrom('processed_event').where('processed_at', '<', daysBefore(now, BOOKKEEPING_DAYS.processedEvents)).executeTakeFirst();
    const texts = await trx
      .updateTable('outbox')
      .set({ request: ERASED_REQUEST })
      .where('status', 'in', ['sent', 'dead'])
      .where(sql<string>`coalesce(sent_at, created_at)`, '<', daysBefore(now, BOOKKEEPING_DAYS.sentMessageTexts))
      .where('request', '!=', ERASED_REQUEST)
      .executeTakeFirst();
    const rows = await trx
      .deleteFrom('outbox')
      .where('status', 'in', ['sent', 'dead'])
      .where(sql<string>`coalesce(sent_at, created_at)`, '<', daysBefore(now, BOOKKEEPING_DAYS.sentMessages))
      // An edit still waiting finds the message it edits through this row.
      .where((eb) => eb.not(eb.exists(eb.selectFrom('outbox as child').select('child.id').whereRef('child.after_key', '=', 'outbox.key').where('child.status', '=', 'pending'))))
      .executeTakeFirst();
    const audit = await trx.deleteFrom('audit_log').where('at', '<', retentionCutoff(now, retentionMonths).toISOString()).executeTakeFirst();
    return {
      processedEvents: Number(events.numDeletedRows),
      messageTexts: Number(texts.numUpdatedRows),
      messages: Number(rows.numDeletedRows),
      auditEntries: Number(audit.numDeletedRows),
    };
  });
}
