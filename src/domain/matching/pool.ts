import { compareIds } from './text.js';
import type { Candidate } from './types.js';

export interface SplitPool {
  /** Available juniors, sorted by id. */
  readonly juniors: Candidate[];
  /** Available seniors, sorted by id. */
  readonly seniors: Candidate[];
  /** Paused or already paired, sorted by id. */
  readonly unavailable: Candidate[];
}

/**
 * Sorts by id before anything else, so the result depends on the pool's content and
 * never on the order the caller happened to list people in.
 */
export function splitPool(candidates: readonly Candidate[]): SplitPool {
  const sorted = [...candidates].sort((a, b) => compareIds(a.id, b.id));
  assertUniqueIds(sorted);
  const pool: SplitPool = { juniors: [], seniors: [], unavailable: [] };
  for (const candidate of sorted) {
    if (!candidate.available) pool.unavailable.push(candidate);
    else if (candidate.role === 'junior') pool.juniors.push(candidate);
    else pool.seniors.push(candidate);
  }
  return pool;
}

function assertUniqueIds(sorted: readonly Candidate[]): void {
  for (let k = 1; k < sorted.length; k++) {
    const id = sorted[k]!.id;
    if (id === sorted[k - 1]!.id) throw new RangeError(`Duplicate candidate id in matching pool: ${id}`);
  }
}
