/**
 * Exact maximum-weight assignment on a dense rows × cols matrix (rows ≤ cols), by
 * shortest augmenting paths with column potentials (Jonker–Volgenant style):
 *
 *  1. start: on a square matrix, column reduction (each column's potential is its least cost,
 *     and it goes to that row if still free) then reduction transfer (each assigned row's
 *     slack to its second best column moves onto its column's potential, so rows left free
 *     find assigned columns dearer). On a rectangular one, free columns must keep potential 0,
 *     so each row simply takes its best column if still free (potentials stay 0);
 *  2. a few rounds of augmenting row reduction: cheap local swaps that settle most free rows;
 *  3. for every row still free, a Dijkstra search over reduced costs to the nearest free
 *     column, then a potential update on the columns it settled: O(rows · cols) worst case per row.
 *     The last searches are the long ones: few free columns are left, and they are the ones
 *     nobody wanted, so a search from the row settles almost every column before it gets there.
 *     A search that runs long therefore also searches backward from the free columns
 *     (bidirectional Dijkstra), which needs far fewer scans to meet in the middle.
 *
 * Internally it minimises cost = −profit. After step 1, column potentials only decrease, and
 * only on assigned columns, which keeps the rectangular dual feasible (free columns stay at 0).
 * Memory: O(rows + cols) on top of the caller's matrix, plus a contiguous copy of each column
 * a backward search scans (about a third of them on the benchmark pools, never more than the
 * matrix itself). Deterministic: same matrix, same answer.
 * Exact when profits are multiples of a common power of two (see score.ts): then every
 * reduced cost is computed without rounding and ties compare equal. Profits are read from a
 * Float32Array (half the memory traffic of the hot loops); all arithmetic is in doubles.
 *
 * Typed-array reads use `!`: every index is within bounds by construction, and these are
 * the hot loops of the whole matching.
 */

/**
 * Step 2 costs one pass over the free rows per round. On the benchmark pools, after the
 * greedy start rounds past about six mostly shuffle the same hard rows, which step 3 then
 * settles anyway; after column reduction and transfer, two rounds do as well (as in LAPJV).
 */
const ROW_REDUCTION_ROUNDS_AFTER_GREEDY = 6;
const ROW_REDUCTION_ROUNDS_AFTER_TRANSFER = 2;
/** Safety net for step 2, which may in theory ping-pong; rows left over go to step 3. */
const ROW_REDUCTION_STEPS_PER_ROW = 8;
/** Rows a search scans from its free row alone before it also searches back from the free columns. */
const BOTH_WAYS_AFTER = 16;

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

/** Tuning knobs, for tests that must drive every branch on small matrices. */
export interface SolverTuning {
  /** Rows a search scans alone before it also searches backward; default max(16, free columns). */
  readonly bothWaysAfter?: number;
}

/**
 * @param profit row-major rows × cols, rows ≤ cols, finite values.
 * @returns the column of each row. Every row gets one (the bipartite graph is complete);
 * callers drop cells they consider forbidden (profit 0).
 */
export function solveAssignment(profit: Float32Array, rows: number, cols: number, tuning: SolverTuning = {}): Int32Array {
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
  const square = rows === cols;
  let freeCount = square ? reducedStart(state, free) : greedyStart(state, free);
  const rounds = square ? ROW_REDUCTION_ROUNDS_AFTER_TRANSFER : ROW_REDUCTION_ROUNDS_AFTER_GREEDY;
  // Row reduction compares a row's two best columns, so it needs at least two.
  for (let round = 0; round < rounds && freeCount > 0 && cols > 1; round++) {
    freeCount = reduceFreeRows(state, free, freeCount);
  }
  const search = createSearch(cols);
  for (let k = 0; k < freeCount; k++) {
    // Each augmentation assigns one more row, hence one more column.
    const freeCols = cols - rows + freeCount - k;
    augmentFrom(state, search, free[k]!, tuning.bothWaysAfter ?? Math.max(BOTH_WAYS_AFTER, freeCols));
  }
  return state.rowCol;
}

/**
 * Square matrices only (every column ends up assigned, so any potential will do). Column
 * reduction: v_j = least cost in column j, and column j goes to the first row reaching it if
 * that row is still free. Reduction transfer: an assigned row's assigned column becomes as
 * dear as its second best, which lowers v there (no reduced cost becomes negative). Returns
 * how many rows stay free, listed in `free`.
 */
