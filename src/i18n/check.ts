import {
  isArgumentElement,
  isLiteralElement,
  isNumberElement,
  isPluralElement,
  isPoundElement,
  isSelectElement,
  isTagElement,
  type MessageFormatElement,
  parse,
} from '@formatjs/icu-messageformat-parser';
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

/**
 * How each language points to a button: "press *Sign*", "pressed “We need help”", "appuyez sur
 * *Signer* ou *Décliner*" (a new language adds its own line). The button test reads the labels so
 * quoted and checks each is a button's label word for word, in the same language.
 */
export const buttonPointers: Readonly<Record<string, RegExp>> = {
  en: /\b(?:[Pp]ress(?:ed|es)?|[Cc]lick(?:ed|s)?)(?: on)? ((?:[*“][^*”\n]+[*”])(?:(?:,| or| and) (?:[*“][^*”\n]+[*”]))*)/g,
  fr: /\b(?:[Aa]ppuy(?:ez|é|er|ant)|[Cc]liqu(?:ez|é|er))(?: chacun)? sur ((?:(?:\*[^*\n]+\*|«\u202f[^»\n]+\u202f»))(?:(?:,| ou| et) (?:\*[^*\n]+\*|«\u202f[^»\n]+\u202f»))*)/g,
};

/** A count glued to a noun by hand: "pair(s)", "binôme(s)", "reçu(e)". */
const HAND_PLURAL = /\p{L}\((?:s|es|e|x)\)/u;

/**
 * A plain argument written before a counted noun, "{days} days", reads "1 days" when the count is
 * one: each language's counted nouns (a new language adds its own line). Inside a plural's branch
 * the noun is already chosen by the count, so only arguments outside plurals are looked at.
 */
export const countedNouns: Readonly<Record<string, RegExp>> = {
  en: /^\s+(?:days?|weeks?|months?|years?|hours?|minutes?|pairs?|people|persons?|sessions?|check-ins?|prompts?|reminders?|levels?|times|objectives?|partners?|escalations?|facilitators?|members?|messages?|characters?)\b/u,
  fr: /^\s+(?:jours?|semaines?|mois|ans?|années?|heures?|minutes?|binômes?|personnes?|séances?|points?|relances?|rappels?|niveaux?|fois|objectifs?|partenaires?|signalements?|animateurs?|membres?|messages?|caractères?)(?![\p{L}'’-])/u,
};

/** Each "{argument} noun" or "{argument, number} noun" outside a plural, where the noun is one `nouns` counts. */
function countsByHand(elements: readonly MessageFormatElement[], nouns: RegExp): string[] {
  const found: string[] = [];
  elements.forEach((element, i) => {
    const next = elements[i + 1];
    if ((isArgumentElement(element) || isNumberElement(element)) && next && isLiteralElement(next)) {
      const noun = nouns.exec(next.value);
      if (noun) found.push(`{${element.value}}${noun[0]}`);
    }
    if (isSelectElement(element)) for (const option of Object.values(element.options)) found.push(...countsByHand(option.value, nouns));
    if (isTagElement(element)) found.push(...countsByHand(element.children, nouns));
    // A plural's branches are not looked into: there the noun agrees with the count.
  });
  return found;
}

/**
 * Problems inside plural branches: a Slack channel mention `<#{channel}>`, whose # is the count
 * there (it rendered "<2C123>"); and, in a language whose `one` also covers 0 (French: 0 and 1.5
 * are singular), a `one` branch that shows no count, which means "exactly one" ("la seule
 * personne") and so reads wrongly at 0: that is `=1`.
 */
function pluralProblems(elements: readonly MessageFormatElement[], oneCoversZero: boolean): string[] {
  const found: string[] = [];
  elements.forEach((element, i) => {
    const before = elements[i - 1];
    if (isPoundElement(element) && before && isLiteralElement(before) && before.value.endsWith('<')) {
      found.push("has a Slack mention <#…> in a plural, where # is the count: quote it, <'#'{channel}>");
    }
    if (isPluralElement(element)) {
      // The count shows as #, as itself formatted, or as a text argument named after it ({gain} → {gainText}).
      const count = element.value;
      const shows = (branch: readonly MessageFormatElement[]): boolean =>
        branch.some(
          (e) =>
            isPoundElement(e) ||
            ((isNumberElement(e) || isArgumentElement(e)) && (e.value === count || e.value === `${count}Text`)) ||
            (isTagElement(e) && shows(e.children)),
        );
      const one = element.options.one;
      // With an =0 form, one no longer takes 0.
      if (element.pluralType !== 'ordinal' && oneCoversZero && one && !element.options['=0'] && !shows(one.value)) {
        found.push(`says "exactly one" in a plural's one form, which this language also uses for 0: write =1 {…} for exactly one (and one {# …} for 0)`);
      }
      for (const option of Object.values(element.options)) found.push(...pluralProblems(option.value, oneCoversZero));
    }
    if (isSelectElement(element)) for (const option of Object.values(element.options)) found.push(...pluralProblems(option.value, oneCoversZero));
    if (isTagElement(element)) found.push(...pluralProblems(element.children, oneCoversZero));
  });
  return found;
}

/** Every problem of the catalogues, as "locale key: what is wrong". The first catalogue is the reference. */
export function checkCatalogues(catalogues: Catalogues): string[] {
  const problems: string[] = [];
  const [reference, ...others] = Object.keys(catalogues);
  if (reference === undefined) return ['no catalogue'];
  const types = new Map<string, Map<string, Map<string, ArgumentType>>>();

  for (const [locale, catalogue] of Object.entries(catalogues)) {
    const oneCoversZero = new Intl.PluralRules(locale).select(0) === 'one';
    const ofLocale = new Map<string, Map<string, ArgumentType>>();
    types.set(locale, ofLocale);
    for (const [key, message] of Object.entries(catalogue)) {
      if (message.trim() === '') {
        problems.push(`${locale} ${key}: is empty`);
        continue;
      }
      try {
        const ast = parse(message, { ignoreTag: true, requiresOtherClause: true });
        ofLocale.set(key, argumentTypes(ast));
        const nouns = countedNouns[locale];
        for (const glued of nouns ? countsByHand(ast, nouns) : []) {
          problems.push(`${locale} ${key}: writes a count before its noun by hand ("${glued}"); write {count, plural, one {# …} other {# …}}`);
        }
        for (const problem of pluralProblems(ast, oneCoversZero)) problems.push(`${locale} ${key}: ${problem}`);
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
