/**
 * Escalations: a pair (or a person) brought to the facilitators, with the reasons and their facts.
 * One open escalation per pair: new reasons join it and its message is edited in place. Every
 * change and every facilitator action is written with its audit entry and its messages (through
 * the outbox) in one transaction, and checked against the escalation's state there, so a double
 * click, a stale message or a replayed form changes nothing twice.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import { isPrivate, opensEscalation, privateNote, visibleTo } from '../../domain/escalation.js';
import { concernRaised, helpRequested, lowRating } from '../../domain/stall.js';
import { instantToZoned, type IsoDate } from '../../domain/time.js';
import { type Locale, type MessageKey, type Vars, personLocale, pairLocale } from '../../i18n/index.js';
import { dateLabel } from '../../slack/labels.js';
import { audit, auditMany } from '../../store/audit.js';
import { afterCommit } from '../../store/engine.js';
import type { OutboxRequest } from '../../slack/outbox.js';
import type { Database } from '../../store/database.js';
import {
  type AuditEntry,
  auditOf,
  changeOpenEscalation,
  countOpenEscalations,
  deleteEscalations,
  escalationsByIds,
  type EscalationRow,
  findEscalation,
  findOpenEscalation,
  insertEscalation,
  insertPairEscalations,
  insertReason,
  insertReasons,
  type NewReason,
  openEscalations,
  openPairEscalations,
  pairSubjects,
  raisedKeys,
  raisedKeysOf,
  reasonsOf,
  recentEscalationAudit,
  type Subject,
  subjectOf,
} from '../../store/escalations.js';
import { findDelivered } from '../../store/outbox.js';
import { findPair, openPairOf, type Pair } from '../../store/pairs.js';
import { findParticipantByUser, type Participant, participantsByIds } from '../../store/participants.js';
import { getProgramme } from '../../store/programme.js';
import { conflictOf, pairUserIds } from '../conflicts/service.js';
import { endPairIn } from '../matching/service.js';
import {
  assigneeNotice,
  CONCERN_MAX,
  concernModal,
  detailsModal,
  END_REASON_MAX,
  endModal,
  escalationListMessage,
  escalationMessage,
  type EscalationStatusView,
  type EscalationView,
  type ListedEscalation,
  messageLink,
  noteModal,
  nudgeMessage,
  privateNoteNotice,
  RESOLVE_NOTE_MAX,
  resolveModal,
  talkMessage,
} from './views.js';

type Trx = Transaction<Database>;
type Db = Kysely<Database> | Trx;

export type Refusal = { kind: 'refused'; key: MessageKey; vars?: Vars };
const refused = (key: MessageKey, vars?: Vars): Refusal => ({ kind: 'refused', key, ...(vars ? { vars } : {}) });

/** The outbox key of the escalation's message in the channel; its updates wait for it. */
export const escalationKey = (id: number): string => `escalation:${id}`;
const auditSubject = escalationKey;

/** The channel is shared: it reads the programme's language, and moments fall back to its zone. */
const channelLocale = (deps: Deps): Locale => deps.config.defaultLocale;
const zone = (deps: Deps): string => deps.config.tzDefault;

/** Pair statuses in which a pair can still be nudged, met or ended. */
const PAIR_OPEN: readonly string[] = ['introduced', 'accepted', 'active'];

async function pairPeople(db: Db, pair: Pair): Promise<{ junior: Participant; senior: Participant }> {
  const people = await participantsByIds(db, [pair.juniorId, pair.seniorId]);
  const junior = people.get(pair.juniorId);
  const senior = people.get(pair.seniorId);
  if (!junior || !senior) throw new Error(`Pair ${pair.id} lost a participant`);
  return { junior, senior };
}

/** Everything the escalation's views show, read in one go. */
async function loadView(db: Db, row: EscalationRow): Promise<EscalationView> {
  const loaded = (await loadViews(db, [row])).get(row.id);
  if (!loaded) throw new Error(`Escalation ${row.id} lost its pair`);
  return loaded.view;
}

interface LoadedView {
  view: EscalationView;
  /** Whose Home tabs show it: the pair's partners, or the person. */
  participantIds: number[];
}

const TIMELINE_READ = 50;

