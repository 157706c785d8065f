import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type Locale = 'en' | 'fr';
export type { MessageKey };
export type Vars = Record<string, string | number>;

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** The message for `key` in `locale`, with each `{name}` replaced by `vars.name`. */
export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const template = catalogues[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** Maps a Slack locale such as `fr-FR` to one of ours, or null when we have no catalogue for it. */
export function localeFromSlack(slackLocale: string | undefined | null): Locale | null {
  const lang = slackLocale?.slice(0, 2).toLowerCase();
  return lang === 'en' || lang === 'fr' ? lang : null;
}

// Intl formatters are costly to build and safe to share.
const listFormats: Record<Locale, Intl.ListFormat> = {
  en: new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }),
  fr: new Intl.ListFormat('fr', { style: 'long', type: 'conjunction' }),
};

/** A list joined the way each language writes it ("a, b and c" / "a, b et c"). */
export function formatList(locale: Locale, items: readonly string[]): string {
  return listFormats[locale].format(items);
}
