import { addMonths } from './time.js';

/**
 * Pure rules of erasure: finding a Slack id in stored text, replacing it, blanking free text while
 * keeping the shape that counts rely on, and the retention cut-off.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The id as a whole token: U0ANA is not found inside U0ANAB. */
const idPattern = (userId: string) => new RegExp(`(?<![A-Za-z0-9_-])${escape(userId)}(?![A-Za-z0-9_-])`, 'g');
/** A Slack mention of the id, with or without the label Slack may add (<@U0ANA|ana>). */
const mentionPattern = (userId: string) => new RegExp(`<@${escape(userId)}(?:\\|[^>]*)?>`, 'g');

/** True when `text` holds the id, as a mention or bare. */
export function holdsUserId(text: string, userId: string): boolean {
  return idPattern(userId).test(text);
}

/** Replaces every mention of the id with `label` (readable text), then every bare id with `anonymousId`. */
export function replaceUserId(text: string, userId: string, anonymousId: string, label: string = anonymousId): string {
  return text.replace(mentionPattern(userId), label).replace(idPattern(userId), anonymousId);
}

/** A person's name as whole words: "Ana" is not found inside "Banana". */
const namePattern = (name: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(name.trim())}(?![\\p{L}\\p{N}])`, 'gu');
/** Names this short would be found in too many unrelated words. */
const MIN_NAME_LENGTH = 3;

/** True when `text` holds the person's display name as whole words (names under three letters are not looked for). */
export function holdsName(text: string, name: string): boolean {
  return name.trim().length >= MIN_NAME_LENGTH && namePattern(name).test(text);
}

/** Replaces the person's display name, as whole words, with `label`. */
export function replaceName(text: string, name: string, label: string): string {
  return name.trim().length >= MIN_NAME_LENGTH ? text.replace(namePattern(name), label) : text;
}

/**
 * Objectives with their words erased: the list keeps its length, so that starting levels and
 * "objectives reached" still line up with it.
 */
export function blankObjectives(json: string): string {
  const parsed: unknown = JSON.parse(json);
  return JSON.stringify(Array.isArray(parsed) ? parsed.map(() => '') : []);
}

/** Structured details kept for someone else to read: numbers, booleans and nulls (ids, versions, counts); words may be a person's notes. */
export function withoutText(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v === null || typeof v === 'number' || typeof v === 'boolean'));
}

/** The instant before which closed records are past a retention of `months` calendar months. */
export function retentionCutoff(now: Date, months: number): Date {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`A retention period is a whole number of months, at least 1: got ${months}`);
  const iso = now.toISOString();
  return new Date(`${addMonths(iso.slice(0, 10), -months)}${iso.slice(10)}`);
}
