import type { Kysely } from 'kysely';
import type { Profile } from '../domain/profile.js';
import type { Database, ParticipantRow, ParticipantStatus } from './database.js';
import { resetFollowupTimesForZone } from './followup.js';
import { prepared } from './prepared.js';

export interface Participant extends Profile {
  id: number;
  userId: string;
  status: ParticipantStatus;
  timeZone: string;
  locale: string;
  displayName: string;
  consentAt: string;
  createdAt: string;
  updatedAt: string;
  leftAt: string | null;
}

function fromRow(row: ParticipantRow): Participant {
  return {
    id: row.id,
    userId: row.slack_user_id,
    role: row.role,
    status: row.status,
    shares: JSON.parse(row.shares) as string[],
    learns: JSON.parse(row.learns) as string[],
    department: row.department,
    managerUserId: row.manager_user_id,
    languages: JSON.parse(row.languages) as Profile['languages'],
    format: row.format,
    cadence: row.cadence,
    motivation: row.motivation,
    timeZone: row.time_zone,
    locale: row.locale,
    displayName: row.display_name,
    consentAt: row.consent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    leftAt: row.left_at,
  };
}

// Prepared: every request of a person reads their row, most by their Slack id.
const participantByUser = prepared((db, userId: string) => db.selectFrom('participant').selectAll().where('slack_user_id', '=', userId));
const participantById = prepared((db, id: number) => db.selectFrom('participant').selectAll().where('id', '=', id));

export async function findParticipantByUser(db: Kysely<Database>, userId: string): Promise<Participant | undefined> {
  const [row] = await participantByUser(db, userId);
  return row && fromRow(row);
}

export async function findParticipant(db: Kysely<Database>, id: number): Promise<Participant | undefined> {
  const [row] = await participantById(db, id);
  return row && fromRow(row);
}

export interface Identity {
  userId: string;
  timeZone: string;
  locale: string;
  displayName: string;
}

/**
 * Saves a profile: a first enrolment, an edit, or a return after leaving (back to `enrolled`).
 * Returns whether the person is newly (re-)enrolled.
 */
export async function saveProfile(db: Kysely<Database>, who: Identity, profile: Profile, now: Date): Promise<{ enrolled: boolean }> {
  const at = now.toISOString();
  const fields = {
    role: profile.role,
    shares: JSON.stringify(profile.shares),
    learns: JSON.stringify(profile.learns),
    department: profile.department,
    manager_user_id: profile.managerUserId,
    languages: JSON.stringify(profile.languages),
    format: profile.format,
    cadence: profile.cadence,
    motivation: profile.motivation,
    time_zone: who.timeZone,
    locale: who.locale,
    display_name: who.displayName,
    updated_at: at,
  };
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('participant').select(['id', 'status']).where('slack_user_id', '=', who.userId).executeTakeFirst();
    if (!existing) {
      await trx
        .insertInto('participant')
        .values({ ...fields, slack_user_id: who.userId, status: 'enrolled', consent_at: at, created_at: at })
        .execute();
      return { enrolled: true };
    }
    const returning = existing.status === 'left' || existing.status === 'completed';
    // Consent is given when enrolling (again); an edit keeps the date it was given.
    await trx
      .updateTable('participant')
      .set(returning ? { ...fields, status: 'enrolled', left_at: null, consent_at: at } : fields)
      .where('id', '=', existing.id)
      .execute();
    return { enrolled: returning };
  });
}

/**
 * The person's state as they may know it: proposed a partner (`matched`) only once a facilitator
 * approved the proposal, so `enrolled` while it waits: `knowsPair` says whether they have a `knownPairOf`.
 */
export function seenStatus(participant: Pick<Participant, 'status'>, knowsPair: boolean): ParticipantStatus {
  return participant.status === 'matched' && !knowsPair ? 'enrolled' : participant.status;
}

/** Marks the person as having left; false when they had already left (a second click changes nothing). */
export async function markLeft(db: Kysely<Database>, participantId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('participant')
    .set({ status: 'left', left_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', participantId)
    .where('status', '!=', 'left')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function participantsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, Participant>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('participant').selectAll().where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, fromRow(r)]));
}

/** Everyone waiting for a partner: enrolled, neither paused, nor in a pair, nor gone. */
export async function waitingParticipants(db: Kysely<Database>): Promise<Participant[]> {
  const rows = await db.selectFrom('participant').selectAll().where('status', '=', 'enrolled').orderBy('id').execute();
  return rows.map(fromRow);
}

/** Corrects the language, time zone and name saved for a person once Slack has told us them; true when something changed. */
export async function updateIdentity(db: Kysely<Database>, who: Identity, now: Date): Promise<boolean> {
  await resetFollowupTimesForZone(db, who.userId, who.timeZone);
  const result = await db
    .updateTable('participant')
    .set({ time_zone: who.timeZone, locale: who.locale, display_name: who.displayName, updated_at: now.toISOString() })
    .where('slack_user_id', '=', who.userId)
    .where((eb) => eb.or([eb('time_zone', '!=', who.timeZone), eb('locale', '!=', who.locale), eb('display_name', '!=', who.displayName)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Follows a change of time zone or language that Slack announced (user_change); true when something changed. */
export async function updateZoneAndLocale(db: Kysely<Database>, userId: string, change: { timeZone?: string; locale?: string }, now: Date): Promise<boolean> {
  if (change.timeZone === undefined && change.locale === undefined) return false;
  if (change.timeZone !== undefined) await resetFollowupTimesForZone(db, userId, change.timeZone);
  const result = await db
    .updateTable('participant')
    .set({ ...(change.timeZone ? { time_zone: change.timeZone } : {}), ...(change.locale ? { locale: change.locale } : {}), updated_at: now.toISOString() })
    .where('slack_user_id', '=', userId)
    .where((eb) => eb.or([...(change.timeZone ? [eb('time_zone', '!=', change.timeZone)] : []), ...(change.locale ? [eb('locale', '!=', change.locale)] : [])]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
