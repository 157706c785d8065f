import { describe, expect, it } from 'vitest';
import { catalogues, compile, formatList, intlLocales, localeFromSlack, locales, numberFormat, pairLocale, personLocale, t } from '../../src/i18n/index.js';
import { gainArgs } from '../../src/slack/labels.js';

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
    expect(formatList('en', ['a', 'b', 'c'])).toBe('a, b and c');
    expect(formatList('fr', ['a', 'b', 'c'])).toBe('a, b et c');
  });

  it('puts a learning gain, a decimal, before a noun that agrees with it in each language', () => {
    const gains = [0, 1, 1.5, 2];
    const line = (locale: 'en' | 'fr', key: 'recognition.gain' | 'stats.quotes.item') =>
      gains.map((g) => t(locale, key, { quote: 'Q', who: 'W', ...gainArgs(locale, g) }).split(/: |\u202f: |, /).at(-1));
    expect(line('en', 'recognition.gain')).toEqual(['0 levels on average.', '+1 level on average.', '+1.5 levels on average.', '+2 levels on average.']);
    // French: below two is singular (0, 1 and 1,5 niveau), from two on plural.
    expect(line('fr', 'recognition.gain')).toEqual(['0 niveau en moyenne.', '+1 niveau en moyenne.', '+1,5 niveau en moyenne.', '+2 niveaux en moyenne.']);
    expect(line('en', 'stats.quotes.item')).toEqual(['learning gain 0 levels', 'learning gain +1 level', 'learning gain +1.5 levels', 'learning gain +2 levels']);
    expect(line('fr', 'stats.quotes.item')).toEqual(['progression de 0 niveau', 'progression de +1 niveau', 'progression de +1,5 niveau', 'progression de +2 niveaux']);
  });
});

describe('languages', () => {
  const deps = { config: { defaultLocale: 'fr' as const } };

  it('reads a person in their language when Tandem speaks it, else in the default', () => {
    expect(personLocale(deps, { locale: 'en' })).toBe('en');
    expect(personLocale(deps, { locale: 'de' })).toBe('fr');
    expect(personLocale(deps, { locale: 'constructor' })).toBe('fr');
    expect(personLocale(deps, undefined)).toBe('fr');
  });

  it('writes to a pair in their shared language, else in the default', () => {
    expect(pairLocale(deps, { locale: 'en' }, { locale: 'en' })).toBe('en');
    expect(pairLocale(deps, { locale: 'en' }, { locale: 'fr' })).toBe('fr');
    expect(pairLocale(deps, { locale: 'de' }, { locale: 'de' })).toBe('fr');
  });

  it('formats numbers with each language’s Intl locale, one for every catalogue', () => {
    expect(Object.keys(intlLocales).sort()).toEqual([...locales].sort());
    expect(numberFormat('en', { maximumFractionDigits: 1 }).format(1234.5)).toBe('1,234.5');
    expect(numberFormat('fr', { maximumFractionDigits: 1 }).format(1234.5)).toBe('1\u202f234,5');
    expect(t('fr', 'settings.hour', { hour: 9 })).toBe('9 h');
    expect(t('en', 'settings.hour', { hour: 9 })).toBe('09:00');
  });
});
