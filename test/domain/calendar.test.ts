import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CADENCES,
  cadenceDays,
  checkinInstant,
  monthlyRuleOf,
  nextCheckinDue,
  reminderDue,
  reminderInstant,
  sessionDates,
  type Cadence,
  type CheckinDue,
  type CheckinSchedule,
} from '../../src/domain/calendar.js';
import { addDays, addMonths, instantToZoned, isWorkingDay } from '../../src/domain/time.js';

const utc = (iso: string): Date => new Date(iso);
const PARIS = { timeZone: 'Europe/Paris' };
const NEW_YORK = { timeZone: 'America/New_York' };
const TOKYO = { timeZone: 'Asia/Tokyo' };
const LONG_AGO = utc('2000-01-01T00:00:00Z');

/** Every due, in order, as the scheduler would walk them (sending each one on time). */
function allDues(schedule: CheckinSchedule, checkinHour = 10): CheckinDue[] {
  const dues: CheckinDue[] = [];
  for (let lastDueDate: string | null = null; ; ) {
    const due = nextCheckinDue({ ...schedule, lastDueDate }, LONG_AGO, { checkinHour });
    if (!due) return dues;
    dues.push(due);
    lastDueDate = due.dueDate;
  }
}

describe('cadenceDays', () => {
  it('is a whole number of weeks; monthly is every four weeks', () => {
    expect(CADENCES.map(cadenceDays)).toEqual([7, 14, 21, 28]);
  });
});

describe('sessionDates', () => {
  it('starts on the first working day and repeats every cadence until the end date', () => {
    // 2025-03-01 is a Saturday.
    expect(sessionDates({ startDate: '2025-03-01', endDate: '2025-04-28', cadence: 'biweekly' })).toEqual([
      '2025-03-03',
      '2025-03-17',
      '2025-03-31',
      '2025-04-14',
      '2025-04-28',
    ]);
  });

  it('keeps monthly sessions on the same weekday of the month: the last Friday stays the last Friday', () => {
    // 2025-01-31 is the last Friday of January; the same day of the month would give 31 Mar (Mon)…
    const dates = sessionDates({ startDate: '2025-01-31', endDate: '2025-07-31', cadence: 'monthly' });
    expect(dates).toEqual(['2025-01-31', '2025-02-28', '2025-03-28', '2025-04-25', '2025-05-30', '2025-06-27', '2025-07-25']);
    expect(new Set(dates.map((date) => instantToZoned(utc(`${date}T12:00:00Z`), 'UTC').weekday))).toEqual(new Set([5]));
  });

  it('meets on the second Tuesday every month when it starts on one, not every four weeks', () => {
    const dates = sessionDates({ startDate: '2027-03-09', endDate: '2027-09-30', cadence: 'monthly' });
    expect(dates).toEqual(['2027-03-09', '2027-04-13', '2027-05-11', '2027-06-08', '2027-07-13', '2027-08-10', '2027-09-14']);
    expect(monthlyRuleOf('2027-03-09')).toEqual({ weekday: 2, ordinal: 2 });
    // The 29th–31st are always the last such weekday of their month; the 22nd–28th may be the fourth.
    expect(monthlyRuleOf('2027-03-30')).toEqual({ weekday: 2, ordinal: -1 });
    expect(monthlyRuleOf('2027-02-23')).toEqual({ weekday: 2, ordinal: -1 });
    expect(monthlyRuleOf('2027-03-23')).toEqual({ weekday: 2, ordinal: 4 });
  });

  it('keeps every monthly session on the first session\'s weekday and place in the month, one a month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 365 }).map((n) => addDays('2024-01-01', n)), fc.integer({ min: 1, max: 12 }), (startDate, months) => {
        const dates = sessionDates({ startDate, endDate: addMonths(startDate, months), cadence: 'monthly' });
        const rule = monthlyRuleOf(dates[0] as string);
        for (const [k, date] of dates.entries()) {
          // The fourth may also be the last of its month; the last is always the last.
          expect(monthlyRuleOf(date).weekday).toBe(rule.weekday);
          if (rule.ordinal === -1) expect(monthlyRuleOf(date).ordinal).toBe(-1);
          else expect(Math.ceil(Number(date.slice(8, 10)) / 7)).toBe(rule.ordinal);
          if (k > 0) expect(addMonths(`${(dates[k - 1] as string).slice(0, 7)}-01`, 1)).toBe(`${date.slice(0, 7)}-01`);
        }
      }),
    );
  });

  it('is empty when no working day falls inside the period', () => {
    expect(sessionDates({ startDate: '2025-03-01', endDate: '2025-03-02', cadence: 'weekly' })).toEqual([]);
  });
});

