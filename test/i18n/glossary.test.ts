import { describe, expect, it } from 'vitest';
import { prose } from '../../src/i18n/check.js';
import { glossary } from '../../src/i18n/glossary.js';
import { catalogues, locales } from '../../src/i18n/index.js';

/** Messages where an avoided word means another idea: the key, the word, and why. */
const allowed: readonly [key: string, word: string, why: string][] = [
  ['contract.meansPlaceholder', 'meeting', 'the junior may shadow a business meeting: not a Tandem session'],
  ['contract.meansPlaceholder', 'réunion', 'le junior peut assister à une réunion de travail, pas à une séance Tandem'],
];

const pattern = (word: string | RegExp) =>
  typeof word === 'string' ? new RegExp(`(?<![\\p{L}-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}-])`, 'iu') : word;

describe('the glossary', () => {
  it('names a word per idea in every language', () => {
    for (const term of glossary) for (const locale of locales) expect(term.use[locale], `${term.idea} in ${locale}`).toBeTruthy();
  });

  it.each(locales)('is followed by the %s catalogue: no other word for an idea it lists', (locale) => {
    const found: string[] = [];
    for (const term of glossary) {
      for (const word of term.avoid[locale] ?? []) {
        const re = pattern(word);
        for (const [key, message] of Object.entries(catalogues[locale])) {
          if (allowed.some(([k, w]) => k === key && w === String(word))) continue;
          const hit = prose(message).match(re);
          if (hit) found.push(`${key}: “${hit[0]}” → ${term.use[locale]}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('catches a word it forbids', () => {
    const re = pattern('meeting');
    expect(re.test('Log a meeting')).toBe(true);
    expect(re.test('Log meetings')).toBe(false);
    expect(re.test('`/tandem meeting`')).toBe(true);
    expect(re.test(prose('`/tandem meeting`'))).toBe(false);
  });
});
