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
 * hour. Slack failing changes nothing: the stored values are used.
 */
export async function refreshRecipients(deps: Deps, at: Date): Promise<void> {
  const queue = await recipients(deps, at);
  const worker = async () => {
    for (let userId = queue.shift(); userId !== undefined; userId = queue.shift()) {
      const person = await deps.people.fresh(userId, IDENTITY_MAX_AGE_MS);
      if (!person) continue;
      try {
        await followPerson(deps, person);
      } catch (error) {
        deps.logger.warn('Could not save what Slack says of a person before a scheduled message', error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
