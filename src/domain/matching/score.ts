/**
 * Pair score. With weights normalised to sum 1 (w_k = weight_k / Σ weights):
 *
 *   score = FLOOR + (1 − FLOOR) · ( w_c·C + w_f·F + w_k·K + w_t·T ),  rounded to a multiple of 2⁻²⁰
 *
 *   C  complementarity = (g(a) + g(b) + B·[a > 0 and b > 0]) / (2 + B), B = 0.5, g(k) = 1 − 2⁻ᵏ
 *      a = skills the junior shares that the senior wants to learn, b = the reverse;
 *      g gives diminishing returns (0, ½, ¾, ⅞…) and B rewards an exchange that runs both ways.
 *   F  format = 1 same format, 0.75 when one or both are 'either', 0 for in person vs video.
 *   K  cadence = 1 same, 0.5 neighbours on weekly < biweekly < triweekly < monthly, 0 otherwise.
 *   T  time zone = max(0, 1 − gap in hours / 8).
 *
 * FLOOR (1 %) makes every allowed pair strictly positive, so the optimum never leaves two
 * compatible people apart for nothing, and scores live in [0.01, 1] whatever the weights' scale.
 * Rounding to a dyadic grid keeps sums of scores exact in doubles (up to 2³³), so the solver
 * compares totals without epsilon and equal-score alternatives tie exactly and deterministically.
 */
import { CADENCES, FORMATS, type SideProfiles } from './profiles.js';
import type { Cadence, Format, MatchingWeights } from './types.js';

/** Programme defaults: complementarity is the point of reverse mentoring; logistics break ties. */
export const DEFAULT_WEIGHTS: MatchingWeights = { complementarity: 0.6, format: 0.15, cadence: 0.1, timeZone: 0.15 };

const FLOOR = 0.01;
const TWO_WAY_BONUS = 0.5;
const FLEXIBLE_FORMAT = 0.75;
const CLOSE_CADENCE = 0.5;
const TIME_ZONE_HORIZON_MINUTES = 8 * 60;
const GRID = 2 ** 20;

type FormatFit = 'same' | 'flexible' | 'mismatch';

function formatFit(a: Format, b: Format): FormatFit {
  if (a === 'either' || b === 'either') return 'flexible';
  return a === b ? 'same' : 'mismatch';
}

/** Steps apart on the cadence scale. */
export function cadenceDistance(a: Cadence, b: Cadence): number {
  return Math.abs(CADENCES.indexOf(a) - CADENCES.indexOf(b));
}

/**
 * Weights folded into lookup tables once per run, so scoring a pair costs a few
 * popcounts, array reads and additions.
 */
export interface ScoreTables {
  /** (1 − FLOOR)·w_c / (2 + B) · g(k), indexed by overlap count k. */
  readonly complementarityCurve: Float64Array;
  /** (1 − FLOOR)·w_c · B / (2 + B): added when both directions overlap. */
  readonly twoWayBonus: number;
  /** (1 − FLOOR)·w_f · F, indexed by formatA · 3 + formatB. */
  readonly format: Float64Array;
  /** (1 − FLOOR)·w_k · K, indexed by cadenceA · 4 + cadenceB. */
  readonly cadence: Float64Array;
  /** (1 − FLOOR)·w_t, scaled by (8 h − gap) / 8 h. */
  readonly timeZone: number;
}

export function buildScoreTables(weights: MatchingWeights, maxOverlap: number): ScoreTables {
  const share = normaliseWeights(weights);
  const scale = 1 - FLOOR;
  const complementarity = (scale * share.complementarity) / (2 + TWO_WAY_BONUS);
  const curve = new Float64Array(maxOverlap + 1);
  for (let k = 0; k <= maxOverlap; k++) curve[k] = complementarity * (1 - 2 ** -k);
  const format = new Float64Array(FORMATS.length * FORMATS.length);
  FORMATS.forEach((a, i) =>
    FORMATS.forEach((b, j) => {
      format[i * FORMATS.length + j] = scale * share.format * formatValue(formatFit(a, b));
    }),
  );
  const cadence = new Float64Array(CADENCES.length * CADENCES.length);
  CADENCES.forEach((a, i) =>
    CADENCES.forEach((b, j) => {
      cadence[i * CADENCES.length + j] = scale * share.cadence * cadenceValue(cadenceDistance(a, b));
    }),
  );
  return {
    complementarityCurve: curve,
    twoWayBonus: complementarity * TWO_WAY_BONUS,
    format,
    cadence,
    timeZone: scale * share.timeZone,
  };
}