describe('checkinInstant', () => {
  it('uses the check-in hour when everyone shares the clock', () => {
    const moment = checkinInstant('2025-01-13', [PARIS, { timeZone: 'Europe/Berlin' }], 10);
    expect(moment.mode).toBe('same_local_time');
    expect(moment.instant).toEqual(utc('2025-01-13T09:00:00Z'));
    expect(moment.local.map((l) => l.hour)).toEqual([10, 10]);
  });

  it('Paris / New York: New York at 10:00 is Paris 16:00 in winter and summer', () => {
    const winter = checkinInstant('2025-01-13', [PARIS, NEW_YORK], 10);
    expect(winter.mode).toBe('shared_working_hours');
    expect(winter.instant).toEqual(utc('2025-01-13T15:00:00Z'));
    expect(winter.local.map((l) => [l.date, l.hour])).toEqual([
      ['2025-01-13', 16],
      ['2025-01-13', 10],
    ]);
    expect(checkinInstant('2025-06-02', [PARIS, NEW_YORK], 10).instant).toEqual(utc('2025-06-02T14:00:00Z'));
  });

  it('Paris / New York: only 5 h apart between the US and the European changes (March)', () => {
    // US moved on Sunday 9 March 2025, Europe on Sunday 30 March.
    const gap = checkinInstant('2025-03-10', [PARIS, NEW_YORK], 10);
    expect(gap.instant).toEqual(utc('2025-03-10T14:00:00Z'));
    expect(gap.local.map((l) => l.hour)).toEqual([15, 10]);
    const after = checkinInstant('2025-03-31', [PARIS, NEW_YORK], 10);
    expect(after.instant).toEqual(utc('2025-03-31T14:00:00Z'));
    expect(after.local.map((l) => l.hour)).toEqual([16, 10]);
  });

  it('Paris / New York: only 5 h apart between the European and the US changes (autumn)', () => {
    // Europe moved back on Sunday 26 October 2025, the US on Sunday 2 November.
    const gap = checkinInstant('2025-10-27', [PARIS, NEW_YORK], 10);
    expect(gap.instant).toEqual(utc('2025-10-27T14:00:00Z'));
    expect(gap.local.map((l) => l.hour)).toEqual([15, 10]);
    const after = checkinInstant('2025-11-03', [PARIS, NEW_YORK], 10);
    expect(after.instant).toEqual(utc('2025-11-03T15:00:00Z'));
    expect(after.local.map((l) => l.hour)).toEqual([16, 10]);
  });

  it('Paris / Tokyo: Paris 10:00 works in summer; in winter the overlap is Paris 09:00 / Tokyo 17:00', () => {
    const summer = checkinInstant('2025-06-02', [PARIS, TOKYO], 10);
    expect(summer.mode).toBe('shared_working_hours');
    expect(summer.local.map((l) => l.hour)).toEqual([10, 17]);
    const winter = checkinInstant('2025-01-13', [PARIS, TOKYO], 10);
    expect(winter.mode).toBe('shared_working_hours');
    expect(winter.instant).toEqual(utc('2025-01-13T08:00:00Z'));
    expect(winter.local.map((l) => l.hour)).toEqual([9, 17]);
  });

  it('Tokyo / New York: no shared working hour, so the first partner\'s check-in hour', () => {
    const moment = checkinInstant('2025-01-13', [TOKYO, NEW_YORK], 10);
    expect(moment.mode).toBe('first_partner_fallback');
    expect(moment.instant).toEqual(utc('2025-01-13T01:00:00Z'));
    expect(moment.local[1]).toMatchObject({ date: '2025-01-12', hour: 20 });
  });

  it('needs a partner', () => {
    expect(() => checkinInstant('2025-01-13', [], 10)).toThrow(RangeError);
  });
});

