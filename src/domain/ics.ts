/**
 * iCalendar (RFC 5545) file of a contract's recurring sessions.
 *
 * Re-sending with the same UID and a higher SEQUENCE makes calendar clients
 * replace the earlier events, which is how a new contract version updates them.
 */
import { cadenceDays, monthlyRuleOf, sessionDates, type Cadence } from './calendar.js';
import { instantToZoned, isValidTimeZone, zonedDateTimeToInstant, type IsoDate } from './time.js';

export interface SessionCalendarInput {
  /** Stable per contract (not per version), so updates replace the events. */
  uid: string;
  /** Contract version or any number that grows with each update. */
  sequence: number;
  summary: string;
  description: string;
  startDate: IsoDate;
  endDate: IsoDate;
  cadence: Cadence;
  sessionMinutes: number;
  /** The recipient's zone; the file is written in it. */
  timeZone: string;
  localHour: number;
  localMinute: number;
  /**
   * Each session's local date and time in `timeZone`, when a weekly rule in that zone would not
   * land on them (the session is a moment shared with a partner whose zone changes its clocks on
   * other dates): the sessions are then listed one by one (RDATE) instead of by a rule.
   */
  sessions?: readonly { date: IsoDate; hour: number; minute: number }[];
  organizerName?: string;
  /** Becomes DTSTAMP. */
  now: Date;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;
const DAY_MS = 86_400_000;

/** TEXT values: backslash first, so the escapes added next are not doubled. */
function escapeText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '') // CTLs are not allowed in TEXT
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Parameter values cannot hold DQUOTE or CTLs; quote them when they hold : ; , */
function paramValue(value: string): string {
  const clean = value.replace(/["\u0000-\u001f\u007f]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/**
 * Folds to at most 75 octets per line; continuation lines start with a space
 * that counts towards their 75. Splits between code points only, so a
 * multi-byte UTF-8 character is never cut in half.
 */
function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (octets + size > MAX_LINE_OCTETS) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join(CRLF);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `YYYYMMDDTHHMMSS` of the UTC fields of a (possibly shifted) instant. */
function basicDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

function utcDateTime(instant: Date): string {
  return `${basicDateTime(Math.floor(instant.getTime() / 1000) * 1000)}Z`;
}

function formatOffset(offsetMinutes: number): string {
  const totalSeconds = Math.round(Math.abs(offsetMinutes) * 60);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const [hours, minutes, seconds] = [Math.floor(totalSeconds / 3600), Math.floor(totalSeconds / 60) % 60, totalSeconds % 60];
  return `${sign}${pad(hours)}${pad(minutes)}${seconds ? pad(seconds) : ''}`;
}

function formatDuration(totalMinutes: number): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
}

interface Observance {
  /** First instant with the new offset. */
  atMs: number;
  fromMinutes: number;
  toMinutes: number;
}

function offsetAt(ms: number, timeZone: string): number {
  return instantToZoned(new Date(ms), timeZone).offsetMinutes;
}

/** First whole second in (lowMs, highMs] whose offset is no longer `offset`. */
function findChange(lowMs: number, highMs: number, offset: number, timeZone: string): number {
  let [low, high] = [lowMs, highMs];
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offset) low = mid;
    else high = mid;
  }
  return high;
}

/**
 * The offset in force at `fromMs` and every change up to `toMs`. Probing daily
 * then bisecting to the second finds real transitions without a tz database
 * of our own; no zone changes offset twice within a day in practice.
 */
function observances(timeZone: string, fromMs: number, toMs: number): Observance[] {
  const initial = offsetAt(fromMs, timeZone);
  const found: Observance[] = [{ atMs: fromMs, fromMinutes: initial, toMinutes: initial }];
  let [cursor, offset] = [fromMs, initial];
  while (cursor < toMs) {
    const probe = Math.min(cursor + DAY_MS, toMs);
    if (offsetAt(probe, timeZone) === offset) {
      cursor = probe;
      continue;
    }
    const atMs = findChange(cursor, probe, offset, timeZone);
    const toMinutes = offsetAt(atMs, timeZone);
    found.push({ atMs, fromMinutes: offset, toMinutes });
    [cursor, offset] = [atMs, toMinutes];
  }
  return found;
}

/**
 * VTIMEZONE covering whole calendar years from the start year to the end
 * year, one sub-component per real transition (no RRULE to get wrong). An
 * offset above the lowest one seen is daylight time, which also labels the
 * southern hemisphere correctly; a zone without DST gets one STANDARD.
 */
function vtimezoneLines(timeZone: string, startDate: IsoDate, endDate: IsoDate): string[] {
  const fromMs = zonedDateTimeToInstant(`${startDate.slice(0, 4)}-01-01`, 0, 0, timeZone).getTime();
  const toYear = Number(endDate.slice(0, 4)) + 1;
  const toMs = zonedDateTimeToInstant(`${pad(toYear, 4)}-01-01`, 0, 0, timeZone).getTime();
  const periods = observances(timeZone, fromMs, toMs);
  const standardOffset = Math.min(...periods.map((period) => period.toMinutes));
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...periods.flatMap((period) => {
      const kind = period.toMinutes > standardOffset ? 'DAYLIGHT' : 'STANDARD';
      return [
        `BEGIN:${kind}`,
        // DTSTART is the wall-clock time just before the change, in the old offset.
        `DTSTART:${basicDateTime(period.atMs + period.fromMinutes * 60_000)}`,
        `TZOFFSETFROM:${formatOffset(period.fromMinutes)}`,
        `TZOFFSETTO:${formatOffset(period.toMinutes)}`,
        `END:${kind}`,
      ];
    }),
    'END:VTIMEZONE',
  ];
}

