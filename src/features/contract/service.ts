import type { Kysely, Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import { nextCheckinDue, sessionDates, type SessionSlot } from '../../domain/calendar.js';
import { canSign, type ContractRawInput, contractDefaults, type ContractTerms, validateContractInput } from '../../domain/contract.js';
import { checkSessionTimes, sessionView, slotOnClock } from '../../domain/session.js';
import { addDays, instantToZoned, weekdayOf } from '../../domain/time.js';
import { type MessageKey, pairLocale, personLocale } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { audit } from '../../store/audit.js';
import { type Contract, contractsOfPair, findContract, insertContractVersion, putInForce, queueCalendars, recordSignature, recordStartLevels } from '../../store/contracts.js';
import type { Database, PairStatus } from '../../store/database.js';
import { findPair, knownPairOf, movePair, type Pair } from '../../store/pairs.js';
import { findParticipantByUser, type Participant, participantsByIds } from '../../store/participants.js';
import { scheduleFollowup } from '../../store/followup.js';
import { resumePeople } from '../../store/pauses.js';
import { getProgramme } from '../../store/programme.js';
import { calendarMessageKey, sessionPlan } from './calendar.js';
import {
  calendarMessage,
  type ContractForm,
  type ContractFormValues,
  contractMessage,
  type ContractStatusView,
  facilitatorNotice,
  type FormProblem,
  inForceMessage,
  LEVELS,
  type LevelsForm,
  sessionWhenFor,
} from './views.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Vars = Record<string, string | number>;

/** A pair may write its contract once both partners accepted, and amend it while it is active. */
const CONTRACT_STATUSES: readonly PairStatus[] = ['accepted', 'active'];

/** One message for two people: their language when they share it, else the programme's. */

interface PairPeople {
  pair: Pair;
  junior: Participant;
  senior: Participant;
}

async function peopleOf(db: Db, pair: Pair): Promise<PairPeople> {
  const people = await participantsByIds(db, [pair.juniorId, pair.seniorId]);
  return { pair, junior: people.get(pair.juniorId) as Participant, senior: people.get(pair.seniorId) as Participant };
}

/** The partner this Slack user is in the pair, if they are one of the two. */
function sideOf({ junior, senior }: PairPeople, userId: string): { me: Participant; partner: Participant } | undefined {
  if (junior.userId === userId) return { me: junior, partner: senior };
  if (senior.userId === userId) return { me: senior, partner: junior };
  return undefined;
}

/** Each partner rates their own objectives: the senior the senior's, the junior the junior's. */
const ownObjectives = (terms: ContractTerms, pair: Pair, participant: Participant): string[] =>
  participant.id === pair.seniorId ? terms.seniorObjectives : terms.juniorObjectives;

const sameObjective = (a: string, b: string) => a.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ') === b.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ');

/**
 * The level this person gave an identical objective in an earlier version, if any: an amendment
 * of the cadence should not make anyone start their ratings from nothing.
 */
function earlierLevels(versions: readonly Contract[], pair: Pair, participant: Participant, objectives: readonly string[]): (number | null)[] {
  const rated = [...versions].reverse().flatMap((c) => {
    const signature = c.signatures.find((s) => s.participantId === participant.id && s.startLevels !== null);
    return signature ? [{ objectives: ownObjectives(c.terms, pair, participant), levels: signature.startLevels as number[] }] : [];
  });
  return objectives.map((objective) => {
    for (const earlier of rated) {
      const index = earlier.objectives.findIndex((o) => sameObjective(o, objective));
      if (index >= 0) return earlier.levels[index] ?? null;
    }
    return null;
  });
}

function formValues(terms: ContractTerms): ContractFormValues {
  const { groundRulesAcknowledged: _agreed, ...values } = terms;
  return values;
}

export type OpenOutcome = { kind: 'not_enrolled' | 'no_pair' | 'not_yours' | 'not_yet' | 'closed' } | { kind: 'form'; form: ContractForm };

/**
 * What the contract modal opens with for this person: the latest version of their pair's contract
 * (so a partner can answer a proposal with changes), or the defaults. `pairId` comes from a button.
 */
