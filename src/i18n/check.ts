import { parse } from '@formatjs/icu-messageformat-parser';
import { argumentTypes, type ArgumentType } from './index.js';

/**
 * Checks of message catalogues that a reader would otherwise find in production: a key missing in
 * one language, an argument renamed or typed differently, an ICU form left unbalanced, a "(s)"
 * instead of a plural, French punctuation without its narrow no-break space. Each problem names the
 * language and the key, so the fix is one search away. The catalogue tests run it on every language
 * Tandem speaks; a third language gets the same checks by being listed in `catalogues`.
 */
export type Catalogues = Readonly<Record<string, Readonly<Record<string, string>>>>;

const NNBSP = '\u202f';

/** Text a reader sees, without what is not prose: code spans, Slack links and mentions, emoji codes, ICU arguments (`{n}`, `{n, number, ::…}`). */
export function prose(message: string): string {
  return message
    .replace(/`[^`]*`/g, ' ')
    .replace(/<[^<>\s][^<>]*>/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/\{\s*\w+\s*(?:,\s*(?:number|date|time)\s*(?:,[^{}]*)?)?\}/g, ' ')
    .replace(/\{\s*\w+\s*,\s*(?:plural|select|selectordinal)\s*,/g, '{');
}

/** French typography: a narrow no-break space before `: ; ? !` and inside « guillemets », no straight quotes. */
export function frenchTypography(message: string): string[] {
  const text = prose(message);
  const problems: string[] = [];
  for (const match of text.matchAll(/(.)([:;?!»])/gu)) {
    const [, before, mark] = match;
    if (before === NNBSP || (mark === '?' && before === '!') || (mark === '!' && before === '?')) continue;
    if (mark === ':' && /\d/.test(before ?? '') && /\d/.test(text.charAt((match.index ?? 0) + 2))) continue; // 10:30
    if (mark === '?' && before === '»') continue;
    problems.push(`needs a narrow no-break space (U+202F) before “${mark}” in “…${text.slice(Math.max(0, (match.index ?? 0) - 20), (match.index ?? 0) + 2)}”`);
  }
  for (const match of text.matchAll(/«(.)/gu)) {
    if (match[1] !== NNBSP) problems.push('needs a narrow no-break space (U+202F) after “«”');
  }
  if (/"/.test(text)) problems.push('uses straight quotes: write « guillemets »');
  return problems;
}

/** Rules of one language's writing, applied to every message of its catalogue. */
export const typography: Readonly<Record<string, (message: string) => string[]>> = { fr: frenchTypography };

/** A count glued to a noun by hand: "pair(s)", "binôme(s)", "reçu(e)". */
const HAND_PLURAL = /\p{L}\((?:s|es|e|x)\)/u;

/** Every problem of the catalogues, as "locale key: what is wrong". The first catalogue is the reference. */
export function checkCatalogues(catalogues: Catalogues): string[] {
  const problems: string[] = [];
  const [reference, ...others] = Object.keys(catalogues);
  if (reference === undefined) return ['no catalogue'];
  const types = new Map<string, Map<string, Map<string, ArgumentType>>>();

  for (const [locale, catalogue] of Object.entries(catalogues)) {
    const ofLocale = new Map<string, Map<string, ArgumentType>>();
    types.set(locale, ofLocale);
    for (const [key, message] of Object.entries(catalogue)) {
      if (message.trim() === '') {
        problems.push(`${locale} ${key}: is empty`);
        continue;
      }
      try {
        ofLocale.set(key, argumentTypes(parse(message, { ignoreTag: true, requiresOtherClause: true })));
      } catch (error) {
        problems.push(`${locale} ${key}: is not valid ICU MessageFormat (${(error as Error).message}); check its braces, and double an apostrophe next to a brace`);
        continue;
      }
      if (HAND_PLURAL.test(prose(message))) problems.push(`${locale} ${key}: glues a plural by hand; write {count, plural, one {…} other {…}}`);
      for (const problem of typography[locale]?.(message) ?? []) problems.push(`${locale} ${key}: ${problem}`);
    }
  }

  const referenceKeys = Object.keys(catalogues[reference] ?? {});
  const referenceTypes = types.get(reference) ?? new Map();
  for (const locale of others) {
    const catalogue = catalogues[locale] ?? {};
    for (const key of referenceKeys) if (!(key in catalogue)) problems.push(`${locale} ${key}: is missing (it is in ${reference})`);
    for (const key of Object.keys(catalogue)) if (!referenceKeys.includes(key)) problems.push(`${locale} ${key}: is not in ${reference}`);
    for (const [key, args] of types.get(locale) ?? []) {
      const expected = referenceTypes.get(key);
      if (expected === undefined) continue;
      const describe = (a: Map<string, ArgumentType>) => [...a].map(([name, type]) => `${name}: ${type}`).sort().join(', ') || 'none';
      if (describe(args) !== describe(expected)) problems.push(`${locale} ${key}: takes arguments {${describe(args)}} but ${reference} takes {${describe(expected)}}`);
    }
  }
  return problems;
}
