/**
 * Exact maximum-weight assignment on a dense rows × cols matrix (rows ≤ cols), by
 * shortest augmenting paths with column potentials (Jonker–Volgenant style):
 *
 *  1. greedy start: each row takes its best column if still free (potentials stay 0);
 *  2. a few rounds of augmenting row reduction: cheap local swaps that settle most rows;
 *  3. for every row still free, a Dijkstra search over reduced costs to the nearest free
 *     column, then a potential update on the columns it settled: O(rows · cols) worst case per row.
 *
 * Internally it minimises cost = −profit. Column potentials only decrease, and only on
 * assigned columns, which keeps the rectangular dual feasible (free columns stay at 0).
 * Memory: O(rows + cols) on top of the caller's matrix. Deterministic: same matrix, same answer.
 * Exact when profits are multiples of a common power of two (see score.ts): then every
 * reduced cost is computed without rounding and ties compare equal. Profits are read from a
 * Float32Array (half the memory traffic of the hot loops); all arithmetic is in doubles.
 *
 * Typed-array reads use `!`: every index is within bounds by construction, and these are
 * the hot loops of the whole matching.
 */

/**
 * Step 2 costs one pass over the free rows per round; on the benchmark pools, rounds past
 * about six mostly shuffle the same hard rows, which step 3 then settles anyway.
 */
const ROW_REDUCTION_ROUNDS = 6;
/** Safety net for step 2, which may in theory ping-pong; rows left over go to step 3. */
const ROW_REDUCTION_STEPS_PER_ROW = 8;

interface SolverState {
  readonly profit: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** Column potentials. */
  readonly v: Float64Array;
  /** Column of each row, -1 when free. */
  readonly rowCol: Int32Array;
  /** Row of each column, -1 when free. */
  readonly colRow: Int32Array;
}

/**
 * @param profit row-major rows × cols, rows ≤ cols, finite values.
 * @returns the column of each row. Every row gets one (the bipartite graph is complete);
 * callers drop cells they consider forbidden (profit 0).
 */
export function solveAssignment(profit: Float32Array, rows: number, cols: number): Int32Array {
  if (rows > cols) throw new RangeError('solveAssignment needs rows <= cols');
  if (profit.length !== rows * cols) throw new RangeError('profit matrix size does not match rows × cols');
  const state: SolverState = {
    profit,
    rows,
    cols,
    v: new Float64Array(cols),
    rowCol: new Int32Array(rows).fill(-1),
    colRow: new Int32Array(cols).fill(-1),
  };
  const free = new Int32Array(rows);
  let freeCount = greedyStart(state, free);
  // Row reduction compares a row's two best columns, so it needs at least two.
  for (let round = 0; round < ROW_REDUCTION_ROUNDS && freeCount > 0 && cols > 1; round++) {
    freeCount = reduceFreeRows(state, free, freeCount);
  }
  const search = createSearch(cols);
  for (let k = 0; k < freeCount; k++) augmentFrom(state, search, free[k]!);
  return state.rowCol;
}

/** Each row takes the first free column among its best ones; returns how many rows stay free. */
function greedyStart(state: SolverState, free: Int32Array): number {
  const { profit, rows, cols, rowCol, colRow } = state;
  let freeCount = 0;
  for (let row = 0; row < rows; row++) {
    const start = row * cols;
    let best = -Infinity;
    let pick = -1;
    for (let col = 0; col < cols; col++) {
      const p = profit[start + col]!;
      if (p > best) {
        best = p;
        pick = colRow[col]! < 0 ? col : -1;
      } else if (p === best && pick < 0 && colRow[col]! < 0) {
        pick = col;
      }
    }
    if (pick >= 0) {
      rowCol[row] = pick;
      colRow[pick] = row;
    } else {
      free[freeCount++] = row;
    }
  }
  return freeCount;
}

/**
 * Augmenting row reduction: a free row takes its cheapest column (lowering that column's
 * potential so the row would be indifferent with its second choice) and evicts the owner,
 * which is retried at once when the move made progress, or next round otherwise.
 * Keeps `free[0..count)` as the rows still free; returns their number.
 */
