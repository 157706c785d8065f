/**
 * The personal data escalations hold, for `/tandem export`, `/tandem forget` and data retention:
 * what a person confided (concerns, private notes) and the escalations of their pairs. Shaped as a
 * personal-data provider (name, export, forget, anonymisePair) so the privacy registry can list it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';

/** The person whose data is read or erased. */
export interface EscalationDataSubject {
  participantId: number;
  userId: string;
}

const TEXT_DETAILS = ['note', 'reason'] as const;

/** A JSON value with every string equal to `from` replaced by `to` (facts name people by Slack id). */
function replaceId(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceId(item, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceId(v, from, to)]));
  return value;
}

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
};

async function escalationsAbout(db: Kysely<Database>, participantId: number) {
  return db
    .selectFrom('escalation as e')
    .leftJoin('pair as p', 'p.id', 'e.pair_id')
    .select(['e.id', 'e.pair_id', 'e.participant_id', 'e.status', 'e.opened_at', 'e.assignee_user_id', 'e.resolved_at', 'e.outcome'])
    .where((eb) => eb.or([eb('e.participant_id', '=', participantId), eb('p.junior_id', '=', participantId), eb('p.senior_id', '=', participantId)]))
    .orderBy('e.id')
    .execute();
}

export const escalationData = {
  name: 'escalations',

  /**
   * What the person confided, in their words; and the escalations of their pairs (or about them),
   * with the kinds of reason both partners know of. What their partner confided, and what the
   * facilitators wrote, are theirs: left out.
   */
  async export(db: Kysely<Database>, subject: EscalationDataSubject) {
    const [confided, escalations] = await Promise.all([
      db.selectFrom('escalation_reason').select(['escalation_id', 'kind', 'note', 'detected_at']).where('raised_by', '=', subject.participantId).orderBy('id').execute(),
      escalationsAbout(db, subject.participantId),
    ]);
    const ids = escalations.map((e) => e.id);
    const reasons = ids.length === 0 ? [] : await db.selectFrom('escalation_reason').select(['escalation_id', 'kind', 'raised_by', 'detected_at']).where('escalation_id', 'in', ids).orderBy('id').execute();
    const confidedKinds = new Set(['concern', 'low_rating', 'private_note']);
    // What a partner confided is theirs: an escalation made only of it is not shown at all (not even
    // that it exists), and one that is shown starts at the first reason this person may know of.
    const mayKnow = (r: (typeof reasons)[number]) => !confidedKinds.has(r.kind) || r.raised_by === subject.participantId;
    return {
      whatIConfided: confided.map((r) => ({ escalationId: r.escalation_id, kind: r.kind, myWords: r.note, at: r.detected_at })),
      escalationsAboutMe: escalations.flatMap((e) => {
        const known = reasons.filter((r) => r.escalation_id === e.id && mayKnow(r));
        if (known.length === 0) return [];
        return [
          {
            escalationId: e.id,
            pairId: e.pair_id,
            since: known[0]?.detected_at,
            status: e.status,
            outcome: e.outcome,
            handledBy: e.assignee_user_id,
            resolvedAt: e.resolved_at,
            reasons: known.map((r) => r.kind),
          },
        ];
      }),
    };
  },

  /** What they confided goes; their Slack id in the facts (and as a facilitator, on escalations) becomes the anonymous id. */
  async forget(trx: Transaction<Database>, subject: EscalationDataSubject, anonymousId: string) {
    await trx.updateTable('escalation_reason').set({ note: null }).where('raised_by', '=', subject.participantId).execute();
    const rows = await trx.selectFrom('escalation_reason').select(['id', 'facts']).where('facts', 'like', `%${subject.userId}%`).execute();
    for (const row of rows) {
      const facts = JSON.stringify(replaceId(parse(row.facts), subject.userId, anonymousId));
      if (facts !== row.facts) await trx.updateTable('escalation_reason').set({ facts }).where('id', '=', row.id).execute();
    }
    for (const column of ['assignee_user_id', 'resolved_by', 'nudged_by'] as const) {
      await trx.updateTable('escalation').set({ [column]: anonymousId }).where(column, '=', subject.userId).execute();
    }
  },

  /** A closed pair past retention: what was confided, the resolution notes, and the words of the audit entries go. */
  async anonymisePair(trx: Transaction<Database>, pairId: number) {
    const escalations = await trx.selectFrom('escalation').select('id').where('pair_id', '=', pairId).execute();
    const ids = escalations.map((e) => e.id);
    if (ids.length === 0) return;
    await trx.updateTable('escalation').set({ resolution: null }).where('id', 'in', ids).execute();
    await trx.updateTable('escalation_reason').set({ note: null }).where('escalation_id', 'in', ids).execute();
    const entries = await trx.selectFrom('audit_log').select(['id', 'details']).where('subject', 'in', ids.map((id) => `escalation:${id}`)).execute();
    for (const entry of entries) {
      const details = parse(entry.details);
      if (!details || typeof details !== 'object' || Array.isArray(details)) continue;
      const kept = Object.fromEntries(Object.entries(details).filter(([key]) => !(TEXT_DETAILS as readonly string[]).includes(key)));
      const json = JSON.stringify(kept);
      if (json !== entry.details) await trx.updateTable('audit_log').set({ details: json }).where('id', '=', entry.id).execute();
    }
  },
};