export async function openContractForm(deps: Deps, userId: string, timeZone: string | undefined, pairId?: number): Promise<OpenOutcome> {
  const db = deps.store.db;
  const participant = await findParticipantByUser(db, userId);
  if (!participant || participant.status === 'left') return { kind: 'not_enrolled' };
  const pair = pairId === undefined ? await knownPairOf(db, participant.id) : await findPair(db, pairId);
  if (!pair) return { kind: pairId === undefined ? 'no_pair' : 'closed' };
  // A proposal waiting for a facilitator is not the person's to know of yet.
  if (pair.status === 'proposed') return { kind: 'no_pair' };
  const people = await peopleOf(db, pair);
  const side = sideOf(people, userId);
  if (!side) return { kind: 'not_yours' };
  if (pair.status === 'introduced') return { kind: 'not_yet' };
  if (!CONTRACT_STATUSES.includes(pair.status)) return { kind: 'closed' };
  const latest = (await contractsOfPair(db, pair.id)).at(-1);
  const today = instantToZoned(deps.now(), timeZone ?? participant.timeZone).date;
  // The rhythm a new contract proposes is the programme's (`/tandem program`); it ends with the programme at the latest.
  const programme = await getProgramme(db);
  const defaults = { ...contractDefaults(today, [people.junior.format, people.senior.format], programme.endsOn), cadence: programme.defaultCadence };
  const zone = timeZone ?? participant.timeZone;
  const base: ContractFormValues = latest
    ? formValues(latest.terms)
    : { ...defaults, seniorObjectives: [], juniorObjectives: [], means: '', notes: null };
  // The session time on the opener's own clock: the version's, or the moment Tandem proposed before
  // the form asked (early afternoon, inside both partners' working hours).
  const values: ContractFormValues = { ...base, session: openingSlot(base, zone, [people.junior.timeZone, people.senior.timeZone]) };
  return {
    kind: 'form',
    form: {
      pairId: pair.id,
      basedOn: latest?.version ?? 0,
      me: side.me,
      partner: side.partner,
      junior: people.junior,
      senior: people.senior,
      values,
      amending: latest ? { version: latest.version, inForce: latest.status === 'in_force' } : null,
      programmeEndsOn: programme.endsOn,
      timeZone: zone,
    },
  };
}

function openingSlot(values: ContractFormValues, zone: string, zones: readonly [string, string]): SessionSlot | null {
  if (values.session) return slotOnClock(values, values.session, zone);
  try {
    const plan = sessionPlan(values, zone, zones);
    const first = plan.sessions?.[0];
    const date = first?.date ?? sessionDates(values)[0];
    if (!date) return null;
    const weekday = weekdayOf(date);
    return weekday <= 5 ? { weekday, hour: plan.hour, minute: plan.minute, timeZone: zone } : null;
  } catch {
    return null;
  }
}

const refused = (key: MessageKey, vars?: Vars): FormProblem => ({ kind: 'refused', key, ...(vars ? { vars } : {}) });

export type SubmitOutcome = { kind: 'problem'; problem: FormProblem } | { kind: 'proposed'; contractId: number; rating: LevelsForm };

/** The key of the message showing a version in its current state: each state is sent once. */
function messageKey(contract: Contract): string {
  const rated = contract.signatures.filter((s) => s.startLevels !== null).length;
  return `contract:${contract.id}:${contract.status}:${contract.signatures.length}:${rated}`;
}

async function refreshMessage(deps: Deps, trx: Trx, contract: Contract, people: PairPeople): Promise<void> {
  const message = contractMessage(pairLocale(deps, people.junior, people.senior), contract, people.junior, people.senior);
  await deps.outbox.enqueue(trx, messageKey(contract), { kind: 'update', afterKey: `contract:${contract.id}`, message });
}

/**
 * One partner submits the contract: a new version, signed by them, posted to the pair for the other
 * to sign. Refused, with nothing changed, for someone outside the pair, a pair no longer open, or a
 * form opened before the latest version was proposed (which is also what a replayed submission is).
 */