/** The views of several escalations, in a few statements whatever their number. */
async function loadViews(db: Db, rows: readonly EscalationRow[]): Promise<Map<number, LoadedView>> {
  const loaded = new Map<number, LoadedView>();
  if (rows.length === 0) return loaded;
  const ids = rows.map((row) => row.id);
  const pairIds = [...new Set(rows.flatMap((row) => (row.pair_id === null ? [] : [row.pair_id])))];
  const personIds = [...new Set(rows.flatMap((row) => (row.participant_id === null ? [] : [row.participant_id])))];
  const reasons = await reasonsOf(db, ids);
  const events = await timelines(db, ids);
  const pairs = new Map((await pairSubjects(db, pairIds)).map((p) => [p.pairId, p]));
  const people =
    personIds.length === 0 ? new Map<number, string>() : new Map((await db.selectFrom('participant').select(['id', 'slack_user_id']).where('id', 'in', personIds).execute()).map((p) => [p.id, p.slack_user_id]));
  for (const row of rows) {
    let subject: EscalationView['subject'];
    let participantIds: number[];
    if (row.pair_id !== null) {
      const pair = pairs.get(row.pair_id);
      if (!pair) continue;
      const { juniorId, seniorId, ...view } = pair;
      subject = { kind: 'pair', ...view };
      participantIds = [juniorId, seniorId];
    } else {
      const userId = row.participant_id === null ? undefined : people.get(row.participant_id);
      if (userId === undefined || row.participant_id === null) continue;
      subject = { kind: 'person', userId };
      participantIds = [row.participant_id];
    }
    loaded.set(row.id, {
      participantIds,
      view: {
        id: row.id,
        status: row.status,
        outcome: row.outcome,
        openedAt: row.opened_at,
        assignee: row.assignee_user_id ? { userId: row.assignee_user_id, at: row.assigned_at ?? row.opened_at } : null,
        reraisedAt: row.reraised_at,
        resolvedBy: row.resolved_by,
        resolvedAt: row.resolved_at,
        resolution: row.resolution,
        subject,
        reasons: (reasons.get(row.id) ?? []).map((r) => ({ reason: r.reason, raisedByUserId: r.raisedByUserId, note: r.note })),
        events: events.get(row.id) ?? [],
      },
    });
  }
  return loaded;
}

/** The latest audit entries of each escalation (at most TIMELINE_READ each), oldest first. */
async function timelines(db: Db, ids: readonly number[]): Promise<Map<number, AuditEntry[]>> {
  const byId = new Map<number, AuditEntry[]>();
  if (ids.length === 1) {
    const [id] = ids as [number];
    byId.set(id, await auditOf(db, [auditSubject(id)], TIMELINE_READ));
    return byId;
  }
  const subjects = new Map(ids.map((id) => [auditSubject(id), id]));
  for (const entry of await auditOf(db, [...subjects.keys()])) {
    const id = subjects.get(entry.subject);
    if (id === undefined) continue;
    const list = byId.get(id) ?? [];
    list.push(entry);
    byId.set(id, list);
  }
  for (const [id, list] of byId) if (list.length > TIMELINE_READ) byId.set(id, list.slice(-TIMELINE_READ));
  return byId;
}

export async function publish(deps: Deps, trx: Trx, row: EscalationRow, created: boolean): Promise<EscalationView> {
  const loaded = (await loadViews(trx, [row])).get(row.id);
  if (!loaded) throw new Error(`Escalation ${row.id} lost its subject`);
  const { view, participantIds } = loaded;
  const message = escalationMessage(channelLocale(deps), view, zone(deps));
  if (created) await deps.outbox.enqueue(trx, escalationKey(row.id), { kind: 'post', channel: deps.config.facilitatorChannelId, message });
  else await deps.outbox.enqueue(trx, `${escalationKey(row.id)}:v${row.version}`, { kind: 'update', afterKey: escalationKey(row.id), message });
  // The facilitators' dashboards list open escalations; the partners' tabs show their pair's.
  await deps.home.changed(trx, { participantIds, dashboards: true });
  return view;
}

/**
 * A link to the escalation's message once it is posted. Read with the caller's transaction: the
 * database has one connection, which a transaction holds until it ends.
 */
export async function linkOf(db: Db, escalationId: number): Promise<string | null> {
  const where = await findDelivered(db, escalationKey(escalationId));
  return where ? messageLink(where) : null;
}

export type RaiseOutcome = { kind: 'raised'; escalationId: number; created: boolean } | { kind: 'nothing_new' } | { kind: 'no_escalation' };

