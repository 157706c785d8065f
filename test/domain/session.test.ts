/**
 * The session time a contract sets: checked on both partners' clocks, read on each one's clock, and
 * the check-ins that follow the sessions (never before the session they ask about).
 */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { checkinDateAfter, nextCheckinDue, type SessionSlot, sessionStarts } from '../../src/domain/calendar.js';
import { buildCancellation, buildSessionCalendar } from '../../src/domain/ics.js';
import { checkSessionTimes, sessionView } from '../../src/domain/session.js';
import { zonedDateTimeToInstant } from '../../src/domain/time.js';
import { sessionPlan } from '../../src/features/contract/calendar.js';

const slot = (weekday: SessionSlot['weekday'], time: string, timeZone: string): SessionSlot => ({
  weekday,
  hour: Number(time.slice(0, 2)),
  minute: Number(time.slice(3, 5)),
  timeZone,
});
const iso = (d: Date) => d.toISOString();

describe('the session time on both clocks', () => {
  it('refuses a time that does not exist on a session date in the author\'s zone (DST gap)', () => {
    // Cairo moves its clocks from 00:00 to 01:00 on Friday 30 April 2027: 00:30 never happens there.
    const period = { startDate: '2027-04-26', endDate: '2027-06-30', cadence: 'weekly' as const };
    expect(checkSessionTimes(period, slot(5, '00:30', 'Africa/Cairo'), 60, 'Africa/Cairo')).toEqual({ code: 'dst_gap', date: '2027-04-30', time: '00:30' });
    // 09:00 that day exists; the gap is not a refusal of the whole day.
    expect(checkSessionTimes(period, slot(5, '09:00', 'Africa/Cairo'), 60, 'Africa/Cairo')).toBeNull();
    // Paris's spring gap (Sunday 28 March 2027, 02:00) is not a working day: a Monday 02:30 is out of hours, not a gap.
    expect(checkSessionTimes({ ...period, startDate: '2027-03-22' }, slot(1, '02:30', 'Europe/Paris'), 60, 'Europe/Paris')).toMatchObject({ code: 'outside_hours', who: 'author' });
  });

  it('refuses a time outside 08:00–19:00, Monday to Friday, on either clock, and says whose and when', () => {
    const period = { startDate: '2027-03-01', endDate: '2027-06-30', cadence: 'biweekly' as const };
    // Paris 09:00 is Tokyo 17:00 (then 16:00 in Paris's summer): fine for both.
    expect(checkSessionTimes(period, slot(2, '09:00', 'Europe/Paris'), 60, 'Asia/Tokyo')).toBeNull();
    // Paris 11:00 is 19:00 in Tokyo: the session would end at 20:00 on the partner's clock.
    expect(checkSessionTimes(period, slot(2, '11:00', 'Europe/Paris'), 60, 'Asia/Tokyo')).toEqual({
      code: 'outside_hours',
      who: 'partner',
      date: '2027-03-02',
      weekday: 2,
      start: '19:00',
      end: '20:00',
    });
    // On the author's own clock: ends after 19:00.
    expect(checkSessionTimes(period, slot(2, '18:30', 'Europe/Paris'), 60, 'Europe/Paris')).toMatchObject({ who: 'author', start: '18:30', end: '19:30' });
    // A Friday 17:00 in Los Angeles is Saturday 12:00 in Sydney: not a working day there.
    expect(checkSessionTimes({ startDate: '2027-06-04', endDate: '2027-08-31', cadence: 'weekly' }, slot(5, '17:00', 'America/Los_Angeles'), 60, 'Australia/Sydney')).toMatchObject({
      who: 'partner',
      weekday: 6,
      start: '10:00',
    });
  });

  it('shows each partner their own weekday, which shifts across midnight for far zones', () => {
    const period = { startDate: '2027-06-07', endDate: '2027-08-31', cadence: 'weekly' as const };
    const la = slot(1, '17:00', 'America/Los_Angeles');
    expect(checkSessionTimes(period, la, 60, 'Australia/Sydney')).toBeNull();
    expect(sessionView(period, la, 'America/Los_Angeles')).toEqual({ weekday: 1, time: '17:00', monthly: null });
    expect(sessionView(period, la, 'Australia/Sydney')).toEqual({ weekday: 2, time: '10:00', monthly: null });
    // Honolulu Monday 08:00 is Kiritimati Tuesday 08:00: both inside working hours, a day apart.
    const honolulu = slot(1, '08:00', 'Pacific/Honolulu');
    expect(checkSessionTimes(period, honolulu, 60, 'Pacific/Kiritimati')).toBeNull();
    expect(sessionView(period, honolulu, 'Pacific/Kiritimati')).toMatchObject({ weekday: 2, time: '08:00' });
    // The Sydney file: its own weekly rule on Tuesdays 10:00, the same instants as Los Angeles's.
    const sydney = sessionPlan({ ...period, session: la }, 'Australia/Sydney', ['America/Los_Angeles', 'Australia/Sydney']);
    expect(sydney).toMatchObject({ hour: 10, minute: 0, period: { startDate: '2027-06-08' } });
    expect(sydney.sessions).toBeUndefined();
  });

  it('keeps a monthly session on the same weekday of the month, on each clock that keeps it', () => {
    const period = { startDate: '2027-03-01', endDate: '2027-08-31', cadence: 'monthly' as const };
    const paris = slot(2, '09:00', 'Europe/Paris');
    expect(sessionStarts(period, paris).map((s) => s.date)).toEqual(['2027-03-02', '2027-04-06', '2027-05-04', '2027-06-01', '2027-07-06', '2027-08-03']);
    expect(sessionView(period, paris, 'Europe/Paris')).toEqual({ weekday: 2, time: '09:00', monthly: { weekday: 2, ordinal: 1 } });
    expect(sessionView(period, paris, 'Asia/Tokyo')).toMatchObject({ weekday: 2, time: '17:00', monthly: { weekday: 2, ordinal: 1 } });
  });
});