export async function submitContract(deps: Deps, userId: string, meta: { pairId: number; basedOn: number }, raw: ContractRawInput, timeZone?: string): Promise<SubmitOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
    const pair = await findPair(trx, meta.pairId);
    if (!pair) return { kind: 'problem', problem: refused('contract.refused.unknown') };
    const people = await peopleOf(trx, pair);
    const side = sideOf(people, userId);
    if (!side) return { kind: 'problem', problem: refused('contract.refused.notPartner') };
    if (!CONTRACT_STATUSES.includes(pair.status)) return { kind: 'problem', problem: refused('contract.refused.closed') };
    const versions = await contractsOfPair(trx, pair.id);
    const latest = versions.at(-1);
    const latestVersion = latest?.version ?? 0;
    if (latestVersion !== meta.basedOn) return { kind: 'problem', problem: refused('contract.refused.stale', { version: latestVersion }) };
    const { endsOn } = await getProgramme(trx);
    const validation = validateContract(raw, now, timeZone ?? side.me.timeZone, latest?.terms.startDate ?? null, endsOn, side.partner);
    if (!validation.ok) return { kind: 'problem', problem: { kind: 'field', errors: validation.errors } };
    const terms = validation.value;

    const contractId = await insertContractVersion(trx, pair.id, latestVersion + 1, terms, side.me.id, now);
    await recordSignature(trx, contractId, side.me.id, now);
    await deps.home.changed(trx, { participantIds: [pair.juniorId, pair.seniorId], dashboards: false });
    await audit(trx, { actorUserId: userId, action: 'contract.proposed', subject: `pair:${pair.id}`, details: { contractId, version: latestVersion + 1 } }, now);
    const contract = (await findContract(trx, contractId)) as Contract;
    const locale = pairLocale(deps, people.junior, people.senior);
    await deps.outbox.enqueue(trx, `contract:${contractId}`, {
      kind: 'post',
      users: [people.junior.userId, people.senior.userId],
      message: contractMessage(locale, contract, people.junior, people.senior),
    });
    // The proposal it replaces loses its Sign button.
    if (latest?.status === 'awaiting_signature') await refreshMessage(deps, trx, (await findContract(trx, latest.id)) as Contract, people);
    const objectives = ownObjectives(terms, pair, side.me);
    return {
      kind: 'proposed',
      contractId,
      rating: {
        mode: 'rate',
        contractId,
        version: contract.version,
        partnerUserId: side.partner.userId,
        objectives,
        initial: earlierLevels(versions, pair, side.me, objectives),
        justProposed: true,
      },
    };
  });
}

type Validation = { ok: true; value: ContractTerms } | { ok: false; errors: Extract<FormProblem, { kind: 'field' }>['errors'] };

/** The domain's rules, plus one of the calendar: the period must hold at least one session. */
function validateContract(raw: ContractRawInput, now: Date, timeZone: string, keptStartDate: string | null, programmeEndsOn: string | null, partner: Participant): Validation {
  const result = validateContractInput(raw, now, { timeZone, keptStartDate, programmeEndsOn, sessionRequired: true });
  if (!result.ok) return result;
  const terms = result.value;
  if (sessionDates({ ...terms, weekday: terms.session?.weekday ?? null }).length === 0) return { ok: false, errors: { endDate: { code: 'no_session' } } };
  // Every session a real moment on the author's clock, inside working hours on both clocks.
  const problem = terms.session ? checkSessionTimes(terms, terms.session, terms.sessionMinutes, partner.timeZone) : null;
  if (problem) return { ok: false, errors: { sessionTime: problem.code === 'outside_hours' ? { ...problem, partnerName: partner.displayName } : problem } };
  return result;
}

interface Loaded extends PairPeople {
  contract: Contract;
  versions: Contract[];
  me: Participant;
  partner: Participant;
}

type Load = { kind: 'refused'; key: MessageKey; vars?: Vars } | ({ kind: 'ok' } & Loaded);

