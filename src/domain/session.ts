/**
 * The session time a contract sets: a weekday and a time of day on its author's clock. Checked for
 * both partners (a real moment, inside working hours on both clocks) and read on each one's clock.
 */
import { monthlyRuleOf, type MonthlyRule, sessionDates, type SessionPeriod, type SessionSlot, sessionStarts } from './calendar.js';
import { instantToZoned, type IsoDate, type Weekday } from './time.js';

/** Sessions are held on working days; the choices the form offers. */
export const SESSION_WEEKDAYS = [1, 2, 3, 4, 5] as const satisfies readonly Weekday[];
/** Working hours on each partner's clock, Monday to Friday: a session starts and ends inside them. */
export const WORKING_HOURS = { start: 8, end: 19 } as const;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const pad = (n: number) => String(n).padStart(2, '0');
export const clockLabel = (hour: number, minute: number): string => `${pad(hour)}:${pad(minute)}`;

/** "HH:MM" as Slack's time picker sends it; null for anything else. */
export function parseSessionTime(raw: string): { hour: number; minute: number } | null {
  const match = TIME.exec(raw.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

export type SessionTimeError =
  /** The time does not exist on that date in the author's zone (the clocks go forward then). */
  | { code: 'dst_gap'; date: IsoDate; time: string }
  /** A session falls outside working hours on one partner's clock (their date, weekday and times). */
  | { code: 'outside_hours'; who: 'author' | 'partner'; date: IsoDate; weekday: Weekday; start: string; end: string; partnerName?: string };

/**
 * The first session that does not fit, and why: its time does not exist in the author's zone on its
 * date, or it is not inside working hours (Monday–Friday, 08:00–19:00, start and end) on the clock
 * of the author or of the partner. Null when every session fits.
 */
export function checkSessionTimes(period: SessionPeriod, slot: SessionSlot, minutes: number, partnerZone: string): SessionTimeError | null {
  for (const { date, at } of sessionStarts(period, slot)) {
    const own = instantToZoned(at, slot.timeZone);
    if (own.date !== date || own.hour !== slot.hour || own.minute !== slot.minute) return { code: 'dst_gap', date, time: clockLabel(slot.hour, slot.minute) };
    const end = new Date(at.getTime() + minutes * 60_000);
    for (const [who, zone] of [['author', slot.timeZone], ['partner', partnerZone]] as const) {
      const from = instantToZoned(at, zone);
      const to = instantToZoned(end, zone);
      const inside =
        from.weekday <= 5 && to.date === from.date && from.hour * 60 + from.minute >= WORKING_HOURS.start * 60 && to.hour * 60 + to.minute <= WORKING_HOURS.end * 60;
      if (!inside) return { code: 'outside_hours', who, date: from.date, weekday: from.weekday, start: clockLabel(from.hour, from.minute), end: clockLabel(to.hour, to.minute) };
    }
  }
  return null;
}

/** The sessions as one partner reads them on their own clock. */
export interface SessionView {
  weekday: Weekday;
  time: string;
  /** Monthly sessions that are the same weekday of the month on this clock too (the second Tuesday). */
  monthly: MonthlyRule | null;
}

/**
 * The first session's weekday and time on `timeZone`'s clock (a Monday 17:00 in Los Angeles is a
 * Tuesday 10:00 in Sydney). For a monthly rhythm, the place in the month when every session keeps it
 * on that clock. Null when the period holds no session.
 */
export function sessionView(period: SessionPeriod, slot: SessionSlot, timeZone: string): SessionView | null {
  const starts = sessionStarts(period, slot).map(({ at }) => instantToZoned(at, timeZone));
  const [first] = starts;
  if (!first) return null;
  let monthly: MonthlyRule | null = null;
  if (period.cadence === 'monthly') {
    const rule = monthlyRuleOf(first.date);
    const expected = sessionDates({ startDate: first.date, endDate: starts.at(-1)?.date ?? first.date, cadence: 'monthly', weekday: first.weekday });
    if (expected.length === starts.length && expected.every((d, k) => d === starts[k]?.date)) monthly = rule;
  }
  return { weekday: first.weekday, time: clockLabel(first.hour, first.minute), monthly };
}

/** The author's slot as another partner would write it: the same first session, on their clock. */
export function slotOnClock(period: SessionPeriod, slot: SessionSlot, timeZone: string): SessionSlot | null {
  const [first] = sessionStarts(period, slot);
  if (!first) return null;
  const local = instantToZoned(first.at, timeZone);
  return { weekday: local.weekday, hour: local.hour, minute: local.minute, timeZone };
}
