import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addWorkingDays,
  daysBetween,
  instantToZoned,
  isIsoDate,
  isValidTimeZone,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  weekdayOf,
  zonedDateTimeToInstant,
} from '../../src/domain/time.js';

const utc = (iso: string): Date => new Date(iso);
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata', 'Europe/London'];

describe('zonedDateTimeToInstant', () => {
  it('reads ordinary wall-clock times in each zone', () => {
    expect(zonedDateTimeToInstant('2025-01-13', 10, 0, 'Europe/Paris')).toEqual(utc('2025-01-13T09:00:00Z'));
    expect(zonedDateTimeToInstant('2025-07-14', 10, 0, 'Europe/Paris')).toEqual(utc('2025-07-14T08:00:00Z'));
    expect(zonedDateTimeToInstant('2025-01-13', 10, 0, 'America/New_York')).toEqual(utc('2025-01-13T15:00:00Z'));
    expect(zonedDateTimeToInstant('2025-01-13', 10, 0, 'Asia/Tokyo')).toEqual(utc('2025-01-13T01:00:00Z'));
    expect(zonedDateTimeToInstant('2025-01-13', 10, 30, 'Asia/Kolkata')).toEqual(utc('2025-01-13T05:00:00Z'));
  });

  it('moves a time in the spring-forward gap forward (Europe, US, Sydney)', () => {
    // Paris 2025-03-30: 02:00 → 03:00, so 02:30 becomes 03:30 CEST.
    expect(zonedDateTimeToInstant('2025-03-30', 2, 30, 'Europe/Paris')).toEqual(utc('2025-03-30T01:30:00Z'));
    // New York 2025-03-09: 02:00 → 03:00, so 02:30 becomes 03:30 EDT.
    expect(zonedDateTimeToInstant('2025-03-09', 2, 30, 'America/New_York')).toEqual(utc('2025-03-09T07:30:00Z'));
    // Sydney 2025-10-05: 02:00 → 03:00 (southern spring).
    expect(zonedDateTimeToInstant('2025-10-05', 2, 30, 'Australia/Sydney')).toEqual(utc('2025-10-04T16:30:00Z'));
  });

  it('takes the first of two repeated times in the fall-back overlap', () => {
    expect(zonedDateTimeToInstant('2025-10-26', 2, 30, 'Europe/Paris')).toEqual(utc('2025-10-26T00:30:00Z'));
    expect(zonedDateTimeToInstant('2025-11-02', 1, 30, 'America/New_York')).toEqual(utc('2025-11-02T05:30:00Z'));
    expect(zonedDateTimeToInstant('2025-04-06', 2, 30, 'Australia/Sydney')).toEqual(utc('2025-04-05T15:30:00Z'));
  });

  it('refuses impossible times and dates', () => {
    expect(() => zonedDateTimeToInstant('2025-01-13', 24, 0, 'Europe/Paris')).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2025-01-13', 10, 60, 'Europe/Paris')).toThrow(RangeError);
    expect(() => zonedDateTimeToInstant('2025-02-30', 10, 0, 'Europe/Paris')).toThrow(RangeError);
  });

  it('round-trips any instant to the same wall clock, never later (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }),
        fc.constantFrom(...ZONES),
        (minutes, timeZone) => {
          const instant = new Date(minutes * 60_000);
          const zoned = instantToZoned(instant, timeZone);
          const back = zonedDateTimeToInstant(zoned.date, zoned.hour, zoned.minute, timeZone);
          // Equal, or the first occurrence of a repeated time in an overlap.
          expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(60 * 60_000);
          const again = instantToZoned(back, timeZone);
          expect([again.date, again.hour, again.minute]).toEqual([zoned.date, zoned.hour, zoned.minute]);
        },
      ),
    );
  });
});

