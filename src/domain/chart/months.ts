/**
 * Counting dated events per calendar month, the month being read on the programme's wall clock:
 * a check-in answered at 00:30 on 1 April in Paris counts for April even though it is still
 * 31 March in UTC.
 */
import { instantToZoned, isValidTimeZone } from '../time.js';

/** A calendar month, `YYYY-MM`. */
export type MonthKey = string;

export interface DatedEvent {
  at: Date;
  /** Which series it counts towards, e.g. "meetings". */
  series: string;
}

export interface MonthlyBuckets {
  /** Every month from the one holding `from` to the one holding `to`, oldest first. */
  months: MonthKey[];
  /** Per series, one count per month, in the order of `months`. */
  counts: Map<string, number[]>;
}

function monthOf(instant: Date, timeZone: string): number {
  const [year, month] = instantToZoned(instant, timeZone).date.split('-').map(Number);
  return year! * 12 + (month! - 1);
}

function monthKey(index: number): MonthKey {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/**
 * Counts events per month of `timeZone`, over the months from the one holding `from` to the
 * one holding `to` (none when `to` is earlier). The whole of those months counts, not only
 * the instants between `from` and `to`; events in other months are left out.
 * With `seriesNames`, exactly those series appear (zeros when they had no event) and events
 * of other series are left out; without it, every series seen appears.
 */
export function monthlyBuckets(
  events: readonly DatedEvent[],
  from: Date,
  to: Date,
  timeZone: string,
  seriesNames?: readonly string[],
): MonthlyBuckets {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new RangeError('Bad month range');
  const first = monthOf(from, timeZone);
  const count = Math.max(0, monthOf(to, timeZone) - first + 1);
  const months = Array.from({ length: count }, (_, i) => monthKey(first + i));
  const counts = new Map<string, number[]>();
  for (const name of seriesNames ?? []) counts.set(name, new Array<number>(count).fill(0));

  for (const event of events) {
    if (Number.isNaN(event.at.getTime())) throw new RangeError(`Bad event time in series "${event.series}"`);
    let row = counts.get(event.series);
    if (!row) {
      if (seriesNames) continue;
      row = new Array<number>(count).fill(0);
      counts.set(event.series, row);
    }
    const index = monthOf(event.at, timeZone) - first;
    if (index >= 0 && index < count) row[index]! += 1;
  }
  return { months, counts };
}

const labelFormats = new Map<string, Intl.DateTimeFormat>();

/** Short month labels in the reader's language: "Mar 26" in English, "mars 26" in French. */
export function monthLabels(months: readonly MonthKey[], locale: string): string[] {
  let format = labelFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
    labelFormats.set(locale, format);
  }
  const chosen = format;
  return months.map((month) => {
    const match = /^(\d{4})-(\d{2})$/.exec(month);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw new RangeError(`Not a YYYY-MM month: ${month}`);
    const first = new Date(0);
    // setUTCFullYear, unlike Date.UTC, leaves years below 100 alone.
    first.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, 1);
    return chosen.format(first);
  });
}
