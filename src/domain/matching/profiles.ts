import type { Fold } from './text.js';
import type { Cadence, Candidate, Format } from './types.js';

/** Ordinal cadence scale: neighbours on it count as "close". */
export const CADENCES: readonly Cadence[] = ['weekly', 'biweekly', 'triweekly', 'monthly'];
export const FORMATS: readonly Format[] = ['in_person', 'video', 'either'];

/**
 * One side of the pool as flat typed arrays, so the n×m loops read only numbers:
 * strings are interned once here (O(n + m)) instead of compared per pair.
 */
export interface SideProfiles {
  readonly candidates: readonly Candidate[];
  /** Interned userId. */
  readonly user: Int32Array;
  /** Interned managerUserId, -1 when none. */
  readonly manager: Int32Array;
  /** Interned folded department, -1 when none. */
  readonly department: Int32Array;
  /** Bitsets, `languageWords` words per person. */
  readonly languages: Uint32Array;
  /** Bitsets, `shareWords` words per person, over the skills this side may teach the other. */
  readonly shares: Uint32Array;
  readonly shareWords: number;
  /** Bitsets, `learnWords` words per person, over the skills the other side may teach this one. */
  readonly learns: Uint32Array;
  readonly learnWords: number;
  /** Index into FORMATS / CADENCES. */
  readonly format: Uint8Array;
  readonly cadence: Uint8Array;
  readonly offset: Float64Array;
}

export interface PoolProfiles {
  readonly juniors: SideProfiles;
  readonly seniors: SideProfiles;
  readonly languageWords: number;
  /** Largest possible overlap count in either direction. */
  readonly maxOverlap: number;
}

/**
 * Compiles both sides with shared dictionaries, so bit k means the same thing on both.
 * Each teaching direction gets its own skill dictionary holding only skills that someone
 * offers and someone on the other side wants: other skills can never overlap, and leaving
 * them out keeps the bitsets to one 32-bit word for catalogues of up to 32 useful skills each way.
 */
export function compileProfiles(
  juniors: readonly Candidate[],
  seniors: readonly Candidate[],
  fold: Fold,
): PoolProfiles {
  const juniorTeach = teachingDictionary(juniors, seniors, fold);
  const seniorTeach = teachingDictionary(seniors, juniors, fold);
  const languages = new Map<string, number>();
  for (const side of [juniors, seniors]) {
    for (const c of side) for (const language of c.languages) addKey(languages, fold(language));
  }
  const shared: SharedDictionaries = { languages, users: new Map(), departments: new Map(), fold };
  return {
    juniors: compileSide(juniors, shared, juniorTeach, seniorTeach),
    seniors: compileSide(seniors, shared, seniorTeach, juniorTeach),
    languageWords: wordsFor(languages.size),
    maxOverlap: Math.max(
      overlapBound(juniors, seniors, juniorTeach.size),
      overlapBound(seniors, juniors, seniorTeach.size),
    ),
  };
}

/** An overlap can exceed neither the dictionary nor the longest list on either end. */
function overlapBound(teachers: readonly Candidate[], learners: readonly Candidate[], dictionarySize: number): number {
  const longest = (lists: readonly string[][]): number => lists.reduce((max, list) => Math.max(max, list.length), 0);
  return Math.min(dictionarySize, longest(teachers.map((c) => c.shares)), longest(learners.map((c) => c.learns)));
}

interface SharedDictionaries {
  readonly languages: ReadonlyMap<string, number>;
  readonly users: Map<string, number>;
  readonly departments: Map<string, number>;
  readonly fold: Fold;
}

/** Skills that some teacher shares and some learner wants, in first-seen order (deterministic). */
function teachingDictionary(
  teachers: readonly Candidate[],
  learners: readonly Candidate[],
  fold: Fold,
): Map<string, number> {
  const wanted = new Set<string>();
  for (const learner of learners) for (const skill of learner.learns) wanted.add(fold(skill));
  const dictionary = new Map<string, number>();
  for (const teacher of teachers) {
    for (const skill of teacher.shares) {
      const key = fold(skill);
      if (wanted.has(key)) addKey(dictionary, key);
    }
  }
  return dictionary;
}

function addKey(dictionary: Map<string, number>, key: string): void {
  if (key !== '' && !dictionary.has(key)) dictionary.set(key, dictionary.size);
}

function wordsFor(size: number): number {
  return Math.max(1, Math.ceil(size / 32));
}

function compileSide(
  candidates: readonly Candidate[],
  shared: SharedDictionaries,
  teaches: ReadonlyMap<string, number>,
  learns: ReadonlyMap<string, number>,
): SideProfiles {
  const count = candidates.length;
  const languageWords = wordsFor(shared.languages.size);
  const shareWords = wordsFor(teaches.size);
  const learnWords = wordsFor(learns.size);
  const side: SideProfiles = {
    candidates,
    user: new Int32Array(count),
    manager: new Int32Array(count),
    department: new Int32Array(count),
    languages: new Uint32Array(count * languageWords),
    shares: new Uint32Array(count * shareWords),
    shareWords,
    learns: new Uint32Array(count * learnWords),
    learnWords,
    format: new Uint8Array(count),
    cadence: new Uint8Array(count),
    offset: new Float64Array(count),
  };
  const { fold } = shared;
  candidates.forEach((candidate, index) => {
    side.user[index] = intern(shared.users, candidate.userId);
    side.manager[index] = candidate.managerUserId === null ? -1 : intern(shared.users, candidate.managerUserId);
    const department = candidate.department === null ? '' : fold(candidate.department);
    // A missing or blank department never clashes with anyone.
    side.department[index] = department === '' ? -1 : intern(shared.departments, department);
    setBits(side.languages, index * languageWords, candidate.languages, shared.languages, fold);
    setBits(side.shares, index * shareWords, candidate.shares, teaches, fold);
    setBits(side.learns, index * learnWords, candidate.learns, learns, fold);
    side.format[index] = positionIn(FORMATS, candidate.format, 'format', candidate.id);
    side.cadence[index] = positionIn(CADENCES, candidate.cadence, 'cadence', candidate.id);
    side.offset[index] = finiteOffset(candidate);
  });
  return side;
}

/** Rows come from a database: an unknown value must fail loudly rather than score as NaN. */
function positionIn<T>(values: readonly T[], value: T, field: string, id: string): number {
  const position = values.indexOf(value);
  if (position < 0) throw new RangeError(`Candidate ${id} has an unknown ${field}: ${String(value)}`);
  return position;
}

function finiteOffset(candidate: Candidate): number {
  if (!Number.isFinite(candidate.utcOffsetMinutes)) {
    throw new RangeError(`Candidate ${candidate.id} has no usable UTC offset`);
  }
  return candidate.utcOffsetMinutes;
}

function intern(dictionary: Map<string, number>, key: string): number {
  const known = dictionary.get(key);
  if (known !== undefined) return known;
  dictionary.set(key, dictionary.size);
  return dictionary.size - 1;
}

/** Sets the bit of every item the dictionary knows, folded; unknown ones cannot match anyone, so they are skipped. */
function setBits(
  bits: Uint32Array,
  start: number,
  items: readonly string[],
  dictionary: ReadonlyMap<string, number>,
  fold: Fold,
): void {
  for (const item of items) {
    const bit = dictionary.get(fold(item));
    if (bit === undefined) continue;
    const word = start + (bit >>> 5);
    bits[word] = bits[word]! | (1 << (bit & 31));
  }
}
