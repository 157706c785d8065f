import { type Cadence, type Format, isCatalogueSkill, type LanguageCode, type Role } from '../domain/profile.js';
import { formatList, type Locale, languageNames, t, dateTimeFormat, numberFormat, unitList } from '../i18n/index.js';
import { escapeText } from './blocks.js';

/** Words for the programme's own values, in the reader's language. */
/** A skill as shown in a message: the catalogue's words, or what the person typed, made inert. */
export const skillLabel = (locale: Locale, skill: string): string => (isCatalogueSkill(skill) ? t(locale, `skill.${skill}`) : escapeText(skill));
/** Skills as a field lists them: their labels ("Generative AI, Negotiation"), each apart, since a label may hold an "and". */
export const skillList = (locale: Locale, skills: readonly string[]): string => unitList(locale, skills.map((s) => skillLabel(locale, s)));
/** Skills inside a sentence, as its object: "generative AI and negotiation", « l’IA générative et la négociation ». */
export const skillPhrase = (locale: Locale, skills: readonly string[]): string =>
  formatList(locale, skills.map((s) => (isCatalogueSkill(s) ? t(locale, `skill.phrase.${s}`) : escapeText(s))));
export const languageLabel = (locale: Locale, code: LanguageCode): string => t(locale, `language.${code}`);
export const formatLabel = (locale: Locale, format: Format): string => t(locale, `format.${format}`);
export const cadenceLabel = (locale: Locale, cadence: Cadence): string => t(locale, `cadence.${cadence}`);
/** The same values inside a sentence ("every two weeks", « toutes les deux semaines »): each language words them itself, rather than a label lower-cased. */
export const formatPhrase = (locale: Locale, format: Format): string => t(locale, `format.phrase.${format}`);
export const cadencePhrase = (locale: Locale, cadence: Cadence): string => t(locale, `cadence.phrase.${cadence}`);
/** A language's name inside a sentence, as that language writes it (CLDR's names: "German", « allemand »). */
export const languageInSentence = (locale: Locale, code: LanguageCode): string => languageNames(locale).of(code) ?? languageLabel(locale, code);
export const roleLabel = (locale: Locale, role: Role): string => t(locale, `role.${role}.short`);

/**
 * A date as people read it in that language, e.g. "3 March 2027" / "3 mars 2027": Intl's order and
 * month names, with the day as the catalogue writes it (« 1er mars 2027 »: French writes the first
 * of the month as an ordinal; Intl does not).
 */
export function dateLabel(locale: Locale, iso: string, timeZone = 'UTC'): string {
  const instant = new Date(iso);
  const parts = dateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).formatToParts(instant);
  // The day as a number whatever digits the language writes (٣, ৩…): the message writes it back in them.
  const day = Number(dateTimeFormat(locale, { day: 'numeric', timeZone, numberingSystem: 'latn' }).format(instant));
  return parts.map((part) => (part.type === 'day' ? t(locale, 'date.day', { day }) : part.value)).join('');
}

/**
 * A moment in a message that several people read: Slack shows it in each reader's own time zone;
 * the fallback (for notifications and old clients) is the date in `timeZone`.
 */
export function momentLabel(locale: Locale, iso: string, timeZone = 'UTC'): string {
  const seconds = Math.floor(new Date(iso).getTime() / 1000);
  return `<!date^${seconds}^{date_long}|${dateLabel(locale, iso, timeZone)}>`;
}

const GAIN_FORMAT: Intl.NumberFormatOptions = { maximumFractionDigits: 1, signDisplay: 'exceptZero' };

/**
 * A mean gain in levels, for a message's plural and its text: the number rounded to a tenth (the
 * plural is chosen on it: "1.5 levels", « 1,5 niveau ») and its signed text ("+1.5", "-0.5", "0",
 * "+1"): no trailing ".0", so the noun agrees with the number as written ("+1 level", not "+1.0 level").
 */
export function gainArgs(locale: Locale, value: number): { gain: number; gainText: string } {
  const rounded = Math.round(value * 10) / 10;
  return { gain: rounded, gainText: numberFormat(locale, GAIN_FORMAT).format(rounded) };
}
