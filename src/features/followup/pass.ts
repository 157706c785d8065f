/**
 * The follow-up part of the scheduled pass, as of one instant: pauses that end, prompts due, the
 * one reminder of an unanswered prompt, and pairs whose closing survey stayed open too long.
 *
 * It reads only what is due (indexed on the due date), a page at a time, and writes each page in
 * one transaction: a prompt row (unique per pair and date), its message in the outbox (unique key)
 * and the pair's next date, moved only if nobody moved it since. So the same pass twice, or two
 * processes at once, send nothing twice, and a kill mid-pass loses nothing: the next pass resumes.
 */
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { Database } from '../../store/database.js';
import { nextCheckinDue, reminderInstant, type SessionSlot } from '../../domain/calendar.js';
import { parseSessionTime } from '../../domain/session.js';
import { instantToZoned, type IsoDate, latestDateAnywhere, type Weekday } from '../../domain/time.js';
import { pairLocale } from '../../i18n/index.js';
import {
  type DueCandidate,
  type DueCursor,
  dueCandidates,
  type PauseCursor,
  type ReminderCursor,
  dueReminders,
  advanceFollowups,
  type FollowupMove,
  insertPrompts,
  markRemindedMany,
  pairsPastClosing,
  pausesEnding,
} from '../../store/followup.js';
import { getProgramme } from '../../store/programme.js';
import { resumeEndedEarlyPauses } from './early-pause.js';
import { completeWithPeople, promptKey, resumeFollowup } from './service.js';
import { refreshRecipients } from './recipients.js';
import { remindSurveyLaggards } from './survey-reminders.js';
import { promptMessage } from './views.js';

const PAGE = 500;
/** An unanswered closing survey stays open this long; then the pair is completed anyway. */
export const SURVEY_OPEN_DAYS = 14;

export interface FollowupPassResult {
  resumed: number;
  prompts: number;
  reminders: number;
  completed: number;
}


export async function followupPass(deps: Deps, at: Date): Promise<FollowupPassResult> {
  const result: FollowupPassResult = { resumed: 0, prompts: 0, reminders: 0, completed: 0 };
  // Whom this pass writes to (pauses ending, prompts, reminders, surveys, completions): their
  // language and time zone as Slack has them now.
  await refreshRecipients(deps, at, SURVEY_OPEN_DAYS);
  result.resumed = (await resumeEndedPauses(deps, at)) + (await resumeEndedEarlyPauses(deps, at, latestDateAnywhere(at)));
  result.prompts = await sendDuePrompts(deps, at);
  result.reminders = await sendReminders(deps, at);
  // A closing survey one partner answered: the other is reminded on their own.
  result.reminders += await remindSurveyLaggards(deps, at, SURVEY_OPEN_DAYS);
  result.completed = await closeOpenSurveys(deps, at);
  return result;
}

