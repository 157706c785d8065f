import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, type ProfileInput, parseFreeSkills, skillKey, validateProfile } from '../../src/domain/profile.js';

const good: ProfileInput = {
  role: 'junior',
  sharesChosen: ['generative_ai'],
  sharesOther: 'TikTok',
  learnsChosen: ['negotiation'],
  learnsOther: null,
  department: ' Marketing ',
  managerUserId: 'U0BOSS',
  languages: ['fr', 'en'],
  format: 'video',
  cadence: 'biweekly',
  motivation: 'I want to learn how decisions are made.',
  consent: true,
};

describe('validateProfile', () => {
  it('accepts a complete profile and tidies it', () => {
    const result = validateProfile(good, 'U0ME', null);
    expect(result).toEqual({
      ok: true,
      profile: expect.objectContaining({ role: 'junior', shares: ['generative_ai', 'TikTok'], learns: ['negotiation'], department: 'Marketing', languages: ['fr', 'en'] }),
    });
  });

  it('reports each missing field on its own', () => {
    const result = validateProfile(
      { role: null, sharesChosen: [], sharesOther: ' , ', learnsChosen: [], learnsOther: null, department: '  ', managerUserId: null, languages: [], format: null, cadence: null, motivation: '', consent: false },
      'U0ME',
      null,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['cadence', 'consent', 'department', 'format', 'languages', 'learns', 'motivation', 'role', 'shares']);
    expect(Object.values(result.errors).every((e) => e?.code === 'required')).toBe(true);
  });

  it('refuses values that are not in the lists (a tampered submission)', () => {
    const result = validateProfile({ ...good, role: 'admin', sharesChosen: ['hacking'], languages: ['xx'], format: 'hologram', cadence: 'hourly' }, 'U0ME', null);
    expect(result.ok ? {} : result.errors).toEqual({
      role: { code: 'unknown_option' },
      shares: { code: 'unknown_option' },
      languages: { code: 'unknown_option' },
      format: { code: 'unknown_option' },
      cadence: { code: 'unknown_option' },
    });
  });

  it('refuses oneself as manager, over-long text and too many skills', () => {
    const many = Array.from({ length: 11 }, (_, i) => `skill ${i}`).join(', ');
    const result = validateProfile(
      { ...good, managerUserId: 'U0ME', motivation: 'x'.repeat(LIMITS.motivation + 1), department: 'd'.repeat(81), learnsOther: many, sharesOther: 'y'.repeat(41) },
      'U0ME',
      null,
    );
    expect(result.ok ? {} : result.errors).toEqual({
      manager: { code: 'self_manager' },
      motivation: { code: 'too_long', max: LIMITS.motivation, length: LIMITS.motivation + 1 },
      department: { code: 'too_long', max: 80, length: 81 },
      learns_other: { code: 'too_many', max: LIMITS.skills, count: 12 }, // one chosen in the list, eleven written
      shares_other: { code: 'too_long', max: 40, length: 41, value: 'y'.repeat(41) },
    });
  });

  it('keeps the role while the person is in a pair', () => {
    expect(validateProfile({ ...good, role: 'senior' }, 'U0ME', 'junior')).toEqual({ ok: false, errors: { role: { code: 'role_locked' } } });
    expect(validateProfile(good, 'U0ME', 'junior').ok).toBe(true);
  });
});

describe('skills', () => {
  it('compare without case or accents', () => {
    expect(skillKey('IA  Générative')).toBe(skillKey('ia generative'));
    expect(parseFreeSkills('Excel; excel,  Story telling\nÉcriture, ecriture')).toEqual(['Excel', 'Story telling', 'Écriture']);
  });

  it('parsing never yields a blank or a duplicate', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const skills = parseFreeSkills(text);
        expect(skills.every((s) => s.trim() === s && s !== '')).toBe(true);
        expect(new Set(skills.map(skillKey)).size).toBe(skills.length);
      }),
    );
  });
});
