import type { SideProfiles } from './profiles.js';
import type { BlockedBy } from './types.js';

/** Bit flags of the hard constraints a pair breaks; 0 means allowed (previous pairs aside). */
const BLOCKED_LANGUAGE = 1;
const BLOCKED_DEPARTMENT = 2;
const BLOCKED_MANAGER = 4;
/** The same Slack user listed in both roles: never paired with themself, and not worth telling them about. */
const BLOCKED_SELF = 8;

/**
 * Hard constraints between person `index` of one side and every person of the other side,
 * as flags written to `out` (0 = allowed, previous pairs aside: they are a short list applied
 * afterwards, see `resolveExcludedPairs`). Symmetric in the two sides, so the score matrix may
 * put either role on its rows. Row-at-a-time so the person's own data is read once, not n×m times.
 */
export function blockRow(
  own: SideProfiles,
  index: number,
  others: SideProfiles,
  languageWords: number,
  allowSameDepartment: boolean,
  out: Uint8Array,
): void {
  const languages = own.languages;
  const otherLanguages = others.languages;
  const languageStart = index * languageWords;
  const firstWord = languages[languageStart]!;
  const department = allowSameDepartment ? -1 : own.department[index]!;
  const user = own.user[index]!;
  const manager = own.manager[index]!;
  const count = others.candidates.length;
  for (let other = 0; other < count; other++) {
    const spoken =
      languageWords === 1
        ? (firstWord & otherLanguages[other]!) !== 0
        : sharesBit(languages, languageStart, otherLanguages, other * languageWords, languageWords);
    out[other] = pairBlocks(spoken, department, others.department[other]!, user, others.user[other]!, manager, others.manager[other]!);
  }
}

/**
 * The hard rules for one pair, as flags (0 = allowed): a shared language, not the same
 * department (pass department −1 when allowed or unknown), neither manages the other, not
 * the same person. Small enough for V8 to inline into the n×m loops (here and in score.ts).
 */
export function pairBlocks(
  spoken: boolean,
  department: number,
  otherDepartment: number,
  user: number,
  otherUser: number,
  manager: number,
  otherManager: number,
): number {
  let blocks = spoken ? 0 : BLOCKED_LANGUAGE;
  if (department >= 0 && department === otherDepartment) blocks |= BLOCKED_DEPARTMENT;
  if (manager === otherUser || otherManager === user) blocks |= BLOCKED_MANAGER;
  if (user === otherUser) blocks |= BLOCKED_SELF;
  return blocks;
}

export function sharesBit(bitsA: Uint32Array, startA: number, bitsB: Uint32Array, startB: number, words: number): boolean {
  for (let w = 0; w < words; w++) {
    if ((bitsA[startA + w]! & bitsB[startB + w]!) !== 0) return true;
  }
  return false;
}

/** A previous pair as indexes into the sorted junior and senior lists. */
export interface IndexPair {
  readonly junior: number;
  readonly senior: number;
}

/**
 * Turns `${juniorId}:${seniorId}` keys into index pairs. Ids may themselves contain ':',
 * so every split point is tried and every reading naming a real junior and senior is kept
 * (excluding too much is safe; missing a declined pair is not). Keys naming nobody in the pool are ignored.
 */
export function resolveExcludedPairs(
  keys: ReadonlySet<string>,
  juniorIds: readonly string[],
  seniorIds: readonly string[],
): IndexPair[] {
  const juniorIndex = indexById(juniorIds);
  const seniorIndex = indexById(seniorIds);
  const pairs: IndexPair[] = [];
  for (const key of keys) {
    for (let colon = key.indexOf(':'); colon >= 0; colon = key.indexOf(':', colon + 1)) {
      const junior = juniorIndex.get(key.slice(0, colon));
      const senior = seniorIndex.get(key.slice(colon + 1));
      if (junior !== undefined && senior !== undefined) pairs.push({ junior, senior });
    }
  }
  return pairs;
}

function indexById(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, index) => [id, index]));
}

/** Counts, for one person, how many people of the other side each constraint rules out. */
export function countBlockedBy(
  own: SideProfiles,
  index: number,
  others: SideProfiles,
  languageWords: number,
  allowSameDepartment: boolean,
  previousPartners: number,
): BlockedBy {
  const flags = new Uint8Array(others.candidates.length);
  blockRow(own, index, others, languageWords, allowSameDepartment, flags);
  const counts: BlockedBy = { language: 0, department: 0, manager: 0, previousPair: previousPartners };
  for (const blocks of flags) {
    if (blocks & BLOCKED_LANGUAGE) counts.language++;
    if (blocks & BLOCKED_DEPARTMENT) counts.department++;
    if (blocks & BLOCKED_MANAGER) counts.manager++;
  }
  return counts;
}
