import type { Transaction } from 'kysely';
import { sendFileBytes, shareFile, uploadFile } from '../../slack/files.js';
import type { Database } from '../../store/database.js';
import type { Deps } from '../../deps.js';
import { checkinInstant, type PartnerLocalTime, sessionDates, type SessionSlot, sessionStarts } from '../../domain/calendar.js';
import type { ContractTerms } from '../../domain/contract.js';
import { buildCancellation, buildSessionCalendar } from '../../domain/ics.js';
import { instantToZoned, type ZonedDateTime, zonedDateTimeToInstant } from '../../domain/time.js';
import { type Locale, t, personLocale } from '../../i18n/index.js';
import {
  type CalendarRow,
  type CancellationRow,
  claimCalendar,
  claimCancellation,
  type Contract,
  dropCalendar,
  dropCancellation,
  findContract,
  markCalendarSent,
  markCancellationSent,
  postponeCalendar,
  postponeCancellation,
  queueCancellations,
  recordCalendarFailure,
  recordCancellationFailure,
} from '../../store/contracts.js';
import { findOutboxParent } from '../../store/outbox.js';
import { findPair } from '../../store/pairs.js';
import { type Participant, participantsByIds } from '../../store/participants.js';
import { calendarTexts, cancellationMessage } from './views.js';

type Trx = Transaction<Database>;

/**
 * When a pair ends: each of these partners who was sent a calendar file is sent, once, the file that
 * removes its sessions (the same UID, a higher SEQUENCE), under a direct message queued here in the
 * same transaction, so a retried or repeated end queues nothing more.
 */
export async function queueCalendarCancellations(deps: Deps, trx: Trx, pairId: number, people: readonly Participant[], now: Date): Promise<void> {
  const queued = await queueCancellations(trx, pairId, people.map((p) => p.id), now);
  for (const person of people.filter((p) => queued.includes(p.id))) {
    await deps.outbox.enqueue(trx, cancellationMessageKey(pairId, person.id), { kind: 'post', channel: person.userId, message: cancellationMessage(personLocale(deps, person)) });
  }
}

/**
 * Contract versions written before the session's day and time were asked set only a rhythm: for
 * them the file proposes early afternoon, moved to a moment inside both partners' working hours when
 * their zones differ (the rule of check-ins). Versions with a session time use the time chosen.
 */
export const SESSION_HOUR = 14;
const LEASE_MS = 2 * 60_000;
/** About a day of tries (1, 2, 4… minutes, then hourly) before the file is given up and the facilitators told. */
const MAX_ATTEMPTS = 30;
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 60 * 60_000;
const NOT_YET_RETRY_MS = 30_000;
/** How long a delivery waits for the outbox to post the message the file goes under. */
const DM_WAIT_MS = 8_000;
const DM_POLL_MS = 50;

/** The key of the direct message a partner's calendar file is shared under (the outbox sends it). */
export const calendarMessageKey = (contractId: number, participantId: number) => `contract:${contractId}:calendar:${participantId}`;
/** The key of the direct message a partner's cancellation file is shared under. */
export const cancellationMessageKey = (pairId: number, participantId: number) => `pair:${pairId}:calendar-cancel:${participantId}`;
export const calendarUid = (pairId: number, participantId: number) => `tandem-pair-${pairId}-participant-${participantId}@tandem`;

