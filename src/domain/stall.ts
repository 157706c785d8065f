/**
 * Signs that a pair needs a facilitator, each with the facts to say why
 * ("no meeting logged since 3 March (36 days; cadence every two weeks)").
 *
 * Two families. Events ("We need help", a private concern, a low rating) are
 * raised when they happen, by the code that records them, with the
 * constructors below. Time rules (a meeting, a signature or an answer that
 * did not come) are found by `detectStalls` on the scheduled pass. Time rules
 * count whole calendar days in the pair's zone, so a threshold is reached when
 * a day starts there: evaluating a pair once per local day, early in it, finds
 * every reason on the day it becomes true.
 *
 * A time rule whose escalation a facilitator resolved starts counting again from the resolution:
 * if the pair still stalls once the threshold has passed again, that is a new episode, raised
 * under a key of its own (the resolution's instant) with facts counted from the resolution.
 */
import { cadenceDays, type Cadence } from './calendar.js';
import { daysBetween, instantToZoned, type IsoDate } from './time.js';

/** introduced → both accepted → contract in force → closed. */
export type PairStatus = 'introduced' | 'accepted' | 'active' | 'closed';

export interface PromptLog {
  id: string;
  sentAt: Date;
  /** The first answer of either partner ("Not yet" is an answer). */
  answeredAt: Date | null;
  /** When its one reminder went out; a prompt counts as unanswered only after it. */
  remindedAt: Date | null;
}

export interface PairFacts {
  status: PairStatus;
  /** Zone in which days are counted (the junior's, as for check-in reminders). */
  timeZone: string;
  introducedAt: Date | null;
  /** Slack ids of the partners who have not answered the introduction yet. */
  introductionPending: readonly string[];
  acceptedAt: Date | null;
  /** When a contract first came in force (an amendment does not restart the clock). */
  contractSignedAt: Date | null;
  cadence: Cadence | null;
  /** A paused pair is not expected to meet or answer meanwhile. */
  paused: boolean;
  /** The last end of a pause: time without a session counts from then at the earliest. */
  resumedAt?: Date | null;
  /** The latest date a session was logged on, if any. */
  lastMeetingOn: IsoDate | null;
  /** Check-in prompts, oldest first: at least every one since the last answered. */
  prompts: readonly PromptLog[];
  /** When Tandem first asked the pair whether they met (its first check-in prompt); none yet: absent. */
  firstPromptAt?: Date | null;
  /** The start date of the contract in force. */
  startDate?: IsoDate | null;
  /** For each time rule, the latest resolution of an escalation that held its reason. */
  resolved?: Partial<Record<TimeRuleKind, Date>>;
}

export interface StallSettings {
  contractUnsignedDays: number;
  introductionUnansweredDays: number;
  firstMeetingDays: number;
  missedCadenceFactor: number;
  /** A rating at or below this is low. */
  lowRating: number;
  unansweredPromptsInARow: number;
}

export const DEFAULT_STALL_SETTINGS: StallSettings = {
  contractUnsignedDays: 7,
  introductionUnansweredDays: 5,
  firstMeetingDays: 14,
  missedCadenceFactor: 2,
  lowRating: 2,
  unansweredPromptsInARow: 2,
};

/**
 * Whole days elapsed, and the threshold that was reached; `resolvedAt` when the days count from a
 * facilitator's resolution (the stall went on after it: a new episode).
 */
interface Overdue {
  days: number;
  thresholdDays: number;
  resolvedAt?: Date;
}

export type StallReason =
  | { kind: 'help_requested'; key: string; facts: { requestedBy: string; requestedAt: Date; checkinOf: IsoDate } }
  | { kind: 'concern'; key: string; facts: { raisedBy: string; raisedAt: Date } }
  | { kind: 'low_rating'; key: string; facts: { meetingId: string; date: IsoDate; rating: number; threshold: number; ratedBy: string } }
  // `askedAt` and `since` (the day counting began) are absent from reasons stored before they were.
  | { kind: 'no_first_meeting'; key: string; facts: Overdue & { signedAt: Date; askedAt?: Date; since?: IsoDate } }
  | { kind: 'no_meeting'; key: string; facts: Overdue & { since: IsoDate; cadence: Cadence; cadenceDays: number } }
  | { kind: 'unanswered_prompts'; key: string; facts: { count: number; firstSentAt: Date; lastSentAt: Date; resolvedAt?: Date } }
  | { kind: 'contract_unsigned'; key: string; facts: Overdue & { acceptedAt: Date } }
  | { kind: 'introduction_unanswered'; key: string; facts: Overdue & { introducedAt: Date; waitingFor: string[] } };

