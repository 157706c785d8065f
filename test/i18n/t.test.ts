import { describe, expect, it } from 'vitest';
import { catalogues, compile, formatList, intlLocales, localeFromSlack, locales, type MessageKey, numberFormat, pairLocale, personLocale, t, type Vars } from '../../src/i18n/index.js';
import { dateLabel, gainArgs } from '../../src/slack/labels.js';
import { reasonText } from '../../src/features/matching/views.js';
import type { Reason } from '../../src/domain/matching/types.js';

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

describe('counted messages, as a reader reads them at 0, 1, 2 and a million', () => {
  const N = '\u202f';
  const at = (locale: 'en' | 'fr', key: MessageKey, vars: (n: number) => Vars) => [0, 1, 2, 1_000_000].map((n) => t(locale, key, vars(n)));

  it('a pair that breaks rules', () => {
    const vars = (count: number) => ({ count, details: 'they share no language' });
    expect(at('en', 'pair.blocked', vars).map((s) => s.split(':')[0])).toEqual([
      'This pair breaks 0 programme rules',
      'This pair breaks a programme rule',
      'This pair breaks 2 programme rules',
      'This pair breaks 1,000,000 programme rules',
    ]);
    // French: 0 is singular; "une" only for exactly one.
    expect(at('fr', 'pair.blocked', vars).map((s) => s.split(`${N}:`)[0])).toEqual([
      'Ce binôme enfreint 0 règle du programme',
      'Ce binôme enfreint une règle du programme',
      'Ce binôme enfreint 2 règles du programme',
      `Ce binôme enfreint 1${N}000${N}000 règles du programme`,
    ]);
  });

  it('the end of a matching run, with the facilitators\' channel mentioned whatever the count', () => {
    const vars = (n: number) => ({ proposals: n, unmatched: n, channel: 'C0FACIL' });
    expect(at('en', 'match.done', vars)).toEqual([
      'Matching done: no pair could be proposed. Everyone waiting was proposed a partner.',
      'Matching done: 1 proposal posted in <#C0FACIL> for approval. The one person left without a partner was told why by direct message.',
      'Matching done: 2 proposals posted in <#C0FACIL> for approval. The 2 people left without a partner were told why by direct message.',
      'Matching done: 1,000,000 proposals posted in <#C0FACIL> for approval. The 1,000,000 people left without a partner were told why by direct message.',
    ]);
    expect(at('fr', 'match.done', vars)).toEqual([
      `Appariement terminé${N}: aucun binôme n’a pu être proposé. Chaque personne en attente s’est vu proposer un partenaire.`,
      `Appariement terminé${N}: 1 proposition publiée dans <#C0FACIL> pour validation. La personne restée sans partenaire a été prévenue en message direct, avec la raison.`,
      `Appariement terminé${N}: 2 propositions publiées dans <#C0FACIL> pour validation. Les 2 personnes restées sans partenaire ont été prévenues en message direct, avec la raison.`,
      `Appariement terminé${N}: 1${N}000${N}000 propositions publiées dans <#C0FACIL> pour validation. Les 1${N}000${N}000 personnes restées sans partenaire ont été prévenues en message direct, avec la raison.`,
    ]);
  });

  it('check-ins left unanswered, and the others a list leaves out', () => {
    const prompts = (count: number) => ({ count, first: '1 March 2027', last: '15 March 2027' });
    expect(at('en', 'escalations.reason.unanswered_prompts', prompts).map((s) => s.split(', even')[0])).toEqual([
      '🔕 0 check-ins in a row went unanswered',
      '🔕 1 check-in went unanswered',
      '🔕 2 check-ins in a row went unanswered',
      '🔕 1,000,000 check-ins in a row went unanswered',
    ]);
    expect(at('fr', 'escalations.reason.unanswered_prompts', prompts).map((s) => s.split(', même')[0])).toEqual([
      '🔕 0 point d’étape sans réponse',
      '🔕 1 point d’étape sans réponse',
      '🔕 2 points d’étape d’affilée sans réponse',
      `🔕 1${N}000${N}000 points d’étape d’affilée sans réponse`,
    ]);
    expect(at('en', 'workspace.lost.others', (count) => ({ count }))).toEqual(['0 others', '1 other', '2 others', '1,000,000 others']);
    expect(at('fr', 'workspace.lost.others', (count) => ({ count }))).toEqual(['0 autre', '1 autre', '2 autres', `1${N}000${N}000 autres`]);
  });
});

describe('values inside a sentence', () => {
  it('are written as each language writes them: the first of the month, rhythms, formats and language names', () => {
    expect(dateLabel('fr', '2027-03-01T10:00:00Z')).toBe('1er mars 2027');
    expect(dateLabel('fr', '2027-03-02T10:00:00Z')).toBe('2 mars 2027');
    expect(dateLabel('en', '2027-03-01T10:00:00Z')).toBe('1 March 2027');
    const reason = (locale: 'en' | 'fr', r: Reason) => reasonText(locale, r, '<@J>', '<@S>');
    expect(reason('fr', { kind: 'shared_languages', languages: ['en', 'de'] })).toBe('tous deux parlent anglais et allemand');
    expect(reason('en', { kind: 'shared_languages', languages: ['en', 'de'] })).toBe('both speak English and German');
    expect(reason('fr', { kind: 'same_cadence', cadence: 'monthly' })).toBe('même rythme\u202f: chaque mois, le même jour de la semaine');
    expect(reason('en', { kind: 'close_cadence', junior: 'weekly', senior: 'biweekly' })).toBe('close rhythms (every week / every two weeks)');
    expect(reason('fr', { kind: 'format_mismatch', junior: 'in_person', senior: 'video' })).toBe('formats différents (en personne / en visio)\u202f: ils devront s’entendre');
    // A format's words in a sentence are not its label's: 'In person or video call' / « En personne ou en visio » as a choice.
    expect(reason('en', { kind: 'flexible_format', format: 'either' })).toBe('their formats fit: either format');
    expect(reason('fr', { kind: 'flexible_format', format: 'either' })).toBe('leurs formats s’accordent\u202f: l’un ou l’autre format');
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
