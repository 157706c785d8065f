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
 * A score k·2⁻²⁰ ≤ 1 needs 21 significant bits, so it is also exact in a Float32Array (24 bits).
 */
import { pairBlocks, sharesBit } from './constraints.js';
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
const INVERSE_GRID = 1 / GRID;

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
 * Weights folded into lookup tables once per run, so scoring a pair costs two popcounts,
 * a few array reads and additions, and no data-dependent branch.
 */
export interface ScoreTables {
  /** (1 − FLOOR)·w_c·C(a, b), indexed by a · overlapStride + b, counts capped at overlapStride − 1; symmetric. */
  readonly complementarity: Float64Array;
  readonly overlapStride: number;
  /** (1 − FLOOR)·w_f·F, indexed by formatA · 3 + formatB. */
  readonly format: Float64Array;
  /** (1 − FLOOR)·w_k·K, indexed by cadenceA · 4 + cadenceB. */
  readonly cadence: Float64Array;
  /** (1 − FLOOR)·w_t / 8 h: multiplied by max(0, 8 h − gap in minutes). */
  readonly timeZonePerMinute: number;
}

/**
 * Overlap counts are capped here: past 32 shared skills, g(k) changes by less than 2⁻³², far
 * below the score grid, and the cap keeps the complementarity table small whatever people list.
 */
const OVERLAP_CAP = 32;

/** @param maxOverlap the largest overlap count any pair can reach in either direction. */
export function buildScoreTables(weights: MatchingWeights, maxOverlap: number): ScoreTables {
  const share = normaliseWeights(weights);
  const scale = 1 - FLOOR;
  const cap = Math.min(maxOverlap, OVERLAP_CAP);
  const stride = cap + 1;
  const complementarity = new Float64Array(stride * stride);
  for (let a = 0; a <= cap; a++) {
    for (let b = 0; b <= cap; b++) {
      complementarity[a * stride + b] = scale * share.complementarity * complementarityValue(a, b);
    }
  }
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
    complementarity,
    overlapStride: stride,
    format,
    cadence,
    timeZonePerMinute: (scale * share.timeZone) / TIME_ZONE_HORIZON_MINUTES,
  };
}