/**
 * Brings reasons to the facilitators: those never raised for this pair (or person) join its open
 * escalation, or open one. A reason raised before, even in an escalation since resolved, is not
 * raised again. A private note alone never opens an escalation (`no_escalation`).
 */
export async function raise(deps: Deps, trx: Trx, subject: Subject, reasons: readonly NewReason[], actorUserId: string, now: Date): Promise<RaiseOutcome> {
  const unique = [...new Map(reasons.map((r) => [r.reason.key, r])).values()];
  const already = await raisedKeys(trx, subject, unique.map((r) => r.reason.key));
  const fresh = unique.filter((r) => !already.has(r.reason.key));
  if (fresh.length === 0) return { kind: 'nothing_new' };
  const open = await findOpenEscalation(trx, subject);
  if (!open && !fresh.some((r) => opensEscalation(r.reason.kind))) return { kind: 'no_escalation' };
  const created = open === undefined;
  const id = open?.id ?? (await insertEscalation(trx, subject, now));
  const added: NewReason[] = [];
  for (const reason of fresh) if (await insertReason(trx, id, subject, reason, now)) added.push(reason);
  if (added.length === 0) return { kind: 'nothing_new' };
  // The audit names the kinds only: what was confided stays in the reason's note.
  await audit(trx, { actorUserId, action: created ? 'escalation.opened' : 'escalation.reason_added', subject: auditSubject(id), details: { kinds: added.map((r) => r.reason.kind) } }, now);
  const row = created ? await findEscalation(trx, id) : await changeOpenEscalation(trx, id, {}, now);
  if (!row) throw new Error(`Escalation ${id} vanished while being raised`);
  const view = await publish(deps, trx, row, created);
  if (!created && row.assignee_user_id) {
    const link = await linkOf(trx, id);
    for (const { reason } of added) {
      const message = assigneeNotice(channelLocale(deps), view, reason, zone(deps), link);
      await deps.outbox.enqueue(trx, `${escalationKey(id)}:reason:${reason.key}:assignee`, { kind: 'post', channel: row.assignee_user_id, message });
    }
  }
  return { kind: 'raised', escalationId: id, created };
}

/**
 * `raise` for many pairs at once, as the scheduled pass finds them: the same outcome as one `raise`
 * per pair, in a few statements for the whole page. Pairs that already have an open escalation (a
 * new reason joins it, and its assignee is told) go through `raise` one by one; they are few.
 * Returns how many pairs had an escalation opened or a reason added.
 */
export async function raiseForPairs(deps: Deps, trx: Trx, items: readonly { pairId: number; reasons: readonly NewReason[] }[], actorUserId: string, now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const wanted = items.map((item) => ({ pairId: item.pairId, subject: { kind: 'pair', pairId: item.pairId } as Subject, reasons: [...new Map(item.reasons.map((r) => [r.reason.key, r])).values()] }));
  const already = await raisedKeysOf(
    trx,
    wanted.map((w) => w.subject),
    wanted.flatMap((w) => w.reasons.map((r) => r.reason.key)),
  );
  const fresh = wanted
    .map((w) => ({ ...w, reasons: w.reasons.filter((r) => !already.get(`pair:${w.pairId}`)?.has(r.reason.key)) }))
    .filter((w) => w.reasons.length > 0);
  if (fresh.length === 0) return 0;
  const open = await openPairEscalations(trx, fresh.map((w) => w.pairId));
  let raised = 0;
  for (const w of fresh.filter((w) => open.has(w.pairId))) {
    if ((await raise(deps, trx, w.subject, w.reasons, actorUserId, now)).kind === 'raised') raised += 1;
  }
  // The others open an escalation, if one of their reasons does (a private note alone never does).
  const opening = fresh.filter((w) => !open.has(w.pairId) && w.reasons.some((r) => opensEscalation(r.reason.kind)));
  const ids = await insertPairEscalations(trx, opening.map((w) => w.pairId), now);
  const added = await insertReasons(
    trx,
    opening.flatMap((w) => w.reasons.map((reason) => ({ escalationId: ids.get(w.pairId) as number, subject: w.subject, reason }))),
    now,
  );
  // A reason another process raised meanwhile is not raised again: an escalation left without any is not kept.
  const empty = [...ids.values()].filter((id) => !added.has(id));
  await deleteEscalations(trx, empty);
  const created = opening.filter((w) => added.has(ids.get(w.pairId) as number));
  if (created.length === 0) return raised;
  await auditMany(
    trx,
    created.map((w) => {
      const id = ids.get(w.pairId) as number;
      const keys = added.get(id) as Set<string>;
      // The audit names the kinds only: what was confided stays in the reason's note.
      return { actorUserId, action: 'escalation.opened', subject: auditSubject(id), details: { kinds: w.reasons.filter((r) => keys.has(r.reason.key)).map((r) => r.reason.kind) } };
    }),
    now,
  );
  const rows = await escalationsByIds(trx, created.map((w) => ids.get(w.pairId) as number));
  const views = await loadViews(trx, rows);
  const messages: { key: string; request: OutboxRequest }[] = [];
  const participantIds: number[] = [];
  for (const row of rows) {
    const loaded = views.get(row.id);
    if (!loaded) continue;
    messages.push({ key: escalationKey(row.id), request: { kind: 'post', channel: deps.config.facilitatorChannelId, message: escalationMessage(channelLocale(deps), loaded.view, zone(deps)) } });
    participantIds.push(...loaded.participantIds);
  }
  if ((await deps.outbox.enqueueMany(trx, messages)) > 0) await afterCommit(trx, () => deps.outbox.queued());
  await deps.home.changed(trx, { participantIds, dashboards: true });
  return raised + created.length;
}

