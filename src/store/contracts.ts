import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { ContractTerms, SessionMinutes } from '../domain/contract.js';
import type { Cadence, Format } from '../domain/profile.js';
import type { SessionSlot } from '../domain/calendar.js';
import { clockLabel, parseSessionTime } from '../domain/session.js';
import type { IsoDate, Weekday } from '../domain/time.js';
import type { Database } from './database.js';
import { claimingRows } from './engine.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A version waits for signatures, is in force (both signed), or was replaced by a newer one. */
export type ContractStatus = 'awaiting_signature' | 'in_force' | 'superseded';

export interface ContractTable {
  id: Generated<number>;
  pair_id: number;
  version: number;
  status: ContractStatus;
  senior_objectives: string;
  junior_objectives: string;
  cadence: Cadence;
  session_minutes: number;
  means: string;
  format: Format;
  start_date: string;
  end_date: string;
  notes: string | null;
  proposed_by: number;
  proposed_at: string;
  in_force_at: string | null;
  superseded_at: string | null;
  first_checkin_on: string | null;
  first_checkin_at: string | null;
  session_weekday: number | null;
  session_time: string | null;
  session_zone: string | null;
}

export interface ContractSignatureTable {
  id: Generated<number>;
  contract_id: number;
  participant_id: number;
  signed_at: string;
  start_levels: string | null;
  rated_at: string | null;
}

export type CalendarStatus = 'pending' | 'sent' | 'failed' | 'superseded';

