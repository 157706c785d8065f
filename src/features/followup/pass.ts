/**
 * The follow-up part of the scheduled pass, as of one instant: pauses that end, prompts due, the
 * one reminder of an unanswered prompt, and pairs whose closing survey stayed open too long.
 *
 * It reads only what is due (indexed on the due date), a page at a time, and writes each page in
 * one transaction: a prompt row (unique per pair and date), its message in the outbox (unique key)
 * and the pair's next date, moved only if nobody moved it since. So the same pass twice, or two
 * processes at once, send nothing twice, and a kill mid-pass loses nothing: the next pass resumes.
 */
import type { Deps } from '../../deps.js';
import { nextCheckinDue, reminderInstant, type SessionSlot } from '../../domain/calendar.js';
import { parseSessionTime } from '../../domain/session.js';
import { instantToZoned, type IsoDate, type Weekday } from '../../domain/time.js';
import type { Locale } from '../../i18n/index.js';
import {
  type DueCandidate,
  type DueCursor,
  dueCandidates,
  type PauseCursor,
  type ReminderCursor,
  dueReminders,
  followupWriter,
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

const localeOf = (deps: Deps, a: string, b: string): Locale => {
  const known = (l: string): Locale | null => (l === 'en' || l === 'fr' ? l : null);
  return a === b ? (known(a) ?? deps.config.defaultLocale) : deps.config.defaultLocale;
};

/** The latest calendar date anywhere on Earth at `at` (UTC+14): nothing dated later can be due. */
const latestDateAnywhere = (at: Date): IsoDate => instantToZoned(at, 'Pacific/Kiritimati').date;

export async function followupPass(deps: Deps, at: Date): Promise<FollowupPassResult> {
  const result: FollowupPassResult = { resumed: 0, prompts: 0, reminders: 0, completed: 0 };
  result.resumed = (await resumeEndedPauses(deps, at)) + (await resumeEndedEarlyPauses(deps, at, latestDateAnywhere(at)));
  // Who the prompts and reminders go to: their language and time zone as Slack has them now.
  await refreshRecipients(deps, at);
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
    // One synchronous transaction per page on the raw connection, held through Kysely so that no
    // other query of this process runs inside it; prepared statements, no query building per row.
    const written = await deps.store.db.connection().execute(async () => deps.store.sqlite.transaction(() => writePage(deps, page, at, settings))());
    if (written.count > 0) deps.outbox.queued();
    // The pairs whose next check-in moved: their Home tabs show it.
    if (written.moved.length > 0) await deps.home.changed(deps.store.db, { userIds: written.moved, dashboards: false });
    sent += written.count;
  }
  return sent;
}

function writePage(deps: Deps, page: readonly DueCandidate[], at: Date, settings: { checkinHour: number }): { count: number; moved: string[] } {
  const writer = followupWriter(deps.store.sqlite);
  // When the prompts really go: `at` for a pass as of now, the clock for a pass as of a past instant.
  const sentAt = new Date(Math.max(at.getTime(), deps.now().getTime()));
  let count = 0;
  const moved: string[] = [];
  for (const row of page) {
    const partners = [{ timeZone: row.juniorTimeZone }, { timeZone: row.seniorTimeZone }];
    const slot = sessionSlotOf(row);
    const session = slot ? { slot, minutes: row.sessionMinutes } : null;
    const schedule = { startDate: row.startDate, endDate: row.endDate, cadence: row.cadence, lastDueDate: row.lastDueOn, partners, session };
    const due = nextCheckinDue(schedule, at, settings);
    if (!due) {
      if (writer.advance(row.pairId, row.nextAt, row.lastDueOn, null, at)) moved.push(row.juniorUserId, row.seniorUserId);
      continue;
    }
    if (due.instant > at) {
      // Not yet (the check-in hour or a partner's zone changed): only the stored moment is corrected.
      const corrected = writer.advance(row.pairId, row.nextAt, row.lastDueOn, { kind: due.kind, dueOn: due.dueDate, at: due.instant }, at);
      if (corrected && due.dueDate !== row.nextDueOn) moved.push(row.juniorUserId, row.seniorUserId);
      continue;
    }
    const next = due.kind === 'closing' ? null : nextCheckinDue({ ...schedule, lastDueDate: due.dueDate }, at, settings);
    // Moved only if nobody moved it since it was read: another pass, in this process or another.
    if (!writer.advance(row.pairId, row.nextAt, due.dueDate, next && { kind: next.kind, dueOn: next.dueDate, at: next.instant }, at)) continue;
    moved.push(row.juniorUserId, row.seniorUserId);
    // A late prompt (the bot was down, or a catch-up pass) gets its reminder counted from now.
    const remindAt = reminderInstant(new Date(Math.max(due.instant.getTime(), sentAt.getTime())), { timeZone: row.juniorTimeZone });
    const promptId = writer.insertPrompt({ pairId: row.pairId, contractId: row.contractId, kind: due.kind, dueOn: due.dueDate, remindAt }, sentAt);
    if (promptId === undefined) continue;
    deps.outbox.enqueueSync(deps.store.sqlite, promptKey(promptId), { kind: 'post', users: [row.juniorUserId, row.seniorUserId], message: promptFor(deps, row, promptId, due.kind, due.dueDate) });
    count += 1;
  }
  return { count, moved };
}

function sessionSlotOf(row: DueCandidate): SessionSlot | null {
  const time = row.sessionTime === null ? null : parseSessionTime(row.sessionTime);
  if (row.sessionWeekday === null || time === null || row.sessionZone === null) return null;
  return { weekday: row.sessionWeekday as Weekday, hour: time.hour, minute: time.minute, timeZone: row.sessionZone };
}

function promptFor(deps: Deps, row: DueCandidate, promptId: number, kind: 'checkin' | 'closing', dueOn: IsoDate) {
  return promptMessage(localeOf(deps, row.juniorLocale, row.seniorLocale), {
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
    const written = await deps.store.db.connection().execute(async () =>
      deps.store.sqlite.transaction(() => {
        const writer = followupWriter(deps.store.sqlite);
        let count = 0;
        for (const row of page) {
          if (!writer.markReminded(row.promptId, at)) continue;
          const message = promptMessage(localeOf(deps, row.juniorLocale, row.seniorLocale), {
            promptId: row.promptId,
            kind: row.kind,
            dueOn: row.dueOn,
            endOn: row.endDate,
            juniorUserId: row.juniorUserId,
            seniorUserId: row.seniorUserId,
            answers: [],
            reminder: true,
          });
          deps.outbox.enqueueSync(deps.store.sqlite, `reminder:${row.promptId}`, { kind: 'post', users: [row.juniorUserId, row.seniorUserId], message });
          count += 1;
        }
        return count;
      })(),
    );
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