// ---- Raised by the follow-up ----

/** "We need help" on a check-in prompt: the pair's escalation, in the answer's transaction. */
export async function escalateHelp(deps: Deps, trx: Trx, press: { pairId: number; participantId: number; userId: string; promptId: number; dueOn: IsoDate }, now: Date): Promise<void> {
  const reason = helpRequested(`${press.promptId}.${press.participantId}`, press.userId, now, press.dueOn);
  await raise(deps, trx, { kind: 'pair', pairId: press.pairId }, [{ reason, raisedBy: press.participantId, note: null }], press.userId, now);
}

export interface LoggedCheckin {
  checkinId: number;
  pairId: number;
  participantId: number;
  userId: string;
  metOn: IsoDate;
  rating: number;
  privateNote: string | null;
}

/**
 * What a check-in tells the facilitators: a low rating escalates the pair; a private note joins
 * the pair's open escalation, or else reaches the channel as a notice whose text only a
 * facilitator can open. Neither is ever shown to the partner.
 */
export async function escalateCheckin(deps: Deps, trx: Trx, checkin: LoggedCheckin, now: Date): Promise<void> {
  const programme = await getProgramme(trx);
  const reasons: NewReason[] = [];
  const low = lowRating({ id: String(checkin.checkinId), date: checkin.metOn, rating: checkin.rating, ratedBy: checkin.userId }, programme);
  if (low) reasons.push({ reason: low, raisedBy: checkin.participantId, note: null });
  if (checkin.privateNote) reasons.push({ reason: privateNote(String(checkin.checkinId), checkin.userId, checkin.metOn), raisedBy: checkin.participantId, note: checkin.privateNote });
  if (reasons.length === 0) return;
  const outcome = await raise(deps, trx, { kind: 'pair', pairId: checkin.pairId }, reasons, checkin.userId, now);
  if (outcome.kind !== 'no_escalation') return;
  const pair = await findPair(trx, checkin.pairId);
  if (!pair) return;
  const { junior, senior } = await pairPeople(trx, pair);
  await deps.outbox.enqueue(trx, `checkin:${checkin.checkinId}:private-note`, {
    kind: 'post',
    channel: deps.config.facilitatorChannelId,
    message: privateNoteNotice(channelLocale(deps), junior.userId, senior.userId, checkin.checkinId),
  });
}

// ---- Private concerns ----

/** Someone's pair, if they are in one that a facilitator can act on; else the concern is about them alone. */
async function concernSubject(db: Db, me: Participant): Promise<{ subject: Subject; partner: Participant | null }> {
  const pair = await openPairOf(db, me.id);
  if (pair && PAIR_OPEN.includes(pair.status)) {
    const { junior, senior } = await pairPeople(db, pair);
    return { subject: { kind: 'pair', pairId: pair.id }, partner: junior.id === me.id ? senior : junior };
  }
  return { subject: { kind: 'person', participantId: me.id }, partner: null };
}

