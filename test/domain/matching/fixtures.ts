/**
 * Test helpers for matching: a candidate factory and a deliberately naive reference of the
 * rules (string comparisons, the documented formula written out plainly), so tests check the
 * optimised implementation against an independent reading of the spec.
 */
import { DEFAULT_WEIGHTS, type Candidate, type MatchingOptions, type Role } from '../../../src/domain/matching/index.js';

export function person(role: Role, id: string, overrides: Partial<Candidate> = {}): Candidate {
  return {
    id,
    userId: `U-${id}`,
    role,
    name: id,
    department: null,
    managerUserId: null,
    languages: ['en'],
    shares: [],
    learns: [],
    format: 'video',
    cadence: 'biweekly',
    utcOffsetMinutes: 60,
    available: true,
    ...overrides,
  };
}

export const junior = (id: string, overrides: Partial<Candidate> = {}): Candidate => person('junior', id, overrides);
export const senior = (id: string, overrides: Partial<Candidate> = {}): Candidate => person('senior', id, overrides);

export function options(overrides: Partial<MatchingOptions> = {}): MatchingOptions {
  return { allowSameDepartment: false, weights: DEFAULT_WEIGHTS, excludedPairs: new Set(), ...overrides };
}

/** Case-, accent- and space-insensitive key, written independently of the implementation. */
export function key(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/\s+/)
    .filter((part) => part !== '')
    .join(' ');
}

function overlap(a: readonly string[], b: readonly string[]): number {
  const wanted = new Set(b.map(key));
  return new Set(a.map(key).filter((k) => k !== '' && wanted.has(k))).size;
}

export interface Blocking {
  language: boolean;
  department: boolean;
  manager: boolean;
  previousPair: boolean;
  self: boolean;
}

export function blocking(j: Candidate, s: Candidate, opts: MatchingOptions): Blocking {
  const sameDepartment =
    j.department !== null && s.department !== null && key(j.department) !== '' && key(j.department) === key(s.department);
  return {
    language: overlap(j.languages, s.languages) === 0,
    department: !opts.allowSameDepartment && sameDepartment,
    manager: j.managerUserId === s.userId || s.managerUserId === j.userId,
    previousPair: opts.excludedPairs.has(`${j.id}:${s.id}`),
    self: j.userId === s.userId,
  };
}

export function isAllowed(j: Candidate, s: Candidate, opts: MatchingOptions): boolean {
  return !Object.values(blocking(j, s, opts)).some(Boolean);
}

const CADENCE_ORDER = ['weekly', 'biweekly', 'triweekly', 'monthly'];

/** The formula documented in score.ts, unrounded. */
export function referenceScore(j: Candidate, s: Candidate, opts: MatchingOptions): number {
  const w = opts.weights;
  const sum = w.complementarity + w.format + w.cadence + w.timeZone;
  const g = (k: number): number => 1 - 2 ** -k;
  const a = overlap(j.shares, s.learns);
  const b = overlap(s.shares, j.learns);
  const complementarity = (g(a) + g(b) + (a > 0 && b > 0 ? 0.5 : 0)) / 2.5;
  const format = j.format === 'either' || s.format === 'either' ? 0.75 : j.format === s.format ? 1 : 0;
  const steps = Math.abs(CADENCE_ORDER.indexOf(j.cadence) - CADENCE_ORDER.indexOf(s.cadence));
  const cadence = steps === 0 ? 1 : steps === 1 ? 0.5 : 0;
  const timeZone = Math.max(0, 1 - Math.abs(j.utcOffsetMinutes - s.utcOffsetMinutes) / 60 / 8);
  const weighted =
    sum === 0
      ? 0
      : (w.complementarity * complementarity + w.format * format + w.cadence * cadence + w.timeZone * timeZone) / sum;
  return 0.01 + 0.99 * weighted;
}
