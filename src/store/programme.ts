import type { Kysely } from 'kysely';
import { DEFAULT_WEIGHTS, type MatchingWeights } from '../domain/matching/index.js';
import type { Database } from './database.js';

export interface Programme {
  checkinHour: number;
  allowSameDepartment: boolean;
  weights: MatchingWeights;
  contractUnsignedDays: number;
  introductionUnansweredDays: number;
}

function weightsFrom(json: string): MatchingWeights {
  const stored = JSON.parse(json) as Partial<Record<keyof MatchingWeights, unknown>>;
  const pick = (key: keyof MatchingWeights) => {
    const value = stored[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_WEIGHTS[key];
  };
  return { complementarity: pick('complementarity'), format: pick('format'), cadence: pick('cadence'), timeZone: pick('timeZone') };
}

export async function getProgramme(db: Kysely<Database>): Promise<Programme> {
  const row = await db.selectFrom('programme').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    checkinHour: row.checkin_hour,
    allowSameDepartment: row.allow_same_department === 1,
    weights: weightsFrom(row.matching_weights),
    contractUnsignedDays: row.contract_unsigned_days,
    introductionUnansweredDays: row.introduction_unanswered_days,
  };
}
