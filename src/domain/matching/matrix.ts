import { resolveExcludedPairs, type IndexPair } from './constraints.js';
import type { PoolProfiles } from './profiles.js';
import { buildScoreTables, createRowContext, scoreRow } from './score.js';
import type { MatchingOptions } from './types.js';

/**
 * Dense score matrix with the smaller side on the rows (the solver needs rows ≤ cols;
 * building it in that orientation avoids a transposed copy). Float32 holds every score exactly
 * (see score.ts) at half the memory and cache traffic of Float64. Forbidden pairs score 0:
 * since every allowed pair scores > 0, a best full assignment of this matrix, minus its
 * zero cells, is a best matching that uses allowed pairs only.
 */
export interface ScoreMatrix {
  readonly scores: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly juniorsOnRows: boolean;
  /** Previous pairs found in the pool, already zeroed in `scores`. */
  readonly excluded: readonly IndexPair[];
}

export function buildScoreMatrix(profiles: PoolProfiles, options: MatchingOptions): ScoreMatrix {
  const { juniors, seniors, languageWords } = profiles;
  const juniorsOnRows = juniors.candidates.length <= seniors.candidates.length;
  const rowSide = juniorsOnRows ? juniors : seniors;
  const colSide = juniorsOnRows ? seniors : juniors;
  const tables = buildScoreTables(options.weights, profiles.maxOverlap);
  const rows = rowSide.candidates.length;
  const cols = colSide.candidates.length;
  const scores = new Float32Array(rows * cols);
  const context = createRowContext(tables, colSide, languageWords, options.allowSameDepartment);
  for (let row = 0; row < rows; row++) scoreRow(rowSide, row, colSide, context, scores, row * cols);
  const excluded = resolveExcludedPairs(
    options.excludedPairs,
    juniors.candidates.map((c) => c.id),
    seniors.candidates.map((c) => c.id),
  );
  for (const { junior, senior } of excluded) {
    scores[juniorsOnRows ? junior * cols + senior : senior * cols + junior] = 0;
  }
  return { scores, rows, cols, juniorsOnRows, excluded };
}
