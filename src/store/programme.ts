import type { Kysely } from 'kysely';
import { DEFAULT_WEIGHTS, type MatchingWeights } from '../domain/matching/index.js';
import { CADENCES, type Cadence } from '../domain/profile.js';
import type { ProgrammeSettings } from '../domain/settings.js';
import type { Database } from './database.js';

/** The settings in force (a `StallSettings` too), with the version every save increments. */
export interface Programme extends ProgrammeSettings {
  version: number;
  updatedAt: string;
}

function weightsFrom(json: string): MatchingWeights {
  const stored = JSON.parse(json) as Partial<Record<keyof MatchingWeights, unknown>>;
  const pick = (key: keyof MatchingWeights) => {
    const value = stored[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_WEIGHTS[key];
  };
  return { complementarity: pick('complementarity'), format: pick('format'), cadence: pick('cadence'), timeZone: pick('timeZone') };
}

const cadenceFrom = (value: string): Cadence => ((CADENCES as readonly string[]).includes(value) ? (value as Cadence) : 'biweekly');

export async function getProgramme(db: Kysely<Database>): Promise<Programme> {
  const row = await db.selectFrom('programme').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    checkinHour: row.checkin_hour,
    defaultCadence: cadenceFrom(row.default_cadence),
    allowSameDepartment: row.allow_same_department === 1,
    allowGuests: row.allow_guests === 1,
    weights: weightsFrom(row.matching_weights),
    contractUnsignedDays: row.contract_unsigned_days,
    introductionUnansweredDays: row.introduction_unanswered_days,
    firstMeetingDays: row.first_meeting_days,
    missedCadenceFactor: row.missed_cadence_factor,
    lowRating: row.low_rating,
    unansweredPromptsInARow: row.unanswered_prompts_in_a_row,
    escalationReraiseWorkingDays: row.escalation_reraise_working_days,
    retentionMonths: row.retention_months,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/**
 * Saves the settings if they are still at `expectedVersion`, and returns the new version; null when
 * someone saved in between (nothing written).
 */
export async function updateProgramme(db: Kysely<Database>, settings: ProgrammeSettings, expectedVersion: number, now: Date): Promise<number | null> {
  const result = await db
    .updateTable('programme')
    .set({
      checkin_hour: settings.checkinHour,
      default_cadence: settings.defaultCadence,
      allow_same_department: settings.allowSameDepartment ? 1 : 0,
      allow_guests: settings.allowGuests ? 1 : 0,
      matching_weights: JSON.stringify(settings.weights),
      contract_unsigned_days: settings.contractUnsignedDays,
      introduction_unanswered_days: settings.introductionUnansweredDays,
      first_meeting_days: settings.firstMeetingDays,
      missed_cadence_factor: settings.missedCadenceFactor,
      low_rating: settings.lowRating,
      unanswered_prompts_in_a_row: settings.unansweredPromptsInARow,
      escalation_reraise_working_days: settings.escalationReraiseWorkingDays,
      retention_months: settings.retentionMonths,
      starts_on: settings.startsOn,
      ends_on: settings.endsOn,
      version: expectedVersion + 1,
      updated_at: now.toISOString(),
    })
    .where('id', '=', 1)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? expectedVersion + 1 : null;
}