describe('the check-in after a session', () => {
  const partners = [{ timeZone: 'Europe/Paris' }, { timeZone: 'Europe/Paris' }];

  it('comes the next working morning after an afternoon session: a Friday session is asked about on Monday', () => {
    expect(checkinDateAfter(zonedDateTimeToInstant('2027-03-12', 15, 0, 'Europe/Paris'), partners, 10)).toBe('2027-03-15');
    expect(checkinDateAfter(zonedDateTimeToInstant('2027-03-09', 15, 0, 'Europe/Paris'), partners, 10)).toBe('2027-03-10');
    // A session that ends before the check-in hour is asked about that same morning, never before it ends.
    expect(checkinDateAfter(zonedDateTimeToInstant('2027-03-09', 9, 0, 'Europe/Paris'), partners, 10)).toBe('2027-03-09');
    expect(checkinDateAfter(zonedDateTimeToInstant('2027-03-09', 10, 0, 'Europe/Paris'), partners, 10)).toBe('2027-03-10');
  });

  it('follows the sessions through the weeks the clocks change, in each partner\'s zone', () => {
    // New York Tuesdays 09:00 with a Paris partner: 15:00 in Paris, 14:00 while the US is already on summer time.
    const session = { slot: slot(2, '09:00', 'America/New_York'), minutes: 60 };
    const pair = [{ timeZone: 'America/New_York' }, { timeZone: 'Europe/Paris' }];
    const schedule = { startDate: '2027-03-01', endDate: '2027-05-31', cadence: 'weekly' as const, partners: pair, session };
    const dues: string[] = [];
    let last: string | null = null;
    for (;;) {
      const due = nextCheckinDue({ ...schedule, lastDueDate: last }, new Date('2027-03-01T00:00:00Z'), { checkinHour: 10 });
      if (!due || due.kind === 'closing') break;
      const sessionAt = sessionStarts(schedule, session.slot).find((s) => s.date < due.dueDate && !dues.includes(s.date));
      expect(due.instant.getTime()).toBeGreaterThan((sessionAt?.at.getTime() ?? 0) + 3_600_000);
      dues.push(due.dueDate);
      last = due.dueDate;
    }
    // The sessions are Tuesdays (2, 9, 16, 23, 30 March…); each check-in is the Wednesday after, from the second session on.
    expect(dues.slice(0, 5)).toEqual(['2027-03-10', '2027-03-17', '2027-03-24', '2027-03-31', '2027-04-07']);
  });

  it('never asks before the session: a Friday afternoon session, the check-in on Monday at the check-in hour', () => {
    const session = { slot: slot(5, '16:00', 'Europe/Paris'), minutes: 60 };
    const due = nextCheckinDue({ startDate: '2027-03-01', endDate: '2027-06-30', cadence: 'biweekly', partners, session }, new Date('2027-03-01T00:00:00Z'), { checkinHour: 10 });
    // Sessions on 5 and 19 March: the first check-in asks about them on Monday 22 March, 10:00 in Paris.
    expect(due).toMatchObject({ kind: 'checkin', dueDate: '2027-03-22' });
    expect(iso(due?.instant as Date)).toBe('2027-03-22T09:00:00.000Z');
  });
});

describe('the calendar files, read by ical.js', () => {
  const read = (text: string) => {
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') as ICAL.Component);
    const starts: string[] = [];
    const it = event.iterator();
    for (let next = it.next(); next && starts.length < 50; next = it.next()) starts.push(next.toJSDate().toISOString());
    return { calendar, event, starts };
  };

  it('gives both partners the same instants across the weeks their clocks disagree (RDATE on the other clock)', () => {
    const terms = { startDate: '2027-03-01', endDate: '2027-04-30', cadence: 'weekly' as const, session: slot(2, '09:00', 'America/New_York') };
    const zones = ['America/New_York', 'Europe/Paris'] as const;
    const expected = sessionStarts(terms, terms.session).map((s) => iso(s.at));
    for (const zone of zones) {
      const plan = sessionPlan(terms, zone, zones);
      const text = buildSessionCalendar({
        uid: 'u@tandem',
        sequence: 1,
        summary: 's',
        description: 'd',
        startDate: plan.period?.startDate ?? terms.startDate,
        endDate: plan.period?.endDate ?? terms.endDate,
        cadence: terms.cadence,
        sessionMinutes: 60,
        timeZone: zone,
        localHour: plan.hour,
        localMinute: plan.minute,
        ...(plan.sessions ? { sessions: plan.sessions } : {}),
        now: new Date('2027-03-01T09:00:00Z'),
      });
      expect({ zone, starts: read(text).starts }).toEqual({ zone, starts: expected });
    }
    // Paris reads 15:00, then 14:00 for the two weeks New York is already on summer time, then 15:00.
    expect(sessionPlan(terms, 'Europe/Paris', zones).sessions?.slice(0, 5).map((s) => s.hour)).toEqual([15, 15, 14, 14, 15]);
  });

  it('cancels with METHOD:CANCEL, the same UID, a higher SEQUENCE and STATUS:CANCELLED', () => {
    const { calendar, event } = read(buildCancellation({ uid: 'tandem-pair-1-participant-2@tandem', sequence: 3, summary: 'Tandem session (cancelled)', firstSession: new Date('2027-03-02T08:00:00Z'), now: new Date('2027-04-01T10:00:00Z') }));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.uid).toBe('tandem-pair-1-participant-2@tandem');
    expect(event.sequence).toBe(3);
    expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-02T08:00:00.000Z');
  });
});
