import { describe, expect, it } from 'vitest';
import { checkCatalogues } from '../../src/i18n/check.js';
import { enParts } from '../../src/i18n/en.js';
import { argumentTypes, catalogues, compile, locales, t, type Locale, type MessageKey, type Vars } from '../../src/i18n/index.js';

const keys = Object.keys(catalogues.en) as MessageKey[];

describe('the catalogues', () => {
  it('pass every check in every language: same keys, same arguments of the same types, valid ICU, plurals, typography', () => {
    expect(checkCatalogues(catalogues)).toEqual([]);
  });

  it('define each key in one section only', () => {
    const seen = enParts.flatMap((part) => Object.keys(part));
    expect(seen.length).toBe(new Set(seen).size);
  });

  it('are really translated: French differs from English except for names and short words', () => {
    const same = keys.filter((key) => catalogues.en[key] === catalogues.fr[key] && catalogues.en[key].length > 12);
    expect(same).toEqual([]);
  });
});

describe('the catalogue checker, on a small bad catalogue', () => {
  const en = {
    'a.ok': 'You have {count, plural, one {# pair} other {# pairs}}.',
    'b.missing': 'Only in English.',
    'c.typed': '{count, plural, one {# session} other {# sessions}} with {partner}',
    'd.unbalanced': 'Hello {name}.',
    'e.renamed': 'Welcome, {name}.',
  };

  it('passes a good pair of catalogues', () => {
    const fr = {
      'a.ok': 'Vous avez {count, plural, one {# binôme} other {# binômes}}.',
      'b.missing': 'Seulement en anglais.',
      'c.typed': '{count, plural, one {# séance} other {# séances}} avec {partner}',
      'd.unbalanced': 'Bonjour {name}.',
      'e.renamed': 'Bienvenue, {name}.',
    };
    expect(checkCatalogues({ en, fr })).toEqual([]);
  });

  it('names the key of each problem', () => {
    const fr = {
      'a.ok': 'Vous avez {count, plural, one {# binôme} other {# binômes}}.',
      'c.typed': '{count} séance(s) avec {partner}',
      'd.unbalanced': 'Bonjour {name.',
      'e.renamed': 'Bienvenue, {nom}.',
      'f.extra': 'En trop : {x}',
    };
    const problems = checkCatalogues({ en, fr });
    expect(problems).toEqual(
      expect.arrayContaining([
        'fr b.missing: is missing (it is in en)',
        'fr f.extra: is not in en',
        'fr c.typed: takes arguments {count: text, partner: text} but en takes {count: number, partner: text}',
        'fr c.typed: glues a plural by hand; write {count, plural, one {…} other {…}}',
        'fr c.typed: writes a count before its noun by hand ("{count} séance"); write {count, plural, one {# …} other {# …}}',
        'fr e.renamed: takes arguments {nom: text} but en takes {name: text}',
      ]),
    );
    expect(problems.find((p) => p.startsWith('fr d.unbalanced: is not valid ICU MessageFormat'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('fr f.extra: needs a narrow no-break space (U+202F) before “:”'))).toBeDefined();
    expect(problems).toHaveLength(8);
  });

  it('finds a count written before its noun outside a plural, which reads "1 days"', () => {
    const problems = checkCatalogues({
      en: {
        'a.glued': 'No session for {days} days.',
        'b.plural': 'Your gain: {gain, plural, one {{gainText} level} other {{gainText} levels}}.',
        'c.select': '{kind, select, late {Late by {days} days} other {On time}}',
        'd.word': '{user} paused the check-ins.',
      },
      fr: {
        'a.glued': 'Aucune séance depuis {days, plural, one {# jour} other {# jours}}.',
        'b.plural': 'Votre progression\u202f: {gain, plural, one {{gainText} niveau} other {{gainText} niveaux}}.',
        'c.select': '{kind, select, late {En retard de {days, plural, one {# jour} other {# jours}}} other {À l’heure}}',
        'd.word': '{user} a suspendu les points d’étape.',
      },
    });
    expect(problems).toEqual([
      'en a.glued: writes a count before its noun by hand ("{days} days"); write {count, plural, one {# …} other {# …}}',
      'en c.select: writes a count before its noun by hand ("{days} days"); write {count, plural, one {# …} other {# …}}',
      'fr a.glued: takes arguments {days: number} but en takes {days: text}',
      'fr c.select: takes arguments {days: number, kind: string} but en takes {days: text, kind: string}',
    ]);
  });

  it('finds a formatted count before its noun, a channel mention whose # a plural takes, and "exactly one" in French\'s one form', () => {
    const problems = checkCatalogues({
      en: {
        'a.number': 'Write at most {max, number} characters.',
        'b.mention': '{n, plural, one {# proposal posted in <#{channel}>} other {# proposals posted in <#{channel}>}}',
        'c.quoted': '{n, plural, one {# proposal posted in <\'#\'{channel}>} other {# proposals posted in <\'#\'{channel}>}}',
        'd.one': '{n, plural, one {The only person left} other {The # people left}}',
        'e.zero': '{n, plural, =0 {Nobody} one {The only person left} other {The # people left}}',
        'f.name': '{n, plural, one {The pair of {name}} other {The # pairs of {name}}}',
      },
      fr: {
        'a.number': 'Écrivez au plus {max, plural, one {# caractère} other {# caractères}}.',
        'b.mention': '{n, plural, one {# proposition publiée dans <\'#\'{channel}>} other {# propositions publiées dans <\'#\'{channel}>}}',
        'c.quoted': '{n, plural, one {# proposition publiée dans <\'#\'{channel}>} other {# propositions publiées dans <\'#\'{channel}>}}',
        'd.one': '{n, plural, one {La seule personne restée} other {Les # personnes restées}}',
        'e.zero': '{n, plural, =0 {Personne} one {La seule personne restée} other {Les # personnes restées}}',
        'f.name': '{n, plural, one {Le binôme de {name}} other {Les # binômes de {name}}}',
      },
    });
    expect(problems).toEqual([
      'en a.number: writes a count before its noun by hand ("{max} characters"); write {count, plural, one {# …} other {# …}}',
      "en b.mention: has a Slack mention <#…> in a plural, where # is the count: quote it, <'#'{channel}>",
      "en b.mention: has a Slack mention <#…> in a plural, where # is the count: quote it, <'#'{channel}>",
      'fr d.one: says "exactly one" in a plural\'s one form, which this language also uses for 0: write =1 {…} for exactly one (and one {# …} for 0)',
      'fr f.name: says "exactly one" in a plural\'s one form, which this language also uses for 0: write =1 {…} for exactly one (and one {# …} for 0)',
    ]);
    // The quoted mention renders as Slack reads it, the count apart.
    expect(compile('en', '{n, plural, one {# posted in <\'#\'{channel}>} other {# posted in <\'#\'{channel}>}}').format({ n: 2, channel: 'C1' })).toBe('2 posted in <#C1>');
  });

  it('refuses a plural without its other form, and a select typed differently', () => {
    const problems = checkCatalogues({
      en: { 'p.count': '{n, plural, one {# pair} other {# pairs}}', 's.kind': '{kind, select, junior {a junior} other {a senior}}' },
      fr: { 'p.count': '{n, plural, one {# binôme}}', 's.kind': '{kind, plural, one {un junior} other {un senior}}' },
    });
    expect(problems.find((p) => p.startsWith('fr p.count: is not valid ICU MessageFormat'))).toBeDefined();
    expect(problems).toContain('fr s.kind: takes arguments {kind: number} but en takes {kind: string}');
  });

  it('checks French typography: narrow no-break spaces, guillemets, but not code, links, emoji or times', () => {
    const fr = (message: string) => checkCatalogues({ en: { k: 'x' }, fr: { k: message } });
    expect(fr('Prêt\u202f? Oui\u202f! «\u202fBinôme\u202f»\u202f: `/tandem pause [YYYY-MM-DD]:` <https://x.fr/a?b=1|lien> :wave: à 10:30')).toEqual([]);
    expect(fr('Prêt ?')[0]).toMatch(/^fr k: needs a narrow no-break space \(U\+202F\) before “\?”/);
    expect(fr('Prêt\u00a0?')).toHaveLength(1);
    expect(fr('Appuyez sur « Signer »')).toHaveLength(2);
    expect(fr('Appuyez sur "Signer"')).toEqual(['fr k: uses straight quotes: write « guillemets »']);
  });
});

/** A value of the type each argument takes; counts set to `count`. */
function sampleVars(locale: Locale, key: MessageKey, count: number): Vars {
  const vars: Vars = {};
  for (const [name, type] of argumentTypes(compile(locale, catalogues[locale][key]).getAst())) {
    vars[name] = type === 'number' ? count : type === 'string' ? 'other' : type === 'date' ? new Date('2027-03-01T09:00:00Z') : `<@U0${name.toUpperCase()}>`;
  }
  return vars;
}

const withCounts = keys.filter((key) => locales.some((locale) => [...argumentTypes(compile(locale, catalogues[locale][key]).getAst()).values()].includes('number')));

describe('messages with a count', () => {
  it('exist (the catalogues use ICU plurals)', () => {
    expect(withCounts.length).toBeGreaterThan(20);
  });

  it.each(locales)('render in %s at 0, 1, 2 and 1,000,000 with every argument filled and nothing glued by hand', (locale) => {
    const broken: string[] = [];
    for (const key of withCounts) {
      for (const count of [0, 1, 2, 1_000_000]) {
        const text = t(locale, key, sampleVars(locale, key, count));
        if (/NaN|\{|\}|\(s\)/.test(text) || text.trim() === '') broken.push(`${key} at ${count}: ${text}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