export type OpenConcern = { kind: 'form'; view: ReturnType<typeof concernModal> } | Refusal;

export async function openConcern(deps: Deps, userId: string, locale: Locale): Promise<OpenConcern> {
  const me = await findParticipantByUser(deps.store.db, userId);
  if (!me) return refused('error.notEnrolled');
  const { partner } = await concernSubject(deps.store.db, me);
  return { kind: 'form', view: concernModal(locale, partner?.userId ?? null) };
}

type TextCheck = { ok: true; text: string } | { ok: false; key: MessageKey; vars?: Vars };

/** A required free text: trimmed, not empty, within `max` characters. */
function checkText(raw: string | null, max: number, keys: { required: MessageKey; tooLong: MessageKey }): TextCheck {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, key: keys.required };
  if (text.length > max) return { ok: false, key: keys.tooLong, vars: { max, length: text.length } };
  return { ok: true, text };
}

export type ConcernOutcome = { kind: 'sent' } | { kind: 'invalid'; key: MessageKey; vars?: Vars } | Refusal;

/**
 * A private concern: it reaches the facilitators only. Nothing is posted to the pair, and the
 * partner's status never shows it. Keyed by the form (`formId`), so a replayed submission adds nothing.
 */
export async function submitConcern(deps: Deps, userId: string, formId: string, raw: string | null): Promise<ConcernOutcome> {
  const checked = checkText(raw, CONCERN_MAX, { required: 'escalations.concern.required', tooLong: 'escalations.concern.tooLong' });
  if (!checked.ok) return { kind: 'invalid', key: checked.key, ...(checked.vars ? { vars: checked.vars } : {}) };
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<ConcernOutcome> => {
    const me = await findParticipantByUser(trx, userId);
    if (!me) return refused('error.notEnrolled');
    const { subject } = await concernSubject(trx, me);
    const reason = concernRaised(formId, userId, now);
    await raise(deps, trx, subject, [{ reason, raisedBy: me.id, note: checked.text }], userId, now);
    return { kind: 'sent' };
  });
}

// ---- Facilitator actions (the caller has checked that `by` is a facilitator) ----

export type ActionOutcome = { kind: 'done'; key: MessageKey } | Refusal;

/** Why an action on this escalation cannot go ahead, if it cannot: unknown, or already resolved. */
function closedRefusal(deps: Deps, row: EscalationRow | undefined): Refusal | undefined {
  if (!row) return refused('escalations.refused.unknown');
  if (row.status !== 'open') {
    return refused('escalations.refused.resolved', { user: `<@${row.resolved_by ?? ''}>`, date: dateLabel(channelLocale(deps), row.resolved_at ?? row.updated_at, zone(deps)) });
  }
  return undefined;
}

/** The escalation, if it exists and is still open; else why not. */
async function openRow(deps: Deps, db: Db, escalationId: number): Promise<EscalationRow | Refusal> {
  const row = await findEscalation(db, escalationId);
  return closedRefusal(deps, row) ?? (row as EscalationRow);
}

const isRefusal = (value: object): value is Refusal => 'kind' in value && (value as { kind: unknown }).kind === 'refused';

/**
 * Why this facilitator may not touch this escalation: it is about their own pair (or themselves).
 * Read before the action's transaction, since it may ask Slack who the other facilitators are; who
 * an escalation is about never changes.
 */
async function ownCaseRefusal(deps: Deps, by: string, escalationId: number): Promise<Refusal | undefined> {
  const db = deps.store.db;
  const row = await findEscalation(db, escalationId);
  if (!row) return undefined;
  let people: string[];
  if (row.pair_id !== null) people = await pairUserIds(db, row.pair_id);
  else {
    const person = await db.selectFrom('participant').select('slack_user_id').where('id', '=', row.participant_id as number).executeTakeFirst();
    people = person ? [person.slack_user_id] : [];
  }
  const conflict = await conflictOf(deps, by, people, 'pair');
  return conflict && refused(conflict.key, conflict.vars);
}

