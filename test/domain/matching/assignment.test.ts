import fc from 'fast-check';
import { munkres } from 'munkres';
import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../../../src/domain/matching/assignment.js';

interface Problem {
  rows: number;
  cols: number;
  profit: Float32Array;
}

/**
 * Rows ≤ cols, cells k/8 for k in 0..levels: few levels put ties everywhere (as with real
 * scores), many levels make long augmenting paths with distinct distances.
 */
function problems(maxRows: number, extraCols: number, levels: number): fc.Arbitrary<Problem> {
  return fc
    .integer({ min: 0, max: maxRows })
    .chain((rows) => fc.tuple(fc.constant(rows), fc.integer({ min: rows, max: rows + extraCols })))
    .chain(([rows, cols]) =>
      fc
        .array(fc.integer({ min: 0, max: levels }), { minLength: rows * cols, maxLength: rows * cols })
        .map((cells) => ({ rows, cols, profit: Float32Array.from(cells, (c) => c / 8) })),
    );
}

/** Best total over full row assignments, by dynamic programming over the set of used columns. */
function bestTotal({ rows, cols, profit }: Problem): number {
  let best = new Map<number, number>([[0, 0]]);
  for (let row = 0; row < rows; row++) {
    const next = new Map<number, number>();
    for (const [used, total] of best) {
      for (let col = 0; col < cols; col++) {
        if (used & (1 << col)) continue;
        const key = used | (1 << col);
        const value = total + profit[row * cols + col]!;
        if ((next.get(key) ?? -Infinity) < value) next.set(key, value);
      }
    }
    best = next;
  }
  return Math.max(...best.values());
}

function totalOf({ cols, profit }: Problem, rowCol: Int32Array): number {
  let total = 0;
  rowCol.forEach((col, row) => (total += profit[row * cols + col]!));
  return total;
}

function munkresTotal({ rows, cols, profit }: Problem): number {
  const costs = Array.from({ length: rows }, (_, row) => Array.from(profit.subarray(row * cols, (row + 1) * cols), (p) => -p));
  return munkres(costs).reduce((sum, [row, col]) => sum + profit[row * cols + col]!, 0);
}

function expectValidAssignment({ rows, cols }: Problem, rowCol: Int32Array): void {
  expect(rowCol).toHaveLength(rows);
  for (const col of rowCol) expect(col >= 0 && col < cols).toBe(true);
  expect(new Set(rowCol).size).toBe(rows);
}

describe('solveAssignment', () => {
  it.each([6, 1000])('matches exhaustive search on small rectangular matrices (%i levels)', (levels) => {
    fc.assert(
      fc.property(problems(7, 3, levels), (problem) => {
        const rowCol = solveAssignment(problem.profit, problem.rows, problem.cols);
        expectValidAssignment(problem, rowCol);
        expect(totalOf(problem, rowCol)).toBe(bestTotal(problem));
      }),
      { numRuns: 500 },
    );
  });

  it.each([4, 40, 100_000])('matches the munkres package on medium matrices (%i levels)', (levels) => {
    fc.assert(
      fc.property(problems(90, 30, levels), (problem) => {
        const rowCol = solveAssignment(problem.profit, problem.rows, problem.cols);
        expectValidAssignment(problem, rowCol);
        expect(totalOf(problem, rowCol)).toBe(munkresTotal(problem));
      }),
      { numRuns: 60 },
    );
  });

  // Square matrices start from column reduction and reduction transfer, rectangular ones do not.
  it.each([3, 100_000])('matches the munkres package on square matrices (%i levels)', (levels) => {
    fc.assert(
      fc.property(problems(70, 0, levels), (problem) => {
        const rowCol = solveAssignment(problem.profit, problem.rows, problem.cols);
        expectValidAssignment(problem, rowCol);
        expect(totalOf(problem, rowCol)).toBe(munkresTotal(problem));
      }),
      { numRuns: 100 },
    );
  });

  // Searching from both ends normally starts only on long searches; forcing it from the first
  // (or a few) scanned rows puts every search through it, meeting points and ties included.
  it.each([
    [0, 6],
    [0, 100_000],
    [2, 4],
    [1, 40],
  ])('matches the munkres package when searches go both ways after %i rows (%i levels)', (after, levels) => {
    fc.assert(
      fc.property(problems(60, 4, levels), (problem) => {
        const rowCol = solveAssignment(problem.profit, problem.rows, problem.cols, { bothWaysAfter: after });
        expectValidAssignment(problem, rowCol);
        expect(totalOf(problem, rowCol)).toBe(munkresTotal(problem));
      }),
      { numRuns: 150 },
    );
  });

  it.each([0, 1])('matches exhaustive search when searches go both ways after %i rows', (after) => {
    fc.assert(
      fc.property(problems(7, 3, 6), (problem) => {
        const rowCol = solveAssignment(problem.profit, problem.rows, problem.cols, { bothWaysAfter: after });
        expectValidAssignment(problem, rowCol);
        expect(totalOf(problem, rowCol)).toBe(bestTotal(problem));
      }),
      { numRuns: 500 },
    );
  });

  // Large enough for the last searches to run long and go both ways on their own.
  it.each([
    [300, 300],
    [240, 260],
  ])('matches the munkres package on a seeded %i × %i matrix with ties and forbidden cells', (rows, cols) => {
    let seed = 12_345;
    const next = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const profit = Float32Array.from({ length: rows * cols }, () => (next() < 0.15 ? 0 : Math.ceil(next() * 64) / 64));
    const problem = { rows, cols, profit };
    const rowCol = solveAssignment(profit, rows, cols);
    expectValidAssignment(problem, rowCol);
    expect(totalOf(problem, rowCol)).toBe(munkresTotal(problem));
  });

  it('handles empty and single-column matrices', () => {
    expect(solveAssignment(new Float32Array(0), 0, 0)).toEqual(new Int32Array(0));
    expect(solveAssignment(new Float32Array(0), 0, 4)).toEqual(new Int32Array(0));
    expect(solveAssignment(Float32Array.of(0.5), 1, 1)).toEqual(Int32Array.of(0));
  });

  it('gives the same answer for the same matrix', () => {
    const profit = Float32Array.from({ length: 40 * 50 }, (_, k) => ((k * 7919) % 13) / 4);
    expect(solveAssignment(profit, 40, 50)).toEqual(solveAssignment(profit, 40, 50));
    const square = profit.subarray(0, 40 * 40);
    expect(solveAssignment(square, 40, 40)).toEqual(solveAssignment(square, 40, 40));
  });

  it('rejects more rows than columns and mismatched sizes', () => {
    expect(() => solveAssignment(new Float32Array(6), 3, 2)).toThrow(RangeError);
    expect(() => solveAssignment(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});
