/**
 * The calendar files read back by an iCalendar library (ical.js, the parser of Thunderbird), as a
 * calendar client does: the recurrence expanded through the file's own VTIMEZONE must land on the
 * planned sessions, for every rhythm, in zones with and without daylight saving time.
 */
import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { CADENCES, type Cadence, sessionDates } from '../../src/domain/calendar.js';
import { buildSessionCalendar, type SessionCalendarInput } from '../../src/domain/ics.js';
import { addDays, addMonths, zonedDateTimeToInstant } from '../../src/domain/time.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata'] as const;

function input(overrides: Partial<SessionCalendarInput> = {}): SessionCalendarInput {
  return {
    uid: 'tandem-pair-1-participant-2@tandem',
    sequence: 1,
    summary: 'Tandem session',
    description: 'Reverse mentoring',
    startDate: '2027-03-09',
    endDate: '2027-09-30',
    cadence: 'monthly',
    sessionMinutes: 60,
    timeZone: 'Europe/Paris',
    localHour: 14,
    localMinute: 0,
    now: new Date('2027-03-01T09:00:00Z'),
    ...overrides,
  };
}

/** The file as ical.js reads it: its event, and every occurrence's start instant. */
function readBack(text: string): { event: ICAL.Event; method: string | null; starts: number[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // The file carries its own zone: registered as a client does before reading the times.
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') as ICAL.Component);
  const starts: number[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && starts.length < 100; next = iterator.next()) starts.push(next.toJSDate().getTime());
  const method = calendar.getFirstPropertyValue('method');
  return { event, method: typeof method === 'string' ? method : null, starts };
}

const planned = (period: { startDate: string; endDate: string; cadence: Cadence }, timeZone: string, hour: number) =>
  sessionDates(period).map((date) => zonedDateTimeToInstant(date, hour, 0, timeZone).getTime());

describe('the sessions file, read by an iCalendar library', () => {
  it('holds a monthly pair\'s sessions on the second Tuesday (RRULE BYDAY=2TU), not every four weeks', () => {
    const { event, method, starts } = readBack(buildSessionCalendar(input()));
    expect(method).toBe('PUBLISH');
    expect(event.uid).toBe('tandem-pair-1-participant-2@tandem');
    expect(event.sequence).toBe(1);
    expect(String(event.component.getFirstPropertyValue('rrule'))).toContain('BYDAY=2TU');
    expect(starts.map((ms) => new Date(ms).toISOString())).toEqual([
      '2027-03-09T13:00:00.000Z',
      '2027-04-13T12:00:00.000Z',
      '2027-05-11T12:00:00.000Z',
      '2027-06-08T12:00:00.000Z',
      '2027-07-13T12:00:00.000Z',
      '2027-08-10T12:00:00.000Z',
      '2027-09-14T12:00:00.000Z',
    ]);
    expect(event.duration.toSeconds()).toBe(3600);
  });

  it('keeps a last-Friday pair on the last Friday (BYDAY=-1FR), in months of four or five Fridays', () => {
    const { event, starts } = readBack(buildSessionCalendar(input({ startDate: '2027-01-29', endDate: '2027-06-30', localHour: 10 })));
    expect(String(event.component.getFirstPropertyValue('rrule'))).toContain('BYDAY=-1FR');
    expect(starts).toEqual(planned({ startDate: '2027-01-29', endDate: '2027-06-30', cadence: 'monthly' }, 'Europe/Paris', 10));
    expect(starts.map((ms) => new Date(ms).toISOString().slice(0, 10))).toEqual(['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30', '2027-05-28', '2027-06-25']);
  });

  it('lands on the planned sessions for every rhythm, zone and start, across clock changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CADENCES),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2025-01-01', n)),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 8, max: 17 }),
        (cadence, timeZone, startDate, months, hour) => {
          const endDate = addMonths(startDate, months);
          const text = buildSessionCalendar(input({ cadence, timeZone, startDate, endDate, localHour: hour }));
          expect(readBack(text).starts).toEqual(planned({ startDate, endDate, cadence }, timeZone, hour));
        },
      ),
      { numRuns: 60 },
    );
  });
});
