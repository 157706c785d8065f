/**
 * When sessions happen and when the pair is asked how things are going.
 */
import {
  addDays,
  addMonths,
  addWorkingDays,
  instantToZoned,
  nextWorkingDay,
  previousWorkingDay,
  zonedDateTimeToInstant,
  type IsoDate,
  type Weekday,
  weekdayOf,
} from './time.js';

import { CADENCES, type Cadence } from './profile.js';

export { CADENCES, type Cadence };

/**
 * The nominal length of a rhythm, which the stall rules count in ("twice the cadence"). "Monthly"
 * sessions are the same weekday of each month, as people hold them (the second Tuesday): 28 or 35
 * days apart, so four weeks is the nominal month and a pair that meets every month stays on track.
 */
const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14, triweekly: 21, monthly: 28 };

export function cadenceDays(cadence: Cadence): number {
  return CADENCE_DAYS[cadence];
}

/**
 * A monthly session's place in its month: the weekday and which one it is (1 = first … 4 =
 * fourth, -1 = last, for a date in the month's last seven days: a fifth Tuesday is not in every
 * month, the last one is). Written `BYDAY=2TU` in iCalendar.
 */
export interface MonthlyRule {
  weekday: Weekday;
  ordinal: 1 | 2 | 3 | 4 | -1;
}

export function monthlyRuleOf(date: IsoDate): MonthlyRule {
  const day = Number(date.slice(8, 10));
  const lastDay = Number(addDays(addMonths(`${date.slice(0, 7)}-01`, 1), -1).slice(8, 10));
  const ordinal = day + 7 > lastDay ? -1 : (Math.ceil(day / 7) as 1 | 2 | 3 | 4);
  return { weekday: weekdayOf(date), ordinal };
}

/** The date of that weekday in the month of `monthStart` (a `YYYY-MM-01`). */
function monthlyDate(monthStart: IsoDate, rule: MonthlyRule): IsoDate {
  if (rule.ordinal === -1) {
    const last = addDays(addMonths(monthStart, 1), -1);
    return addDays(last, -((weekdayOf(last) - rule.weekday + 7) % 7));
  }
  const first = addDays(monthStart, (rule.weekday - weekdayOf(monthStart) + 7) % 7);
  return addDays(first, 7 * (rule.ordinal - 1));
}

export interface ContractPeriod {
  startDate: IsoDate;
  endDate: IsoDate;
  cadence: Cadence;
  /**
   * The weekday the pair meets on (in the zone the dates are read in): the first session is the
   * first such day on or after the start. Without it, the first working day on or after the start.
   */
  weekday?: Weekday | null;
}

