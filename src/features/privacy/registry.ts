import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';

/** The person whose data is read or erased: their participant row, and the Slack id and name it holds now. */
export interface DataSubject {
  participantId: number;
  userId: string;
  /** As Slack gave it at enrolment: messages may name the person by it. */
  displayName: string;
}

/**
 * One part of Tandem's personal data. Each feature that stores something about people contributes a
 * provider, so that `/tandem export`, `/tandem forget` and the retention pass cover it without
 * knowing its tables.
 */
export interface PersonalDataProvider {
  /** The section of the export file this provider fills (a stable, lower-case name). */
  readonly name: string;
  /**
   * Every record this part holds about the person, as plain JSON. Never another person's private
   * notes (what someone wrote for the facilitators only): those are left out or marked withheld.
   */
  export(db: Kysely<Database>, subject: DataSubject): Promise<unknown>;
  /**
   * Erases the person's personal data in the caller's transaction: free text they wrote goes, and
   * their Slack id is replaced by `anonymousId` wherever it is kept. Rows stay (and keep their
   * states) so that the programme's counts and the partner's side of shared records still hold.
   */
  forget(trx: Transaction<Database>, subject: DataSubject, anonymousId: string, now: Date): Promise<void>;
  /**
   * Optional: erases the free text of a closed pair past the retention period (the people's own
   * profiles are erased separately, with `forget`, once they have gone).
   */
  anonymisePair?(trx: Transaction<Database>, pairId: number, now: Date): Promise<void>;
}

/** An id that stands in for a person once their data is erased; it can never match a Slack id. */
export function newAnonymousId(): string {
  return `anon-${randomBytes(6).toString('hex')}`;
}

/** Erases one person's data with every provider, in the caller's transaction. */
export async function eraseSubject(
  trx: Transaction<Database>,
  providers: readonly PersonalDataProvider[],
  subject: DataSubject,
  anonymousId: string,
  now: Date,
): Promise<void> {
  for (const provider of providers) await provider.forget(trx, subject, anonymousId, now);
}

/** The export file's sections, one per provider, read in one transaction so that they agree. */
export async function collectExport(db: Kysely<Database>, providers: readonly PersonalDataProvider[], subject: DataSubject): Promise<Record<string, unknown>> {
  return db.transaction().execute(async (trx) => {
    const sections: Record<string, unknown> = {};
    for (const provider of providers) sections[provider.name] = await provider.export(trx, subject);
    return sections;
  });
}