function assertInput(input: SessionCalendarInput): void {
  if (!isValidTimeZone(input.timeZone)) throw new RangeError(`Unknown time zone: ${input.timeZone}`);
  if (!Number.isInteger(input.sessionMinutes) || input.sessionMinutes <= 0) {
    throw new RangeError(`Bad session length: ${input.sessionMinutes}`);
  }
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError(`Bad sequence: ${input.sequence}`);
}

const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** Every one to three weeks; monthly on the same weekday of the month (`BYDAY=2TU`, `-1FR` for the last). */
function recurrence(cadence: Cadence, firstSession: IsoDate): string {
  if (cadence !== 'monthly') return `FREQ=WEEKLY;INTERVAL=${cadenceDays(cadence) / 7}`;
  const { weekday, ordinal } = monthlyRuleOf(firstSession);
  return `FREQ=MONTHLY;BYDAY=${ordinal}${ICAL_DAYS[weekday - 1]}`;
}

function eventLines(input: SessionCalendarInput, firstSession: IsoDate): string[] {
  const { timeZone, localHour, localMinute } = input;
  const tzid = paramValue(timeZone);
  const local = (date: IsoDate, hour: number, minute: number) => `${date.replace(/-/g, '')}T${pad(hour)}${pad(minute)}00`;
  const listed = input.sessions && input.sessions.length > 0 ? input.sessions : undefined;
  const start = listed ? local(listed[0]!.date, listed[0]!.hour, listed[0]!.minute) : local(firstSession, localHour, localMinute);
  // UNTIL must be UTC when DTSTART has a TZID; the end date's last second
  // (local) is after the last session and before the one that would follow.
  const until = new Date(zonedDateTimeToInstant(input.endDate, 23, 59, timeZone).getTime() + 59_000);
  const organizer = input.organizerName
    ? [`ORGANIZER;CN=${paramValue(input.organizerName)}:mailto:noreply@tandem.invalid`]
    : [];
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(input.uid)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcDateTime(input.now)}`,
    `DTSTART;TZID=${tzid}:${start}`,
    `DURATION:${formatDuration(input.sessionMinutes)}`,
    // Every session listed, the first too: DTSTART is an instance by RFC 5545, but some readers
    // (ical.js, hence Thunderbird) expand only the listed dates; a duplicate counts once.
    ...(listed
      ? listed.length > 1
        ? [`RDATE;TZID=${tzid}:${listed.map((s) => local(s.date, s.hour, s.minute)).join(',')}`]
        : []
      : [`RRULE:${recurrence(input.cadence, firstSession)};UNTIL=${utcDateTime(until)}`]),
    `SUMMARY:${escapeText(input.summary)}`,
    `DESCRIPTION:${escapeText(input.description)}`,
    ...organizer,
    'END:VEVENT',
  ];
}

export function buildSessionCalendar(input: SessionCalendarInput): string {
  assertInput(input);
  const [firstSession] = sessionDates(input);
  if (!firstSession) throw new RangeError('The contract period holds no session');
  // Validates the local time too (throws on 25:00).
  zonedDateTimeToInstant(firstSession, input.localHour, input.localMinute, input.timeZone);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tandem//Reverse mentoring sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...vtimezoneLines(input.timeZone, input.startDate, input.endDate),
    ...eventLines(input, firstSession),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

export interface CancellationInput {
  /** The UID of the events to remove: the one the sessions file carried. */
  uid: string;
  /** Above every SEQUENCE sent with that UID, so clients apply it over the last update. */
  sequence: number;
  summary: string;
  /** The first session's start: clients that need a DTSTART to match the event find it. */
  firstSession: Date;
  organizerName?: string;
  now: Date;
}

/**
 * The file that removes a pair's sessions from a calendar (RFC 5546 CANCEL of the whole series):
 * the same UID, a higher SEQUENCE and STATUS:CANCELLED, no recurrence id.
 */
export function buildCancellation(input: CancellationInput): string {
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError(`Bad sequence: ${input.sequence}`);
  const organizer = input.organizerName ? [`ORGANIZER;CN=${paramValue(input.organizerName)}:mailto:noreply@tandem.invalid`] : [];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tandem//Reverse mentoring sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:CANCEL',
    'BEGIN:VEVENT',
    `UID:${escapeText(input.uid)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcDateTime(input.now)}`,
    `DTSTART:${utcDateTime(input.firstSession)}`,
    'STATUS:CANCELLED',
    `SUMMARY:${escapeText(input.summary)}`,
    ...organizer,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