function reducedStart(state: SolverState, free: Int32Array): number {
  const { profit, rows, cols, v, rowCol, colRow } = state;
  // Column maxima, computed row by row so the matrix is read in order.
  const best = new Float32Array(cols).fill(-Infinity);
  const bestRow = new Int32Array(cols);
  for (let row = 0; row < rows; row++) {
    const start = row * cols;
    for (let col = 0; col < cols; col++) {
      const p = profit[start + col]!;
      if (p > best[col]!) {
        best[col] = p;
        bestRow[col] = row;
      }
    }
  }
  for (let col = 0; col < cols; col++) {
    v[col] = -best[col]!;
    const row = bestRow[col]!;
    if (rowCol[row]! < 0) {
      rowCol[row] = col;
      colRow[col] = row;
    }
  }
  let freeCount = 0;
  for (let row = 0; row < rows; row++) {
    const assigned = rowCol[row]!;
    if (assigned < 0) {
      free[freeCount++] = row;
      continue;
    }
    const start = row * cols;
    let second = Infinity;
    for (let col = 0; col < cols; col++) {
      const h = -profit[start + col]! - v[col]!;
      if (h < second && col !== assigned) second = h;
    }
    // With one column there is no second best, and nothing to transfer.
    if (second < Infinity) v[assigned] = v[assigned]! - (second - (-profit[start + assigned]! - v[assigned]!));
  }
  return freeCount;
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
  /** The backward half, created the first time a search runs long (see `searchBothWays`). */
  back: BackwardSearch | null;
}

function createSearch(cols: number): Search {
  return {
    key: new Float64Array(cols),
    via: new Int32Array(cols),
    reached: new Int32Array(cols),
    dist: new Float64Array(cols),
    back: null,
  };
}