/** A version with its pair, people and siblings, once the user is known to be one of the partners. */
async function loadForPartner(db: Db, userId: string, contractId: number): Promise<Load> {
  const contract = await findContract(db, contractId);
  const pair = contract && (await findPair(db, contract.pairId));
  if (!contract || !pair) return { kind: 'refused', key: 'contract.refused.unknown' };
  const people = await peopleOf(db, pair);
  const side = sideOf(people, userId);
  if (!side) return { kind: 'refused', key: 'contract.sign.notPartner' };
  if (!CONTRACT_STATUSES.includes(pair.status)) return { kind: 'refused', key: 'contract.refused.closed' };
  const versions = await contractsOfPair(db, pair.id);
  return { kind: 'ok', contract, versions, ...people, ...side };
}

/** Whether this person may sign this version now, and why not (the domain's rule, in words). */
function signRefusal(loaded: Loaded, userId: string): { key: MessageKey; vars?: Vars } | undefined {
  const { contract, versions, junior, senior, partner } = loaded;
  const userIdOf = (id: number) => (id === junior.id ? junior.userId : senior.userId);
  const latest = versions.at(-1)?.version ?? contract.version;
  const check = canSign({ version: contract.version, partnerIds: [junior.userId, senior.userId], signedBy: contract.signatures.map((s) => userIdOf(s.participantId)) }, latest, userId);
  if (check.ok) return undefined;
  switch (check.reason) {
    case 'not_a_partner':
      return { key: 'contract.sign.notPartner' };
    case 'superseded':
      return { key: 'contract.sign.superseded', vars: { version: contract.version, latest } };
    case 'already_signed':
      if (contract.status === 'in_force') return { key: 'contract.sign.alreadyInForce', vars: { version: contract.version } };
      if (contract.proposedBy === loaded.me.id) return { key: 'contract.sign.ownProposal', vars: { partner: mention(partner.userId) } };
      return { key: 'contract.sign.alreadySigned' };
  }
}

export type LevelsCheck = { kind: 'refused'; key: MessageKey; vars?: Vars } | { kind: 'ok'; form: LevelsForm };

function levelsForm(loaded: Loaded, mode: LevelsForm['mode']): LevelsForm {
  const objectives = ownObjectives(loaded.contract.terms, loaded.pair, loaded.me);
  return {
    mode,
    contractId: loaded.contract.id,
    version: loaded.contract.version,
    partnerUserId: loaded.partner.userId,
    objectives,
    initial: earlierLevels(loaded.versions.filter((c) => c.id !== loaded.contract.id), loaded.pair, loaded.me, objectives),
  };
}

/** Sign was pressed: the signing modal opens only for the partner whose signature is missing. */
export async function signingForm(deps: Deps, userId: string, contractId: number): Promise<LevelsCheck> {
  const loaded = await loadForPartner(deps.store.db, userId, contractId);
  if (loaded.kind === 'refused') return loaded;
  const refusal = signRefusal(loaded, userId);
  return refusal ? { kind: 'refused', ...refusal } : { kind: 'ok', form: levelsForm(loaded, 'sign') };
}

export type LevelsOutcome =
  | { kind: 'refused'; key: MessageKey; vars?: Vars }
  /** Indexes of the objectives left without a valid level. */
  | { kind: 'invalid'; missing: number[] }
  | { kind: 'signed'; inForce: boolean }
  | { kind: 'rated' };

/** Levels as submitted, one per objective: a whole number from 1 to 5 each, or the indexes missing one. */
function readLevels(raw: readonly (string | null)[], count: number): { levels: number[] } | { missing: number[] } {
  const levels: number[] = [];
  const missing: number[] = [];
  for (let index = 0; index < count; index++) {
    const level = Number(raw[index] ?? '');
    if ((LEVELS as readonly number[]).includes(level)) levels.push(level);
    else missing.push(index);
  }
  return missing.length > 0 ? { missing } : { levels };
}

/**
 * The other partner signs, with their starting levels. When every partner has signed, the version
 * is in force: the one before it is superseded (and kept), the pair is active, the first check-in is
 * set on the contract's cadence, the facilitators are told, and each partner's calendar file is queued.
 */