/** The first date on or after `date` that falls on `weekday`. */
export function nextWeekday(date: IsoDate, weekday: Weekday): IsoDate {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

/**
 * Planned sessions: from the first working day on or after the start, up to the end date; every
 * one, two or three weeks on that weekday, or monthly on the same weekday of the month (the first
 * session's: a start on the second Tuesday meets every second Tuesday).
 */
export function sessionDates({ startDate, endDate, cadence, weekday }: ContractPeriod): IsoDate[] {
  const first = weekday ? nextWeekday(startDate, weekday) : nextWorkingDay(startDate);
  const dates: IsoDate[] = [];
  if (cadence === 'monthly') {
    const rule = monthlyRuleOf(first);
    for (let month = `${first.slice(0, 7)}-01`; ; month = addMonths(month, 1)) {
      const date = monthlyDate(month, rule);
      if (date > endDate) return dates;
      dates.push(date);
    }
  }
  const step = cadenceDays(cadence);
  for (let date = first; date <= endDate; date = addDays(date, step)) dates.push(date);
  return dates;
}

/**
 * When a contract's sessions happen: a weekday and a time of day on the clock of the partner who
 * wrote them (their zone). The session is one instant for both partners; each sees it on their own
 * clock, which can be another weekday for zones far apart.
 */
export interface SessionSlot {
  weekday: Weekday;
  hour: number;
  minute: number;
  timeZone: string;
}

export interface SessionPeriod {
  startDate: IsoDate;
  endDate: IsoDate;
  cadence: Cadence;
}

/**
 * Each session's date in the author's zone and its start instant: every one to three weeks on that
 * weekday from the first one on or after the start, or monthly on the same weekday of the month.
 */
export function sessionStarts(period: SessionPeriod, slot: SessionSlot): { date: IsoDate; at: Date }[] {
  return sessionDates({ ...period, weekday: slot.weekday }).map((date) => ({ date, at: zonedDateTimeToInstant(date, slot.hour, slot.minute, slot.timeZone) }));
}

/**
 * The check-in about a session: the first check-in moment (the check-in hour, Monday to Friday, as
 * `checkinInstant` sets it for the pair) after the session has ended. For a session that ends after
 * the check-in hour, that is the next working morning (a Friday afternoon session is asked about on
 * Monday); an early session that ends before it is asked about later that same morning.
 */
export function checkinDateAfter(sessionEnd: Date, partners: readonly PartnerZone[], checkinHour: number): IsoDate {
  const [first] = partners;
  if (!first) throw new RangeError('A check-in needs at least one partner');
  let date = nextWorkingDay(instantToZoned(sessionEnd, first.timeZone).date);
  while (checkinInstant(date, partners, checkinHour).instant <= sessionEnd) date = nextWorkingDay(addDays(date, 1));
  return date;
}

export interface PartnerZone {
  timeZone: string;
}

export interface PartnerLocalTime {
  timeZone: string;
  date: IsoDate;
  hour: number;
  minute: number;
  weekday: Weekday;
}

/**
 * - `same_local_time`: everyone's clock shows the check-in hour (same offset).
 * - `shared_working_hours`: zones differ; the moment is inside 09:00–18:00 on
 *   the due date for everyone.
 * - `first_partner_fallback`: no such moment; the first partner's check-in hour.
 */
export type CheckinMode = 'same_local_time' | 'shared_working_hours' | 'first_partner_fallback';

export interface CheckinMoment {
  instant: Date;
  mode: CheckinMode;
  /** One entry per partner, in the order given. */
  local: PartnerLocalTime[];
}

const WORKDAY_START_HOUR = 9;
const WORKDAY_END_HOUR = 18;

function localTime(instant: Date, timeZone: string): PartnerLocalTime {
  const { date, hour, minute, weekday } = instantToZoned(instant, timeZone);
  return { timeZone, date, hour, minute, weekday };
}

function moment(instant: Date, mode: CheckinMode, partners: readonly PartnerZone[]): CheckinMoment {
  return { instant, mode, local: partners.map((partner) => localTime(instant, partner.timeZone)) };
}

function insideWorkingHours(instant: Date, dueDate: IsoDate, timeZone: string): boolean {
  const { date, hour } = instantToZoned(instant, timeZone);
  return date === dueDate && hour >= WORKDAY_START_HOUR && hour < WORKDAY_END_HOUR;
}

function sharedWorkingMoment(
  dueDate: IsoDate,
  partners: readonly PartnerZone[],
  checkinHour: number,
  reference: Date,
): Date | null {
  const fitsEveryone = (instant: Date): boolean =>
    partners.every((partner) => insideWorkingHours(instant, dueDate, partner.timeZone));
  // Best: someone's own check-in hour that suits the other too (NY 10:00 = Paris 16:00).
  const ownHours = partners.map((partner) => zonedDateTimeToInstant(dueDate, checkinHour, 0, partner.timeZone));
  const ownHour = ownHours.find(fitsEveryone);
  if (ownHour) return ownHour;
  // Else the whole hour inside everyone's working day nearest the first partner's check-in hour.
  const hours = Array.from({ length: WORKDAY_END_HOUR - WORKDAY_START_HOUR }, (_, i) => WORKDAY_START_HOUR + i);
  const distance = (instant: Date): number => Math.abs(instant.getTime() - reference.getTime());
  const candidates = partners
    .flatMap((partner) => hours.map((hour) => zonedDateTimeToInstant(dueDate, hour, 0, partner.timeZone)))
    .filter(fitsEveryone)
    .sort((a, b) => distance(a) - distance(b) || a.getTime() - b.getTime());
  return candidates[0] ?? null;
}

/**
 * The moment the pair's check-in for `dueDate` goes out: the check-in hour in
 * the first partner's zone when everyone's clock agrees; otherwise a moment in
 * everyone's working hours on that date; failing that, the first partner's hour.
 */
export function checkinInstant(dueDate: IsoDate, partners: readonly PartnerZone[], checkinHour: number): CheckinMoment {
  const [first] = partners;
  if (!first) throw new RangeError('A check-in needs at least one partner');
  const own = zonedDateTimeToInstant(dueDate, checkinHour, 0, first.timeZone);
  const firstClock = localTime(own, first.timeZone);
  const sameClock = partners.every((partner) => {
    const clock = localTime(own, partner.timeZone);
    return clock.date === firstClock.date && clock.hour === firstClock.hour && clock.minute === firstClock.minute;
  });
  if (sameClock) return moment(own, 'same_local_time', partners);
  const shared = sharedWorkingMoment(dueDate, partners, checkinHour, own);
  return shared ? moment(shared, 'shared_working_hours', partners) : moment(own, 'first_partner_fallback', partners);
}

export type DueKind = 'checkin' | 'closing';

interface DueDate {
  kind: DueKind;
  dueDate: IsoDate;
}

/**
 * Check-ins fall every cadence after the start; a weekend date moves to the
 * next Monday rather than the Friday before, so a check-in never asks before a
 * full cadence has passed, and is not sent on a Friday only to sit unread over
 * the weekend. The closing survey is due on the end date — the Friday before
 * when that is a weekend, so it stays inside the contract — and replaces any
 * check-in on or after it.
 */
function dueDates({ startDate, endDate, cadence, session, partners }: CheckinSchedule, checkinHour: number): DueDate[] {
  const closingDate = previousWorkingDay(endDate);
  if (closingDate < startDate) return [];
  const dues: DueDate[] = [];
  if (session) {
    // A contract with a session time: each check-in asks about the sessions since the last one and
    // comes at the first check-in moment after the latest of them has ended (the first after one
    // full cadence, as without a time), never before the session it asks about.
    for (const { at } of sessionStarts({ startDate, endDate, cadence }, session.slot).slice(1)) {
      const dueDate = checkinDateAfter(new Date(at.getTime() + session.minutes * 60_000), partners, checkinHour);
      if (dueDate >= closingDate) break;
      if (dues.at(-1)?.dueDate !== dueDate) dues.push({ kind: 'checkin', dueDate });
    }
    dues.push({ kind: 'closing', dueDate: closingDate });
    return dues;
  }
  // A monthly pair is asked on the day of each next session (the second Tuesday), as a weekly
  // one is every seven days from the start: about the session since the last question.
  const monthly = cadence === 'monthly' ? sessionDates({ startDate, endDate, cadence }).slice(1) : null;
  const step = cadenceDays(cadence);
  for (let k = 1; ; k += 1) {
    const dueDate = monthly ? monthly[k - 1] : nextWorkingDay(addDays(startDate, k * step));
    if (dueDate === undefined || dueDate >= closingDate) break;
    dues.push({ kind: 'checkin', dueDate });
  }
  dues.push({ kind: 'closing', dueDate: closingDate });
  return dues;
}

export interface CheckinSchedule extends ContractPeriod {
  /** The due date of the last check-in already sent, if any. */
  lastDueDate?: IsoDate | null;
  /** First partner first: their zone wins when there is no shared moment. */
  partners: readonly PartnerZone[];
  /** The contract's session time and length, when it has one: check-ins then follow its sessions. */
  session?: { slot: SessionSlot; minutes: number } | null;
}

export interface CheckinSettings {
  /** Programme's check-in hour, 0–23, in the recipient's zone. */
  checkinHour: number;
}

export interface CheckinDue extends CheckinMoment {
  kind: DueKind;
  dueDate: IsoDate;
}

/**
 * The next check-in (or closing survey) after `lastDueDate`; it is due when
 * its `instant` is at or before `now`. If several went by unsent (the bot was
 * down), only the most recent is returned: one late question beats a burst.
 * Null once the closing survey has been sent.
 */
export function nextCheckinDue(schedule: CheckinSchedule, now: Date, settings: CheckinSettings): CheckinDue | null {
  const { lastDueDate, partners } = schedule;
  let latestPast: CheckinDue | null = null;
  for (const due of dueDates(schedule, settings.checkinHour)) {
    if (lastDueDate && due.dueDate <= lastDueDate) continue;
    const candidate: CheckinDue = { ...due, ...checkinInstant(due.dueDate, partners, settings.checkinHour) };
    if (candidate.instant > now) return latestPast ?? candidate;
    latestPast = candidate;
  }
  return latestPast;
}

export interface PromptState {
  sentAt: Date;
  answeredAt: Date | null;
  reminderSentAt: Date | null;
}

export interface ReminderOptions {
  /** Recipient's zone: working days and the time of day are theirs. */
  timeZone: string;
  /** Working days to wait before the single reminder; default 2. */
  afterWorkingDays?: number;
}

const DEFAULT_REMINDER_WORKING_DAYS = 2;

/**
 * When the one reminder for an unanswered prompt goes out: the same local time
 * as the prompt, N working days later, so a Friday prompt is not chased on Sunday.
 */
export function reminderInstant(sentAt: Date, options: ReminderOptions): Date {
  const { timeZone, afterWorkingDays = DEFAULT_REMINDER_WORKING_DAYS } = options;
  const sent = instantToZoned(sentAt, timeZone);
  return zonedDateTimeToInstant(addWorkingDays(sent.date, afterWorkingDays), sent.hour, sent.minute, timeZone);
}

export function reminderDue(prompt: PromptState, now: Date, options: ReminderOptions): boolean {
  if (prompt.answeredAt || prompt.reminderSentAt) return false;
  return now >= reminderInstant(prompt.sentAt, options);
}
