import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, matchPool, type Candidate, type MatchingResult } from '../../../src/domain/matching/index.js';
import { junior, options, referenceScore, senior } from './fixtures.js';

const pairs = (result: MatchingResult): string[] => result.proposals.map((p) => `${p.juniorId}:${p.seniorId}`);
const reasonOf = (result: MatchingResult, id: string): unknown => result.unmatched.find((u) => u.id === id)?.reason;

describe('hard constraints', () => {
  it('needs a shared language, compared regardless of case and accents', () => {
    const french = junior('j', { languages: ['Français'] });
    expect(pairs(matchPool([french, senior('s', { languages: ['en'] })], options()))).toEqual([]);
    expect(pairs(matchPool([french, senior('s', { languages: [' francais'] })], options()))).toEqual(['j:s']);
  });

  it('compares languages beyond the first bitset word', () => {
    const many = Array.from({ length: 40 }, (_, k) => `lang-${k}`);
    const polyglot = senior('poly', { languages: many.slice(0, 39) });
    const rare = junior('rare', { languages: ['lang-39'] });
    expect(pairs(matchPool([rare, polyglot], options()))).toEqual([]);
    expect(pairs(matchPool([rare, senior('other', { languages: ['lang-39'] }), polyglot], options()))).toEqual([
      'rare:other',
    ]);
  });

  it('pairs nobody who lists no language', () => {
    const result = matchPool([junior('j', { languages: [] }), senior('s')], options());
    expect(reasonOf(result, 'j')).toEqual({
      kind: 'no_compatible_partner',
      blockedBy: { language: 1, department: 0, manager: 0, previousPair: 0 },
    });
  });

  it('keeps people of the same department apart unless the programme allows it', () => {
    const pool = [junior('j', { department: 'Sales' }), senior('s', { department: ' sales' })];
    expect(pairs(matchPool(pool, options()))).toEqual([]);
    const allowed = matchPool(pool, options({ allowSameDepartment: true }));
    expect(pairs(allowed)).toEqual(['j:s']);
    expect(allowed.proposals[0]!.reasons).toContainEqual({ kind: 'same_department', department: 'Sales' });
  });

  it('lets people with no department meet anyone', () => {
    const pool = [junior('j', { department: null }), senior('s', { department: null })];
    expect(pairs(matchPool(pool, options()))).toEqual(['j:s']);
  });

  it('never pairs someone with their manager, nor with a direct report', () => {
    const managedJunior = [junior('j', { managerUserId: 'U-s' }), senior('s')];
    const managingJunior = [junior('j'), senior('s', { managerUserId: 'U-j' })];
    for (const pool of [managedJunior, managingJunior]) {
      const result = matchPool(pool, options());
      expect(pairs(result)).toEqual([]);
      expect(reasonOf(result, 'j')).toEqual({
        kind: 'no_compatible_partner',
        blockedBy: { language: 0, department: 0, manager: 1, previousPair: 0 },
      });
    }
  });

  it('never repeats a former, declined or rejected pair', () => {
    const pool = [junior('j'), senior('s')];
    const result = matchPool(pool, options({ excludedPairs: new Set(['j:s']) }));
    expect(pairs(result)).toEqual([]);
    expect(reasonOf(result, 's')).toEqual({
      kind: 'no_compatible_partner',
      blockedBy: { language: 0, department: 0, manager: 0, previousPair: 1 },
    });
    // Keys are junior:senior; the reverse order names no pair.
    expect(pairs(matchPool(pool, options({ excludedPairs: new Set(['s:j']) })))).toEqual(['j:s']);
  });

  it('reads excluded keys whose ids contain colons', () => {
    const pool = [junior('team:1'), senior('a:b')];
    expect(pairs(matchPool(pool, options({ excludedPairs: new Set(['team:1:a:b']) })))).toEqual([]);
  });

  it('leaves paused or already paired people out, and does not count them as partners', () => {
    const result = matchPool(
      [junior('j'), senior('paused', { available: false }), junior('busy', { available: false })],
      options(),
    );
    expect(result.proposals).toEqual([]);
    expect(result.unmatched).toEqual([
      { id: 'busy', reason: { kind: 'unavailable' } },
      { id: 'j', reason: { kind: 'no_one_in_other_role' } },
      { id: 'paused', reason: { kind: 'unavailable' } },
    ]);
  });

  it('never pairs a person with themself when listed in both roles', () => {
    const result = matchPool([junior('a', { userId: 'U1' }), senior('b', { userId: 'U1' })], options());
    expect(result.proposals).toEqual([]);
  });
});