describe('nextCheckinDue', () => {
  const base = { startDate: '2025-03-03', endDate: '2025-09-03', cadence: 'biweekly' as Cadence, partners: [PARIS] };

  it('is due one cadence after the start, at the check-in hour', () => {
    const due = nextCheckinDue(base, LONG_AGO, { checkinHour: 10 });
    expect(due).toMatchObject({ kind: 'checkin', dueDate: '2025-03-17', instant: utc('2025-03-17T09:00:00Z') });
  });

  it('stays at 10:00 local across the European spring change', () => {
    const due = nextCheckinDue({ ...base, lastDueDate: '2025-03-17' }, LONG_AGO, { checkinHour: 10 });
    expect(due).toMatchObject({ dueDate: '2025-03-31', instant: utc('2025-03-31T08:00:00Z') });
  });

  it('stays at 10:00 local across the US autumn change', () => {
    const schedule = { startDate: '2025-10-20', endDate: '2026-01-20', cadence: 'weekly' as Cadence, partners: [NEW_YORK] };
    const dues = allDues(schedule).slice(0, 3);
    expect(dues.map((d) => d.instant)).toEqual([
      utc('2025-10-27T14:00:00Z'),
      utc('2025-11-03T15:00:00Z'),
      utc('2025-11-10T15:00:00Z'),
    ]);
  });

  it('moves a weekend due date to the next Monday', () => {
    // Started on Saturday 1 March: weekly dates fall on Saturdays.
    const dues = allDues({ startDate: '2025-03-01', endDate: '2025-04-30', cadence: 'weekly', partners: [PARIS] });
    expect(dues.slice(0, 3).map((d) => d.dueDate)).toEqual(['2025-03-10', '2025-03-17', '2025-03-24']);
  });

  it('ends with the closing survey on the end date, the Friday before when it is a weekend', () => {
    // 2025-04-13 is a Sunday.
    const dues = allDues({ startDate: '2025-03-03', endDate: '2025-04-13', cadence: 'weekly', partners: [PARIS] });
    expect(dues.map((d) => [d.kind, d.dueDate])).toEqual([
      ['checkin', '2025-03-10'],
      ['checkin', '2025-03-17'],
      ['checkin', '2025-03-24'],
      ['checkin', '2025-03-31'],
      ['checkin', '2025-04-07'],
      ['closing', '2025-04-11'],
    ]);
    expect(nextCheckinDue({ ...base, endDate: '2025-04-13', lastDueDate: '2025-04-11' }, LONG_AGO, { checkinHour: 10 })).toBeNull();
  });

  it('lets the closing survey replace a check-in falling on the end date', () => {
    const dues = allDues({ startDate: '2025-03-03', endDate: '2025-03-31', cadence: 'biweekly', partners: [PARIS] });
    expect(dues.map((d) => [d.kind, d.dueDate])).toEqual([
      ['checkin', '2025-03-17'],
      ['closing', '2025-03-31'],
    ]);
  });

  it('after downtime returns only the most recent missed check-in', () => {
    const now = utc('2025-03-31T12:00:00Z');
    expect(nextCheckinDue(base, now, { checkinHour: 10 })).toMatchObject({ dueDate: '2025-03-31' });
    expect(nextCheckinDue({ ...base, lastDueDate: '2025-03-31' }, now, { checkinHour: 10 })).toMatchObject({
      dueDate: '2025-04-14',
    });
  });

  it('returns the closing survey when everything is past and nothing was sent', () => {
    expect(nextCheckinDue(base, utc('2026-01-01T00:00:00Z'), { checkinHour: 10 })).toMatchObject({
      kind: 'closing',
      dueDate: '2025-09-03',
    });
  });

  it('monthly cadence asks on the day of each next session (the same weekday of the month)', () => {
    const dues = allDues({ startDate: '2025-01-31', endDate: '2025-05-31', cadence: 'monthly', partners: [PARIS] });
    expect(dues.map((d) => d.dueDate)).toEqual(['2025-02-28', '2025-03-28', '2025-04-25', '2025-05-30']);
    expect(dues.map((d) => d.kind)).toEqual(['checkin', 'checkin', 'checkin', 'closing']);
  });
});

