import { type Kysely, sql } from 'kysely';
import { retentionCutoff } from '../../domain/erasure.js';
import { audit } from '../../store/audit.js';
import type { Database, PairStatus } from '../../store/database.js';
import { personalDataProviders } from './providers/index.js';
import { ERASED_REQUEST } from './providers/messages.js';
import { eraseSubject, newAnonymousId, type PersonalDataProvider } from './registry.js';

/** Pairs that are over, one way or another: nothing more will be written about them. */
const CLOSED: readonly PairStatus[] = ['completed', 'ended', 'rejected', 'declined', 'withdrawn'];
const LEFT = ['left', 'completed'] as const;

/** When a closed pair closed: its end, else the decision on its proposal, else its last change. */
const closedAt = sql<string>`coalesce(pair.ended_at, pair.decided_at, pair.updated_at)`;

export interface RetentionOutcome {
  /** Closed pairs whose free text was erased by this pass. */
  pairs: number;
  /** People gone from the programme whose personal data was erased by this pass. */
  people: number;
}

/**
 * The retention pass: what is past `retentionMonths` is anonymised, in one transaction.
 * - Closed pairs (completed, ended, or proposals that never went ahead) that closed before the
 *   cut-off lose their free text: the reasons they were matched and ended, the contracts'
 *   objectives, means and notes, the words of their audit details, and whatever the providers add.
 *   Their states, dates, rhythm, signatures and levels stay, so every count still adds up.
 * - People who left (or completed) before the cut-off and have no pair that is open or closed
 *   since are forgotten as with `/tandem forget`: nothing links their records to them any more.
 * - Messages sent or given up before the cut-off lose their words (their keys stay, so nothing is
 *   ever sent twice).
 * Running it again for the same instant changes nothing. `providers` should be built with the
 * programme's language.
 */
export async function anonymiseExpiredPairs(
  db: Kysely<Database>,
  now: Date,
  retentionMonths: number,
  providers: readonly PersonalDataProvider[] = personalDataProviders('en'),
): Promise<RetentionOutcome> {
  const cutoff = retentionCutoff(now, retentionMonths).toISOString();
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const pairs = await trx
      .selectFrom('pair')
      .select('id')
      .where('status', 'in', CLOSED)
      .where('anonymised_at', 'is', null)
      .where(closedAt, '<', cutoff)
      .orderBy('id')
      .execute();
    for (const { id } of pairs) {
      for (const provider of providers) await provider.anonymisePair?.(trx, id, now);
      await trx.updateTable('pair').set({ anonymised_at: at }).where('id', '=', id).execute();
    }

    const people = await trx
      .selectFrom('participant')
      .select(['id', 'slack_user_id', 'display_name'])
      .where('forgotten_at', 'is', null)
      .where('status', 'in', LEFT)
      .where(sql<string>`coalesce(participant.left_at, participant.updated_at)`, '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('pair')
              .select('pair.id')
              .where((p) => p.or([p('pair.junior_id', '=', p.ref('participant.id')), p('pair.senior_id', '=', p.ref('participant.id'))]))
              .where((p) => p.or([p('pair.status', 'not in', CLOSED), p(closedAt, '>=', cutoff)])),
          ),
        ),
      )
      .orderBy('id')
      .execute();
    for (const person of people) {
      await eraseSubject(trx, providers, { participantId: person.id, userId: person.slack_user_id, displayName: person.display_name }, newAnonymousId(), now);
    }

    await trx
      .updateTable('outbox')
      .set({ request: ERASED_REQUEST })
      .where('status', '!=', 'pending')
      .where('created_at', '<', cutoff)
      .where('request', '!=', ERASED_REQUEST)
      .execute();

    if (pairs.length > 0 || people.length > 0) {
      await audit(trx, { actorUserId: 'tandem', action: 'retention.anonymised', subject: 'programme', details: { pairs: pairs.length, people: people.length, retentionMonths } }, now);
    }
    return { pairs: pairs.length, people: people.length };
  });
}