describe('pool shapes', () => {
  it('returns nothing for an empty pool', () => {
    expect(matchPool([], options())).toEqual({ proposals: [], unmatched: [], totalScore: 0 });
  });

  it('tells everyone when the other role is empty', () => {
    const result = matchPool([junior('a'), junior('b')], options());
    expect(result.unmatched.map((u) => u.reason.kind)).toEqual(['no_one_in_other_role', 'no_one_in_other_role']);
  });

  it('pairs as many as possible when juniors outnumber seniors', () => {
    const result = matchPool([junior('j1'), junior('j2'), junior('j3'), senior('s1'), senior('s2')], options());
    expect(result.proposals).toHaveLength(2);
    expect(result.unmatched.map((u) => u.reason)).toEqual([{ kind: 'partners_taken', compatiblePartners: 2 }]);
  });

  it('pairs as many as possible when seniors outnumber juniors', () => {
    const result = matchPool([junior('j1'), senior('s1'), senior('s2'), senior('s3')], options());
    expect(result.proposals).toHaveLength(1);
    expect(result.unmatched.map((u) => u.reason)).toEqual([
      { kind: 'partners_taken', compatiblePartners: 1 },
      { kind: 'partners_taken', compatiblePartners: 1 },
    ]);
  });

  it('rejects duplicate ids', () => {
    expect(() => matchPool([junior('x'), senior('x')], options())).toThrow(RangeError);
  });
});

describe('optimal, not greedy', () => {
  // The single best pair is ana–paul, but taking it leaves bob alone (he only speaks French
  // and only paul does). The optimum gives paul to bob and eve to ana.
  const ana = junior('ana', { languages: ['en'], shares: ['LinkedIn', 'TikTok'], learns: ['Negotiation'] });
  const bob = junior('bob', { languages: ['fr'], shares: ['TikTok'] });
  const paul = senior('paul', { languages: ['en', 'fr'], shares: ['Negotiation'], learns: ['LinkedIn', 'TikTok'] });
  const eve = senior('eve', { languages: ['en'], learns: ['LinkedIn'] });

  it('prefers the best overall pairing to the best single pair', () => {
    const result = matchPool([ana, bob, paul, eve], options());
    expect(pairs(result)).toEqual(['ana:eve', 'bob:paul']);
    expect(result.unmatched).toEqual([]);
  });

  it('says partners were taken when the compatible people went to others', () => {
    const carl = junior('carl', { languages: ['fr'] });
    const result = matchPool([ana, bob, carl, paul, eve], options());
    expect(reasonOf(result, 'carl')).toEqual({ kind: 'partners_taken', compatiblePartners: 1 });
  });
});

describe('no compatible partner', () => {
  it('counts the people each constraint rules out', () => {
    const lonely = junior('lonely', { department: 'Tech', managerUserId: 'U-boss', languages: ['fr', 'en'] });
    const result = matchPool(
      [
        lonely,
        senior('boss', { department: 'Tech' }), // department and manager
        senior('german', { languages: ['de'] }), // language
        senior('colleague', { department: 'tech' }), // department
        senior('former'), // previous pair
        senior('away', { available: false }), // not counted: unavailable
      ],
      options({ excludedPairs: new Set(['lonely:former']) }),
    );
    expect(reasonOf(result, 'lonely')).toEqual({
      kind: 'no_compatible_partner',
      blockedBy: { language: 1, department: 2, manager: 1, previousPair: 1 },
    });
  });
});

describe('reasons', () => {
  it('says what each side teaches the other, in the teacher’s own spelling', () => {
    const ana = junior('ana', {
      shares: ['LinkedIn', 'generative AI', 'Canva'],
      learns: ['negotiation', 'Budgeting'],
      languages: ['en', 'fr'],
    });
    const paul = senior('paul', {
      shares: ['Negotiation', 'Strategy'],
      learns: ['Generative  AI', 'linkedin', 'Excel'],
      languages: ['EN', 'de'],
    });
    const [proposal] = matchPool([ana, paul], options()).proposals;
    expect(proposal!.reasons).toEqual([
      { kind: 'junior_teaches', skills: ['LinkedIn', 'generative AI'] },
      { kind: 'senior_teaches', skills: ['Negotiation'] },
      { kind: 'shared_languages', languages: ['en'] },
      { kind: 'same_format', format: 'video' },
      { kind: 'same_cadence', cadence: 'biweekly' },
      { kind: 'time_zone_gap', hours: 0 },
    ]);
  });

  it('matches skills regardless of case, accents and spacing', () => {
    const result = matchPool(
      [junior('j', { shares: ['IA générative '] }), senior('s', { learns: ['ia  generative'] })],
      options(),
    );
    expect(result.proposals[0]!.reasons[0]).toEqual({ kind: 'junior_teaches', skills: ['IA générative'] });
  });

  it('is honest about weak spots: no overlap, format, cadence and time zone gaps', () => {
    const [proposal] = matchPool(
      [
        junior('j', { format: 'in_person', cadence: 'weekly', utcOffsetMinutes: 330 }),
        senior('s', { format: 'video', cadence: 'monthly', utcOffsetMinutes: 0 }),
      ],
      options(),
    ).proposals;
    expect(proposal!.reasons).toEqual([
      { kind: 'no_skill_overlap' },
      { kind: 'shared_languages', languages: ['en'] },
      { kind: 'format_mismatch', junior: 'in_person', senior: 'video' },
      { kind: 'cadence_mismatch', junior: 'weekly', senior: 'monthly' },
      { kind: 'time_zone_gap', hours: 5.5 },
    ]);
  });

  it('names the format flexible people can meet in, and close cadences', () => {
    const [proposal] = matchPool(
      [junior('j', { format: 'either', cadence: 'weekly' }), senior('s', { format: 'in_person', cadence: 'biweekly' })],
      options(),
    ).proposals;
    expect(proposal!.reasons).toContainEqual({ kind: 'flexible_format', format: 'in_person' });
    expect(proposal!.reasons).toContainEqual({ kind: 'close_cadence', junior: 'weekly', senior: 'biweekly' });
  });
});

