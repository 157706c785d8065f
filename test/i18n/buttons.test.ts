import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buttonPointers } from '../../src/i18n/check.js';
import { catalogues, locales, type MessageKey } from '../../src/i18n/index.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const sources = (readdirSync(src, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ts') && !file.startsWith('i18n'))
  .map((file) => readFileSync(join(src, file), 'utf8'));
const isKey = (key: string): key is MessageKey => key in catalogues.en;
const keysIn = (code: string) => [...code.matchAll(/'([\w.]+)'/g)].map((m) => m[1] ?? '').filter(isKey);

/**
 * The keys a person sees as a button: the text of every `button({ text: … })`, and every modal's
 * submit and close. Read from the code, so that a new button is covered without listing it here.
 */
function buttonKeys(): Set<MessageKey> {
  const keys = new Set<MessageKey>();
  for (const code of sources) {
    for (const match of code.matchAll(/button\(\{\s*text:([\s\S]*?),\s*actionId/g)) for (const key of keysIn(match[1] ?? '')) keys.add(key);
    for (const match of code.matchAll(/(?:submit|close): plain\(t\(locale, ([^)]*)\)/g)) for (const key of keysIn(match[1] ?? '')) keys.add(key);
  }
  return keys;
}

/** The button labels a message quotes, found by each language's words for pressing (`buttonPointers`). */
function quotedLabels(locale: string, message: string): string[] {
  const labels: string[] = [];
  for (const match of message.matchAll(buttonPointers[locale] ?? /$^/g)) {
    for (const quoted of (match[1] ?? '').matchAll(/\*([^*\n]+)\*|“([^”\n]+)”|«\u202f([^»\n]+)\u202f»/g)) labels.push(quoted[1] ?? quoted[2] ?? quoted[3] ?? '');
  }
  return labels;
}

/** Keys shown where Slack allows few characters: modal titles, submit and close (24), buttons (75). */
function shortKeys(): Map<MessageKey, number> {
  const keys = new Map<MessageKey, number>();
  for (const code of sources) {
    for (const match of code.matchAll(/(?:title|submit|close): plain\(t\(locale, ([^)]*)\), (?:LIMITS|SLACK)\.modalTitle\)/g)) for (const key of keysIn(match[1] ?? '')) keys.set(key, 24);
    for (const match of code.matchAll(/button\(\{\s*text:([\s\S]*?),\s*actionId/g)) for (const key of keysIn(match[1] ?? '')) if (!keys.has(key)) keys.set(key, 75);
  }
  return keys;
}

describe('labels where Slack allows few characters', () => {
  it.each(locales)('fit without being cut, in %s', (locale) => {
    const keys = shortKeys();
    expect(keys.size).toBeGreaterThan(30);
    const tooLong = [...keys].filter(([key, max]) => catalogues[locale][key].length > max).map(([key, max]) => `${key} (${catalogues[locale][key].length} > ${max})`);
    expect(tooLong).toEqual([]);
  });
});

describe('buttons named in messages', () => {
  const keys = buttonKeys();

  it('are found in the code (every feature has buttons)', () => {
    for (const key of ['intro.accept', 'intro.decline', 'contract.sign.button', 'followup.prompt.help', 'escalations.button.details', 'join.submit'] as const) {
      expect(keys.has(key), key).toBe(true);
    }
  });

  it.each(locales)('exist as a button with that exact label (%s)', (locale) => {
    const labels = new Set([...keys].map((key) => catalogues[locale][key]));
    const missing: string[] = [];
    let quoted = 0;
    for (const [key, message] of Object.entries(catalogues[locale])) {
      for (const label of quotedLabels(locale, message)) {
        quoted += 1;
        // A label given as an argument is filled from the button's own key.
        if (!/^\{\w+\}$/.test(label) && !labels.has(label)) missing.push(`${key}: “${label}” is no button`);
      }
    }
    expect(missing).toEqual([]);
    expect(quoted, `the ${locale} catalogue names no button: add its words for "press" to buttonPointers in src/i18n/check.ts`).toBeGreaterThan(5);
  });

  it('the pattern finds a label pointed to, and a mismatch', () => {
    expect(quotedLabels('en', 'Read it, then press *Sign*: or press “We need help”.')).toEqual(['Sign', 'We need help']);
    expect(quotedLabels('fr', 'Appuyez sur *Accepter* ou *Refuser*, ou appuyez sur «\u202fBesoin d’aide\u202f».')).toEqual(['Accepter', 'Refuser', 'Besoin d’aide']);
  });
});