describe('instantToZoned', () => {
  it('gives date, time, ISO weekday and offset', () => {
    expect(instantToZoned(utc('2025-01-01T00:00:00Z'), 'Asia/Tokyo')).toEqual({
      date: '2025-01-01',
      hour: 9,
      minute: 0,
      second: 0,
      weekday: 3,
      offsetMinutes: 540,
    });
    expect(instantToZoned(utc('2025-07-01T02:30:15Z'), 'America/New_York')).toEqual({
      date: '2025-06-30',
      hour: 22,
      minute: 30,
      second: 15,
      weekday: 1,
      offsetMinutes: -240,
    });
    expect(instantToZoned(utc('2025-01-12T22:00:00Z'), 'Asia/Kolkata').offsetMinutes).toBe(330);
  });

  it('shows midnight as hour 0', () => {
    expect(instantToZoned(utc('2025-01-12T23:00:00Z'), 'Europe/Paris')).toMatchObject({ date: '2025-01-13', hour: 0 });
  });
});

describe('date arithmetic', () => {
  it('adds days across month, year and DST boundaries', () => {
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15');
    expect(addMonths('2025-05-10', 12)).toBe('2026-05-10');
  });

  it('counts days between dates, signed', () => {
    expect(daysBetween('2025-03-03', '2025-04-08')).toBe(36);
    expect(daysBetween('2025-04-08', '2025-03-03')).toBe(-36);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('knows weekdays and working days', () => {
    expect(weekdayOf('2025-03-31')).toBe(1);
    expect(weekdayOf('2025-03-30')).toBe(7);
    expect(weekdayOf('1969-12-31')).toBe(3);
    expect(isWorkingDay('2025-03-28')).toBe(true);
    expect(isWorkingDay('2025-03-29')).toBe(false);
    expect(isWorkingDay('2025-03-30')).toBe(false);
    expect(nextWorkingDay('2025-03-29')).toBe('2025-03-31');
    expect(nextWorkingDay('2025-03-28')).toBe('2025-03-28');
    expect(previousWorkingDay('2025-03-30')).toBe('2025-03-28');
  });

  it('adds working days, skipping weekends', () => {
    expect(addWorkingDays('2025-03-27', 2)).toBe('2025-03-31'); // Thu → Mon
    expect(addWorkingDays('2025-03-28', 2)).toBe('2025-04-01'); // Fri → Tue
    expect(addWorkingDays('2025-03-29', 1)).toBe('2025-03-31'); // Sat → Mon
    expect(addWorkingDays('2025-03-31', 0)).toBe('2025-03-31');
    expect(() => addWorkingDays('2025-03-31', -1)).toThrow(RangeError);
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-1')).toBe(false);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(isIsoDate('2025-01-01T00:00')).toBe(false);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses the rest', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('instantToZoned with its cached offsets', () => {
  // Odd offsets and transitions: half-hour DST (Lord Howe), +05:45 (Kathmandu), +12:45/+13:45 (Chatham).
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago', 'Africa/Casablanca'];
  const reference = (ms: number, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return { date: `${get('year')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`, hour: get('hour') % 24, minute: get('minute'), second: get('second') };
  };

  it('agrees with Intl at any instant, in zones with odd offsets and transitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const zoned = instantToZoned(new Date(ms), zone);
        expect({ date: zoned.date, hour: zoned.hour, minute: zoned.minute, second: zoned.second }).toEqual(reference(ms, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Intl on each side of a transition, to the second', () => {
    // Paris, 28 March 2027 01:00 UTC: 02:00 CET becomes 03:00 CEST. Lord Howe, 3 April 2027 15:00 UTC: 02:00 → 01:30.
    for (const [zone, iso] of [['Europe/Paris', '2027-03-28T01:00:00Z'], ['Australia/Lord_Howe', '2027-04-03T15:00:00Z']] as const) {
      const at = Date.parse(iso);
      for (const delta of [-1000, -1, 0, 1, 999, 1000]) {
        const zoned = instantToZoned(new Date(at + delta), zone);
        expect({ date: zoned.date, hour: zoned.hour, minute: zoned.minute, second: zoned.second }).toEqual(reference(at + delta, zone));
      }
    }
  });
});