/** Finds a cheapest augmenting path from a free row to a free column and flips it. */
function augmentFrom(state: SolverState, search: Search, startRow: number, bothWaysAfter: number): void {
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
    // A search that has scanned this many rows without reaching a free column is likely to be
    // deep (few free columns left, all of them unattractive): it goes on from both ends.
    if (settled === bothWaysAfter) {
      searchBothWays(state, search, startRow, settled, reachedCount, minDist);
      return;
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
  if (search.back !== null) takeFreeColumn(state, search.back, end);
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

/**
 * The backward half of a search: a Dijkstra over rows towards the free columns, along the
 * same edges reversed. It scans columns, which it copies out of the row-major matrix the
 * first time it needs each (a third of them or so on the benchmark pools).
 */
interface BackwardSearch {
  /** Per column: a contiguous copy of it, made on first use. */
  readonly columns: (Float32Array | undefined)[];
  /**
   * Per row: tentative distance to a free column + row potential while not reached yet,
   * −Infinity once reached, and for free rows, which the backward half never enters.
   */
  readonly key: Float64Array;
  /** Column through which each row was reached. */
  readonly via: Int32Array;
  /** Rows in the order they were reached: [0, settled) scanned, the rest waiting at the level. */
  readonly reached: Int32Array;
  /** Distance at which each reached row was reached. */
  readonly dist: Float64Array;
  /** Row potentials of assigned rows: their assigned edge is tight, so u = −profit − v there. */
  readonly u: Float64Array;
  /** Free columns, [0, freeCount), in no particular order. Their potentials never change. */
  readonly freeList: Int32Array;
  freeCount: number;
  /** Per row: least −profit − v over the free columns, and the column: the backward first step. */
  readonly nearestFree: Float64Array;
  readonly nearestFreeCol: Int32Array;
}

function createBackwardSearch(state: SolverState): BackwardSearch {
  const { rows, cols, colRow } = state;
  const back: BackwardSearch = {
    columns: new Array<Float32Array | undefined>(cols),
    key: new Float64Array(rows),
    via: new Int32Array(rows),
    reached: new Int32Array(rows),
    dist: new Float64Array(rows),
    u: new Float64Array(rows),
    freeList: new Int32Array(cols),
    freeCount: 0,
    nearestFree: new Float64Array(rows),
    nearestFreeCol: new Int32Array(rows),
  };
  for (let col = 0; col < cols; col++) if (colRow[col]! < 0) back.freeList[back.freeCount++] = col;
  for (let row = 0; row < rows; row++) findNearestFree(state, back, row);
  return back;
}

function columnOf(state: SolverState, back: BackwardSearch, col: number): Float32Array {
  let column = back.columns[col];
  if (column === undefined) {
    const { profit, rows, cols } = state;
    column = new Float32Array(rows);
    for (let row = 0, at = col; row < rows; row++, at += cols) column[row] = profit[at]!;
    back.columns[col] = column;
  }
  return column;
}

function findNearestFree(state: SolverState, back: BackwardSearch, row: number): void {
  const { profit, cols, v } = state;
  const { freeList, freeCount } = back;
  const start = row * cols;
  let best = Infinity;
  let bestCol = -1;
  for (let k = 0; k < freeCount; k++) {
    const col = freeList[k]!;
    const h = -profit[start + col]! - v[col]!;
    if (h < best) {
      best = h;
      bestCol = col;
    }
  }
  back.nearestFree[row] = best;
  back.nearestFreeCol[row] = bestCol;
}

/** Column `col` has just been assigned: the rows whose nearest free column it was look again. */
function takeFreeColumn(state: SolverState, back: BackwardSearch, col: number): void {
  const { freeList, nearestFreeCol } = back;
  freeList[freeList.indexOf(col)] = freeList[--back.freeCount]!;
  for (let row = 0; row < state.rows; row++) {
    if (nearestFreeCol[row] === col) findNearestFree(state, back, row);
  }
}

/** Shortest path found so far through a node labelled from both ends (a column and its row). */
interface Meeting {
  length: number;
  col: number;
}

/**
 * Bidirectional Dijkstra. The forward half goes on from where augmentFrom stopped; the backward
 * half starts from all free columns at distance 0. A column and its assigned row form one node
 * (the edge between them costs 0); `meeting` keeps the shortest path through a node labelled
 * from both ends, updated whenever a label improves. Each step scans one row forward or one
 * column backward, on the side that has scanned fewer, and the search stops once the two
 * levels add up to the meeting length: no shorter path can remain. (Hence no node is ever
 * scanned from both ends, and the two halves of the path are disjoint.)
 *
 * Potentials then shift by φ − D, D the path length and ρ = min(forward level, D):
 * φ = forward distance on nodes reached forward at distance ≤ ρ, else max(ρ, D − backward
 * distance) on nodes reached backward, else ρ; D on free columns. Every reduced cost stays
 * non-negative and the path becomes tight; shifts are ≤ 0 and free columns keep theirs, as in
 * the one-way search. One pass over the columns: O(cols).
 */
function searchBothWays(
  state: SolverState,
  search: Search,
  startRow: number,
  forwardSettled: number,
  forwardReached: number,
  forwardLevel: number,
): void {
  const { profit, rows, cols, v, rowCol, colRow } = state;
  search.back ??= createBackwardSearch(state);
  const back = search.back;
  const { key: fKey, dist: fDist, reached: fList } = search;
  const { key: bKey, dist: bDist, reached: bList, via: bVia, u, nearestFree, nearestFreeCol, freeList } = back;
  const meeting: Meeting = { length: Infinity, col: -1 };
  // A free column is its own end: the forward half alone reaches it.
  for (let k = 0; k < back.freeCount; k++) {
    const col = freeList[k]!;
    const length = fKey[col]! - v[col]!;
    if (length < meeting.length) {
      meeting.length = length;
      meeting.col = col;
    }
  }
  // Row potentials, and the backward half's first step, from each assigned row to its nearest free column.
  for (let row = 0; row < rows; row++) {
    const col = rowCol[row]!;
    if (col < 0) {
      bKey[row] = -Infinity;
      continue;
    }
    const potential = -profit[row * cols + col]! - v[col]!;
    u[row] = potential;
    bKey[row] = nearestFree[row]!;
    bVia[row] = nearestFreeCol[row]!;
    const length = nearestFree[row]! - potential + (fKey[col] === -Infinity ? fDist[col]! : fKey[col]! - v[col]!);
    if (length < meeting.length) {
      meeting.length = length;
      meeting.col = col;
    }
  }
  let fSettled = forwardSettled;
  let fReached = forwardReached;
  let rF = forwardLevel;
  let bSettled = 0;
  let bReached = 0;
  // Backward distances are ≥ 0: 0 is a valid level until the first backward gathering.
  let rB = 0;
  for (;;) {
    if (fSettled <= bSettled) {
      if (fSettled === fReached) {
        fReached = gatherNearest(search, v, fReached, cols);
        rF = fReached > fSettled ? fDist[fList[fSettled]!]! : Infinity;
      }
      if (rF + rB >= meeting.length) break;
      fReached = relaxForward(state, search, back, fList[fSettled++]!, rF, rB, meeting, fReached);
    } else {
      if (bSettled === bReached) {
        bReached = gatherNearestRows(back, rows, bReached);
        rB = bReached > bSettled ? bDist[bList[bSettled]!]! : Infinity;
      }
      if (rF + rB >= meeting.length) break;
      bReached = relaxBackward(state, search, back, rowCol[bList[bSettled++]!]!, rF, rB, meeting, bReached);
    }
    if (fReached < 0 || bReached < 0) break;
  }
  const length = meeting.length;
  const rho = Math.min(rF, length);
  for (let col = 0; col < cols; col++) {
    const row = colRow[col]!;
    if (row < 0) continue;
    let shift: number;
    if (fKey[col] === -Infinity && fDist[col]! <= rho) shift = fDist[col]! - length;
    else if (bKey[row] === -Infinity) shift = Math.max(rho - length, -bDist[row]!);
    else shift = rho - length;
    v[col] = v[col]! + shift;
  }
  takeFreeColumn(state, back, flipBothWays(state, search, back, startRow, meeting.col));
}

/**
 * Forward relaxation from the row assigned to `col`, settled at level rF. Returns the new end
 * of the forward reached list, or −1 once a path no longer than rF + rB is known.
 */
function relaxForward(
  state: SolverState,
  search: Search,
  back: BackwardSearch,
  col: number,
  rF: number,
  rB: number,
  meeting: Meeting,
  reachedCount: number,
): number {
  const { profit, cols, v, colRow } = state;
  const { key, via, reached, dist } = search;
  const { key: bKey, dist: bDist, u } = back;
  const row = colRow[col]!;
  const line = profit.subarray(row * cols, (row + 1) * cols);
  const shift = line[col]! + v[col]! + rF;
  for (let next = 0; next < line.length; next++) {
    const candidate = shift - line[next]!;
    if (candidate < key[next]!) {
      key[next] = candidate;
      via[next] = row;
      const d = candidate - v[next]!;
      const owner = colRow[next]!;
      let length = d;
      if (owner >= 0) {
        const bk = bKey[owner]!;
        length += bk === -Infinity ? bDist[owner]! : bk - u[owner]!;
      }
      if (length < meeting.length) {
        meeting.length = length;
        meeting.col = next;
        if (length <= rF + rB) return -1;
      }
      if (d <= rF) {
        key[next] = -Infinity;
        dist[next] = rF;
        reached[reachedCount++] = next;
      }
    }
  }
  return reachedCount;
}

/**
 * Backward relaxation through `col`, the column of a row settled backward at level rB: every
 * row may reach a free column through its edge to `col`. Returns the new end of the backward
 * reached list, or −1 once a path no longer than rF + rB is known.
 */
function relaxBackward(
  state: SolverState,
  search: Search,
  back: BackwardSearch,
  col: number,
  rF: number,
  rB: number,
  meeting: Meeting,
  reachedCount: number,
): number {
  const { v, rowCol } = state;
  const { key: fKey, dist: fDist } = search;
  const { key, via, reached, dist, u } = back;
  const line = columnOf(state, back, col);
  const shift = rB - v[col]!;
  for (let next = 0; next < line.length; next++) {
    const candidate = shift - line[next]!;
    if (candidate < key[next]!) {
      key[next] = candidate;
      via[next] = col;
      const d = candidate - u[next]!;
      const own = rowCol[next]!;
      const fk = fKey[own]!;
      const length = d + (fk === -Infinity ? fDist[own]! : fk - v[own]!);
      if (length < meeting.length) {
        meeting.length = length;
        meeting.col = own;
        if (length <= rF + rB) return -1;
      }
      if (d <= rB) {
        key[next] = -Infinity;
        dist[next] = rB;
        reached[reachedCount++] = next;
      }
    }
  }
  return reachedCount;
}

/** As gatherNearest, over the rows of the backward half; returns `from` when none is left. */
function gatherNearestRows(back: BackwardSearch, rows: number, from: number): number {
  const { key, reached, dist, u } = back;
  let min = Infinity;
  let end = from;
  for (let row = 0; row < rows; row++) {
    const k = key[row]!;
    if (k === -Infinity) continue;
    const d = k - u[row]!;
    if (d <= min) {
      if (d < min) {
        min = d;
        end = from;
      }
      reached[end++] = row;
    }
  }
  for (let k = from; k < end; k++) {
    const row = reached[k]!;
    key[row] = -Infinity;
    dist[row] = min;
  }
  return end;
}

/**
 * Flips the path through `meetCol`: its backward half first (from the column's current row on
 * to a free column, while rows still hold their old columns), then its forward half.
 * Returns the free column the path ends on.
 */
function flipBothWays(state: SolverState, search: Search, back: BackwardSearch, startRow: number, meetCol: number): number {
  const { rowCol, colRow } = state;
  let end = meetCol;
  for (let row = colRow[meetCol]!; row >= 0; ) {
    const col = back.via[row]!;
    const owner = colRow[col]!;
    rowCol[row] = col;
    colRow[col] = row;
    end = col;
    row = owner;
  }
  flipPath(state, search.via, startRow, meetCol);
  return end;
}
