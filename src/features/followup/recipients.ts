import type { Deps } from '../../deps.js';
import { type IsoDate, latestDateAnywhere } from '../../domain/time.js';
import {
  type DueCursor,
  dueCandidates,
  dueReminders,
  pairsPastClosing,
  type PauseCursor,
  pausesEnding,
  type ReminderCursor,
  surveyLaggards,
  userIdsOfPairs,
  userIdsWithPartners,
} from '../../store/followup.js';
import { personPausesEnding } from '../../store/pauses.js';
import { followPerson } from '../workspace/service.js';

/**
 * How old Slack's last word on a person (language, time zone) may be when a scheduled message to
 * them is written. Slack's user_change events keep it current; this catches what they missed.
 */
export const IDENTITY_MAX_AGE_MS = 6 * 60 * 60 * 1000;
/** One pass asks Slack about this many people at most: beyond, the stored values stand. */
const MAX_REFRESHES = 400;
/** How long a pass may spend asking Slack before it writes its messages. */
export const REFRESH_BUDGET_MS = 5_000;
/** Questions to Slack at once. */
const CONCURRENCY = 4;
const PAGE = 500;

/**
 * The people the pass as of `at` writes to, each once, at most MAX_REFRESHES: the partners of pauses
 * that end (a pair's, or a person's and their partner's), of prompts due, of reminders due, of
 * closing surveys whose laggard is reminded, and of pairs completed because their survey stayed open.
 */
async function recipients(deps: Deps, at: Date, surveyOpenDays: number): Promise<string[]> {
  const db = deps.store.db;
  const people = new Set<string>();
  const full = () => people.size >= MAX_REFRESHES;
  const add = (userIds: Iterable<string>) => {
    for (const userId of userIds) people.add(userId);
  };
  const lastDate = latestDateAnywhere(at);
  let pause: PauseCursor | null = null;
  while (!full()) {
    const page = await pausesEnding(db, lastDate, pause, PAGE);
    const last = page.at(-1);
    if (!last) break;
    pause = { pausedUntil: last.paused_until as IsoDate, pairId: last.pair_id };
    add(await userIdsOfPairs(db, page.map((row) => row.pair_id)));
  }
  let personPause = 0;
  while (!full()) {
    const page = await personPausesEnding(db, lastDate, personPause, PAGE);
    const last = page.at(-1);
    if (!last) break;
    personPause = last.id;
    add(await userIdsWithPartners(db, page.map((row) => row.id)));
  }
  let due: DueCursor | null = null;
  while (!full()) {
    const page = await dueCandidates(db, at, due, PAGE);
    const last = page.at(-1);
    if (!last) break;
    due = { nextAt: last.nextAt, pairId: last.pairId };
    for (const row of page) people.add(row.juniorUserId).add(row.seniorUserId);
  }
  let reminder: ReminderCursor | null = null;
  while (!full()) {
    const page = await dueReminders(db, at, reminder, PAGE);
    const last = page.at(-1);
    if (!last) break;
    reminder = { remindAt: last.remindAt, promptId: last.promptId };
    for (const row of page) people.add(row.juniorUserId).add(row.seniorUserId);
  }
  let laggard = 0;
  while (!full()) {
    const page = await surveyLaggards(db, at, laggard, PAGE);
    const last = page.at(-1);
    if (!last) break;
    laggard = last.promptId;
    add(await userIdsOfPairs(db, page.map((row) => row.pairId)));
  }
  if (!full()) {
    // The pass completes at most one page of them (see closeOpenSurveys).
    add(await userIdsOfPairs(db, await pairsPastClosing(db, new Date(at.getTime() - surveyOpenDays * 86_400_000), PAGE)));
  }
  return [...people].slice(0, MAX_REFRESHES);
}

/**
 * Before the pass writes anything: the language and time zone of each person it writes to,
 * refreshed from Slack when what Tandem knows is older than IDENTITY_MAX_AGE_MS (one users.info a
 * person), so a person who changed them in Slack is written to in the new language; a new time zone
 * makes their pair's next check-in computed again (see resetFollowupTimesForZone). Slack failing changes nothing: the stored values are used, and Slack is not asked again in
 * this pass (nor past REFRESH_BUDGET_MS), so a Slack that is down or slow never holds the messages.
 */
export async function refreshRecipients(deps: Deps, at: Date, surveyOpenDays: number, budgetMs = REFRESH_BUDGET_MS): Promise<void> {
  const queue = await recipients(deps, at, surveyOpenDays);
  // The messages must not wait on Slack: once it fails to answer, or the budget is spent, the
  // stored values stand for everyone left (Slack's user_change events keep them current anyway).
  const deadline = Date.now() + budgetMs;
  let slackFailed = false;
  const worker = async () => {
    for (let userId = queue.shift(); userId !== undefined && !slackFailed && Date.now() < deadline; userId = queue.shift()) {
      const person = await beforeDeadline(deps.people.fresh(userId, IDENTITY_MAX_AGE_MS), deadline);
      if (!person) {
        slackFailed = true;
        break;
      }
      try {
        await followPerson(deps, person);
      } catch (error) {
        deps.logger.warn('Could not save what Slack says of a person before a scheduled message', error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** The answer, or undefined once the deadline passes first (the question goes on; its answer is kept for later). */
async function beforeDeadline<T>(answer: Promise<T | undefined>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
