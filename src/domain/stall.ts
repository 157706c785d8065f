/**
 * Signs that a pair needs a facilitator, each with the facts to say why
 * ("no meeting logged since 3 March (36 days; cadence every two weeks)").
 */
import { cadenceDays, type Cadence } from './calendar.js';
import { daysBetween, instantToZoned, type IsoDate } from './time.js';

/** introduced → both accepted → contract in force → closed. */
export type PairStatus = 'introduced' | 'accepted' | 'active' | 'closed';

export interface MeetingLog {
  /** The check-in answer that logged it. */
  id: string;
  date: IsoDate;
  /** 1–5, or null when not rated. */
  rating: number | null;
}

export interface PromptLog {
  id: string;
  sentAt: Date;
  answeredAt: Date | null;
}

export interface HelpRequest {
  id: string;
  requestedBy: string;
  requestedAt: Date;
}

/** A private concern; its text stays out of these facts on purpose. */
export interface Concern {
  id: string;
  raisedBy: string;
  raisedAt: Date;
}

export interface PairFacts {
  status: PairStatus;
  /** Zone in which "today" is read against meeting dates (e.g. the first partner's). */
  timeZone: string;
  introducedAt: Date | null;
  introductionAnsweredByBoth: boolean;
  acceptedAt: Date | null;
  contractSignedAt: Date | null;
  cadence: Cadence | null;
  meetings: readonly MeetingLog[];
  /** Oldest first. */
  prompts: readonly PromptLog[];
  helpRequests: readonly HelpRequest[];
  concerns: readonly Concern[];
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

/** Elapsed whole days since `since`, and the threshold that was reached. */
interface Overdue {
  days: number;
  thresholdDays: number;
}

export type StallReason =
  | { kind: 'help_requested'; key: string; facts: { requestedBy: string; requestedAt: Date } }
  | { kind: 'concern'; key: string; facts: { raisedBy: string; raisedAt: Date } }
  | { kind: 'low_rating'; key: string; facts: { meetingId: string; date: IsoDate; rating: number; threshold: number } }
  | { kind: 'no_first_meeting'; key: string; facts: Overdue & { signedAt: Date } }
  | { kind: 'no_meeting'; key: string; facts: Overdue & { since: IsoDate; cadence: Cadence; cadenceDays: number } }
  | { kind: 'unanswered_prompts'; key: string; facts: { count: number; firstSentAt: Date; lastSentAt: Date } }
  | { kind: 'contract_unsigned'; key: string; facts: Overdue & { acceptedAt: Date } }
  | { kind: 'introduction_unanswered'; key: string; facts: Overdue & { introducedAt: Date } };

const DAY_MS = 86_400_000;

function elapsedDays(since: Date, now: Date): number {
  return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

function helpReasons(facts: PairFacts): StallReason[] {
  return facts.helpRequests.map(({ id, requestedBy, requestedAt }) => ({
    kind: 'help_requested',
    key: `help_requested:${id}`,
    facts: { requestedBy, requestedAt },
  }));
}

function concernReasons(facts: PairFacts): StallReason[] {
  return facts.concerns.map(({ id, raisedBy, raisedAt }) => ({
    kind: 'concern',
    key: `concern:${id}`,
    facts: { raisedBy, raisedAt },
  }));
}

function lowRatingReasons(facts: PairFacts, settings: StallSettings): StallReason[] {
  return facts.meetings.flatMap(({ id, date, rating }): StallReason[] =>
    rating !== null && rating <= settings.lowRating
      ? [{ kind: 'low_rating', key: `low_rating:${id}`, facts: { meetingId: id, date, rating, threshold: settings.lowRating } }]
      : [],
  );
}

/** "No first meeting N days after signing": reached on day N itself. */
function noFirstMeeting(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  const signedAt = facts.contractSignedAt;
  if (facts.status !== 'active' || !signedAt || facts.meetings.length > 0) return [];
  const days = elapsedDays(signedAt, now);
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
  const { cadence } = facts;
  if (facts.status !== 'active' || !cadence || facts.meetings.length === 0) return [];
  const since = facts.meetings.map((meeting) => meeting.date).reduce((a, b) => (b > a ? b : a));
  const days = daysBetween(since, instantToZoned(now, facts.timeZone).date);
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
 * The latest prompts, all unanswered. Keyed on the first of the run, so the
 * run growing from two to three does not raise the pair again.
 */
function unansweredPrompts(facts: PairFacts, settings: StallSettings): StallReason[] {
  if (facts.status !== 'active') return [];
  const lastAnswered = facts.prompts.findLastIndex((prompt) => prompt.answeredAt !== null);
  const run = facts.prompts.slice(lastAnswered + 1);
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
  const days = elapsedDays(acceptedAt, now);
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
  if (facts.status !== 'introduced' || !introducedAt || facts.introductionAnsweredByBoth) return [];
  const days = elapsedDays(introducedAt, now);
  if (days < settings.introductionUnansweredDays) return [];
  return [
    {
      kind: 'introduction_unanswered',
      key: `introduction_unanswered:${introducedAt.toISOString()}`,
      facts: { introducedAt, days, thresholdDays: settings.introductionUnansweredDays },
    },
  ];
}

/**
 * Every reason that currently holds, most urgent kinds first. Deterministic:
 * the same facts give the same reasons and keys, so callers store the keys
 * already raised and alert only on new ones. Help requests and concerns count
 * in any status (a concern after closing still matters); the rest only in the
 * status where they make sense.
 */
export function detectStalls(facts: PairFacts, settings: StallSettings, now: Date): StallReason[] {
  return [
    ...helpReasons(facts),
    ...concernReasons(facts),
    ...lowRatingReasons(facts, settings),
    ...noFirstMeeting(facts, settings, now),
    ...noMeeting(facts, settings, now),
    ...unansweredPrompts(facts, settings),
    ...contractUnsigned(facts, settings, now),
    ...introductionUnanswered(facts, settings, now),
  ];
}