export async function signContract(deps: Deps, userId: string, contractId: number, rawLevels: readonly (string | null)[]): Promise<LevelsOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<LevelsOutcome> => {
    const loaded = await loadForPartner(trx, userId, contractId);
    if (loaded.kind === 'refused') return loaded;
    const refusal = signRefusal(loaded, userId);
    if (refusal) return { kind: 'refused', ...refusal };
    const read = readLevels(rawLevels, ownObjectives(loaded.contract.terms, loaded.pair, loaded.me).length);
    if ('missing' in read) return { kind: 'invalid', missing: read.missing };
    if (!(await recordSignature(trx, contractId, loaded.me.id, now))) return { kind: 'refused', key: 'contract.sign.alreadySigned' };
    await recordStartLevels(trx, contractId, loaded.me.id, read.levels, now);
    await audit(trx, { actorUserId: userId, action: 'contract.signed', subject: `pair:${loaded.pair.id}`, details: { contractId, version: loaded.contract.version } }, now);
    const signed = (await findContract(trx, contractId)) as Contract;
    const everyone = [loaded.junior, loaded.senior].every((p) => signed.signatures.some((s) => s.participantId === p.id));
    await deps.home.changed(trx, { participantIds: [loaded.junior.id, loaded.senior.id], dashboards: everyone });
    if (!everyone) {
      await refreshMessage(deps, trx, signed, loaded);
      return { kind: 'signed', inForce: false };
    }
    await bringIntoForce(deps, trx, { ...loaded, contract: signed }, userId, now);
    return { kind: 'signed', inForce: true };
  });
}

async function bringIntoForce(deps: Deps, trx: Trx, loaded: Loaded, userId: string, now: Date): Promise<void> {
  const { contract, pair, junior, senior } = loaded;
  const programme = await getProgramme(trx);
  const { startDate, endDate, cadence } = contract.terms;
  const previous = loaded.versions.find((c) => c.status === 'in_force');
  // A first contract may start a few days back: a check-in already due is asked at once. An
  // amendment changes a rhythm under way: its first check-in is the next one from today.
  const lastDueDate = previous ? addDays(instantToZoned(now, junior.timeZone).date, -1) : null;
  const partners = [{ timeZone: junior.timeZone }, { timeZone: senior.timeZone }];
  const session = contract.terms.session ? { slot: contract.terms.session, minutes: contract.terms.sessionMinutes } : null;
  let due = nextCheckinDue({ startDate, endDate, cadence, lastDueDate, partners, session }, now, { checkinHour: programme.checkinHour });
  // An amendment signed late on a check-in day must not ask again the check-in already sent.
  if (due && previous && due.instant <= now) {
    due = nextCheckinDue({ startDate, endDate, cadence, lastDueDate: due.dueDate, partners, session }, now, { checkinHour: programme.checkinHour });
  }
  // The closing survey is not a check-in: a contract too short for one has no first check-in.
  const firstCheckin = due?.kind === 'checkin' ? { dueOn: due.dueDate, at: due.instant } : null;
  if (!(await putInForce(trx, contract, firstCheckin, now))) return;
  // The follow-up starts (or, for an amendment, follows the new terms) from that first date.
  await scheduleFollowup(trx, pair.id, contract.id, due && { kind: due.kind, dueOn: due.dueDate, at: due.instant }, now);
  // Participants stay `paired`: an active pair is still a pair. Signing ends a pause taken before
  // the contract (its check-ins are the follow-up's, paused with `/tandem pause` from now on).
  if (!previous) await resumePeople(trx, [junior.id, senior.id], 'paired', now);
  await movePair(trx, pair.id, ['accepted'], 'active', {}, now);
  await queueCalendars(trx, contract, [junior.id, senior.id], now);
  await audit(trx, { actorUserId: userId, action: 'contract.in_force', subject: `pair:${pair.id}`, details: { contractId: contract.id, version: contract.version, firstCheckinOn: firstCheckin?.dueOn ?? null } }, now);
  const inForce = (await findContract(trx, contract.id)) as Contract;
  await refreshMessage(deps, trx, inForce, loaded);
  if (previous) await refreshMessage(deps, trx, (await findContract(trx, previous.id)) as Contract, loaded);
  const locale = pairLocale(deps, junior, senior);
  await deps.outbox.enqueue(trx, `contract:${contract.id}:in-force`, { kind: 'post', users: [junior.userId, senior.userId], message: inForceMessage(locale, inForce, junior.userId, senior.userId) });
  await deps.outbox.enqueue(trx, `contract:${contract.id}:in-force:notice`, {
    kind: 'post',
    channel: deps.config.facilitatorChannelId,
    message: facilitatorNotice(deps.config.defaultLocale, inForce, junior, senior),
  });
  // The message each calendar file is shared under; deliverCalendars uploads the file into that DM.
  const zones = [junior.timeZone, senior.timeZone] as const;
  for (const [me, partner] of [[junior, senior], [senior, junior]] as const) {
    const { localTime } = sessionPlan(inForce.terms, me.timeZone, zones);
    const locale = personLocale(deps, me);
    const message = calendarMessage(locale, inForce, partner.userId, localTime, sessionWhenFor(locale, inForce.terms, me.timeZone));
    await deps.outbox.enqueue(trx, calendarMessageKey(contract.id, me.id), { kind: 'post', channel: me.userId, message });
  }
}

