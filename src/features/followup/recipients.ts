import type { Deps } from '../../deps.js';
import { type DueCursor, dueCandidates, dueReminders, type ReminderCursor } from '../../store/followup.js';
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

/** The people a prompt or reminder goes to in a pass as of `at`, each once. */
async function recipients(deps: Deps, at: Date): Promise<string[]> {
  const people = new Set<string>();
  let due: DueCursor | null = null;
  while (people.size < MAX_REFRESHES) {
    const page = await dueCandidates(deps.store.db, at, due, PAGE);
    const last = page.at(-1);
    if (!last) break;
    due = { nextAt: last.nextAt, pairId: last.pairId };
    for (const row of page) people.add(row.juniorUserId).add(row.seniorUserId);
  }
  let reminder: ReminderCursor | null = null;
  while (people.size < MAX_REFRESHES) {
    const page = await dueReminders(deps.store.db, at, reminder, PAGE);
    const last = page.at(-1);
    if (!last) break;
    reminder = { remindAt: last.remindAt, promptId: last.promptId };
    for (const row of page) people.add(row.juniorUserId).add(row.seniorUserId);
  }
  return [...people].slice(0, MAX_REFRESHES);
}

/**
 * Before the pass writes prompts and reminders: the language and time zone of each person they go
 * to, refreshed from Slack when what Tandem knows is older than IDENTITY_MAX_AGE_MS (one users.info
 * a person), so a person who changed them in Slack is written to in the new language, at the new
 * hour. Slack failing changes nothing: the stored values are used, and Slack is not asked again in
 * this pass (nor past REFRESH_BUDGET_MS), so a Slack that is down or slow never holds the messages.
 */
export async function refreshRecipients(deps: Deps, at: Date, budgetMs = REFRESH_BUDGET_MS): Promise<void> {
  const queue = await recipients(deps, at);
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
