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

/** Whole days elapsed since `since`, and the threshold that was reached. */
interface Overdue {
  days: number;
  thresholdDays: number;
}

export type StallReason =
  | { kind: 'help_requested'; key: string; facts: { requestedBy: string; requestedAt: Date; checkinOf: IsoDate } }
  | { kind: 'concern'; key: string; facts: { raisedBy: string; raisedAt: Date } }
  | { kind: 'low_rating'; key: string; facts: { meetingId: string; date: IsoDate; rating: number; threshold: number; ratedBy: string } }
  | { kind: 'no_first_meeting'; key: string; facts: Overdue & { signedAt: Date } }
  | { kind: 'no_meeting'; key: string; facts: Overdue & { since: IsoDate; cadence: Cadence; cadenceDays: number } }
  | { kind: 'unanswered_prompts'; key: string; facts: { count: number; firstSentAt: Date; lastSentAt: Date } }
  | { kind: 'contract_unsigned'; key: string; facts: Overdue & { acceptedAt: Date } }
  | { kind: 'introduction_unanswered'; key: string; facts: Overdue & { introducedAt: Date; waitingFor: string[] } };

export type StallKind = StallReason['kind'];

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

/** Calendar days from the day of `since` to the day of `now`, both read in `timeZone`. */
function daysSince(since: Date, now: Date, timeZone: string): number {
  return daysBetween(localDate(since, timeZone), localDate(now, timeZone));
}

/** "No first meeting N days after signing": reached on the Nth day itself. */
function noFirstMeeting(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const signedAt = facts.contractSignedAt;
  if (facts.status !== 'active' || facts.paused || !signedAt || facts.lastMeetingOn !== null) return [];
  const from = facts.resumedAt && facts.resumedAt > signedAt ? facts.resumedAt : signedAt;
  const days = daysSince(from, now, facts.timeZone);
  if (days < settings.firstMeetingDays) return [];
  return [
    {
      kind: 'no_first_meeting',
      key: `no_first_meeting:${signedAt.toISOString()}`,
      facts: { signedAt, days, thresholdDays: settings.firstMeetingDays },
    },
  ];
}

/** "More than" twice the cadence: exactly twice is still on track. */
function noMeeting(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { cadence, lastMeetingOn: since } = facts;
  if (facts.status !== 'active' || facts.paused || !cadence || since === null) return [];
  const resumedOn = facts.resumedAt ? localDate(facts.resumedAt, facts.timeZone) : null;
  const days = daysBetween(resumedOn && resumedOn > since ? resumedOn : since, localDate(now, facts.timeZone));
  const thresholdDays = settings.missedCadenceFactor * cadenceDays(cadence);
  if (days <= thresholdDays) return [];
  return [
    {
      kind: 'no_meeting',
      key: `no_meeting:${since}`,
      facts: { since, days, thresholdDays, cadence, cadenceDays: cadenceDays(cadence) },
    },
  ];
}

/**
 * The prompts since the last answered one that were reminded and still not answered. A prompt
 * not reminded yet (just sent, or sent before a pause) neither counts nor breaks the run. Keyed
 * on the first of the run, so the run growing from two to three does not raise the pair again.
 */
function unansweredPrompts(facts: PairFacts, settings: StallSettings): StallReason[] {
  if (facts.status !== 'active' || facts.paused) return [];
  const lastAnswered = facts.prompts.findLastIndex((prompt) => prompt.answeredAt !== null);
  const run = facts.prompts.slice(lastAnswered + 1).filter((prompt) => prompt.remindedAt !== null);
  const [first] = run;
  const last = run.at(-1);
  if (!first || !last || run.length < settings.unansweredPromptsInARow) return [];
  return [
    {
      kind: 'unanswered_prompts',
      key: `unanswered_prompts:${first.id}`,
      facts: { count: run.length, firstSentAt: first.sentAt, lastSentAt: last.sentAt },
    },
  ];
}

function contractUnsigned(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { acceptedAt } = facts;
  if (facts.status !== 'accepted' || !acceptedAt || facts.contractSignedAt) return [];
  const days = daysSince(acceptedAt, now, facts.timeZone);
  if (days < settings.contractUnsignedDays) return [];
  return [
    {
      kind: 'contract_unsigned',
      key: `contract_unsigned:${acceptedAt.toISOString()}`,
      facts: { acceptedAt, days, thresholdDays: settings.contractUnsignedDays },
    },
  ];
}

function introductionUnanswered(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const { introducedAt } = facts;
  if (facts.status !== 'introduced' || !introducedAt || facts.introductionPending.length === 0) return [];
  const days = daysSince(introducedAt, now, facts.timeZone);
  if (days < settings.introductionUnansweredDays) return [];
  return [
    {
      kind: 'introduction_unanswered',
      key: `introduction_unanswered:${introducedAt.toISOString()}`,
      facts: { introducedAt, days, thresholdDays: settings.introductionUnansweredDays, waitingFor: [...facts.introductionPending] },
    },
  ];
}

/**
 * Every time rule that currently holds. Deterministic: the same facts give the same reasons and
 * keys, so callers store the keys already raised and alert only on new ones. Each rule applies
 * only in the status where it makes sense, and not while the pair is paused.
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