export interface ContractCalendarTable {
  id: Generated<number>;
  contract_id: number;
  participant_id: number;
  status: Generated<CalendarStatus>;
  attempts: Generated<number>;
  lease_until: string | null;
  file_id: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

type ContractRow = Selectable<ContractTable>;
type SignatureRow = Selectable<ContractSignatureTable>;
export type CalendarRow = Selectable<ContractCalendarTable>;

export interface Signature {
  participantId: number;
  signedAt: string;
  /** Self-rated starting level (1–5) on each of the signer's own objectives, once rated. */
  startLevels: number[] | null;
}

export interface Contract {
  id: number;
  pairId: number;
  version: number;
  status: ContractStatus;
  terms: ContractTerms;
  /** The participant who proposed (and so first signed) this version. */
  proposedBy: number;
  proposedAt: string;
  inForceAt: string | null;
  supersededAt: string | null;
  firstCheckinOn: IsoDate | null;
  signatures: Signature[];
}

function slotOf(row: Pick<ContractRow, 'session_weekday' | 'session_time' | 'session_zone'>): SessionSlot | null {
  const time = row.session_time === null ? null : parseSessionTime(row.session_time);
  if (row.session_weekday === null || time === null || row.session_zone === null) return null;
  return { weekday: row.session_weekday as Weekday, hour: time.hour, minute: time.minute, timeZone: row.session_zone };
}

function fromRows(row: ContractRow, signatures: readonly SignatureRow[]): Contract {
  return {
    id: row.id,
    pairId: row.pair_id,
    version: row.version,
    status: row.status,
    terms: {
      seniorObjectives: JSON.parse(row.senior_objectives) as string[],
      juniorObjectives: JSON.parse(row.junior_objectives) as string[],
      cadence: row.cadence,
      sessionMinutes: row.session_minutes as SessionMinutes,
      means: row.means,
      format: row.format,
      startDate: row.start_date,
      endDate: row.end_date,
      groundRulesAcknowledged: true,
      notes: row.notes,
      session: slotOf(row),
    },
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    inForceAt: row.in_force_at,
    supersededAt: row.superseded_at,
    firstCheckinOn: row.first_checkin_on,
    signatures: signatures
      .filter((s) => s.contract_id === row.id)
      .sort((a, b) => a.id - b.id)
      .map((s) => ({ participantId: s.participant_id, signedAt: s.signed_at, startLevels: s.start_levels === null ? null : (JSON.parse(s.start_levels) as number[]) })),
  };
}

async function withSignatures(db: Db, rows: readonly ContractRow[]): Promise<Contract[]> {
  if (rows.length === 0) return [];
  const signatures = await db.selectFrom('contract_signature').selectAll().where('contract_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => fromRows(row, signatures));
}

/** Every version of the pair's contract, oldest first. */
export async function contractsOfPair(db: Db, pairId: number): Promise<Contract[]> {
  const rows = await db.selectFrom('contract').selectAll().where('pair_id', '=', pairId).orderBy('version').execute();
  return withSignatures(db, rows);
}

export async function findContract(db: Db, id: number): Promise<Contract | undefined> {
  const row = await db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirst();
  return row && (await withSignatures(db, [row]))[0];
}

/**
 * Adds the next version, awaiting signatures; a version still awaiting them is superseded first,
 * since only the newest proposal may be signed. The unique (pair, version) index refuses a second
 * insert of the same version, should two submissions ever race.
 */
export async function insertContractVersion(db: Db, pairId: number, version: number, terms: ContractTerms, proposedBy: number, now: Date): Promise<number> {
  const at = now.toISOString();
  await db.updateTable('contract').set({ status: 'superseded', superseded_at: at }).where('pair_id', '=', pairId).where('status', '=', 'awaiting_signature').execute();
  const row = await db
    .insertInto('contract')
    .values({
      pair_id: pairId,
      version,
      status: 'awaiting_signature',
      senior_objectives: JSON.stringify(terms.seniorObjectives),
      junior_objectives: JSON.stringify(terms.juniorObjectives),
      cadence: terms.cadence,
      session_minutes: terms.sessionMinutes,
      means: terms.means,
      format: terms.format,
      start_date: terms.startDate,
      end_date: terms.endDate,
      notes: terms.notes,
      session_weekday: terms.session?.weekday ?? null,
      session_time: terms.session ? clockLabel(terms.session.hour, terms.session.minute) : null,
      session_zone: terms.session?.timeZone ?? null,
      proposed_by: proposedBy,
      proposed_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records a signature once; false when this partner had already signed this version. */
export async function recordSignature(db: Db, contractId: number, participantId: number, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('contract_signature')
    .values({ contract_id: contractId, participant_id: participantId, signed_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['contract_id', 'participant_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Records the signer's starting levels once; false when they had already rated (or not signed). */
export async function recordStartLevels(db: Db, contractId: number, participantId: number, levels: readonly number[], now: Date): Promise<boolean> {
  const result = await db
    .updateTable('contract_signature')
    .set({ start_levels: JSON.stringify(levels), rated_at: now.toISOString() })
    .where('contract_id', '=', contractId)
    .where('participant_id', '=', participantId)
    .where('rated_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface FirstCheckin {
  dueOn: IsoDate;
  at: Date;
}

/**
 * Puts a fully signed version in force: the version in force until now is superseded (and kept).
 * False when the version was no longer awaiting signatures, in which case nothing changed.
 */
export async function putInForce(db: Db, contract: Contract, firstCheckin: FirstCheckin | null, now: Date): Promise<boolean> {
  const at = now.toISOString();
  await db.updateTable('contract').set({ status: 'superseded', superseded_at: at }).where('pair_id', '=', contract.pairId).where('status', '=', 'in_force').execute();
  const result = await db
    .updateTable('contract')
    .set({ status: 'in_force', in_force_at: at, first_checkin_on: firstCheckin?.dueOn ?? null, first_checkin_at: firstCheckin?.at.toISOString() ?? null })
    .where('id', '=', contract.id)
    .where('status', '=', 'awaiting_signature')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Queues one calendar file per partner for a version now in force. Files of earlier versions not
 * sent yet are dropped: the new file replaces their events anyway.
 */
export async function queueCalendars(db: Db, contract: Contract, participantIds: readonly number[], now: Date): Promise<void> {
  await db
    .updateTable('contract_calendar')
    .set({ status: 'superseded' })
    .where('status', '=', 'pending')
    .where('contract_id', 'in', (eb) => eb.selectFrom('contract').select('id').where('pair_id', '=', contract.pairId).where('id', '!=', contract.id))
    .execute();
  for (const participantId of participantIds) {
    await db
      .insertInto('contract_calendar')
      .values({ contract_id: contract.id, participant_id: participantId, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['contract_id', 'participant_id']).doNothing())
      .execute();
  }
}

export async function calendarsOfContract(db: Db, contractId: number): Promise<CalendarRow[]> {
  return db.selectFrom('contract_calendar').selectAll().where('contract_id', '=', contractId).orderBy('id').execute();
}

export interface CalendarCancellationTable {
  id: Generated<number>;
  pair_id: number;
  participant_id: number;
  contract_id: number;
  sequence: number;
  status: Generated<CalendarStatus>;
  attempts: Generated<number>;
  lease_until: string | null;
  file_id: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export type CancellationRow = Selectable<CalendarCancellationTable>;

/**
 * Queues, for each of these partners who was sent a calendar file of the pair's contract, the file
 * that removes those sessions from their calendar: once per pair and partner (a second end, a retried
 * request, adds nothing). Its SEQUENCE is above every version's, so it wins over any file sent.
 * Files of the pair not sent yet are dropped (their sessions will not happen). The ids queued.
 */
export async function queueCancellations(db: Db, pairId: number, participantIds: readonly number[], now: Date): Promise<number[]> {
  const contracts = db.selectFrom('contract').select('id').where('pair_id', '=', pairId);
  await db.updateTable('contract_calendar').set({ status: 'superseded', lease_until: null }).where('status', '=', 'pending').where('contract_id', 'in', contracts).execute();
  const queued: number[] = [];
  for (const due of await cancellationsDue(db, pairId, participantIds)) {
    const inserted = await db
      .insertInto('calendar_cancellation')
      .values({ pair_id: pairId, participant_id: due.participantId, contract_id: due.contractId, sequence: due.sequence, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['pair_id', 'participant_id']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) queued.push(due.participantId);
  }
  return queued;
}

/**
 * Which of these partners were sent a calendar file of the pair's contract: the contract of the last
 * file each was sent, and the SEQUENCE that cancels it (above every version's).
 */
async function cancellationsDue(db: Db, pairId: number, participantIds: readonly number[]): Promise<{ participantId: number; contractId: number; sequence: number }[]> {
  if (participantIds.length === 0) return [];
  const contracts = db.selectFrom('contract').select('id').where('pair_id', '=', pairId);
  const latest = await db.selectFrom('contract').select((eb) => eb.fn.max('version').as('version')).where('pair_id', '=', pairId).executeTakeFirst();
  const sent = await db
    .selectFrom('contract_calendar')
    .select(['participant_id', (eb) => eb.fn.max('contract_id').as('contract_id')])
    .where('status', '=', 'sent')
    .where('contract_id', 'in', contracts)
    .where('participant_id', 'in', participantIds)
    .groupBy('participant_id')
    .orderBy('participant_id')
    .execute();
  return sent.map((row) => ({ participantId: row.participant_id, contractId: Number(row.contract_id), sequence: Number(latest?.version ?? 0) + 1 }));
}

/**
 * For a person about to be erased: takes the cancellations they are owed out of the queue, to be sent
 * to them directly while their data is still there. The one the end of their open pair would queue
 * (when they were sent a calendar file of it), and any of an earlier pair still waiting. Each is
 * marked superseded at once, in the same statement that finds it, so the queue never sends it and a
 * second request (a retried or doubled click) finds nothing to send.
 */
export async function takeCancellationsOwed(db: Db, participantId: number, openPairId: number | undefined, now: Date): Promise<CancellationRow[]> {
  const taken: CancellationRow[] = [];
  for (const due of openPairId === undefined ? [] : await cancellationsDue(db, openPairId, [participantId])) {
    const row = await db
      .insertInto('calendar_cancellation')
      .values({ pair_id: openPairId as number, participant_id: participantId, contract_id: due.contractId, sequence: due.sequence, status: 'superseded', created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['pair_id', 'participant_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) taken.push(row);
  }
  // Waiting ones too, even leased: a lease is also a pause before a retry. Should the queue be sending
  // one at this very moment, the person may get that one twice (the same UID and SEQUENCE, which a
  // calendar applies once); no request of theirs sends it twice.
  const waiting = await db
    .updateTable('calendar_cancellation')
    .set({ status: 'superseded', lease_until: null })
    .where('participant_id', '=', participantId)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  return [...taken, ...waiting.sort((a, b) => a.id - b.id)];
}

// --- The two queues of calendar files: sessions to add, sessions to cancel ---

/** What the two queues' tables share. */
interface LeasedFileColumns {
  id: Generated<number>;
  status: Generated<CalendarStatus>;
  attempts: Generated<number>;
  lease_until: string | null;
  file_id: string | null;
  last_error: string | null;
  sent_at: string | null;
}
type LeasedFileTable = 'contract_calendar' | 'calendar_cancellation';

/**
 * A queue of files to upload, each row leased while one process sends it (as the outbox's are):
 * taken in one statement, then sent, retried later, put off, or dropped; each change only while
 * the row is still pending.
 */
function leasedFiles<Row>(table: LeasedFileTable) {
  const on = (db: Db) => db as unknown as Kysely<Record<LeasedFileTable, LeasedFileColumns>>;
  return {
    /** Takes the next file due and leases it, in one statement (see claimOutboxEntry). */
    async claim(db: Db, now: Date, leaseUntil: Date): Promise<Row | undefined> {
      const at = now.toISOString();
      const row = await on(db)
        .updateTable(table)
        .set({ lease_until: leaseUntil.toISOString() })
        .where('id', '=', (eb) =>
          eb
            .selectFrom(`${table} as candidate` as `${LeasedFileTable} as candidate`)
            .select('candidate.id')
            .where('candidate.status', '=', 'pending')
            .where((c) => c.or([c('candidate.lease_until', 'is', null), c('candidate.lease_until', '<=', at)]))
            .orderBy('candidate.id')
            .limit(1)
            .$call(claimingRows(db)),
        )
        .returningAll()
        .executeTakeFirst();
      return row as Row | undefined;
    },
    async markSent(db: Db, id: number, fileId: string, now: Date): Promise<void> {
      await on(db)
        .updateTable(table)
        .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1), file_id: fileId, sent_at: now.toISOString(), last_error: null, lease_until: null }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    /** Lets go of a failed upload: it is tried again from `retryAt`, or given up after `maxAttempts`. */
    async recordFailure(db: Db, id: number, error: string, maxAttempts: number, retryAt: Date): Promise<void> {
      await on(db)
        .updateTable(table)
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: eb.case().when('attempts', '>=', maxAttempts - 1).then('failed' as CalendarStatus).else('pending' as CalendarStatus).end(),
          last_error: error.slice(0, 500),
          lease_until: retryAt.toISOString(),
        }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    /** Puts a file off until `retryAt` without counting an attempt: what it needs is not there yet. */
    async postpone(db: Db, id: number, reason: string, retryAt: Date): Promise<void> {
      await on(db).updateTable(table).set({ last_error: reason.slice(0, 500), lease_until: retryAt.toISOString() }).where('id', '=', id).where('status', '=', 'pending').execute();
    },
    /** A file no longer worth sending (its version was replaced, the pair ended, its recipient was erased). */
    async drop(db: Db, id: number): Promise<void> {
      await on(db).updateTable(table).set({ status: 'superseded', lease_until: null }).where('id', '=', id).where('status', '=', 'pending').execute();
    },
  };
}

const calendars = leasedFiles<CalendarRow>('contract_calendar');
export const { claim: claimCalendar, markSent: markCalendarSent, recordFailure: recordCalendarFailure, postpone: postponeCalendar, drop: dropCalendar } = calendars;

const cancellations = leasedFiles<CancellationRow>('calendar_cancellation');
export const {
  claim: claimCancellation,
  markSent: markCancellationSent,
  recordFailure: recordCancellationFailure,
  postpone: postponeCancellation,
  drop: dropCancellation,
} = cancellations;