/** Whether this partner may still rate their starting levels on this version. */
function rateRefusal(loaded: Loaded): { key: MessageKey; vars?: Vars } | undefined {
  const signature = loaded.contract.signatures.find((s) => s.participantId === loaded.me.id);
  if (loaded.contract.status === 'superseded') return { key: 'contract.rate.superseded', vars: { version: loaded.contract.version } };
  if (!signature) return { key: 'contract.rate.signFirst' };
  if (signature.startLevels !== null) return { key: 'contract.rate.already' };
  return undefined;
}

/** "Rate my starting level": for a partner who signed (the proposer, typically) and has not rated yet. */
export async function ratingForm(deps: Deps, userId: string, contractId: number): Promise<LevelsCheck> {
  const loaded = await loadForPartner(deps.store.db, userId, contractId);
  if (loaded.kind === 'refused') return loaded;
  const refusal = rateRefusal(loaded);
  return refusal ? { kind: 'refused', ...refusal } : { kind: 'ok', form: levelsForm(loaded, 'rate') };
}

export async function rateStartingLevels(deps: Deps, userId: string, contractId: number, rawLevels: readonly (string | null)[]): Promise<LevelsOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<LevelsOutcome> => {
    const loaded = await loadForPartner(trx, userId, contractId);
    if (loaded.kind === 'refused') return loaded;
    const refusal = rateRefusal(loaded);
    if (refusal) return { kind: 'refused', ...refusal };
    const read = readLevels(rawLevels, ownObjectives(loaded.contract.terms, loaded.pair, loaded.me).length);
    if ('missing' in read) return { kind: 'invalid', missing: read.missing };
    if (!(await recordStartLevels(trx, contractId, loaded.me.id, read.levels, now))) return { kind: 'refused', key: 'contract.rate.already' };
    await audit(trx, { actorUserId: userId, action: 'contract.rated', subject: `pair:${loaded.pair.id}`, details: { contractId, version: loaded.contract.version } }, now);
    await refreshMessage(deps, trx, (await findContract(trx, contractId)) as Contract, loaded);
    return { kind: 'rated' };
  });
}

/** The contract lines of `/tandem status`: the version in force and one awaiting signature, if any. */
export async function pairContractStatus(db: Db, pair: Pair, viewerZone?: string): Promise<ContractStatusView | undefined> {
  if (!CONTRACT_STATUSES.includes(pair.status)) return undefined;
  const versions = await contractsOfPair(db, pair.id);
  const inForce = versions.find((c) => c.status === 'in_force');
  const awaiting = versions.find((c) => c.status === 'awaiting_signature');
  const { junior, senior } = await peopleOf(db, pair);
  return {
    inForce: inForce
      ? {
          version: inForce.version,
          cadence: inForce.terms.cadence,
          sessionMinutes: inForce.terms.sessionMinutes,
          endDate: inForce.terms.endDate,
          // On the reader's own clock.
          session: inForce.terms.session && viewerZone ? sessionView(inForce.terms, inForce.terms.session, viewerZone) : null,
        }
      : null,
    awaiting: awaiting
      ? { version: awaiting.version, waitingFor: [junior, senior].filter((p) => !awaiting.signatures.some((s) => s.participantId === p.id)).map((p) => p.userId) }
      : null,
  };
}
