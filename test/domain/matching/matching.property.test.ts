import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPool, type Candidate, type MatchingOptions, type MatchingResult } from '../../../src/domain/matching/index.js';
import { blocking, isAllowed, person, referenceScore } from './fixtures.js';

// Small catalogues with spelling variants, so folding and overlaps both get exercised.
const SKILLS = ['LinkedIn', 'linkedin ', 'IA générative', 'ia generative', 'TikTok', 'Négociation', 'Budget', 'Strategy'];
const LANGUAGES = ['en', 'fr', 'FR', 'de'];
const DEPARTMENTS = ['Sales', 'sales', 'Tech', null];
const OFFSETS = [-300, 0, 60, 120, 330, 600];

interface Pool {
  candidates: Candidate[];
  options: MatchingOptions;
}

const profile = fc.record({
  department: fc.constantFrom(...DEPARTMENTS),
  languages: fc.subarray(LANGUAGES, { maxLength: 3 }),
  shares: fc.subarray(SKILLS, { maxLength: 4 }),
  learns: fc.subarray(SKILLS, { maxLength: 4 }),
  format: fc.constantFrom('in_person' as const, 'video' as const, 'either' as const),
  cadence: fc.constantFrom('weekly' as const, 'biweekly' as const, 'triweekly' as const, 'monthly' as const),
  utcOffsetMinutes: fc.constantFrom(...OFFSETS),
  available: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // 90 % available
});

const weights = fc.oneof(
  fc.constant({ complementarity: 0.6, format: 0.15, cadence: 0.1, timeZone: 0.15 }),
  fc.record({
    complementarity: fc.integer({ min: 0, max: 10 }),
    format: fc.integer({ min: 0, max: 10 }),
    cadence: fc.integer({ min: 0, max: 10 }),
    timeZone: fc.integer({ min: 0, max: 10 }),
  }),
);

/** Up to 6 juniors × 6 seniors with random constraints: managers, previous pairs, departments, languages. */
const pools: fc.Arbitrary<Pool> = fc
  .record({
    juniors: fc.array(profile, { maxLength: 6 }),
    seniors: fc.array(profile, { maxLength: 6 }),
    allowSameDepartment: fc.boolean(),
    weights,
    seed: fc.integer(),
  })
  .map(({ juniors, seniors, allowSameDepartment, weights: w, seed }) => {
    const candidates = [
      ...juniors.map((p, k) => person('junior', `j${k}`, p)),
      ...seniors.map((p, k) => person('senior', `s${k}`, p)),
    ];
    // Deterministic pseudo-random managers and previous pairs derived from the seed.
    let state = seed >>> 0;
    const next = (): number => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 2 ** 32;
    };
    for (const c of candidates) {
      if (next() < 0.2) c.managerUserId = candidates[Math.floor(next() * candidates.length)]!.userId;
    }
    const excludedPairs = new Set<string>();
    for (const j of candidates.filter((c) => c.role === 'junior')) {
      for (const s of candidates.filter((c) => c.role === 'senior')) if (next() < 0.15) excludedPairs.add(`${j.id}:${s.id}`);
    }
    return { candidates, options: { allowSameDepartment, weights: w, excludedPairs } };
  });

const byId = (candidates: readonly Candidate[]): Map<string, Candidate> => new Map(candidates.map((c) => [c.id, c]));

/** Score of a pair alone in a pool: null when a hard constraint forbids it. */
function pairScore(j: Candidate, s: Candidate, opts: MatchingOptions): number | null {
  return matchPool([j, s], opts).proposals[0]?.score ?? null;
}

/** Best total over every matching, leaving people out allowed. */
function bruteForceBest(juniors: readonly Candidate[], seniors: readonly Candidate[], opts: MatchingOptions): number {
  const scores = juniors.map((j) => seniors.map((s) => pairScore(j, s, opts)));
  const used = new Array<boolean>(seniors.length).fill(false);
  const best = (row: number): number => {
    if (row === juniors.length) return 0;
    let top = best(row + 1);
    scores[row]!.forEach((score, col) => {
      if (score === null || used[col]) return;
      used[col] = true;
      top = Math.max(top, score + best(row + 1));
      used[col] = false;
    });
    return top;
  };
  return best(0);
}

