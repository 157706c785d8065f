import { replaceUserId, withoutText } from '../../../domain/erasure.js';
import type { PersonalDataProvider } from '../registry.js';
import { knownPairsOf } from './pairs.js';

const parseDetails = (json: string): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(json);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
};

/** The audit log's entries about the person, their pairs, and what they did themselves. */
export const auditData: PersonalDataProvider = {
  name: 'audit',

  async export(db, subject) {
    const pairSubjects = (await knownPairsOf(db, subject.participantId)).map((p) => `pair:${p.id}`);
    const subjects = [`participant:${subject.participantId}`, ...pairSubjects];
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('subject', 'in', subjects), eb('actor_user_id', '=', subject.userId)]))
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const details = parseDetails(r.details);
      // What others recorded is shown without its words: a facilitator's reason or note is theirs.
      const shown = r.actor_user_id === subject.userId ? details : withoutText(details);
      const withheld = Object.keys(details).length > Object.keys(shown).length;
      return { at: r.at, action: r.action, subject: r.subject, by: r.actor_user_id, details: shown, ...(withheld ? { detailsWithheld: true } : {}) };
    });
  },

  /** Who did what stays recorded, under the anonymous id; the person's Slack id goes from the entries and their details. */
  async forget(trx, subject, anonymousId) {
    await trx.updateTable('audit_log').set({ actor_user_id: anonymousId }).where('actor_user_id', '=', subject.userId).execute();
    const rows = await trx.selectFrom('audit_log').select(['id', 'details']).where('details', 'like', `%${subject.userId}%`).execute();
    for (const row of rows) {
      const cleaned = replaceUserId(row.details, subject.userId, anonymousId);
      if (cleaned !== row.details) await trx.updateTable('audit_log').set({ details: cleaned }).where('id', '=', row.id).execute();
    }
  },

  /** Entries about a closed pair past retention keep who did what and when; the words of their details go. */
  async anonymisePair(trx, pairId) {
    const rows = await trx.selectFrom('audit_log').select(['id', 'details']).where('subject', '=', `pair:${pairId}`).execute();
    for (const row of rows) {
      const kept = JSON.stringify(withoutText(parseDetails(row.details)));
      if (kept !== row.details) await trx.updateTable('audit_log').set({ details: kept }).where('id', '=', row.id).execute();
    }
  },
};
