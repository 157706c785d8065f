import { countBlockedBy, type IndexPair } from './constraints.js';
import type { ScoreMatrix } from './matrix.js';
import type { PoolProfiles } from './profiles.js';
import { cadenceDistance } from './score.js';
import type { Fold } from './text.js';
import type { Candidate, Format, MatchingOptions, Reason, UnmatchedReason } from './types.js';

/** Reasons for one proposed pair, in a fixed order: skills, languages, format, cadence, time zone, department. */
export function explainPair(junior: Candidate, senior: Candidate, fold: Fold): Reason[] {
  const reasons: Reason[] = [];
  const juniorTeaches = overlapInOrder(junior.shares, senior.learns, fold);
  const seniorTeaches = overlapInOrder(senior.shares, junior.learns, fold);
  if (juniorTeaches.length > 0) reasons.push({ kind: 'junior_teaches', skills: juniorTeaches });
  if (seniorTeaches.length > 0) reasons.push({ kind: 'senior_teaches', skills: seniorTeaches });
  if (juniorTeaches.length === 0 && seniorTeaches.length === 0) reasons.push({ kind: 'no_skill_overlap' });
  reasons.push({ kind: 'shared_languages', languages: overlapInOrder(junior.languages, senior.languages, fold) });
  reasons.push(formatReason(junior.format, senior.format));
  reasons.push(cadenceReason(junior, senior));
  const gapMinutes = Math.abs(junior.utcOffsetMinutes - senior.utcOffsetMinutes);
  reasons.push({ kind: 'time_zone_gap', hours: Math.round((gapMinutes / 60) * 100) / 100 });
  if (junior.department !== null && sameText(junior.department, senior.department ?? '', fold)) {
    reasons.push({ kind: 'same_department', department: junior.department });
  }
  return reasons;
}

/** Items of `offered` that `wanted` also lists (compared folded), in `offered`'s spelling and order, once each. */
function overlapInOrder(offered: readonly string[], wanted: readonly string[], fold: Fold): string[] {
  const wantedKeys = new Set(wanted.map(fold));
  const seen = new Set<string>();
  const overlap: string[] = [];
  for (const item of offered) {
    const key = fold(item);
    if (key === '' || seen.has(key) || !wantedKeys.has(key)) continue;
    seen.add(key);
    overlap.push(item.trim());
  }
  return overlap;
}

function sameText(a: string, b: string, fold: Fold): boolean {
  const key = fold(a);
  return key !== '' && key === fold(b);
}

/** Mirrors score.ts's format fit, spelled out so the compiler narrows 'either' away. */
function formatReason(junior: Format, senior: Format): Reason {
  if (junior === 'either' || senior === 'either') {
    return { kind: 'flexible_format', format: junior === 'either' ? senior : junior };
  }
  if (junior !== senior) return { kind: 'format_mismatch', junior, senior };
  return { kind: 'same_format', format: junior };
}

function cadenceReason(junior: Candidate, senior: Candidate): Reason {
  const distance = cadenceDistance(junior.cadence, senior.cadence);
  if (distance === 0) return { kind: 'same_cadence', cadence: junior.cadence };
  if (distance === 1) return { kind: 'close_cadence', junior: junior.cadence, senior: senior.cadence };
  return { kind: 'cadence_mismatch', junior: junior.cadence, senior: senior.cadence };
}

/** Where a person sits in the score matrix. */
export interface MatrixSeat {
  readonly onRows: boolean;
  readonly index: number;
}

/**
 * Why an available person got no proposal. The optimum leaves nobody out while an allowed
 * partner is also left (every allowed pair scores > 0), so either no allowed partner exists
 * at all, or every one of them went to someone else.
 */
export function explainUnmatched(
  matrix: ScoreMatrix,
  profiles: PoolProfiles,
  seat: MatrixSeat,
  options: MatchingOptions,
): UnmatchedReason {
  const otherCount = seat.onRows ? matrix.cols : matrix.rows;
  if (otherCount === 0) return { kind: 'no_one_in_other_role' };
  const compatiblePartners = countPositive(matrix, seat);
  if (compatiblePartners > 0) return { kind: 'partners_taken', compatiblePartners };
  const isJunior = seat.onRows === matrix.juniorsOnRows;
  const own = isJunior ? profiles.juniors : profiles.seniors;
  const others = isJunior ? profiles.seniors : profiles.juniors;
  const previousPartners = countPreviousPartners(matrix.excluded, isJunior, seat.index);
  return {
    kind: 'no_compatible_partner',
    blockedBy: countBlockedBy(
      own,
      seat.index,
      others,
      profiles.languageWords,
      options.allowSameDepartment,
      previousPartners,
    ),
  };
}

function countPositive(matrix: ScoreMatrix, seat: MatrixSeat): number {
  const { scores, rows, cols } = matrix;
  const [start, step, count] = seat.onRows ? [seat.index * cols, 1, cols] : [seat.index, cols, rows];
  let positive = 0;
  for (let k = 0; k < count; k++) if (scores[start + k * step]! > 0) positive++;
  return positive;
}

function countPreviousPartners(excluded: readonly IndexPair[], isJunior: boolean, index: number): number {
  return excluded.filter((pair) => (isJunior ? pair.junior : pair.senior) === index).length;
}