function available(pool: Pool, role: 'junior' | 'senior'): Candidate[] {
  return pool.candidates.filter((c) => c.available && c.role === role);
}

describe('matchPool on random small pools', () => {
  it('finds the brute-force optimum', () => {
    fc.assert(
      fc.property(pools, (pool) => {
        const result = matchPool(pool.candidates, pool.options);
        const best = bruteForceBest(available(pool, 'junior'), available(pool, 'senior'), pool.options);
        expect(result.totalScore).toBe(best);
      }),
      { numRuns: 300 },
    );
  });

  it('never proposes a forbidden pair nor anyone twice, and accounts for everyone once', () => {
    fc.assert(
      fc.property(pools, (pool) => {
        const result = matchPool(pool.candidates, pool.options);
        const people = byId(pool.candidates);
        for (const p of result.proposals) {
          const j = people.get(p.juniorId)!;
          const s = people.get(p.seniorId)!;
          expect([j.role, s.role, j.available, s.available]).toEqual(['junior', 'senior', true, true]);
          expect(isAllowed(j, s, pool.options)).toBe(true);
        }
        const mentioned = [
          ...result.proposals.flatMap((p) => [p.juniorId, p.seniorId]),
          ...result.unmatched.map((u) => u.id),
        ];
        expect(mentioned.slice().sort()).toEqual(pool.candidates.map((c) => c.id).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('is identical whatever the input order', () => {
    fc.assert(
      fc.property(
        pools.chain((pool) =>
          fc.tuple(
            fc.constant(pool),
            fc.shuffledSubarray(pool.candidates, { minLength: pool.candidates.length, maxLength: pool.candidates.length }),
          ),
        ),
        ([pool, shuffled]) => {
          expect(matchPool(shuffled, pool.options)).toEqual(matchPool(pool.candidates, pool.options));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scores every allowed pair as the documented formula, strictly positive', () => {
    fc.assert(
      fc.property(pools, (pool) => {
        for (const j of available(pool, 'junior')) {
          for (const s of available(pool, 'senior')) {
            const score = pairScore(j, s, pool.options);
            if (!isAllowed(j, s, pool.options)) {
              expect(score).toBeNull();
              continue;
            }
            expect(score).not.toBeNull();
            expect(score!).toBeGreaterThan(0);
            expect(Math.abs(score! - referenceScore(j, s, pool.options))).toBeLessThanOrEqual(2 ** -20);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('explains every unmatched person truthfully', () => {
    fc.assert(
      fc.property(pools, (pool) => {
        const result = matchPool(pool.candidates, pool.options);
        checkUnmatched(pool, result);
      }),
      { numRuns: 300 },
    );
  });
});

function checkUnmatched(pool: Pool, result: MatchingResult): void {
  const paired = new Set(result.proposals.flatMap((p) => [p.juniorId, p.seniorId]));
  const people = byId(pool.candidates);
  for (const { id, reason } of result.unmatched) {
    const me = people.get(id)!;
    const others = available(pool, me.role === 'junior' ? 'senior' : 'junior');
    const pairOf = (other: Candidate): [Candidate, Candidate] => (me.role === 'junior' ? [me, other] : [other, me]);
    const allowed = others.filter((o) => isAllowed(...pairOf(o), pool.options));
    switch (reason.kind) {
      case 'unavailable':
        expect(me.available).toBe(false);
        break;
      case 'no_one_in_other_role':
        expect(others).toHaveLength(0);
        break;
      case 'partners_taken':
        expect(allowed.length).toBe(reason.compatiblePartners);
        expect(allowed.length).toBeGreaterThan(0);
        // Optimality: every compatible partner went to someone else.
        for (const o of allowed) expect(paired.has(o.id)).toBe(true);
        break;
      case 'no_compatible_partner': {
        expect(allowed).toHaveLength(0);
        const blocks = others.map((o) => blocking(...pairOf(o), pool.options));
        expect(reason.blockedBy).toEqual({
          language: blocks.filter((b) => b.language).length,
          department: blocks.filter((b) => b.department).length,
          manager: blocks.filter((b) => b.manager).length,
          previousPair: blocks.filter((b) => b.previousPair).length,
        });
        break;
      }
    }
  }
}
