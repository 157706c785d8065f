/**
 * Calendar dates and zoned wall-clock times, built on Intl only.
 *
 * A calendar date is a `YYYY-MM-DD` string: contracts, sessions and check-ins
 * are agreed as dates, and the same date means a different instant in each
 * partner's zone, so dates are kept apart from `Date` instants on purpose.
 */

/** A calendar date, `YYYY-MM-DD` (four-digit year). */
export type IsoDate = string;

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ZonedDateTime {
  date: IsoDate;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
  /** Offset from UTC at that instant, e.g. 60 for Paris in winter. */
  offsetMinutes: number;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function parseIsoDate(date: IsoDate): DateParts {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return { year, month, day };
}

/** True for a real calendar date written `YYYY-MM-DD` (so not 2025-02-30). */
export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] as number);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatParts({ year, month, day }: DateParts): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

// A programme's dates are few and asked about over and over (every pair of a pass walks its
// contract's dates): both directions are remembered, within a bound.
const DATE_CACHE_LIMIT = 50_000;
const dayNumbers = new Map<IsoDate, number>();
const dateStrings = new Map<number, IsoDate>();

/** Days since 1970-01-01; lets date arithmetic ignore time zones entirely. */
function toDayNumber(date: IsoDate): number {
  let dayNumber = dayNumbers.get(date);
  if (dayNumber === undefined) {
    const { year, month, day } = parseIsoDate(date);
    dayNumber = Date.UTC(year, month - 1, day) / DAY_MS;
    if (dayNumbers.size >= DATE_CACHE_LIMIT) dayNumbers.clear();
    dayNumbers.set(date, dayNumber);
  }
  return dayNumber;
}

function fromDayNumber(dayNumber: number): IsoDate {
  let date = dateStrings.get(dayNumber);
  if (date === undefined) {
    const utc = new Date(dayNumber * DAY_MS);
    date = formatParts({ year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() });
    if (dateStrings.size >= DATE_CACHE_LIMIT) dateStrings.clear();
    dateStrings.set(dayNumber, date);
  }
  return date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds calendar months, clamping to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  return formatParts({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** Signed number of days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function weekdayOf(date: IsoDate): Weekday {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  const index = (((toDayNumber(date) + 3) % 7) + 7) % 7;
  return (index + 1) as Weekday;
}

export function isWorkingDay(date: IsoDate): boolean {
  return weekdayOf(date) <= 5;
}

/** The date itself when it is a working day, else the following Monday. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The date itself when it is a working day, else the Friday before. */
export function previousWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/** Moves forward `count` Mon–Fri days; a Saturday + 1 working day is the Monday. */
export function addWorkingDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Bad working-day count: ${count}`);
  let day = date;
  for (let left = count; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// Building a DateTimeFormat is far slower than using one; schedules ask often.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock extends DateParts {
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `timeZone`, read from Intl: the reference the cached offsets come from. */
function intlWallClock(instantMs: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const field = (name: string): number => fields[name] ?? Number.NaN;
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour') % 24, // some ICU builds still print midnight as 24
    minute: field('minute'),
    second: field('second'),
  };
}

function wallClockAsUtcMs(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/**
 * Offsets change only at transitions, and every zone's transitions since the nineteenth century
 * fall on a quarter hour of UTC (their local times and offsets are whole quarter hours): within one
 * quarter hour the offset is the same, so it is asked of Intl once per zone and quarter hour. A
 * scheduled pass over thousands of pairs then costs a few Map lookups per date, not Intl calls.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCaches = new Map<string, Map<number, number>>();
const OFFSET_CACHE_LIMIT = 100_000;

function offsetMsAt(instantMs: number, timeZone: string): number {
  let cache = offsetCaches.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCaches.set(timeZone, cache);
  }
  const bucket = Math.floor(instantMs / QUARTER_HOUR_MS);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    const start = bucket * QUARTER_HOUR_MS;
    offset = wallClockAsUtcMs(intlWallClock(start, timeZone)) - start;
    if (cache.size >= OFFSET_CACHE_LIMIT) cache.clear();
    cache.set(bucket, offset);
  }
  return offset;
}

function wallClock(instantMs: number, timeZone: string): WallClock {
  // Whole seconds, as Intl prints them.
  const local = new Date(Math.floor(instantMs / 1000) * 1000 + offsetMsAt(instantMs, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** Intl prints whole seconds, so the offset is measured against the floored second. */
function offsetMs(clock: WallClock, instantMs: number): number {
  return wallClockAsUtcMs(clock) - Math.floor(instantMs / 1000) * 1000;
}

export function instantToZoned(instant: Date, timeZone: string): ZonedDateTime {
  const ms = instant.getTime();
  const clock = wallClock(ms, timeZone);
  const date = formatParts(clock);
  return {
    date,
    hour: clock.hour,
    minute: clock.minute,
    second: clock.second,
    weekday: weekdayOf(date),
    offsetMinutes: offsetMs(clock, ms) / 60_000,
  };
}

/**
 * The instant at which the wall clock in `timeZone` shows `date hour:minute`.
 * In a spring-forward gap the time does not exist: it moves forward by the
 * gap (02:30 → 03:30), as calendar clients do. In a fall-back overlap the time
 * exists twice: the first (earlier) one is taken.
 */
export function zonedDateTimeToInstant(date: IsoDate, hour: number, minute: number, timeZone: string): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Bad hour: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`Bad minute: ${minute}`);
  const { year, month, day } = parseIsoDate(date);
  const localMs = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets a day either side bracket any single transition near this time.
  const offsetBefore = offsetMsAt(localMs - DAY_MS, timeZone);
  const offsetAfter = offsetMsAt(localMs + DAY_MS, timeZone);
  const valid = [offsetBefore, offsetAfter]
    .filter((offset) => offsetMsAt(localMs - offset, timeZone) === offset)
    .map((offset) => localMs - offset)
    .sort((a, b) => a - b);
  // No valid candidate means a gap: reading the time with the offset in force
  // before the gap lands that far past the transition, i.e. moved forward.
  return new Date(valid[0] ?? localMs - offsetBefore);
}

/** The latest calendar date anywhere on Earth at `at` (UTC+14): nothing dated later can be due. */
export const latestDateAnywhere = (at: Date): IsoDate => instantToZoned(at, 'Pacific/Kiritimati').date;