export type StallKind = StallReason['kind'];

/** The rules `detectStalls` finds on the scheduled pass (the others are events). */
export const TIME_RULE_KINDS = ['no_first_meeting', 'no_meeting', 'unanswered_prompts', 'contract_unsigned', 'introduction_unanswered'] as const satisfies readonly StallKind[];
export type TimeRuleKind = (typeof TIME_RULE_KINDS)[number];

/** A partner pressed "We need help" on a check-in prompt; `id` names that press (prompt and partner). */
export function helpRequested(id: string, requestedBy: string, requestedAt: Date, checkinOf: IsoDate): StallReason {
  return { kind: 'help_requested', key: `help_requested:${id}`, facts: { requestedBy, requestedAt, checkinOf } };
}

/** A private concern; its text stays out of the facts on purpose. */
export function concernRaised(id: string, raisedBy: string, raisedAt: Date): StallReason {
  return { kind: 'concern', key: `concern:${id}`, facts: { raisedBy, raisedAt } };
}

export interface RatedMeeting {
  /** The check-in that logged it. */
  id: string;
  date: IsoDate;
  rating: number;
  ratedBy: string;
}

/** A session rated at or below the programme's threshold, or null. */
export function lowRating(meeting: RatedMeeting, settings: Pick<StallSettings, 'lowRating'>): StallReason | null {
  if (meeting.rating > settings.lowRating) return null;
  return {
    kind: 'low_rating',
    key: `low_rating:${meeting.id}`,
    facts: { meetingId: meeting.id, date: meeting.date, rating: meeting.rating, threshold: settings.lowRating, ratedBy: meeting.ratedBy },
  };
}

// Reading a zone's calendar (Intl) is the costly part of a rule, and a pass asks the same zone and
// instant for every pair: the answers are kept (a pure function's, so the rules stay pure).
const localDates = new Map<string, IsoDate>();
const LOCAL_DATES_KEPT = 10_000;

function localDate(at: Date, timeZone: string): IsoDate {
  const key = `${timeZone}|${at.getTime()}`;
  let date = localDates.get(key);
  if (date === undefined) {
    if (localDates.size >= LOCAL_DATES_KEPT) localDates.clear();
    date = instantToZoned(at, timeZone).date;
    localDates.set(key, date);
  }
  return date;
}

/** The later of two local dates, either possibly unknown. */
function later(a: IsoDate | null, b: IsoDate | null): IsoDate | null {
  if (a === null) return b;
  return b === null || a >= b ? a : b;
}

/**
 * The episode of a rule after the latest resolution of its escalation: counting starts from the
 * resolution when that is later, and the key names the resolution so the new episode is raised.
 */
function episode(facts: PairFacts, kind: TimeRuleKind, from: IsoDate): { from: IsoDate; suffix: string; resolvedAt?: Date } {
  const resolvedAt = facts.resolved?.[kind];
  if (!resolvedAt) return { from, suffix: '' };
  return { from: later(from, localDate(resolvedAt, facts.timeZone)) as IsoDate, suffix: `@${resolvedAt.toISOString()}`, resolvedAt };
}

const resumedOn = (facts: PairFacts): IsoDate | null => (facts.resumedAt ? localDate(facts.resumedAt, facts.timeZone) : null);

/**
 * "No first meeting N days after the pair's first check-in prompt": never before Tandem has asked
 * whether they met (a monthly pair is first asked four weeks in), nor before the contract's start.
 * Reached on the Nth day itself.
 */
function noFirstMeeting(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { contractSignedAt: signedAt, firstPromptAt: askedAt } = facts;
  if (facts.status !== 'active' || facts.paused || !signedAt || !askedAt || facts.lastMeetingOn !== null) return [];
  const asked = later(localDate(askedAt, facts.timeZone), facts.startDate ?? null) as IsoDate;
  const { from, suffix, resolvedAt } = episode(facts, 'no_first_meeting', later(asked, resumedOn(facts)) as IsoDate);
  const days = daysBetween(from, localDate(now, facts.timeZone));
  if (days < settings.firstMeetingDays) return [];
  return [
    {
      kind: 'no_first_meeting',
      key: `no_first_meeting:${signedAt.toISOString()}${suffix}`,
      facts: { signedAt, askedAt, since: from, days, thresholdDays: settings.firstMeetingDays, ...(resolvedAt ? { resolvedAt } : {}) },
    },
  ];
}

