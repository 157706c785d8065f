import { describe, expect, it } from 'vitest';
import { cadenceDays, sessionDates, type Cadence } from '../../src/domain/calendar.js';
import { buildSessionCalendar, type SessionCalendarInput } from '../../src/domain/ics.js';
import { addDays, zonedDateTimeToInstant } from '../../src/domain/time.js';

// ---- A tiny RFC 5545 reader, enough to check what we write. ----

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

interface Component {
  name: string;
  properties: Property[];
  children: Component[];
}

function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line !== '');
}

/** Splits at `separator` outside double quotes. */
function splitOutsideQuotes(text: string, separator: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  return [...parts, current];
}

function parseLine(line: string): Property {
  const [head = '', value = ''] = splitOutsideQuotes(line, ':', 2);
  const [name = '', ...rawParams] = splitOutsideQuotes(head, ';');
  const params = Object.fromEntries(
    rawParams.map((param) => {
      const [key = '', paramValue = ''] = param.split('=');
      return [key, paramValue.replace(/^"(.*)"$/, '$1')];
    }),
  );
  return { name, params, value };
}

function parseCalendar(text: string): Component {
  const root: Component = { name: 'ROOT', properties: [], children: [] };
  const stack = [root];
  for (const property of unfold(text).map(parseLine)) {
    const top = stack.at(-1) as Component;
    if (property.name === 'BEGIN') {
      const child: Component = { name: property.value, properties: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (property.name === 'END') {
      expect(top.name).toBe(property.value);
      stack.pop();
    } else top.properties.push(property);
  }
  expect(stack).toHaveLength(1);
  return root;
}

function prop(component: Component | undefined, name: string): Property {
  const found = component?.properties.find((p) => p.name === name);
  if (!found) throw new Error(`No ${name}`);
  return found;
}

function child(component: Component | undefined, name: string): Component {
  const found = component?.children.find((c) => c.name === name);
  if (!found) throw new Error(`No ${name}`);
  return found;
}

/** No lone surrogate, i.e. no character cut in half. */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char));
}

