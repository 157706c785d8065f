/**
 * The programme's health figures for `/tandem stats`, computed from plain rows: who learned in each
 * check-in, objectives reached and learning gain from the closing surveys, shares, and the months
 * the activity chart covers. Pure: no Slack, no database; the clock comes in as `now`.
 */
import type { Flow, Reached } from './checkin.js';
import type { MonthKey } from './chart/index.js';
import type { Role } from './profile.js';
import { instantToZoned } from './time.js';

/** Who learned in a check-in: the report of one partner, read with that partner's side of the pair. */
export type Learner = 'senior' | 'junior' | 'both';

export function learnerOf(reporter: Role, flow: Flow): Learner {
  if (flow === 'both') return 'both';
  const other: Role = reporter === 'junior' ? 'senior' : 'junior';
  return flow === 'i_learned' ? reporter : other;
}

export interface FlowCount {
  reporter: Role;
  flow: Flow;
  count: number;
}

/** Check-in reports by who learned: the three counts add up to `reports`. */
export interface FlowBalance {
  reports: number;
  senior: number;
  junior: number;
  both: number;
}

export function flowBalance(counts: readonly FlowCount[]): FlowBalance {
  const balance: FlowBalance = { reports: 0, senior: 0, junior: 0, both: 0 };
  for (const { reporter, flow, count } of counts) {
    balance[learnerOf(reporter, flow)] += count;
    balance.reports += count;
  }
  return balance;
}

/** One partner's closing survey, beside the starting levels they gave when signing that contract. */
export interface SurveyOutcome {
  role: Role;
  /** Per own objective, in the contract's order. */
  reached: readonly Reached[];
  /** Per own objective; null where the partner never rated a starting level. */
  startLevels: readonly (number | null)[] | null;
  endLevels: readonly (number | null)[];
}

export interface ObjectivesReached {
  /** Objectives answered in a closing survey (each partner answers for their own). */
  rated: number;
  reached: number;
  partly: number;
  not: number;
}

export interface GainSummary {
  /** Objectives with both a starting and an end level. */
  objectives: number;
  /** Mean of end − start over those objectives (levels 1–5); null when there is none. */
  mean: number | null;
}

export interface SurveySummary {
  surveys: number;
  reached: ObjectivesReached;
  gain: GainSummary;
  /** The same, for the objectives of the seniors (digital skills) and of the juniors (business know-how). */
  gainByRole: Record<Role, GainSummary>;
}

const isLevel = (level: number | null | undefined): level is number => typeof level === 'number' && Number.isFinite(level);

export function summariseSurveys(outcomes: readonly SurveyOutcome[]): SurveySummary {
  const reached: ObjectivesReached = { rated: 0, reached: 0, partly: 0, not: 0 };
  const gains: Record<Role, number[]> = { senior: [], junior: [] };
  for (const outcome of outcomes) {
    for (const answer of outcome.reached) {
      reached.rated += 1;
      reached[answer] += 1;
    }
    outcome.endLevels.forEach((end, i) => {
      const start = outcome.startLevels?.[i];
      if (isLevel(start) && isLevel(end)) gains[outcome.role].push(end - start);
    });
  }
  const summary = (values: readonly number[]): GainSummary => ({
    objectives: values.length,
    mean: values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length,
  });
  return {
    surveys: outcomes.length,
    reached,
    gain: summary([...gains.senior, ...gains.junior]),
    gainByRole: { senior: summary(gains.senior), junior: summary(gains.junior) },
  };
}

/** part ÷ whole, or null when there is nothing to divide by (shown as "—", never NaN). */
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** A share as a whole percentage that says "all" or "none" only when it is exactly so: 99.6 % reads 99 %, 0.2 % reads 1 %. */
export function wholePercent(ratio: number): number {
  const rounded = Math.round(ratio * 100);
  if (rounded >= 100 && ratio < 1) return 99;
  if (rounded <= 0 && ratio > 0) return 1;
  return rounded;
}

// ------------------------------------------------------------------ the chart's months

/** The chart shows the last year, or the programme since its start, but never more than three years. */
const DEFAULT_CHART_MONTHS = 12;
const MAX_CHART_MONTHS = 36;

export interface ChartPeriod {
  from: MonthKey;
  to: MonthKey;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month as a count of months since year 0, to do arithmetic on. */
export function monthIndex(month: MonthKey): number {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`Not a YYYY-MM month: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function monthFromIndex(index: number): MonthKey {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

const isMonthKey = (value: string): boolean => MONTH.test(value);

/** How many months a period holds, both ends included. */
const periodLength = (period: ChartPeriod): number => monthIndex(period.to) - monthIndex(period.from) + 1;

/** The month holding `now` on the programme's clock. */
const currentMonth = (now: Date, timeZone: string): MonthKey => instantToZoned(now, timeZone).date.slice(0, 7);

/**
 * The months the activity chart covers, up to the current month: since the programme's start
 * when it has started (at most MAX_CHART_MONTHS), else the last DEFAULT_CHART_MONTHS.
 */
export function chartPeriod(now: Date, timeZone: string, startsOn: string | null): ChartPeriod {
  const to = currentMonth(now, timeZone);
  const last = monthIndex(to);
  const started = startsOn !== null && isMonthKey(startsOn.slice(0, 7)) && monthIndex(startsOn.slice(0, 7)) <= last;
  const first = started ? Math.max(monthIndex(startsOn.slice(0, 7)), last - MAX_CHART_MONTHS + 1) : last - DEFAULT_CHART_MONTHS + 1;
  return { from: monthFromIndex(first), to };
}

/**
 * A period that came back from the network (a button's value): well-formed months, in order, no
 * longer than MAX_CHART_MONTHS and not beyond the current month.
 */
export function isAcceptablePeriod(period: ChartPeriod, now: Date, timeZone: string): boolean {
  if (!isMonthKey(period.from) || !isMonthKey(period.to)) return false;
  const length = periodLength(period);
  return length >= 1 && length <= MAX_CHART_MONTHS && monthIndex(period.to) <= monthIndex(currentMonth(now, timeZone));
}