/** "I'll handle it" / "Take it over": the clicker becomes the assignee, if the assignee is still `from`. */
export async function assign(deps: Deps, by: string, escalationId: number, from: string | null): Promise<ActionOutcome> {
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<ActionOutcome> => {
    const row = await openRow(deps, trx, escalationId);
    if (isRefusal(row)) return row;
    if (row.assignee_user_id === by) return refused('escalations.refused.alreadyYours');
    if (row.assignee_user_id !== from) return refused('escalations.refused.takenBy', { user: `<@${row.assignee_user_id ?? ''}>` });
    const updated = await changeOpenEscalation(trx, escalationId, { assignee_user_id: by, assigned_at: now.toISOString() }, now, { assignee: from });
    if (!updated) return refused('escalations.refused.unknown');
    await audit(trx, { actorUserId: by, action: 'escalation.assigned', subject: auditSubject(escalationId), details: { from } }, now);
    await publish(deps, trx, updated, false);
    return { kind: 'done', key: 'escalations.done.assigned' };
  });
}

interface PairTarget {
  row: EscalationRow;
  pair: Pair;
  junior: Participant;
  senior: Participant;
}

/** The open escalation's pair, still open, for the actions that reach the pair. */
async function pairTarget(deps: Deps, trx: Trx, escalationId: number): Promise<PairTarget | Refusal> {
  const row = await openRow(deps, trx, escalationId);
  if (isRefusal(row)) return row;
  if (row.pair_id === null) return refused('escalations.refused.notPair');
  const pair = await findPair(trx, row.pair_id);
  if (!pair || !PAIR_OPEN.includes(pair.status)) return refused('escalations.refused.pairClosed');
  return { row, pair, ...(await pairPeople(trx, pair)) };
}

/** "Nudge the pair": a kind message in their conversation, at most once a day. */
export async function nudge(deps: Deps, by: string, escalationId: number): Promise<ActionOutcome> {
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  const today = instantToZoned(now, zone(deps)).date;
  return deps.store.db.transaction().execute(async (trx): Promise<ActionOutcome> => {
    const target = await pairTarget(deps, trx, escalationId);
    if (isRefusal(target)) return target;
    const updated = await changeOpenEscalation(trx, escalationId, { nudged_on: today, nudged_by: by }, now, { notNudgedOn: today });
    if (!updated) return refused('escalations.refused.nudgedToday', { user: `<@${target.row.nudged_by ?? by}>` });
    const { junior, senior } = target;
    await deps.outbox.enqueue(trx, `${escalationKey(escalationId)}:nudge:${today}`, {
      kind: 'post',
      users: [junior.userId, senior.userId],
      message: nudgeMessage(pairLocale(deps, junior, senior), junior.userId, senior.userId, by, target.pair.status),
    });
    await audit(trx, { actorUserId: by, action: 'escalation.nudged', subject: auditSubject(escalationId) }, now);
    await publish(deps, trx, updated, false);
    return { kind: 'done', key: 'escalations.done.nudged' };
  });
}

/**
 * "Talk with the pair": a group conversation of the facilitator and both partners (or the person),
 * opened by the outbox, with the context both partners know. Once per facilitator and escalation.
 */
export async function talk(deps: Deps, by: string, escalationId: number): Promise<ActionOutcome> {
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  const key = `${escalationKey(escalationId)}:talk:${by}`;
  return deps.store.db.transaction().execute(async (trx): Promise<ActionOutcome> => {
    const row = await openRow(deps, trx, escalationId);
    if (isRefusal(row)) return row;
    let people: Participant[];
    let locale: Locale;
    if (row.pair_id !== null) {
      const target = await pairTarget(deps, trx, escalationId);
      if (isRefusal(target)) return target;
      people = [target.junior, target.senior];
      locale = pairLocale(deps, target.junior, target.senior);
    } else {
      const person = (await participantsByIds(trx, [row.participant_id as number])).get(row.participant_id as number);
      if (!person) return refused('escalations.refused.unknown');
      people = [person];
      locale = personLocale(deps, person);
    }
    const before = (await auditOf(trx, [auditSubject(escalationId)], 200)).find((e) => e.action === 'escalation.talk_opened' && e.actorUserId === by);
    if (before) {
      const where = await findDelivered(trx, key);
      return refused('escalations.refused.talkOpen', { date: dateLabel(channelLocale(deps), before.at, zone(deps)), link: where ? messageLink(where) : '' });
    }
    const updated = await changeOpenEscalation(trx, escalationId, {}, now);
    if (!updated) return refused('escalations.refused.unknown');
    const view = await loadView(trx, updated);
    const users = [...new Set([by, ...people.map((p) => p.userId)])];
    const message = talkMessage(locale, view, by, zone(deps));
    await deps.outbox.enqueue(trx, key, users.length >= 2 ? { kind: 'post', users, message } : { kind: 'post', channel: by, message });
    await audit(trx, { actorUserId: by, action: 'escalation.talk_opened', subject: auditSubject(escalationId) }, now);
    await publish(deps, trx, updated, false);
    return { kind: 'done', key: 'escalations.done.talk' };
  });
}

