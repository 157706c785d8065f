import {
  isArgumentElement,
  isDateElement,
  isNumberElement,
  isPluralElement,
  isSelectElement,
  isTagElement,
  isTimeElement,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat, type Formatters } from 'intl-messageformat';
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type { MessageKey };
/** Values for a message's arguments: numbers drive `plural`/`selectordinal` and `{n, number}`, strings drive `select`. */
export type Vars = Record<string, string | number | Date>;
export type Catalogue = Record<MessageKey, string>;

/**
 * Every language Tandem speaks, one catalogue file each, written in ICU MessageFormat. The first is
 * the reference the others are checked against (test/i18n/catalogues.test.ts).
 */
export const catalogues = { en, fr } satisfies Record<string, Catalogue>;
export type Locale = keyof typeof catalogues;
export const locales = Object.keys(catalogues) as Locale[];

/**
 * The Intl locale each language formats dates and numbers with: a region fixes the order of a
 * date's parts and the separators ("1 March 2027", "1 234,5"). A new catalogue needs its line here.
 */
export const intlLocales = { en: 'en-GB', fr: 'fr-FR' } as const satisfies Record<Locale, string>;
export const intlLocale = (locale: Locale): string => intlLocales[locale];

/** Whether Tandem speaks this language (a catalogue's code, such as a person's Slack language). */
export const isLocale = (code: unknown): code is Locale => typeof code === 'string' && Object.hasOwn(catalogues, code);

/** The language a person reads: their Slack language when Tandem speaks it, else the workspace's default. */
export const personLocale = (deps: { config: { defaultLocale: Locale } }, person: { locale?: string | null } | null | undefined): Locale =>
  isLocale(person?.locale) ? person.locale : deps.config.defaultLocale;

/** The language of a message both partners read: theirs when they share it, else the workspace's default. */
export const pairLocale = (deps: { config: { defaultLocale: Locale } }, a: { locale?: string | null }, b: { locale?: string | null }): Locale =>
  a.locale === b.locale ? personLocale(deps, a) : deps.config.defaultLocale;

// Intl objects are costly to build and safe to share: one cache for every message, not one per message.
function memo<A extends unknown[], R>(make: (...args: A) => R): (...args: A) => R {
  const cache = new Map<string, R>();
  return (...args) => {
    const id = JSON.stringify(args);
    let made = cache.get(id);
    if (made === undefined) {
      made = make(...args);
      cache.set(id, made);
    }
    return made;
  };
}
const formatters: Formatters = {
  getNumberFormat: memo((locale?: string | string[], options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options)),
  getDateTimeFormat: memo((...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args)),
  getPluralRules: memo((...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args)),
};

/** A number formatter in a language's Intl locale, built once for each language and options. */
export const numberFormat = (locale: Locale, options?: Intl.NumberFormatOptions): Intl.NumberFormat => numberFormats(intlLocale(locale), options);
const numberFormats = memo((tag: string, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(tag, options));
/** A date formatter in a language's Intl locale, built once for each language and options. */
export const dateTimeFormat = (locale: Locale, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => dateTimeFormats(intlLocale(locale), options);
const dateTimeFormats = memo((tag: string, options?: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, options));
/** Languages' names as a language writes them in a sentence (CLDR's: "German", « allemand »). */
export const languageNames = (locale: Locale): Intl.DisplayNames => displayNames(intlLocale(locale));
const displayNames = memo((tag: string) => new Intl.DisplayNames(tag, { type: 'language', fallback: 'none' }));

/**
 * Parses an ICU message. `ignoreTag`: Slack's own `<@U123>` and `<url|label>` are text, not tags.
 * Throws on a malformed message (the catalogue tests parse every one).
 */
export function compile(locale: string, message: string): IntlMessageFormat {
  return new IntlMessageFormat(message, locale, undefined, { formatters, ignoreTag: true });
}

type Compiled = { format: IntlMessageFormat; args: readonly string[] };
const compiled = Object.fromEntries(locales.map((locale) => [locale, new Map()])) as Record<Locale, Map<MessageKey, Compiled>>;

/** Each message is parsed once, on first use, then only formatted (t runs a dozen times per reply). */
function compiledMessage(locale: Locale, key: MessageKey): Compiled {
  let message = compiled[locale].get(key);
  if (message === undefined) {
    const format = compile(intlLocale(locale), catalogues[locale][key]);
    message = { format, args: [...argumentTypes(format.getAst()).keys()] };
    compiled[locale].set(key, message);
  }
  return message;
}

/**
 * The message for `key` in `locale`, formatted with `vars` (plurals, selects and numbers in that
 * locale's rules). An argument left out shows as `{name}`, so a slip is visible rather than fatal.
 */
export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const { format, args } = compiledMessage(locale, key);
  let values = vars;
  for (const name of args) {
    if (!(name in values)) values = { ...values, [name]: `{${name}}` };
  }
  return format.format(values) as string;
}

/** The kind of value an argument takes, as its ICU form says. */
export type ArgumentType = 'number' | 'string' | 'date' | 'text';

/**
 * The arguments of a parsed message and their types: `plural`, `selectordinal` and `{n, number}` take
 * a number, `select` a string, `{d, date}` / `{d, time}` a date, a plain `{name}` any text. An argument
 * used two ways gets the stricter type.
 */
export function argumentTypes(ast: readonly MessageFormatElement[], into = new Map<string, ArgumentType>()): Map<string, ArgumentType> {
  const note = (name: string, type: ArgumentType) => {
    const known = into.get(name);
    if (known === undefined || known === 'text') into.set(name, type);
  };
  for (const element of ast) {
    if (isArgumentElement(element)) note(element.value, 'text');
    else if (isNumberElement(element)) note(element.value, 'number');
    else if (isDateElement(element) || isTimeElement(element)) note(element.value, 'date');
    else if (isSelectElement(element) || isPluralElement(element)) {
      note(element.value, isSelectElement(element) ? 'string' : 'number');
      for (const option of Object.values(element.options)) argumentTypes(option.value, into);
    } else if (isTagElement(element)) argumentTypes(element.children, into);
  }
  return into;
}

/** Maps a Slack locale such as `fr-FR` to one of ours, or null when we have no catalogue for it. */
export function localeFromSlack(slackLocale: string | undefined | null): Locale | null {
  const lang = slackLocale?.slice(0, 2).toLowerCase();
  return locales.find((locale) => locale === lang) ?? null;
}

const listFormats = memo((tag: string, options: Intl.ListFormatOptions) => new Intl.ListFormat(tag, options));

/** A list joined the way each language writes it ("a, b and c" / "a, b et c"). */
export function formatList(locale: Locale, items: readonly string[]): string {
  return listFormats(intlLocale(locale), { style: 'long', type: 'conjunction' }).format(items);
}

/** Items a field lists apart ("A, B, C" / « A, B et C »): Intl's unit list, where a sentence's would blur an item holding "and". */
export function unitList(locale: Locale, items: readonly string[]): string {
  return listFormats(intlLocale(locale), { style: 'short', type: 'unit' }).format(items);
}

const englishPlurals = new Intl.PluralRules('en');

/**
 * "1 problem", "2 problems": a count in operator output (the command line, logs), which is English
 * only and read by whoever installs Tandem, not by participants.
 */
export function countOf(n: number, one: string, other: string): string {
  return `${n} ${englishPlurals.select(n) === 'one' ? one : other}`;
}