export interface SessionPlan {
  /** The zone the file is written in, and the sessions' time of day there. */
  timeZone: string;
  hour: number;
  minute: number;
  /** The first session's time of day on the recipient's clock, "HH:MM". */
  localTime: string;
  /** Each session on the recipient's clock, when a weekly rule there would miss some of them. */
  sessions?: { date: string; hour: number; minute: number }[];
  /** The first and last sessions' dates on the recipient's clock, when the version has a session time. */
  period?: { startDate: string; endDate: string };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * When one partner's sessions fall. The sessions are at one shared moment and the file is always
 * written in the recipient's own zone: by a weekly rule when that lands on exactly those moments,
 * else (the two zones change their clocks on different dates, as New York and Paris do each
 * spring) by listing each session at its local time, so that the two calendars never disagree.
 */
export function sessionPlan(terms: Pick<ContractTerms, 'startDate' | 'endDate' | 'cadence' | 'session'>, recipientZone: string, zones: readonly [string, string]): SessionPlan {
  if (terms.session) return chosenPlan(terms, terms.session, recipientZone);
  const sessions = sessionDates(terms);
  const [first] = sessions;
  if (!first) throw new RangeError('The contract period holds no session');
  const anchor = checkinInstant(first, zones.map((timeZone) => ({ timeZone })), SESSION_HOUR).local[0] as PartnerLocalTime;
  const mine = sessions.map((date) => instantToZoned(zonedDateTimeToInstant(date, anchor.hour, anchor.minute, anchor.timeZone), recipientZone));
  const clock = mine[0] as ZonedDateTime;
  const own = mine.every((m, k) => m.date === sessions[k] && m.hour === clock.hour && m.minute === clock.minute);
  const listed = own ? undefined : mine.map((m) => ({ date: m.date, hour: m.hour, minute: m.minute }));
  return { timeZone: recipientZone, hour: clock.hour, minute: clock.minute, localTime: `${pad(clock.hour)}:${pad(clock.minute)}`, ...(listed ? { sessions: listed } : {}) };
}

/**
 * The sessions the pair chose (a weekday and time on the author's clock), on the recipient's clock:
 * the same instants, so another weekday when the zones are far apart. A rule when it lands on exactly
 * those moments there (the same weekday of the month, for a monthly rhythm), else each one listed.
 */
function chosenPlan(terms: Pick<ContractTerms, 'startDate' | 'endDate' | 'cadence'>, slot: SessionSlot, recipientZone: string): SessionPlan {
  const mine = sessionStarts(terms, slot).map(({ at }) => instantToZoned(at, recipientZone));
  const first = mine[0];
  const last = mine.at(-1);
  if (!first || !last) throw new RangeError('The contract period holds no session');
  const ruled = sessionDates({ startDate: first.date, endDate: last.date, cadence: terms.cadence, weekday: first.weekday });
  const own = first.weekday <= 5 && ruled.length === mine.length && mine.every((m, k) => m.date === ruled[k] && m.hour === first.hour && m.minute === first.minute);
  const listed = own ? undefined : mine.map((m) => ({ date: m.date, hour: m.hour, minute: m.minute }));
  return {
    timeZone: recipientZone,
    hour: first.hour,
    minute: first.minute,
    localTime: `${pad(first.hour)}:${pad(first.minute)}`,
    period: { startDate: first.date, endDate: last.date },
    ...(listed ? { sessions: listed } : {}),
  };
}

export interface SessionFileInput {
  contract: Contract;
  /** Stable for the pair and the recipient across versions, so a new version replaces the events. */
  uid: string;
  /** The recipient's zone, then both partners' zones (junior first), which fix the shared moment. */
  timeZone: string;
  zones: readonly [string, string];
  summary: string;
  description: string;
  now: Date;
}

/**
 * The iCalendar file of a version's sessions for one partner. The version number is the SEQUENCE,
 * so each new version replaces the events of the one before.
 */
export function sessionFile(input: SessionFileInput): { content: string; localTime: string } {
  const { terms } = input.contract;
  const plan = sessionPlan(terms, input.timeZone, input.zones);
  const content = buildSessionCalendar({
    uid: input.uid,
    sequence: input.contract.version,
    summary: input.summary,
    description: input.description,
    startDate: plan.period?.startDate ?? terms.startDate,
    endDate: plan.period?.endDate ?? terms.endDate,
    cadence: terms.cadence,
    sessionMinutes: terms.sessionMinutes,
    timeZone: plan.timeZone,
    localHour: plan.hour,
    localMinute: plan.minute,
    ...(plan.sessions ? { sessions: plan.sessions } : {}),
    organizerName: 'Tandem',
    now: input.now,
  });
  return { content, localTime: plan.localTime };
}


/** Not a failure of the upload: the message it goes under is not posted yet. */
class NotYet extends Error {}

/**
 * Sends the calendar files queued when versions came into force, each once. A file goes under the
 * direct message the outbox posts for it (queued with the change, so it is sent once and survives a
 * crash); Slack's upload API (an upload URL, the bytes POSTed to it, then the file shared in that
 * DM) is not something the outbox carries, so each file is a row leased while it is sent, like the
 * outbox's rows: a retry, a double event or a second process never sends one twice. A failed upload
 * is tried again at the next contract event after a growing pause, and given up (logged) after
 * MAX_ATTEMPTS.
 */
export async function deliverCalendars(deps: Deps): Promise<void> {
  const db = deps.store.db;
  await drain(deps, {
    claim: (now, lease) => claimCalendar(db, now, lease),
    deliver: (row) => deliver(deps, row),
    sent: (row, fileId) => markCalendarSent(db, row.id, fileId, deps.now()),
    drop: (row) => dropCalendar(db, row.id),
    postpone: (row, reason, at) => postponeCalendar(db, row.id, reason, at),
    failed: (row, reason, at) => recordCalendarFailure(db, row.id, reason, MAX_ATTEMPTS, at),
    what: (row) => ({ text: `the calendar file of contract ${row.contract_id} to participant ${row.participant_id}`, key: `calendar:${row.contract_id}:${row.participant_id}`, lost: `lost:calendar:${row.id}` }),
  });
  // The cancellations of ended pairs, by the same road.
  await drain(deps, {
    claim: (now, lease) => claimCancellation(db, now, lease),
    deliver: (row) => deliverCancellation(deps, row),
    sent: (row, fileId) => markCancellationSent(db, row.id, fileId, deps.now()),
    drop: (row) => dropCancellation(db, row.id),
    postpone: (row, reason, at) => postponeCancellation(db, row.id, reason, at),
    failed: (row, reason, at) => recordCancellationFailure(db, row.id, reason, MAX_ATTEMPTS, at),
    what: (row) => ({
      text: `the calendar cancellation of pair ${row.pair_id} to participant ${row.participant_id}`,
      key: `calendar-cancel:${row.pair_id}:${row.participant_id}`,
      lost: `lost:calendar-cancel:${row.id}`,
    }),
  });
}

/** Sends what is queued now, after a reply: a failure is logged and tried again later, never in the way. */
export async function sendCalendarFiles(deps: Deps): Promise<void> {
  await deliverCalendars(deps).catch((error) => deps.logger.error('Could not deliver the calendar files', error));
}

interface Queue<Row extends { attempts: number }> {
  claim(now: Date, leaseUntil: Date): Promise<Row | undefined>;
  /** The Slack file id, or undefined when the file is no longer wanted. */
  deliver(row: Row): Promise<string | undefined>;
  sent(row: Row, fileId: string): Promise<void>;
  drop(row: Row): Promise<void>;
  postpone(row: Row, reason: string, retryAt: Date): Promise<void>;
  failed(row: Row, reason: string, retryAt: Date): Promise<void>;
  what(row: Row): { text: string; key: string; lost: string };
}

async function drain<Row extends { attempts: number }>(deps: Deps, queue: Queue<Row>): Promise<void> {
  for (;;) {
    const now = deps.now();
    const row = await queue.claim(now, new Date(now.getTime() + LEASE_MS));
    if (!row) return;
    try {
      const fileId = await queue.deliver(row);
      if (fileId === undefined) await queue.drop(row);
      else await queue.sent(row, fileId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const what = queue.what(row);
      if (error instanceof NotYet) {
        const retryAt = new Date(deps.now().getTime() + NOT_YET_RETRY_MS);
        deps.logger.info(`Not sending ${what.text} yet (${message}); tried again after ${retryAt.toISOString()}`);
        await queue.postpone(row, message, retryAt);
        continue;
      }
      const retryAt = new Date(deps.now().getTime() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** row.attempts));
      await queue.failed(row, message, retryAt);
      if (row.attempts + 1 < MAX_ATTEMPTS) {
        deps.logger.warn(`Could not send ${what.text} (${message}); tried again after ${retryAt.toISOString()}`);
        continue;
      }
      deps.logger.error(`Gave up sending ${what.text}: ${message}`);
      // Not lost silently: the facilitators can send the calendar by hand or ask the pair.
      const text = t(deps.config.defaultLocale, 'outbox.lost', { key: what.key, error: message });
      await deps.outbox.enqueue(deps.store.db, what.lost, { kind: 'post', channel: deps.config.facilitatorChannelId, message: { text } });
    }
  }
}

/** The first session's start, as the file sent to this partner had it. */
function firstSessionAt(terms: ContractTerms, recipientZone: string, zones: readonly [string, string]): Date {
  const plan = sessionPlan(terms, recipientZone, zones);
  const date = plan.sessions?.[0]?.date ?? plan.period?.startDate ?? sessionDates(terms)[0] ?? terms.startDate;
  return zonedDateTimeToInstant(date, plan.hour, plan.minute, recipientZone);
}

/**
 * Uploads one cancellation under the direct message queued with it; undefined when there is no one
 * left to send it to (the partner was erased since: their message is gone with their data).
 */
async function deliverCancellation(deps: Deps, row: CancellationRow): Promise<string | undefined> {
  const file = await cancellationFile(deps, row);
  if (!file) return undefined;
  const channel = await directMessageChannel(deps, cancellationMessageKey(file.pairId, row.participant_id));
  return upload(deps, channel, file);
}

interface CancellationFile extends Upload {
  pairId: number;
  locale: Locale;
}

/** One partner's cancellation file, from the data held now; undefined when the pair or the person is gone. */
async function cancellationFile(deps: Deps, row: Pick<CancellationRow, 'contract_id' | 'participant_id' | 'sequence'>): Promise<CancellationFile | undefined> {
  const db = deps.store.db;
  const contract = await findContract(db, row.contract_id);
  const pair = contract && (await findPair(db, contract.pairId));
  if (!contract || !pair) return undefined;
  const people = await participantsByIds(db, [pair.juniorId, pair.seniorId]);
  const me = people.get(row.participant_id);
  if (!me) return undefined;
  const junior = people.get(pair.juniorId) as Participant;
  const senior = people.get(pair.seniorId) as Participant;
  const locale = personLocale(deps, me);
  const content = buildCancellation({
    uid: calendarUid(pair.id, me.id),
    sequence: row.sequence,
    summary: t(locale, 'contract.calendar.cancelSummary'),
    firstSession: firstSessionAt(contract.terms, me.timeZone, [junior.timeZone, senior.timeZone]),
    organizerName: 'Tandem',
    now: deps.now(),
  });
  return { pairId: pair.id, locale, filename: 'tandem-sessions-cancelled.ics', title: t(locale, 'contract.calendar.cancelTitle'), content };
}

/** How long a person being erased waits, at most, for Slack to take their cancellation before the erasure goes on. */
const OWED_WAIT_MS = 10_000;

/**
 * Sends a person about to be erased the cancellations taken for them (takeCancellationsOwed), straight
 * to Slack, in their DM with Tandem: the files are built now, from the data still there, and nothing
 * is written afterwards, so the erasure that follows leaves no trace of them. Best-effort within a
 * bounded wait: a failure or a slow Slack is logged (without anyone's id) and the erasure goes on.
 */
export async function sendOwedCancellations(deps: Deps, userId: string, rows: readonly CancellationRow[]): Promise<void> {
  if (rows.length === 0) return;
  const files: CancellationFile[] = [];
  for (const row of rows) {
    const file = await cancellationFile(deps, row);
    if (file) files.push(file);
  }
  const [first] = files;
  if (!first) return;
  const send = async () => {
    // The bytes go first: if Slack will not take them, the person gets no message announcing a file.
    const ids = [];
    for (const file of files) ids.push(await sendFileBytes(deps, { filename: file.filename, contentType: ICS_TYPE, bytes: Buffer.from(file.content, 'utf8') }));
    // Posting to the person's id opens the DM with the app, which gives its channel id.
    const posted = await deps.slack.chat.postMessage({ channel: userId, text: t(first.locale, 'privacy.forget.calendarCancelled') });
    if (!posted.channel) throw new Error('chat.postMessage returned no channel');
    for (const [k, file] of files.entries()) await shareFile(deps.slack, ids[k] as string, { title: file.title, channel: posted.channel });
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Slack within ${OWED_WAIT_MS} ms`)), OWED_WAIT_MS);
  });
  try {
    await Promise.race([send(), deadline]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn(`Could not send a person being erased the cancellation of their calendar sessions (${message}); the erasure goes on`);
  } finally {
    clearTimeout(timer);
  }
}

/** The DM the outbox posted for this file, once it is posted; waits a little for it. */
async function directMessageChannel(deps: Deps, key: string): Promise<string> {
  const end = Date.now() + DM_WAIT_MS;
  for (;;) {
    const row = await findOutboxParent(deps.store.db, key);
    if (row?.status === 'sent' && row.result_channel) return row.result_channel;
    if (!row || row.status === 'dead') throw new Error(`the message it goes under (${key}) was not sent: ${row?.last_error ?? 'missing'}`);
    if (Date.now() >= end) throw new NotYet(`the message it goes under (${key}) is still queued`);
    await new Promise((resolve) => setTimeout(resolve, DM_POLL_MS));
  }
}

/** Uploads one file; undefined when it is no longer wanted (a newer version, or the pair ended). */
async function deliver(deps: Deps, row: CalendarRow): Promise<string | undefined> {
  const db = deps.store.db;
  const contract = await findContract(db, row.contract_id);
  const pair = contract && (await findPair(db, contract.pairId));
  if (!contract || !pair || contract.status !== 'in_force' || pair.status !== 'active') return undefined;
  const people = await participantsByIds(db, [pair.juniorId, pair.seniorId]);
  const junior = people.get(pair.juniorId) as Participant;
  const senior = people.get(pair.seniorId) as Participant;
  const me = row.participant_id === junior.id ? junior : senior;
  const partner = me === junior ? senior : junior;
  const channel = await directMessageChannel(deps, calendarMessageKey(contract.id, me.id));
  const texts = calendarTexts(personLocale(deps, me), contract, partner.displayName);
  // The zones the message announcing the file was written with: the ones Slack gave at enrolment.
  const file = sessionFile({
    contract,
    uid: calendarUid(pair.id, me.id),
    timeZone: me.timeZone,
    zones: [junior.timeZone, senior.timeZone],
    summary: texts.summary,
    description: texts.description,
    now: deps.now(),
  });
  return upload(deps, channel, { filename: `tandem-sessions-v${contract.version}.ics`, title: texts.title, content: file.content });
}

const ICS_TYPE = 'text/calendar; charset=utf-8';

interface Upload {
  filename: string;
  title: string;
  content: string;
}

/** The calendar file shared in the person's DM. */
function upload(deps: Deps, channel: string, file: Upload): Promise<string> {
  return uploadFile(deps, { filename: file.filename, contentType: ICS_TYPE, bytes: Buffer.from(file.content, 'utf8') }, { title: file.title, channel });
}
