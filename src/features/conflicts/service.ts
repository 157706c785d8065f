/**
 * Conflicts of interest: a facilitator who is also a participant never acts on, nor reads the
 * confidences of, their own proposal or pair. Another facilitator does; when there is none, the
 * refusal says how to add one.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import type { MessageKey, Vars } from '../../i18n/index.js';
import type { Database } from '../../store/database.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the facilitator would have acted on: a proposal waiting for approval, or a pair (its escalation, its notes). */
export type ConflictSubject = 'proposal' | 'pair';

export interface Conflict {
  key: MessageKey;
  vars: Vars;
}

/** The Slack ids of the two people of a pair (none when the pair is unknown). */
export async function pairUserIds(db: Db, pairId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('pair as p')
    .innerJoin('participant as x', (join) => join.on((eb) => eb.or([eb('x.id', '=', eb.ref('p.junior_id')), eb('x.id', '=', eb.ref('p.senior_id'))])))
    .select('x.slack_user_id')
    .where('p.id', '=', pairId)
    .execute();
  return rows.map((r) => r.slack_user_id);
}

/**
 * Why this facilitator may not act, when they are one of `people`; undefined when they may. Asks
 * Slack (cached) who the other facilitators are, so call it outside any transaction: who is in a
 * pair never changes.
 */
export async function conflictOf(deps: Deps, userId: string, people: readonly string[], subject: ConflictSubject): Promise<Conflict | undefined> {
  if (!people.includes(userId)) return undefined;
  const others = await deps.facilitators.othersThan(userId);
  if (others.length > 0) return { key: `conflict.${subject}.another`, vars: {} };
  return { key: `conflict.${subject}.alone`, vars: { channel: `<#${deps.config.facilitatorChannelId}>` } };
}