export type FormOpening = { kind: 'form'; view: ReturnType<typeof resolveModal> } | Refusal;

/** "Resolve": the form asking for a note, for an escalation still open. */
export async function openResolve(deps: Deps, by: string, escalationId: number): Promise<FormOpening> {
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const row = await openRow(deps, deps.store.db, escalationId);
  if (isRefusal(row)) return row;
  return { kind: 'form', view: resolveModal(channelLocale(deps), await loadView(deps.store.db, row)) };
}

export type FormOutcome = { kind: 'done' } | { kind: 'invalid'; key: MessageKey; vars?: Vars } | Refusal;

export async function resolve(deps: Deps, by: string, escalationId: number, rawNote: string | null): Promise<FormOutcome> {
  const checked = checkText(rawNote, RESOLVE_NOTE_MAX, { required: 'escalations.resolve.noteRequired', tooLong: 'escalations.resolve.noteTooLong' });
  if (!checked.ok) return { kind: 'invalid', key: checked.key, ...(checked.vars ? { vars: checked.vars } : {}) };
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<FormOutcome> => {
    const change = { status: 'resolved', resolved_at: now.toISOString(), resolved_by: by, outcome: 'resolved', resolution: checked.text } as const;
    const updated = await changeOpenEscalation(trx, escalationId, change, now);
    if (!updated) return closedRefusal(deps, await findEscalation(trx, escalationId)) ?? refused('escalations.refused.unknown');
    await audit(trx, { actorUserId: by, action: 'escalation.resolved', subject: auditSubject(escalationId), details: { note: checked.text } }, now);
    await publish(deps, trx, updated, false);
    return { kind: 'done' };
  });
}

/** "End the pair": the form asking for a reason, for an open escalation whose pair is still open. */
export async function openEnd(deps: Deps, by: string, escalationId: number): Promise<FormOpening> {
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  return deps.store.db.transaction().execute(async (trx): Promise<FormOpening> => {
    const target = await pairTarget(deps, trx, escalationId);
    if (isRefusal(target)) return target;
    return { kind: 'form', view: endModal(channelLocale(deps), escalationId, target.junior.userId, target.senior.userId) };
  });
}

/**
 * Ends the pair the way every ending goes (both told kindly, back in the pool, the channel told),
 * and resolves the escalation with the reason, in one transaction.
 */
export async function endFromEscalation(deps: Deps, by: string, escalationId: number, rawReason: string | null): Promise<FormOutcome> {
  const checked = checkText(rawReason, END_REASON_MAX, { required: 'escalations.end.reasonRequired', tooLong: 'escalations.end.reasonTooLong' });
  if (!checked.ok) return { kind: 'invalid', key: checked.key, ...(checked.vars ? { vars: checked.vars } : {}) };
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<FormOutcome> => {
    const target = await pairTarget(deps, trx, escalationId);
    if (isRefusal(target)) return target;
    if ((await endPairIn(deps, trx, by, target.pair.id, checked.text, now)).kind !== 'ended') return refused('escalations.refused.pairClosed');
    const change = { status: 'resolved', resolved_at: now.toISOString(), resolved_by: by, outcome: 'pair_ended', resolution: checked.text } as const;
    const updated = await changeOpenEscalation(trx, escalationId, change, now);
    if (!updated) throw new Error(`Escalation ${escalationId} closed while its pair was being ended`);
    await audit(trx, { actorUserId: by, action: 'escalation.pair_ended', subject: auditSubject(escalationId), details: { reason: checked.text } }, now);
    await publish(deps, trx, updated, false);
    return { kind: 'done' };
  });
}

/**
 * Details & history: the reasons in full, what was confided, and the audit of the escalation and
 * its pair. Reading what was confided is itself recorded.
 */
