import { describe, expect, it } from 'vitest';
import type { Reason } from '../../src/domain/matching/index.js';
import { reasonText, unmatchedMessage } from '../../src/features/matching/views.js';
import type { Participant } from '../../src/store/participants.js';

const every: Reason[] = [
  { kind: 'junior_teaches', skills: ['linkedin', 'generative_ai'] },
  { kind: 'senior_teaches', skills: ['Négociation'] },
  { kind: 'no_skill_overlap' },
  { kind: 'shared_languages', languages: ['fr', 'en'] },
  { kind: 'same_format', format: 'video' },
  { kind: 'flexible_format', format: 'in_person' },
  { kind: 'format_mismatch', junior: 'video', senior: 'in_person' },
  { kind: 'same_cadence', cadence: 'biweekly' },
  { kind: 'close_cadence', junior: 'weekly', senior: 'biweekly' },
  { kind: 'cadence_mismatch', junior: 'weekly', senior: 'monthly' },
  { kind: 'time_zone_gap', hours: 0 },
  { kind: 'time_zone_gap', hours: 5.5 },
  { kind: 'same_department', department: 'Finance' },
];

describe('reasons in words', () => {
  it('reads as a sentence in English and in French', () => {
    expect(reasonText('en', every[0] as Reason, 'Ana', 'Paul')).toBe('Ana shares personal branding on LinkedIn and generative AI, which Paul wants to learn');
    expect(reasonText('fr', every[0] as Reason, 'Ana', 'Paul')).toBe('Ana partage l’image professionnelle sur LinkedIn et l’IA générative, que Paul veut apprendre');
    expect(reasonText('fr', every[1] as Reason, 'Ana', 'Paul')).toBe('Paul partage Négociation, que Ana veut apprendre');
    expect(reasonText('en', every[11] as Reason, 'Ana', 'Paul')).toBe('5.5\u202fh apart');
    expect(reasonText('fr', every[11] as Reason, 'Ana', 'Paul')).toBe('5,5\u202fh de décalage');
    expect(reasonText('fr', every[3] as Reason, 'Ana', 'Paul')).toBe('tous deux parlent français et anglais');
  });

  it('has words for every kind, in both languages, with no placeholder left', () => {
    for (const locale of ['en', 'fr'] as const) {
      for (const reason of every) {
        const text = reasonText(locale, reason, 'A', 'B');
        expect(text).not.toMatch(/\{\w+\}/);
        expect(text.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('the message to someone left without a partner', () => {
  const person = { role: 'senior' } as Participant;

  it('explains the rules that excluded the others, with counts, as far as they name nobody', () => {
    const message = unmatchedMessage('en', person, { kind: 'no_compatible_partner', blockedBy: { language: 2, department: 1, manager: 1, previousPair: 1 } });
    expect(message.text).toContain('(2 people speak none of your languages and 1 person works in your department)');
    expect(message.text).not.toMatch(/manager|report|proposed/);
    const alone = unmatchedMessage('fr', person, { kind: 'no_compatible_partner', blockedBy: { language: 0, department: 0, manager: 1, previousPair: 0 } });
    expect(alone.text).toContain('aucune ne peut vous être associée selon les règles du programme. Vous restez inscrit');
    expect(alone.text).not.toMatch(/manager|collaborateur|\(/);
  });

  it('says when nobody of the other role is waiting, or when partners were taken', () => {
    expect(unmatchedMessage('fr', person, { kind: 'no_one_in_other_role' }).text).toContain('Aucun junior n’attend');
    expect(unmatchedMessage('en', person, { kind: 'partners_taken', compatiblePartners: 3 }).text).toContain('The 3 people who could have been your partner');
  });
});