function complementarityValue(a: number, b: number): number {
  const diminishing = (k: number): number => 1 - 2 ** -k;
  const bonus = a > 0 && b > 0 ? TWO_WAY_BONUS : 0;
  return (diminishing(a) + diminishing(b) + bonus) / (2 + TWO_WAY_BONUS);
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

/** What scoreRow needs besides the two sides: the hard rules' settings and reusable scratch space. */
export interface RowContext {
  readonly tables: ScoreTables;
  /** fitCodes(others). */
  readonly otherFit: Uint8Array;
  readonly languageWords: number;
  readonly allowSameDepartment: boolean;
  /** Scratch: the fit row table, FORMATS.length × CADENCES.length. */
  readonly fitRow: Float64Array;
  /** The other side's distinct UTC offsets, and each person's index among them. */
  readonly offsets: Float64Array;
  readonly otherOffsetIndex: Int32Array;
  /** Scratch: the time zone term for each of `offsets`, filled per row. */
  readonly timeZoneRow: Float64Array;
}

export function createRowContext(
  tables: ScoreTables,
  others: SideProfiles,
  languageWords: number,
  allowSameDepartment: boolean,
): RowContext {
  const { offsets, indexes } = distinctOffsets(others);
  return {
    tables,
    otherFit: fitCodes(others),
    languageWords,
    allowSameDepartment,
    fitRow: new Float64Array(FORMATS.length * CADENCES.length),
    offsets,
    otherOffsetIndex: indexes,
    timeZoneRow: new Float64Array(offsets.length),
  };
}

/**
 * Real pools span a few dozen UTC offsets at most, so the time zone term is computed once per
 * row for each distinct offset of the other side, and the n×m loop only looks it up.
 */
function distinctOffsets(side: SideProfiles): { offsets: Float64Array; indexes: Int32Array } {
  const seen = new Map<number, number>();
  const indexes = new Int32Array(side.offset.length);
  side.offset.forEach((offset, person) => {
    let index = seen.get(offset);
    if (index === undefined) {
      index = seen.size;
      seen.set(offset, index);
    }
    indexes[person] = index;
  });
  return { offsets: Float64Array.from(seen.keys()), indexes };
}

/**
 * Scores person `index` of one side against every person of the other side into
 * out[start ..], writing 0 where a hard rule forbids the pair (see constraints.ts). Symmetric
 * in the two sides (each side's `shares` and the other's `learns` use the same dictionary).
 * Row-at-a-time so the person's own data is read once, not n×m times. Rules and score share
 * one loop (a separate pass writing flags that this loop read back made the matrix about
 * 15 % slower to build). Forbidden cells are scored too and then discarded; the rules
 * themselves rarely fail, so their branches predict well.
 */
export function scoreRow(
  own: SideProfiles,
  index: number,
  others: SideProfiles,
  context: RowContext,
  out: Float32Array,
  start: number,
): void {
  const { tables, otherFit, languageWords, fitRow, offsets, otherOffsetIndex, timeZoneRow } = context;
  const { complementarity, overlapStride, format: formatTable, cadence: cadenceTable, timeZonePerMinute } = tables;
  const overlapCap = overlapStride - 1;
  // Format and cadence together: one lookup per cell in a row table indexed by the other's fit code.
  const formatRow = own.format[index]! * FORMATS.length;
  const cadenceRow = own.cadence[index]! * CADENCES.length;
  for (let f = 0; f < FORMATS.length; f++) {
    for (let c = 0; c < CADENCES.length; c++) fitRow[f * CADENCES.length + c] = FLOOR + formatTable[formatRow + f]! + cadenceTable[cadenceRow + c]!;
  }
  const offset = own.offset[index]!;
  for (let k = 0; k < offsets.length; k++) {
    timeZoneRow[k] = timeZonePerMinute * Math.max(0, TIME_ZONE_HORIZON_MINUTES - Math.abs(offset - offsets[k]!));
  }
  const teachWords = own.shareWords;
  const learnWords = own.learnWords;
  const teachStart = index * teachWords;
  const learnStart = index * learnWords;
  const singleWord = teachWords === 1 && learnWords === 1;
  const doubleWord = teachWords === 2 && learnWords === 2;
  const ownShares = own.shares;
  const ownLearns = own.learns;
  const teach0 = ownShares[teachStart]!;
  const learn0 = ownLearns[learnStart]!;
  const teach1 = doubleWord ? ownShares[teachStart + 1]! : 0;
  const learn1 = doubleWord ? ownLearns[learnStart + 1]! : 0;
  // Hard rules: the person's own side of them.
  const languages = own.languages;
  const languageStart = index * languageWords;
  const firstLanguage = languages[languageStart]!;
  const department = context.allowSameDepartment ? -1 : own.department[index]!;
  const user = own.user[index]!;
  const manager = own.manager[index]!;
  // Locals rather than property reads inside the loop: V8 may not hoist them past the stores to `out`.
  const { shares: otherShares, learns: otherLearns } = others;
  const { languages: otherLanguages, department: otherDepartment } = others;
  const { user: otherUser, manager: otherManager } = others;
  const count = others.candidates.length;
  for (let other = 0; other < count; other++) {
    // One word holds at most 32 skills and two words 64 (capped): only longer counts need the cap.
    let teachesOther: number;
    let learnsFromOther: number;
    if (singleWord) {
      teachesOther = popcount(teach0 & otherLearns[other]!);
      learnsFromOther = popcount(learn0 & otherShares[other]!);
    } else if (doubleWord) {
      const at = other * 2;
      teachesOther = Math.min(overlapCap, popcount(teach0 & otherLearns[at]!) + popcount(teach1 & otherLearns[at + 1]!));
      learnsFromOther = Math.min(overlapCap, popcount(learn0 & otherShares[at]!) + popcount(learn1 & otherShares[at + 1]!));
    } else {
      teachesOther = Math.min(overlapCap, overlapCount(ownShares, teachStart, otherLearns, other * teachWords, teachWords));
      learnsFromOther = Math.min(overlapCap, overlapCount(ownLearns, learnStart, otherShares, other * learnWords, learnWords));
    }
    const total =
      fitRow[otherFit[other]!]! +
      complementarity[teachesOther * overlapStride + learnsFromOther]! +
      timeZoneRow[otherOffsetIndex[other]!]!;
    // Round to the grid; `| 0` is exact here (total · GRID < 2³¹) and much faster than Math.round;
    // GRID is a power of two, so multiplying by its inverse is exact too, and cheaper than dividing.
    const score = ((total * GRID + 0.5) | 0) * INVERSE_GRID;
    const spoken =
      languageWords === 1
        ? (firstLanguage & otherLanguages[other]!) !== 0
        : sharesBit(languages, languageStart, otherLanguages, other * languageWords, languageWords);
    const blocks = pairBlocks(
      spoken,
      department,
      otherDepartment[other]!,
      user,
      otherUser[other]!,
      manager,
      otherManager[other]!,
    );
    out[start + other] = blocks === 0 ? score : 0;
  }
}

/** Per person: the index of their (format, cadence) in the fit table rows that scoreRow builds. */
export function fitCodes(side: SideProfiles): Uint8Array {
  const codes = new Uint8Array(side.candidates.length);
  for (let i = 0; i < codes.length; i++) codes[i] = side.format[i]! * CADENCES.length + side.cadence[i]!;
  return codes;
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
