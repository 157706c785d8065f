import { describe, expect, it } from 'vitest';
import { catalogues, compile, formatList, localeFromSlack, locales, t } from '../../src/i18n/index.js';

describe('t', () => {
  it('parses every message of every catalogue as ICU MessageFormat', () => {
    const broken: string[] = [];
    for (const locale of locales) {
      for (const [key, message] of Object.entries(catalogues[locale])) {
        try {
          compile(locale, message);
        } catch (error) {
          broken.push(`${locale} ${key}: ${(error as Error).message}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('formats plurals, numbers and Slack mentions in the reader\'s locale', () => {
    const en = compile('en', '{count, plural, one {# pair} other {# pairs}} with <@{user}>: {n, number}');
    const fr = compile('fr', '{count, plural, one {# binôme} other {# binômes}} avec <@{user}> : {n, number}');
    expect(en.format({ count: 1, user: 'U1', n: 1234.5 })).toBe('1 pair with <@U1>: 1,234.5');
    expect(en.format({ count: 0, user: 'U1', n: 2 })).toBe('0 pairs with <@U1>: 2');
    // French counts 0 as singular, and groups thousands with a narrow no-break space.
    expect(fr.format({ count: 0, user: 'U1', n: 1234.5 })).toBe('0 binôme avec <@U1> : 1\u202f234,5');
    expect(fr.format({ count: 2000, user: 'U1', n: 2 })).toBe('2\u202f000 binômes avec <@U1> : 2');
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(t('en', 'usage.unknown', { command: 'dance' })).toContain('`/tandem dance`');
    expect(t('fr', 'usage.unknown', { command: 'danse' })).toContain('`/tandem danse`');
    expect(t('en', 'usage.unknown')).toContain('{command}');
  });

  it('maps Slack locales to ours', () => {
    expect(localeFromSlack('fr-FR')).toBe('fr');
    expect(localeFromSlack('fr-CA')).toBe('fr');
    expect(localeFromSlack('en-GB')).toBe('en');
    expect(localeFromSlack('de-DE')).toBeNull();
    expect(localeFromSlack(undefined)).toBeNull();
  });

  it('joins lists as each language does', () => {
    expect(formatList('en', ['a', 'b', 'c'])).toBe('a, b, and c');
    expect(formatList('fr', ['a', 'b', 'c'])).toBe('a, b et c');
  });
});