function reduceFreeRows(state: SolverState, free: Int32Array, count: number): number {
  const { profit, cols, v, rowCol, colRow } = state;
  let next = 0;
  let k = 0;
  let budget = count * ROW_REDUCTION_STEPS_PER_ROW;
  while (k < count) {
    if (budget-- === 0) {
      while (k < count) free[next++] = free[k++]!;
      break;
    }
    const row = free[k++]!;
    const start = row * cols;
    let u1 = -profit[start]! - v[0]!;
    let j1 = 0;
    let u2 = Infinity;
    let j2 = -1;
    for (let col = 1; col < cols; col++) {
      const h = -profit[start + col]! - v[col]!;
      if (h < u2) {
        if (h >= u1) {
          u2 = h;
          j2 = col;
        } else {
          u2 = u1;
          j2 = j1;
          u1 = h;
          j1 = col;
        }
      }
    }
    let evicted = colRow[j1]!;
    const progressed = u1 < u2;
    if (progressed) {
      v[j1] = v[j1]! - (u2 - u1);
    } else if (evicted >= 0) {
      j1 = j2;
      evicted = colRow[j2]!;
    }
    rowCol[row] = j1;
    colRow[j1] = row;
    if (evicted >= 0) {
      rowCol[evicted] = -1;
      if (progressed) free[--k] = evicted;
      else free[next++] = evicted;
    }
  }
  return next;
}

/** Scratch arrays of the Dijkstra search, allocated once per solve. */
interface Search {
  /**
   * Per column: tentative distance + column potential while not reached yet, −Infinity once
   * reached. Folding the potential in saves a read per relaxation, and −Infinity makes
   * relaxations skip reached columns without testing a state array; the sweep stays sequential.
   */
  readonly key: Float64Array;
  /** Row through which each column was reached. */
  readonly via: Int32Array;
  /** Columns in the order they were reached: [0, settled) scanned, the rest waiting at minDist. */
  readonly reached: Int32Array;
  /** Distance at which each reached column was reached. */
  readonly dist: Float64Array;
}

function createSearch(cols: number): Search {
  return {
    key: new Float64Array(cols),
    via: new Int32Array(cols),
    reached: new Int32Array(cols),
    dist: new Float64Array(cols),
  };
}

/** Finds a cheapest augmenting path from a free row to a free column and flips it. */
function augmentFrom(state: SolverState, search: Search, startRow: number): void {
  const { profit, cols, v, colRow } = state;
  const { key, via, reached, dist } = search;
  const start = startRow * cols;
  for (let col = 0; col < cols; col++) {
    key[col] = -profit[start + col]!;
    via[col] = startRow;
  }
  let settled = 0;
  let reachedCount = 0;
  let minDist = 0;
  let end = -1;
  while (end < 0) {
    if (settled === reachedCount) {
      reachedCount = gatherNearest(search, v, reachedCount, cols);
      minDist = dist[reached[settled]!]!;
      end = firstFreeColumn(colRow, reached, settled, reachedCount);
      if (end >= 0) break;
    }
    const col = reached[settled++]!;
    const row = colRow[col]!;
    const line = profit.subarray(row * cols, (row + 1) * cols);
    // `row`'s assigned edge is tight and its column sits at minDist, which fixes the row's potential.
    const shift = line[col]! + v[col]! + minDist;
    // Bounded by line.length so V8 can drop the bounds checks of the hottest loop.
    for (let next = 0; next < line.length; next++) {
      const candidate = shift - line[next]!;
      if (candidate < key[next]!) {
        key[next] = candidate;
        via[next] = row;
        if (candidate - v[next]! <= minDist) {
          if (colRow[next]! < 0) {
            end = next;
            break;
          }
          key[next] = -Infinity;
          dist[next] = minDist;
          reached[reachedCount++] = next;
        }
      }
    }
  }
  for (let k = 0; k < settled; k++) {
    const col = reached[k]!;
    v[col] = v[col]! + dist[col]! - minDist;
  }
  flipPath(state, via, startRow, end);
}

/**
 * Marks every unreached column at the smallest tentative distance as reached (appended to
 * `reached` from `from`, in column order) and returns the new end of `reached`.
 */
function gatherNearest(search: Search, v: Float64Array, from: number, cols: number): number {
  const { key, reached, dist } = search;
  let min = Infinity;
  let end = from;
  for (let col = 0; col < cols; col++) {
    const k = key[col]!;
    if (k === -Infinity) continue;
    const d = k - v[col]!;
    if (d <= min) {
      if (d < min) {
        min = d;
        end = from;
      }
      reached[end++] = col;
    }
  }
  for (let k = from; k < end; k++) {
    const col = reached[k]!;
    key[col] = -Infinity;
    dist[col] = min;
  }
  return end;
}

function firstFreeColumn(colRow: Int32Array, reached: Int32Array, from: number, to: number): number {
  for (let k = from; k < to; k++) {
    const col = reached[k]!;
    if (colRow[col]! < 0) return col;
  }
  return -1;
}

/** Walks the path back from the free column it reached, reassigning each row one step along. */
function flipPath(state: SolverState, via: Int32Array, startRow: number, endCol: number): void {
  const { rowCol, colRow } = state;
  let col = endCol;
  for (;;) {
    const row = via[col]!;
    colRow[col] = row;
    const previous = rowCol[row]!;
    rowCol[row] = col;
    if (row === startRow) return;
    col = previous;
  }
}