async function resumeEndedPauses(deps: Deps, at: Date): Promise<number> {
  const { checkinHour } = await getProgramme(deps.store.db);
  let resumed = 0;
  let after: PauseCursor | null = null;
  for (;;) {
    const page = await pausesEnding(deps.store.db, latestDateAnywhere(at), after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = { pausedUntil: last.paused_until as IsoDate, pairId: last.pair_id };
    for (const row of page) {
      // The date is the pauser's: their pause ends on that day at the check-in hour where they are,
      // so that whatever is due then is asked at a decent hour, not at midnight.
      const local = instantToZoned(at, row.paused_zone ?? deps.config.tzDefault);
      const until = row.paused_until as IsoDate;
      if (until > local.date || (until === local.date && local.hour < checkinHour)) continue;
      if (await deps.store.db.transaction().execute((trx) => resumeFollowup(deps, trx, row.pair_id, 'tandem', at))) resumed += 1;
    }
  }
  return resumed;
}

async function sendDuePrompts(deps: Deps, at: Date): Promise<number> {
  const programme = await getProgramme(deps.store.db);
  const settings = { checkinHour: programme.checkinHour };
  let sent = 0;
  let after: DueCursor | null = null;
  for (;;) {
    const page = await dueCandidates(deps.store.db, at, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = { nextAt: last.nextAt, pairId: last.pairId };
    const written = await deps.store.db.transaction().execute((trx) => writePage(deps, trx, page, at, settings));
    if (written.count > 0) deps.outbox.queued();
    // The pairs whose next check-in moved: their Home tabs show it.
    if (written.moved.length > 0) await deps.home.changed(deps.store.db, { userIds: written.moved, dashboards: false });
    sent += written.count;
  }
  return sent;
}

/**
 * Writes a page in a few statements: the follow-ups moved on (each only if nobody moved it since it
 * was read), then the prompts of those that were due, then their messages.
 */
async function writePage(deps: Deps, db: Kysely<Database>, page: readonly DueCandidate[], at: Date, settings: { checkinHour: number }): Promise<{ count: number; moved: string[] }> {
  // When the prompts really go: `at` for a pass as of now, the clock for a pass as of a past instant.
  const sentAt = new Date(Math.max(at.getTime(), deps.now().getTime()));
  const moves: FollowupMove[] = [];
  /** Whether a move changes the date the pair's Home tab shows. */
  const showsMove = new Map<number, boolean>();
  const prompts = new Map<number, { row: DueCandidate; kind: 'checkin' | 'closing'; dueOn: IsoDate; remindAt: Date }>();
  for (const row of page) {
    const partners = [{ timeZone: row.juniorTimeZone }, { timeZone: row.seniorTimeZone }];
    const slot = sessionSlotOf(row);
    const session = slot ? { slot, minutes: row.sessionMinutes } : null;
    const schedule = { startDate: row.startDate, endDate: row.endDate, cadence: row.cadence, lastDueDate: row.lastDueOn, partners, session };
    const due = nextCheckinDue(schedule, at, settings);
    if (!due) {
      moves.push({ pairId: row.pairId, expectedNextAt: row.nextAt, lastDueOn: row.lastDueOn, next: null });
      showsMove.set(row.pairId, true);
      continue;
    }
    if (due.instant > at) {
      // Not yet (the check-in hour or a partner's zone changed): only the stored moment is corrected.
      moves.push({ pairId: row.pairId, expectedNextAt: row.nextAt, lastDueOn: row.lastDueOn, next: { kind: due.kind, dueOn: due.dueDate, at: due.instant } });
      showsMove.set(row.pairId, due.dueDate !== row.nextDueOn);
      continue;
    }
    const next = due.kind === 'closing' ? null : nextCheckinDue({ ...schedule, lastDueDate: due.dueDate }, at, settings);
    moves.push({ pairId: row.pairId, expectedNextAt: row.nextAt, lastDueOn: due.dueDate, next: next && { kind: next.kind, dueOn: next.dueDate, at: next.instant } });
    showsMove.set(row.pairId, true);
    // A late prompt (the bot was down, or a catch-up pass) gets its reminder counted from now.
    const remindAt = reminderInstant(new Date(Math.max(due.instant.getTime(), sentAt.getTime())), { timeZone: row.juniorTimeZone });
    prompts.set(row.pairId, { row, kind: due.kind, dueOn: due.dueDate, remindAt });
  }
  // Moved only if nobody moved it since it was read: another pass, in this process or another.
  const advanced = await advanceFollowups(db, moves, at);
  const moved = page.filter((row) => advanced.has(row.pairId) && showsMove.get(row.pairId)).flatMap((row) => [row.juniorUserId, row.seniorUserId]);
  const toPrompt = [...prompts.values()].filter((p) => advanced.has(p.row.pairId));
  const ids = await insertPrompts(db, toPrompt.map((p) => ({ pairId: p.row.pairId, contractId: p.row.contractId, kind: p.kind, dueOn: p.dueOn, remindAt: p.remindAt })), sentAt);
  const messages = toPrompt.flatMap((p) => {
    const promptId = ids.get(p.row.pairId);
    if (promptId === undefined) return [];
    return [{ key: promptKey(promptId), request: { kind: 'post' as const, users: [p.row.juniorUserId, p.row.seniorUserId], message: promptFor(deps, p.row, promptId, p.kind, p.dueOn) } }];
  });
  await deps.outbox.enqueueMany(db, messages);
  return { count: messages.length, moved };
}

function sessionSlotOf(row: DueCandidate): SessionSlot | null {
  const time = row.sessionTime === null ? null : parseSessionTime(row.sessionTime);
  if (row.sessionWeekday === null || time === null || row.sessionZone === null) return null;
  return { weekday: row.sessionWeekday as Weekday, hour: time.hour, minute: time.minute, timeZone: row.sessionZone };
}

function promptFor(deps: Deps, row: DueCandidate, promptId: number, kind: 'checkin' | 'closing', dueOn: IsoDate) {
  return promptMessage(pairLocale(deps, { locale: row.juniorLocale }, { locale: row.seniorLocale }), {
    promptId,
    kind,
    dueOn,
    endOn: row.endDate,
    juniorUserId: row.juniorUserId,
    seniorUserId: row.seniorUserId,
    answers: [],
  });
}

async function sendReminders(deps: Deps, at: Date): Promise<number> {
  let sent = 0;
  let after: ReminderCursor | null = null;
  for (;;) {
    const page = await dueReminders(deps.store.db, at, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = { remindAt: last.remindAt, promptId: last.promptId };
    const written = await deps.store.db.transaction().execute(async (trx) => {
      const reminded = await markRemindedMany(trx, page.map((row) => row.promptId), at);
      const messages = page
        .filter((row) => reminded.has(row.promptId))
        .map((row) => ({
          key: `reminder:${row.promptId}`,
          request: {
            kind: 'post' as const,
            users: [row.juniorUserId, row.seniorUserId],
            message: promptMessage(pairLocale(deps, { locale: row.juniorLocale }, { locale: row.seniorLocale }), {
              promptId: row.promptId,
              kind: row.kind,
              dueOn: row.dueOn,
              endOn: row.endDate,
              juniorUserId: row.juniorUserId,
              seniorUserId: row.seniorUserId,
              answers: [],
              reminder: true,
            }),
          },
        }));
      await deps.outbox.enqueueMany(trx, messages);
      return messages.length;
    });
    if (written > 0) deps.outbox.queued();
    sent += written;
  }
  return sent;
}

async function closeOpenSurveys(deps: Deps, at: Date): Promise<number> {
  let completed = 0;
  const sentBefore = new Date(at.getTime() - SURVEY_OPEN_DAYS * 86_400_000);
  for (const pairId of await pairsPastClosing(deps.store.db, sentBefore, PAGE)) {
    if (await deps.store.db.transaction().execute((trx) => completeWithPeople(deps, trx, pairId, at))) completed += 1;
  }
  return completed;
}

