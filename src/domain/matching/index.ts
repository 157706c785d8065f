/**
 * Reverse-mentoring matching: an optimal (not greedy) maximum-weight assignment of juniors
 * to seniors under hard constraints, with the reasons for every proposal and for everyone left out.
 * Pure: same input, same output, in any input order.
 */
import { solveAssignment } from './assignment.js';
import { explainPair, explainUnmatched } from './explain.js';
import { buildScoreMatrix, type ScoreMatrix } from './matrix.js';
import { splitPool } from './pool.js';
import { compileProfiles, type PoolProfiles } from './profiles.js';
import { compareIds, createFold, type Fold } from './text.js';
import type { Candidate, MatchingOptions, MatchingResult, Proposal, Unmatched } from './types.js';

export { DEFAULT_WEIGHTS } from './score.js';
export type * from './types.js';

export function matchPool(candidates: readonly Candidate[], options: MatchingOptions): MatchingResult {
  const pool = splitPool(candidates);
  const fold = createFold();
  const profiles = compileProfiles(pool.juniors, pool.seniors, fold);
  const matrix = buildScoreMatrix(profiles, options);
  const rowCol = solveAssignment(matrix.scores, matrix.rows, matrix.cols);
  const proposals = collectProposals(matrix, rowCol, profiles, fold);
  const unmatched = [
    ...pool.unavailable.map((c): Unmatched => ({ id: c.id, reason: { kind: 'unavailable' } })),
    ...collectUnmatched(matrix, rowCol, profiles, options),
  ].sort((a, b) => compareIds(a.id, b.id));
  const totalScore = proposals.reduce((sum, p) => sum + p.score, 0);
  return { proposals, unmatched, totalScore };
}

/** Assigned cells with a positive score; zero cells are forbidden pairs the solver had to fill rows with. */
function collectProposals(matrix: ScoreMatrix, rowCol: Int32Array, profiles: PoolProfiles, fold: Fold): Proposal[] {
  const proposals: Proposal[] = [];
  rowCol.forEach((col, row) => {
    const score = matrix.scores[row * matrix.cols + col]!;
    if (score <= 0) return;
    const [juniorIndex, seniorIndex] = matrix.juniorsOnRows ? [row, col] : [col, row];
    const junior = profiles.juniors.candidates[juniorIndex]!;
    const senior = profiles.seniors.candidates[seniorIndex]!;
    proposals.push({ juniorId: junior.id, seniorId: senior.id, score, reasons: explainPair(junior, senior, fold) });
  });
  return proposals.sort((a, b) => compareIds(a.juniorId, b.juniorId));
}

function collectUnmatched(
  matrix: ScoreMatrix,
  rowCol: Int32Array,
  profiles: PoolProfiles,
  options: MatchingOptions,
): Unmatched[] {
  const rowPaired = new Uint8Array(matrix.rows);
  const colPaired = new Uint8Array(matrix.cols);
  rowCol.forEach((col, row) => {
    if (matrix.scores[row * matrix.cols + col]! > 0) {
      rowPaired[row] = 1;
      colPaired[col] = 1;
    }
  });
  const rowSide = matrix.juniorsOnRows ? profiles.juniors : profiles.seniors;
  const colSide = matrix.juniorsOnRows ? profiles.seniors : profiles.juniors;
  const unmatched: Unmatched[] = [];
  const leftOut = (paired: Uint8Array, side: typeof rowSide, onRows: boolean): void => {
    paired.forEach((isPaired, index) => {
      if (isPaired) return;
      const reason = explainUnmatched(matrix, profiles, { onRows, index }, options);
      unmatched.push({ id: side.candidates[index]!.id, reason });
    });
  };
  leftOut(rowPaired, rowSide, true);
  leftOut(colPaired, colSide, false);
  return unmatched;
}
