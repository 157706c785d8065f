/**
 * At the end of a pair's programme each partner is recognised, by direct message: what they taught
 * (their partner's objectives, and how far the partner says they got), what they learned (their own
 * objectives, with their levels), and the programme's thanks. Being chosen, and recognised, is what
 * values the junior's knowledge as much as the senior's.
 */
import type { Transaction } from 'kysely';
import { personLocale } from '../../i18n/index.js';
import type { Deps } from '../../deps.js';
import { learningGain, REACHED, type Reached } from '../../domain/checkin.js';
import { contractsOfPair } from '../../store/contracts.js';
import type { Database } from '../../store/database.js';
import { surveysOfPair } from '../../store/followup.js';
import type { Pair } from '../../store/pairs.js';
import type { Participant } from '../../store/participants.js';
import { recognitionMessage } from './views.js';

const parseList = <T>(json: string, valid: (item: unknown) => item is T): T[] | null => {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) && parsed.every(valid) ? parsed : null;
  } catch {
    return null;
  }
};
const isReached = (item: unknown): item is Reached => typeof item === 'string' && (REACHED as readonly string[]).includes(item);
const isLevel = (item: unknown): item is number => typeof item === 'number';

/** Queues each partner's recognition, in the completion's transaction (once per pair and person). */
export async function recognisePartners(deps: Deps, trx: Transaction<Database>, pair: Pair, people: { junior: Participant; senior: Participant }): Promise<void> {
  const contract = (await contractsOfPair(trx, pair.id)).find((c) => c.status === 'in_force');
  if (!contract) return;
  const surveys = await surveysOfPair(trx, pair.id);
  const { junior, senior } = people;
  for (const [me, partner] of [
    [junior, senior],
    [senior, junior],
  ] as const) {
    const learned = me.id === senior.id ? contract.terms.seniorObjectives : contract.terms.juniorObjectives;
    const taught = me.id === senior.id ? contract.terms.juniorObjectives : contract.terms.seniorObjectives;
    const mine = surveys.find((s) => s.participant_id === me.id);
    const theirs = surveys.find((s) => s.participant_id === partner.id);
    const start = contract.signatures.find((s) => s.participantId === me.id)?.startLevels ?? null;
    const gain = mine ? learningGain(learned, start, parseList(mine.end_levels, isLevel)) : null;
    const partnerReached = theirs ? parseList(theirs.objectives_reached, isReached) : null;
    const locale = personLocale(deps, me);
    await deps.outbox.enqueue(trx, `pair:${pair.id}:recognition:${me.id}`, {
      kind: 'post',
      channel: me.userId,
      message: recognitionMessage(locale, {
        role: me.id === senior.id ? 'senior' : 'junior',
        partnerUserId: partner.userId,
        taught: taught.map((objective, i) => ({ objective, reached: partnerReached?.[i] ?? null })),
        learned: gain ? gain.objectives : learned.map((objective) => ({ objective, start: null, end: null })),
        meanGain: gain?.meanGain ?? null,
      }),
    });
  }
}