/** "More than" twice the cadence: exactly twice is still on track. */
function noMeeting(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { cadence, lastMeetingOn: since } = facts;
  if (facts.status !== 'active' || facts.paused || !cadence || since === null) return [];
  const { from, suffix, resolvedAt } = episode(facts, 'no_meeting', later(since, resumedOn(facts)) as IsoDate);
  const days = daysBetween(from, localDate(now, facts.timeZone));
  const thresholdDays = settings.missedCadenceFactor * cadenceDays(cadence);
  if (days <= thresholdDays) return [];
  return [
    {
      kind: 'no_meeting',
      key: `no_meeting:${since}${suffix}`,
      facts: { since, days, thresholdDays, cadence, cadenceDays: cadenceDays(cadence), ...(resolvedAt ? { resolvedAt } : {}) },
    },
  ];
}

/**
 * The prompts since the last answered one that were reminded and still not answered. A prompt
 * not reminded yet (just sent, or sent before a pause) neither counts nor breaks the run. Keyed
 * on the first of the run, so the run growing from two to three does not raise the pair again.
 * After a resolution only the prompts sent since count.
 */
function unansweredPrompts(facts: PairFacts, settings: StallSettings): StallReason[] {
  if (facts.status !== 'active' || facts.paused) return [];
  const resolvedAt = facts.resolved?.unanswered_prompts;
  const lastAnswered = facts.prompts.findLastIndex((prompt) => prompt.answeredAt !== null);
  const run = facts.prompts
    .slice(lastAnswered + 1)
    .filter((prompt) => prompt.remindedAt !== null && (!resolvedAt || prompt.sentAt > resolvedAt));
  const [first] = run;
  const last = run.at(-1);
  if (!first || !last || run.length < settings.unansweredPromptsInARow) return [];
  return [
    {
      kind: 'unanswered_prompts',
      key: `unanswered_prompts:${first.id}${resolvedAt ? `@${resolvedAt.toISOString()}` : ''}`,
      facts: { count: run.length, firstSentAt: first.sentAt, lastSentAt: last.sentAt, ...(resolvedAt ? { resolvedAt } : {}) },
    },
  ];
}

/** Waits while the pair is paused, and counts from the end of a pause when that is later. */
function contractUnsigned(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { acceptedAt } = facts;
  if (facts.status !== 'accepted' || facts.paused || !acceptedAt || facts.contractSignedAt) return [];
  const { from, suffix, resolvedAt } = episode(facts, 'contract_unsigned', later(localDate(acceptedAt, facts.timeZone), resumedOn(facts)) as IsoDate);
  const days = daysBetween(from, localDate(now, facts.timeZone));
  if (days < settings.contractUnsignedDays) return [];
  return [
    {
      kind: 'contract_unsigned',
      key: `contract_unsigned:${acceptedAt.toISOString()}${suffix}`,
      facts: { acceptedAt, days, thresholdDays: settings.contractUnsignedDays, ...(resolvedAt ? { resolvedAt } : {}) },
    },
  ];
}

function introductionUnanswered(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { introducedAt } = facts;
  if (facts.status !== 'introduced' || !introducedAt || facts.introductionPending.length === 0) return [];
  const { from, suffix, resolvedAt } = episode(facts, 'introduction_unanswered', localDate(introducedAt, facts.timeZone));
  const days = daysBetween(from, localDate(now, facts.timeZone));
  if (days < settings.introductionUnansweredDays) return [];
  return [
    {
      kind: 'introduction_unanswered',
      key: `introduction_unanswered:${introducedAt.toISOString()}${suffix}`,
      facts: { introducedAt, days, thresholdDays: settings.introductionUnansweredDays, waitingFor: [...facts.introductionPending], ...(resolvedAt ? { resolvedAt } : {}) },
    },
  ];
}

/**
 * Every time rule that currently holds. Deterministic: the same facts give the same reasons and
 * keys, so callers store the keys already raised and alert only on new ones. Each rule applies
 * only in the status where it makes sense, and not while the pair is paused (a pair that accepted
 * may pause before signing: its unsigned contract waits too).
 */
export function detectStalls(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  return [
    ...noFirstMeeting(facts, settings, now),
    ...noMeeting(facts, settings, now),
    ...unansweredPrompts(facts, settings),
    ...contractUnsigned(facts, settings, now),
    ...introductionUnanswered(facts, settings, now),
  ];
}