describe('check-in properties', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Europe/London', 'Asia/Kolkata', 'America/Los_Angeles'];
  const schedule = fc.record({
    startDate: fc.integer({ min: 0, max: 4 * 365 }).map((n) => addDays('2024-01-01', n)),
    months: fc.integer({ min: 1, max: 12 }),
    cadence: fc.constantFrom(...CADENCES),
    zone: fc.constantFrom(...zones),
    otherZone: fc.constantFrom(...zones),
    checkinHour: fc.integer({ min: 7, max: 20 }),
  });

  it('every due falls on a working day at the check-in hour, strictly increasing, none after the end', () => {
    fc.assert(
      fc.property(schedule, ({ startDate, months, cadence, zone, checkinHour }) => {
        const endDate = addMonths(startDate, months);
        const dues = allDues({ startDate, endDate, cadence, partners: [{ timeZone: zone }] }, checkinHour);
        expect(dues.at(-1)?.kind).toBe('closing');
        dues.forEach((due, i) => {
          const local = instantToZoned(due.instant, zone);
          expect(isWorkingDay(due.dueDate)).toBe(true);
          expect([local.date, local.hour, local.minute]).toEqual([due.dueDate, checkinHour, 0]);
          expect(local.weekday).toBeLessThanOrEqual(5);
          expect(due.dueDate > startDate && due.dueDate <= endDate).toBe(true);
          const previous = dues[i - 1];
          if (previous) {
            expect(due.dueDate > previous.dueDate).toBe(true);
            expect(due.instant.getTime()).toBeGreaterThan(previous.instant.getTime());
          }
        });
      }),
    );
  });

  it('pairs: a shared moment is in both working days; otherwise the first partner\'s hour', () => {
    fc.assert(
      fc.property(schedule, ({ startDate, months, cadence, zone, otherZone, checkinHour }) => {
        const endDate = addMonths(startDate, months);
        const partners = [{ timeZone: zone }, { timeZone: otherZone }];
        const dues = allDues({ startDate, endDate, cadence, partners }, checkinHour);
        for (const [i, due] of dues.entries()) {
          const [first, second] = due.local;
          if (due.mode === 'shared_working_hours') {
            for (const local of [first, second]) {
              expect(local?.date).toBe(due.dueDate);
              expect(local?.hour).toBeGreaterThanOrEqual(9);
              expect(local?.hour).toBeLessThan(18);
            }
          } else {
            expect([first?.date, first?.hour, first?.minute]).toEqual([due.dueDate, checkinHour, 0]);
          }
          const previous = dues[i - 1];
          if (previous) expect(due.instant.getTime()).toBeGreaterThan(previous.instant.getTime());
        }
      }),
    );
  });

  it('returns the latest due already past, else the next one', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 400 }), ({ startDate, months, cadence, zone }, offsetDays) => {
        const input = { startDate, endDate: addMonths(startDate, months), cadence, partners: [{ timeZone: zone }] };
        const dues = allDues(input);
        const now = new Date(Date.parse(`${startDate}T00:00:00Z`) + offsetDays * 86_400_000);
        const past = dues.filter((d) => d.instant <= now);
        const expected = past.at(-1) ?? dues[0] ?? null;
        expect(nextCheckinDue(input, now, { checkinHour: 10 })?.dueDate).toBe(expected?.dueDate);
      }),
    );
  });
});

describe('reminders', () => {
  const fridayPrompt = { sentAt: utc('2025-03-28T09:00:00Z'), answeredAt: null, reminderSentAt: null };

  it('comes two working days later at the same local time, across the weekend and DST', () => {
    // Friday 10:00 CET → Tuesday 10:00 CEST.
    expect(reminderInstant(fridayPrompt.sentAt, { timeZone: 'Europe/Paris' })).toEqual(utc('2025-04-01T08:00:00Z'));
    expect(reminderInstant(fridayPrompt.sentAt, { timeZone: 'Europe/Paris', afterWorkingDays: 1 })).toEqual(
      utc('2025-03-31T08:00:00Z'),
    );
  });

  it('is due at, not before, the reminder time', () => {
    const options = { timeZone: 'Europe/Paris' };
    expect(reminderDue(fridayPrompt, utc('2025-04-01T07:59:59Z'), options)).toBe(false);
    expect(reminderDue(fridayPrompt, utc('2025-04-01T08:00:00Z'), options)).toBe(true);
    expect(reminderDue(fridayPrompt, utc('2025-04-02T08:00:00Z'), options)).toBe(true);
  });

  it('is sent once, and never for an answered prompt', () => {
    const later = utc('2025-04-03T08:00:00Z');
    const options = { timeZone: 'Europe/Paris' };
    expect(reminderDue({ ...fridayPrompt, answeredAt: utc('2025-03-28T12:00:00Z') }, later, options)).toBe(false);
    expect(reminderDue({ ...fridayPrompt, reminderSentAt: utc('2025-04-01T08:00:00Z') }, later, options)).toBe(false);
  });
});