/** `YYYYMMDDTHHMMSS` as if UTC, in ms. */
function basicToMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/.exec(value);
  if (!m) throw new Error(`Bad date-time ${value}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function offsetToMs(value: string): number {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(value);
  if (!m) throw new Error(`Bad offset ${value}`);
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

interface Observance {
  kind: string;
  start: string;
  from: string;
  to: string;
}

function observances(calendar: Component): Observance[] {
  return child(calendar, 'VTIMEZONE').children.map((c) => ({
    kind: c.name,
    start: prop(c, 'DTSTART').value,
    from: prop(c, 'TZOFFSETFROM').value,
    to: prop(c, 'TZOFFSETTO').value,
  }));
}

/** A local time read through the VTIMEZONE, as a client would. */
function localToUtcMs(localMs: number, list: Observance[]): number {
  const onsets = list.map((o) => basicToMs(o.start) - offsetToMs(o.from));
  for (let i = list.length - 1; i >= 0; i -= 1) {
    const candidate = localMs - offsetToMs((list[i] as Observance).to);
    if (candidate >= (onsets[i] as number)) return candidate;
  }
  throw new Error('Local time before the VTIMEZONE');
}

// ---- Fixtures ----

const NOW = new Date('2025-02-20T16:45:12.345Z');

function input(overrides: Partial<SessionCalendarInput> = {}): SessionCalendarInput {
  return {
    uid: 'contract-42@tandem',
    sequence: 0,
    summary: 'Tandem session',
    description: 'Reverse mentoring',
    startDate: '2025-03-03',
    endDate: '2025-09-03',
    cadence: 'biweekly',
    sessionMinutes: 60,
    timeZone: 'Europe/Paris',
    localHour: 10,
    localMinute: 0,
    now: NOW,
    ...overrides,
  };
}

function calendarOf(overrides: Partial<SessionCalendarInput> = {}): Component {
  return child(parseCalendar(buildSessionCalendar(input(overrides))), 'VCALENDAR');
}

describe('buildSessionCalendar: structure', () => {
  it('writes a publishable calendar with one recurring event', () => {
    const text = buildSessionCalendar(input({ organizerName: 'Tandem: Programme, RH' }));
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(/\r(?!\n)|(?<!\r)\n/.test(text)).toBe(false); // only CRLF
    const calendar = child(parseCalendar(text), 'VCALENDAR');
    expect(prop(calendar, 'VERSION').value).toBe('2.0');
    expect(prop(calendar, 'PRODID').value).toMatch(/^-\/\/Tandem\/\//);
    expect(prop(calendar, 'CALSCALE').value).toBe('GREGORIAN');
    expect(prop(calendar, 'METHOD').value).toBe('PUBLISH');
    const event = child(calendar, 'VEVENT');
    expect(prop(event, 'UID').value).toBe('contract-42@tandem');
    expect(prop(event, 'SEQUENCE').value).toBe('0');
    expect(prop(event, 'DTSTAMP').value).toBe('20250220T164512Z');
    expect(prop(event, 'DTSTART')).toEqual({ name: 'DTSTART', params: { TZID: 'Europe/Paris' }, value: '20250303T100000' });
    expect(prop(event, 'DURATION').value).toBe('PT1H');
    expect(prop(event, 'RRULE').value).toBe('FREQ=WEEKLY;INTERVAL=2;UNTIL=20250903T215959Z');
    expect(prop(event, 'ORGANIZER').params.CN).toBe('Tandem: Programme, RH');
    expect(prop(child(calendar, 'VTIMEZONE'), 'TZID').value).toBe('Europe/Paris');
  });

  it('writes durations and intervals for every cadence and length', () => {
    const cases: [Cadence, number, string, string][] = [
      ['weekly', 30, 'PT30M', 'FREQ=WEEKLY;INTERVAL=1;'],
      ['biweekly', 45, 'PT45M', 'FREQ=WEEKLY;INTERVAL=2;'],
      ['triweekly', 60, 'PT1H', 'FREQ=WEEKLY;INTERVAL=3;'],
      // Monday 3 March 2025 is the first Monday of the month.
      ['monthly', 90, 'PT1H30M', 'FREQ=MONTHLY;BYDAY=1MO;'],
    ];
    for (const [cadence, sessionMinutes, duration, rule] of cases) {
      const event = child(calendarOf({ cadence, sessionMinutes }), 'VEVENT');
      expect(prop(event, 'DURATION').value).toBe(duration);
      expect(prop(event, 'RRULE').value).toContain(rule);
    }
  });

  it('starts on the first working day when the contract starts on a weekend', () => {
    const event = child(calendarOf({ startDate: '2025-03-01' }), 'VEVENT');
    expect(prop(event, 'DTSTART').value).toBe('20250303T100000');
  });

  it('keeps the UID and raises SEQUENCE for a new contract version', () => {
    const first = child(calendarOf({ sequence: 1 }), 'VEVENT');
    const second = child(calendarOf({ sequence: 2, endDate: '2025-12-03', description: 'Amended' }), 'VEVENT');
    expect(prop(second, 'UID').value).toBe(prop(first, 'UID').value);
    expect(Number(prop(second, 'SEQUENCE').value)).toBeGreaterThan(Number(prop(first, 'SEQUENCE').value));
  });

  it('refuses unknown zones, bad lengths and periods without a session', () => {
    expect(() => buildSessionCalendar(input({ timeZone: 'Nowhere/Land' }))).toThrow(RangeError);
    expect(() => buildSessionCalendar(input({ sessionMinutes: 0 }))).toThrow(RangeError);
    expect(() => buildSessionCalendar(input({ localHour: 24 }))).toThrow(RangeError);
    expect(() => buildSessionCalendar(input({ startDate: '2025-03-01', endDate: '2025-03-02' }))).toThrow(RangeError);
  });
});

describe('buildSessionCalendar: text', () => {
  it('escapes backslashes, semicolons, commas and newlines', () => {
    const text = buildSessionCalendar(input({ summary: 'A; B, C\\D', description: 'one\r\ntwo\nthree\rfour' }));
    const event = child(child(parseCalendar(text), 'VCALENDAR'), 'VEVENT');
    expect(prop(event, 'SUMMARY').value).toBe('A\\; B\\, C\\\\D');
    expect(prop(event, 'DESCRIPTION').value).toBe('one\\ntwo\\nthree\\nfour');
    expect(unescapeText(prop(event, 'SUMMARY').value)).toBe('A; B, C\\D');
  });

  it('folds long accented French text at 75 octets without splitting a character', () => {
    const description =
      'Objectifs : découvrir les outils numériques, élaborer ensemble une stratégie réaliste ; ' +
      'préparer les échanges à l’avance, être à l’écoute, célébrer les progrès 🎉 — et déjeuner ensemble à Besançon !';
    const text = buildSessionCalendar(input({ description }));
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(wellFormed(line)).toBe(true); // no half surrogate pair
      expect(line).not.toContain('\uFFFD');
    }
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(1);
    const event = child(child(parseCalendar(text), 'VCALENDAR'), 'VEVENT');
    expect(unescapeText(prop(event, 'DESCRIPTION').value)).toBe(description);
  });

  it('moves a multi-byte character to the next line rather than cut it', () => {
    // "DESCRIPTION:" is 12 octets; 62 more make 74, and "é" (2 octets) would make 76.
    const text = buildSessionCalendar(input({ description: `${'a'.repeat(62)}é${'b'.repeat(100)}` }));
    const lines = text.split('\r\n');
    const start = lines.findIndex((line) => line.startsWith('DESCRIPTION:'));
    expect(Buffer.byteLength(lines[start] ?? '', 'utf8')).toBe(74);
    expect(lines[start + 1]?.startsWith(' é')).toBe(true);
    // An emoji is four octets and one code point: never split either.
    const emoji = buildSessionCalendar(input({ description: '🎉'.repeat(60) })).split('\r\n');
    for (const line of emoji) expect(wellFormed(line)).toBe(true);
  });
});

describe('buildSessionCalendar: VTIMEZONE', () => {
  it('Europe/Paris: both 2025 changes with the right local times and offsets', () => {
    expect(observances(calendarOf())).toEqual([
      { kind: 'STANDARD', start: '20250101T000000', from: '+0100', to: '+0100' },
      { kind: 'DAYLIGHT', start: '20250330T020000', from: '+0100', to: '+0200' },
      { kind: 'STANDARD', start: '20251026T030000', from: '+0200', to: '+0100' },
    ]);
  });

  it('America/New_York: second Sunday of March, first Sunday of November', () => {
    expect(observances(calendarOf({ timeZone: 'America/New_York' }))).toEqual([
      { kind: 'STANDARD', start: '20250101T000000', from: '-0500', to: '-0500' },
      { kind: 'DAYLIGHT', start: '20250309T020000', from: '-0500', to: '-0400' },
      { kind: 'STANDARD', start: '20251102T020000', from: '-0400', to: '-0500' },
    ]);
  });

  it('Asia/Tokyo: no DST, one STANDARD', () => {
    expect(observances(calendarOf({ timeZone: 'Asia/Tokyo' }))).toEqual([
      { kind: 'STANDARD', start: '20250101T000000', from: '+0900', to: '+0900' },
    ]);
  });

  it('Australia/Sydney: summer time in January, standard from April, summer again from October', () => {
    expect(observances(calendarOf({ timeZone: 'Australia/Sydney' }))).toEqual([
      { kind: 'DAYLIGHT', start: '20250101T000000', from: '+1100', to: '+1100' },
      { kind: 'STANDARD', start: '20250406T030000', from: '+1100', to: '+1000' },
      { kind: 'DAYLIGHT', start: '20251005T020000', from: '+1000', to: '+1100' },
    ]);
  });

  it('covers every year of a contract spanning two', () => {
    const list = observances(calendarOf({ startDate: '2025-09-01', endDate: '2026-08-31' }));
    expect(list.map((o) => o.start)).toEqual([
      '20250101T000000',
      '20250330T020000',
      '20251026T030000',
      '20260329T020000',
      '20261025T030000',
    ]);
  });
});

describe('buildSessionCalendar: read back', () => {
  const cases: [string, Cadence, string, string][] = [
    ['Europe/Paris', 'biweekly', '2025-03-03', '2025-09-03'],
    ['America/New_York', 'weekly', '2025-10-01', '2026-04-01'],
    ['Asia/Tokyo', 'weekly', '2025-01-31', '2026-01-31'],
    ['Australia/Sydney', 'triweekly', '2025-02-10', '2025-12-10'],
  ];
  // Monthly rules (BYDAY) are expanded by an iCalendar library in ics-parser.test.ts.

  it.each(cases)('%s %s: the expanded events are the planned sessions at 10:00 local', (timeZone, cadence, startDate, endDate) => {
    const calendar = calendarOf({ timeZone, cadence, startDate, endDate });
    const event = child(calendar, 'VEVENT');
    const rule = Object.fromEntries(prop(event, 'RRULE').value.split(';').map((part) => part.split('=')));
    expect(rule.FREQ).toBe('WEEKLY');
    const until = basicToMs(rule.UNTIL as string);
    const list = observances(calendar);
    // Expand as a client does: step the local time, resolve it through the VTIMEZONE, stop after UNTIL.
    const stepMs = Number(rule.INTERVAL) * 7 * 86_400_000;
    const expanded: number[] = [];
    for (let local = basicToMs(prop(event, 'DTSTART').value); ; local += stepMs) {
      const instant = localToUtcMs(local, list);
      if (instant > until) break;
      expanded.push(instant);
    }
    const planned = sessionDates({ startDate, endDate, cadence }).map((date) =>
      zonedDateTimeToInstant(date, 10, 0, timeZone).getTime(),
    );
    expect(expanded).toEqual(planned);
  });

  it('puts UNTIL after the last session and before the one that would follow', () => {
    const period = { startDate: '2025-03-03', endDate: '2025-09-03', cadence: 'biweekly' as Cadence };
    const rule = prop(child(calendarOf(period), 'VEVENT'), 'RRULE').value;
    const until = basicToMs(/UNTIL=(\w+)/.exec(rule)?.[1] ?? '');
    const last = sessionDates(period).at(-1) ?? '';
    expect(until).toBeGreaterThanOrEqual(zonedDateTimeToInstant(last, 10, 0, 'Europe/Paris').getTime());
    const following = addDays(last, cadenceDays(period.cadence));
    expect(until).toBeLessThan(zonedDateTimeToInstant(following, 10, 0, 'Europe/Paris').getTime());
  });
});
