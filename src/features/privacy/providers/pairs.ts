import type { Kysely } from 'kysely';
import { replaceUserId } from '../../../domain/erasure.js';
import type { Database, PairRow } from '../../../store/database.js';
import type { PersonalDataProvider } from '../registry.js';

/** Every pair the person was part of, from a proposal to its end, newest last. */
export async function pairsOf(db: Kysely<Database>, participantId: number): Promise<PairRow[]> {
  return db
    .selectFrom('pair')
    .selectAll()
    .where((eb) => eb.or([eb('junior_id', '=', participantId), eb('senior_id', '=', participantId)]))
    .orderBy('id')
    .execute();
}

const SLACK_ID_COLUMNS = ['proposed_by', 'decided_by', 'ended_by'] as const;

/**
 * The pairs the person was told of: introduced by a facilitator's approval. A proposal still waiting
 * for a facilitator, or rejected or withdrawn before it reached them, was never theirs to see.
 */
export async function knownPairsOf(db: Kysely<Database>, participantId: number): Promise<PairRow[]> {
  return (await pairsOf(db, participantId)).filter((p) => p.introduced_at !== null);
}

/** Matching proposals and pairs: who with, why they were matched, how it went and how it ended. */
export const pairData: PersonalDataProvider = {
  name: 'pairs',

  async export(db, subject) {
    const pairs = await knownPairsOf(db, subject.participantId);
    const partnerIds = pairs.map((p) => (p.junior_id === subject.participantId ? p.senior_id : p.junior_id));
    const partners =
      partnerIds.length === 0 ? [] : await db.selectFrom('participant').select(['id', 'slack_user_id']).where('id', 'in', partnerIds).execute();
    const slackIdOf = new Map(partners.map((p) => [p.id, p.slack_user_id]));
    return pairs.map((p) => {
      const mine = p.junior_id === subject.participantId ? 'junior' : 'senior';
      const partner = slackIdOf.get(mine === 'junior' ? p.senior_id : p.junior_id) ?? null;
      // A reason a facilitator typed when ending the pair is kept for the facilitators (the form
      // says so); the reasons the pair itself caused (a partner leaving, a withdrawal) are theirs.
      const ownReason = p.status === 'withdrawn' || p.ended_by === subject.userId || (partner !== null && p.ended_by === partner);
      return {
        pairId: p.id,
        myRole: mine,
        partnerSlackUserId: partner,
        status: p.status,
        matchingReasons: JSON.parse(p.reasons) as unknown,
        proposedAt: p.proposed_at,
        proposedBy: p.proposed_by,
        decidedAt: p.decided_at,
        decidedBy: p.decided_by,
        myAnswer: mine === 'junior' ? p.junior_answer : p.senior_answer,
        introducedAt: p.introduced_at,
        acceptedAt: p.accepted_at,
        endedAt: p.ended_at,
        endedBy: p.ended_by,
        endReason: ownReason ? p.end_reason : null,
        ...(p.end_reason !== null && !ownReason ? { endReasonWithheld: true } : {}),
      };
    });
  },

  /**
   * The pairs stay with their states (pairs by state still add up); the reasons they were matched
   * (both people's skills and languages) go, and the person's Slack id is replaced where it was
   * recorded as the one who acted.
   */
  async forget(trx, subject, anonymousId) {
    await trx
      .updateTable('pair')
      .set({ reasons: '[]' })
      .where((eb) => eb.or([eb('junior_id', '=', subject.participantId), eb('senior_id', '=', subject.participantId)]))
      .execute();
    for (const column of SLACK_ID_COLUMNS) {
      await trx.updateTable('pair').set(column, anonymousId).where(column, '=', subject.userId).execute();
    }
    const reasons = await trx.selectFrom('pair').select(['id', 'end_reason']).where('end_reason', 'like', `%${subject.userId}%`).execute();
    for (const row of reasons) {
      if (row.end_reason === null) continue;
      const cleaned = replaceUserId(row.end_reason, subject.userId, anonymousId);
      if (cleaned !== row.end_reason) await trx.updateTable('pair').set({ end_reason: cleaned }).where('id', '=', row.id).execute();
    }
  },

  /** A closed pair past retention keeps its state and dates; why it was matched and why it ended go. */
  async anonymisePair(trx, pairId) {
    await trx.updateTable('pair').set({ reasons: '[]', end_reason: null }).where('id', '=', pairId).execute();
  },
};
