import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type Locale = 'en' | 'fr';
export type { MessageKey };
export type Vars = Record<string, string | number>;

/**
 * Each message cut once at its placeholders, so that `t` (a dozen calls for one reply) only joins
 * pieces: literal text at even indexes, placeholder names at odd ones.
 */
const pieces = (catalogue: Record<MessageKey, string>) =>
  Object.fromEntries(Object.entries(catalogue).map(([key, template]) => [key, template.split(/\{(\w+)\}/)])) as Record<MessageKey, string[]>;
const catalogues: Record<Locale, Record<MessageKey, string[]>> = { en: pieces(en), fr: pieces(fr) };

/** The message for `key` in `locale`, with each `{name}` replaced by `vars.name`. */
export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  const parts = catalogues[locale][key];
  let text = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] ?? '';
    const value = vars[name];
    text += (value === undefined ? `{${name}}` : String(value)) + (parts[i + 1] ?? '');
  }
  return text;
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