export async function details(deps: Deps, by: string, escalationId: number): Promise<FormOpening> {
  // What their partner confided is not theirs to read, nor the facilitators' notes on their pair.
  const conflict = await ownCaseRefusal(deps, by, escalationId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<FormOpening> => {
    const row = await findEscalation(trx, escalationId);
    if (!row) return refused('escalations.refused.unknown');
    const view = await loadView(trx, row);
    if (view.reasons.some((r) => isPrivate(r.reason.kind)) || row.resolution !== null) {
      await audit(trx, { actorUserId: by, action: 'escalation.details_viewed', subject: auditSubject(escalationId) }, now);
    }
    const subjects = [auditSubject(escalationId), ...(row.pair_id !== null ? [`pair:${row.pair_id}`] : [])];
    const history = await auditOf(trx, subjects, 60);
    return { kind: 'form', view: detailsModal(channelLocale(deps), view, history, zone(deps)) };
  });
}

/** "Read the note" on a private-note notice: the note, for a facilitator, recorded in the pair's history. */
export async function readNote(deps: Deps, by: string, checkinId: number): Promise<FormOpening> {
  const noted = await deps.store.db.selectFrom('checkin').select('pair_id').where('id', '=', checkinId).executeTakeFirst();
  const conflict = noted && (await conflictOf(deps, by, await pairUserIds(deps.store.db, noted.pair_id), 'pair'));
  if (conflict) return refused(conflict.key, conflict.vars);
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<FormOpening> => {
    const row = await trx
      .selectFrom('checkin as k')
      .innerJoin('participant as p', 'p.id', 'k.participant_id')
      .select(['k.pair_id', 'k.met_on', 'k.private_note', 'p.slack_user_id'])
      .where('k.id', '=', checkinId)
      .executeTakeFirst();
    if (!row) return refused('escalations.refused.noteUnknown');
    await audit(trx, { actorUserId: by, action: 'escalation.note_read', subject: `pair:${row.pair_id}`, details: { checkinId } }, now);
    const note = row.private_note ? { userId: row.slack_user_id, date: row.met_on, text: row.private_note } : null;
    return { kind: 'form', view: noteModal(channelLocale(deps), note) };
  });
}

const LIST_LIMIT = 20;
const RECENT_ACTIONS = 10;

/**
 * The open escalations, oldest first, each with a link to its message once posted, and how many are
 * open in all: for `/tandem escalations`, and for the facilitators' dashboard.
 */
export async function openEscalationList(db: Db, limit: number): Promise<{ listed: ListedEscalation[]; total: number }> {
  const [rows, total] = await Promise.all([openEscalations(db, limit), countOpenEscalations(db)]);
  const listed: ListedEscalation[] = [];
  const views = await loadViews(db, rows);
  for (const row of rows) {
    const loaded = views.get(row.id);
    if (loaded) listed.push({ view: loaded.view, link: await linkOf(db, row.id) });
  }
  return { listed, total };
}

/** `/tandem escalations`: the open ones with links to their messages, and the latest actions. */
export async function listEscalations(deps: Deps, locale: Locale) {
  const db = deps.store.db;
  const [{ listed, total }, recent] = await Promise.all([openEscalationList(db, LIST_LIMIT), recentEscalationAudit(db, RECENT_ACTIONS)]);
  return escalationListMessage(locale, listed, total, recent, zone(deps));
}

/**
 * The open escalation of the participant's pair, as `/tandem status` and the Home tab show it: only
 * when they may know of it (never one that holds nothing but what their partner confided).
 */
export async function escalationStatus(db: Db, pair: Pair, participant: Participant): Promise<EscalationStatusView | undefined> {
  const row = await findOpenEscalation(db, { kind: 'pair', pairId: pair.id });
  if (!row) return undefined;
  const reasons = (await reasonsOf(db, [row.id])).get(row.id) ?? [];
  if (!visibleTo(reasons.map((r) => ({ kind: r.reason.kind, raisedBy: r.raisedByUserId })), participant.userId)) return undefined;
  // Dated from the first reason this person may know of: the date of a partner's confidence is theirs.
  const known = reasons.filter((r) => visibleTo([{ kind: r.reason.kind, raisedBy: r.raisedByUserId }], participant.userId));
  const since = known.map((r) => r.detectedAt).sort()[0] ?? row.opened_at;
  return { openedAt: since, assigneeUserId: row.assignee_user_id };
}