/** Rejects weights that would make scores meaningless (negative, NaN, infinite). */
function normaliseWeights(weights: MatchingWeights): MatchingWeights {
  const values = [weights.complementarity, weights.format, weights.cadence, weights.timeZone];
  if (values.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new RangeError('Matching weights must be finite and non-negative');
  }
  const total = values.reduce((sum, w) => sum + w, 0);
  if (total === 0) return { complementarity: 0, format: 0, cadence: 0, timeZone: 0 };
  return {
    complementarity: weights.complementarity / total,
    format: weights.format / total,
    cadence: weights.cadence / total,
    timeZone: weights.timeZone / total,
  };
}

function formatValue(fit: FormatFit): number {
  return fit === 'same' ? 1 : fit === 'flexible' ? FLEXIBLE_FORMAT : 0;
}

function cadenceValue(distance: number): number {
  return distance === 0 ? 1 : distance === 1 ? CLOSE_CADENCE : 0;
}

/**
 * Scores person `index` of one side against every person of the other side into
 * out[start ..], writing 0 where `blocks` flags a hard constraint. Symmetric in the two
 * sides (each side's `shares` and the other's `learns` use the same dictionary).
 * Row-at-a-time so the person's own data is read once, not n×m times.
 */
export function scoreRow(
  own: SideProfiles,
  index: number,
  others: SideProfiles,
  tables: ScoreTables,
  blocks: Uint8Array,
  out: Float64Array,
  start: number,
): void {
  const { complementarityCurve: curve, twoWayBonus, format: formatTable, cadence: cadenceTable } = tables;
  const timeZonePerMinute = tables.timeZone / TIME_ZONE_HORIZON_MINUTES;
  const formatRow = own.format[index]! * FORMATS.length;
  const cadenceRow = own.cadence[index]! * CADENCES.length;
  const offset = own.offset[index]!;
  const teachWords = own.shareWords;
  const learnWords = own.learnWords;
  const teachStart = index * teachWords;
  const learnStart = index * learnWords;
  const singleWord = teachWords === 1 && learnWords === 1;
  const teachWord = own.shares[teachStart]!;
  const learnWord = own.learns[learnStart]!;
  // Locals rather than property reads inside the loop: V8 may not hoist them past the stores to `out`.
  const { shares: otherShares, learns: otherLearns, format: otherFormat, cadence: otherCadence } = others;
  const otherOffset = others.offset;
  const count = others.candidates.length;
  for (let other = 0; other < count; other++) {
    if (blocks[other] !== 0) {
      out[start + other] = 0;
      continue;
    }
    const teachesOther = singleWord
      ? popcount(teachWord & otherLearns[other]!)
      : overlapCount(own.shares, teachStart, otherLearns, other * teachWords, teachWords);
    const learnsFromOther = singleWord
      ? popcount(learnWord & otherShares[other]!)
      : overlapCount(own.learns, learnStart, otherShares, other * learnWords, learnWords);
    let total = FLOOR + curve[teachesOther]! + curve[learnsFromOther]!;
    if (teachesOther > 0 && learnsFromOther > 0) total += twoWayBonus;
    total += formatTable[formatRow + otherFormat[other]!]!;
    total += cadenceTable[cadenceRow + otherCadence[other]!]!;
    const gap = Math.abs(offset - otherOffset[other]!);
    if (gap < TIME_ZONE_HORIZON_MINUTES) total += timeZonePerMinute * (TIME_ZONE_HORIZON_MINUTES - gap);
    out[start + other] = total;
  }
}

function overlapCount(bitsA: Uint32Array, startA: number, bitsB: Uint32Array, startB: number, words: number): number {
  let count = 0;
  for (let w = 0; w < words; w++) count += popcount(bitsA[startA + w]! & bitsB[startB + w]!);
  return count;
}

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
