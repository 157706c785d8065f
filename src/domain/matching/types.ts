/** Public data shapes of the matching domain. Pure data: no Slack, no database, no clock. */

import type { Cadence, Format, Role } from '../profile.js';

export type { Cadence, Format, Role };

export interface Candidate {
  /** Candidate id in this programme; excluded pairs are keyed on it. */
  id: string;
  /** Slack user id; manager links point at it. */
  userId: string;
  role: Role;
  name: string;
  department: string | null;
  managerUserId: string | null;
  languages: string[];
  /** What this person can teach. */
  shares: string[];
  /** What this person wants to learn. */
  learns: string[];
  format: Format;
  cadence: Cadence;
  utcOffsetMinutes: number;
  /** False when paused or already paired. */
  available: boolean;
}

/** Non-negative weights set by the programme; only their ratios matter. */
export interface MatchingWeights {
  complementarity: number;
  format: number;
  cadence: number;
  timeZone: number;
}

export interface MatchingOptions {
  allowSameDepartment: boolean;
  weights: MatchingWeights;
  /** `${juniorId}:${seniorId}` of former, declined or rejected pairs. */
  excludedPairs: ReadonlySet<string>;
}

/**
 * Why a pair was proposed, as data the Slack layer renders through its catalogue.
 * Skills and languages keep the spelling of the person who listed them.
 */
export type Reason =
  /** What the junior shares that the senior wants to learn (junior's spelling). */
  | { kind: 'junior_teaches'; skills: string[] }
  /** What the senior shares that the junior wants to learn (senior's spelling). */
  | { kind: 'senior_teaches'; skills: string[] }
  /** Neither side listed anything the other wants: proposed for the other criteria only. */
  | { kind: 'no_skill_overlap' }
  /** Languages both speak (junior's spelling and order). */
  | { kind: 'shared_languages'; languages: string[] }
  | { kind: 'same_format'; format: Exclude<Format, 'either'> }
  /** One or both are flexible; `format` is what they can meet in ('either' when both are flexible). */
  | { kind: 'flexible_format'; format: Format }
  | { kind: 'format_mismatch'; junior: Format; senior: Format }
  | { kind: 'same_cadence'; cadence: Cadence }
  | { kind: 'close_cadence'; junior: Cadence; senior: Cadence }
  | { kind: 'cadence_mismatch'; junior: Cadence; senior: Cadence }
  /** Absolute difference of UTC offsets, in hours (two decimals). */
  | { kind: 'time_zone_gap'; hours: number }
  /** Only possible when the programme allows same-department pairs; flagged for transparency. */
  | { kind: 'same_department'; department: string };

export interface Proposal {
  juniorId: string;
  seniorId: string;
  score: number;
  reasons: Reason[];
}

/**
 * How many available people of the other role each hard constraint rules out.
 * Counted per constraint: someone failing two constraints is counted under both.
 */
export interface BlockedBy {
  language: number;
  department: number;
  manager: number;
  previousPair: number;
}

export type UnmatchedReason =
  /** Paused or already paired: passed in but not considered. */
  | { kind: 'unavailable' }
  /** Nobody available in the other role at all. */
  | { kind: 'no_one_in_other_role' }
  /** Everyone in the other role is ruled out by a hard constraint. */
  | { kind: 'no_compatible_partner'; blockedBy: BlockedBy }
  /**
   * Compatible partners existed, but the best overall pairing gave all of them to others.
   * The caller should put this person first in line next run.
   */
  | { kind: 'partners_taken'; compatiblePartners: number };

export interface Unmatched {
  id: string;
  reason: UnmatchedReason;
}

export interface MatchingResult {
  /** Sorted by junior id. */
  proposals: Proposal[];
  /** Sorted by id. */
  unmatched: Unmatched[];
  totalScore: number;
}
