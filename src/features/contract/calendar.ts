import { uploadFile } from '../../slack/files.js';
import type { Deps } from '../../deps.js';
import { checkinInstant, type PartnerLocalTime, sessionDates } from '../../domain/calendar.js';
import type { ContractTerms } from '../../domain/contract.js';
import { buildSessionCalendar } from '../../domain/ics.js';
import { instantToZoned, type ZonedDateTime, zonedDateTimeToInstant } from '../../domain/time.js';
import { type Locale, t } from '../../i18n/index.js';
import { type CalendarRow, type Contract, claimCalendar, dropCalendar, findContract, markCalendarSent, postponeCalendar, recordCalendarFailure } from '../../store/contracts.js';
import { findOutboxParent } from '../../store/outbox.js';
import { findPair } from '../../store/pairs.js';
import { type Participant, participantsByIds } from '../../store/participants.js';
import { calendarTexts } from './views.js';

/**
 * The contract sets a rhythm, not a time of day: the file proposes early afternoon, moved to a
 * moment inside both partners' working hours when their zones differ (the rule of check-ins).
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
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * When one partner's sessions fall. The sessions are at one shared moment and the file is always
 * written in the recipient's own zone: by a weekly rule when that lands on exactly those moments,
 * else (the two zones change their clocks on different dates, as New York and Paris do each
 * spring) by listing each session at its local time, so that the two calendars never disagree.
 */
export function sessionPlan(terms: Pick<ContractTerms, 'startDate' | 'endDate' | 'cadence'>, recipientZone: string, zones: readonly [string, string]): SessionPlan {
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
    startDate: terms.startDate,
    endDate: terms.endDate,
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

const localeOf = (deps: Deps, p: Participant): Locale => (p.locale === 'fr' || p.locale === 'en' ? p.locale : deps.config.defaultLocale);

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
  for (;;) {
    const now = deps.now();
    const row = await claimCalendar(deps.store.db, now, new Date(now.getTime() + LEASE_MS));
    if (!row) return;
    try {
      const fileId = await deliver(deps, row);
      if (fileId === undefined) await dropCalendar(deps.store.db, row.id);
      else await markCalendarSent(deps.store.db, row.id, fileId, deps.now());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const what = `the calendar file of contract ${row.contract_id} to participant ${row.participant_id}`;
      if (error instanceof NotYet) {
        const retryAt = new Date(deps.now().getTime() + NOT_YET_RETRY_MS);
        deps.logger.info(`Not sending ${what} yet (${message}); tried again after ${retryAt.toISOString()}`);
        await postponeCalendar(deps.store.db, row.id, message, retryAt);
        continue;
      }
      const retryAt = new Date(deps.now().getTime() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** row.attempts));
      await recordCalendarFailure(deps.store.db, row.id, message, MAX_ATTEMPTS, retryAt);
      if (row.attempts + 1 < MAX_ATTEMPTS) {
        deps.logger.warn(`Could not send ${what} (${message}); tried again after ${retryAt.toISOString()}`);
        continue;
      }
      deps.logger.error(`Gave up sending ${what}: ${message}`);
      // Not lost silently: the facilitators can send the calendar by hand or ask the pair.
      const text = t(deps.config.defaultLocale, 'outbox.lost', { key: `calendar:${row.contract_id}:${row.participant_id}`, error: message });
      await deps.outbox.enqueue(deps.store.db, `lost:calendar:${row.id}`, { kind: 'post', channel: deps.config.facilitatorChannelId, message: { text } });
    }
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
  const texts = calendarTexts(localeOf(deps, me), contract, partner.displayName);
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

interface Upload {
  filename: string;
  title: string;
  content: string;
}

/** The calendar file shared in the person's DM. */
function upload(deps: Deps, channel: string, file: Upload): Promise<string> {
  return uploadFile(deps, { filename: file.filename, contentType: 'text/calendar; charset=utf-8', bytes: Buffer.from(file.content, 'utf8') }, { title: file.title, channel });
}