describe('score', () => {
  const score = (j: Candidate, s: Candidate, weights = DEFAULT_WEIGHTS): number =>
    matchPool([j, s], options({ weights })).proposals[0]!.score;

  it('rewards complementarity both ways more than twice one way', () => {
    const oneWay = score(junior('j', { shares: ['AI'] }), senior('s', { learns: ['AI'] }));
    const bothWays = score(
      junior('j', { shares: ['AI'], learns: ['Sales'] }),
      senior('s', { shares: ['Sales'], learns: ['AI'] }),
    );
    const none = score(junior('j'), senior('s'));
    expect(bothWays - none).toBeGreaterThan(2 * (oneWay - none));
  });

  it('gives diminishing returns to more shared skills', () => {
    const withSkills = (n: number): number => {
      const skills = ['a', 'b', 'c', 'd'].slice(0, n);
      return score(junior('j', { shares: skills }), senior('s', { learns: skills }));
    };
    const gains = [1, 2, 3, 4].map((n) => withSkills(n) - withSkills(n - 1));
    for (let k = 1; k < gains.length; k++) expect(gains[k]!).toBeLessThan(gains[k - 1]!);
  });

  it('prefers closer time zones and stops counting at 8 hours', () => {
    const at = (minutes: number): number =>
      score(junior('j', { utcOffsetMinutes: 0 }), senior('s', { utcOffsetMinutes: minutes }));
    expect(at(60)).toBeGreaterThan(at(300));
    expect(at(480)).toBe(at(720));
  });

  it('keeps every allowed pair strictly positive, even with all weights at zero', () => {
    const zero = { complementarity: 0, format: 0, cadence: 0, timeZone: 0 };
    const result = matchPool([junior('j1'), junior('j2'), senior('s1'), senior('s2')], options({ weights: zero }));
    expect(result.proposals).toHaveLength(2);
    for (const p of result.proposals) expect(p.score).toBeGreaterThan(0);
  });

  it('only cares about the ratios of the weights', () => {
    const j = junior('j', { shares: ['AI'], format: 'either', utcOffsetMinutes: 0 });
    const s = senior('s', { learns: ['AI'], cadence: 'monthly', utcOffsetMinutes: 120 });
    const doubled = { complementarity: 1.2, format: 0.3, cadence: 0.2, timeZone: 0.3 };
    expect(score(j, s, doubled)).toBe(score(j, s));
  });

  it('follows the formula with catalogues too big for one bitset word', () => {
    const skills = Array.from({ length: 70 }, (_, k) => `Skill ${k}`);
    const j = junior('j', { shares: skills.slice(0, 45), learns: skills.slice(50, 70) });
    const s = senior('s', { shares: skills.slice(40, 70), learns: skills.slice(5, 50) });
    expect(Math.abs(score(j, s) - referenceScore(j, s, options()))).toBeLessThanOrEqual(2 ** -20);
    const [proposal] = matchPool([j, s], options()).proposals;
    expect(proposal!.reasons[0]).toEqual({ kind: 'junior_teaches', skills: skills.slice(5, 45) });
  });

  it('rejects negative or non-finite weights', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => matchPool([], options({ weights: { ...DEFAULT_WEIGHTS, format: bad } }))).toThrow(RangeError);
    }
  });
});

describe('input validation', () => {
  it('rejects unknown formats or cadences and unusable offsets instead of scoring NaN', () => {
    const bad = [
      junior('j', { format: 'phone' as never }),
      junior('j', { cadence: 'daily' as never }),
      junior('j', { utcOffsetMinutes: Number.NaN }),
    ];
    for (const j of bad) expect(() => matchPool([j, senior('s')], options())).toThrow(RangeError);
  });
});
