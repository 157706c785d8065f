import type { Transaction } from 'kysely';
import { queueCalendarCancellations } from '../contract/calendar.js';
import type { Deps } from '../../deps.js';
import { type Candidate, matchPool, type Proposal } from '../../domain/matching/index.js';
import { type MatchingRefusal, matchingRefusal } from '../../domain/programme-dates.js';
import { instantToZoned } from '../../domain/time.js';
import { formatList, type Locale, t, personLocale, pairLocale } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { audit } from '../../store/audit.js';
import type { Database, ParticipantStatus } from '../../store/database.js';
import {
  findPair,
  insertProposal,
  movePair,
  OPEN_STATUSES,
  openPairOf,
  type Pair,
  pairsOfBatch,
  pairsOfRun,
  previousCouples,
  recordAnswer,
  setParticipantsStatus,
} from '../../store/pairs.js';
import { findParticipantByUser, type Participant, participantsByIds, waitingParticipants } from '../../store/participants.js';
import { getProgramme } from '../../store/programme.js';
import { type Conflict, conflictOf, pairUserIds } from '../conflicts/service.js';
import {
  batchMessage,
  directProposalMessage,
  introductionMessage,
  type People,
  PROPOSALS_PER_MESSAGE,
  summaryMessage,
  unmatchedMessage,
} from './views.js';

type Trx = Transaction<Database>;

function toCandidate(p: Participant, now: Date): Candidate {
  return {
    id: String(p.id),
    userId: p.userId,
    role: p.role,
    name: p.displayName,
    department: p.department,
    managerUserId: p.managerUserId,
    languages: p.languages,
    shares: p.shares,
    learns: p.learns,
    format: p.format,
    cadence: p.cadence,
    utcOffsetMinutes: instantToZoned(now, p.timeZone).offsetMinutes,
    available: true,
  };
}

const channelLocale = (deps: Deps): Locale => deps.config.defaultLocale;
/** One message for two people: their language when they share it, else the programme's. */

async function peopleOf(trx: Trx, pairs: readonly Pair[]): Promise<People> {
  return participantsByIds(trx, pairs.flatMap((p) => [p.juniorId, p.seniorId]));
}

/** Re-renders the message that shows this proposal, through the outbox, after its state changed. */
async function refreshProposal(deps: Deps, trx: Trx, pair: Pair): Promise<void> {
  const locale = channelLocale(deps);
  if (pair.runId === null || pair.batch === null) {
    const people = await peopleOf(trx, [pair]);
    await deps.outbox.enqueue(trx, `direct:${pair.id}:${pair.status}`, { kind: 'update', afterKey: `direct:${pair.id}`, message: directProposalMessage(locale, pair, people) });
    return;
  }
  const batch = await pairsOfBatch(trx, pair.runId, pair.batch);
  const all = await pairsOfRun(trx, pair.runId);
  const people = await peopleOf(trx, batch);
  const message = batchMessage(locale, batch, people, { from: pair.batch * PROPOSALS_PER_MESSAGE + 1, total: all.length });
  await deps.outbox.enqueue(trx, `run:${pair.runId}:batch:${pair.batch}:pair:${pair.id}:${pair.status}`, { kind: 'update', afterKey: `run:${pair.runId}:batch:${pair.batch}`, message });
  // Once every proposal of the run is decided, Approve all has nothing left to do: it goes.
  if (all.every((p) => p.status !== 'proposed')) {
    const run = await trx.selectFrom('matching_run').selectAll().where('id', '=', pair.runId).executeTakeFirstOrThrow();
    const summary = summaryMessage(locale, { runId: run.id, by: run.started_by, juniors: run.juniors, seniors: run.seniors, proposals: run.proposals, unmatched: run.unmatched, waiting: 0 });
    await deps.outbox.enqueue(trx, `run:${run.id}:summary:settled`, { kind: 'update', afterKey: `run:${run.id}:summary`, message: summary });
  }
}

async function refreshIntroduction(deps: Deps, trx: Trx, pair: Pair, junior: Participant, senior: Participant): Promise<void> {
  const key = `intro:${pair.id}:${pair.juniorAnswer ?? '-'}:${pair.seniorAnswer ?? '-'}:${pair.status}`;
  await deps.outbox.enqueue(trx, key, { kind: 'update', afterKey: `intro:${pair.id}`, message: introductionMessage(pairLocale(deps, junior, senior), pair, junior, senior) });
}

export type RunOutcome = { kind: 'no_pool' } | { kind: 'outside_dates'; refusal: MatchingRefusal } | { kind: 'done'; runId: number; proposals: number; unmatched: number };

/** Why no pair may be proposed today (the programme's day, in its zone), if none may. */
async function datesRefusal(deps: Deps, trx: Trx, now: Date): Promise<MatchingRefusal | null> {
  return matchingRefusal(await getProgramme(trx), instantToZoned(now, deps.config.tzDefault).date);
}

/**
 * Pairs everyone waiting, optimally, and posts the proposals for approval. The pool is read and the
 * proposals written in one transaction, so two runs at once cannot propose the same person twice.
 */
export async function runMatching(deps: Deps, by: string): Promise<RunOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<RunOutcome> => {
    const refusal = await datesRefusal(deps, trx, now);
    if (refusal) return { kind: 'outside_dates', refusal };
    const pool = await waitingParticipants(trx);
    if (pool.length === 0) return { kind: 'no_pool' } as const;
    const programme = await getProgramme(trx);
    const excludedPairs = await previousCouples(trx);
    const result = matchPool(
      pool.map((p) => toCandidate(p, now)),
      { allowSameDepartment: programme.allowSameDepartment, weights: programme.weights, excludedPairs },
    );
    const juniors = pool.filter((p) => p.role === 'junior').length;
    const run = await trx
      .insertInto('matching_run')
      .values({ started_by: by, started_at: now.toISOString(), juniors, seniors: pool.length - juniors, proposals: result.proposals.length, unmatched: result.unmatched.length, total_score: result.totalScore })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runId = run.id;
    await saveProposals(deps, trx, runId, by, result.proposals, now);
    const byId = new Map(pool.map((p) => [String(p.id), p]));
    for (const { id, reason } of result.unmatched) {
      const person = byId.get(id);
      if (!person) continue;
      await deps.outbox.enqueue(trx, `run:${runId}:unmatched:${person.id}`, { kind: 'post', channel: person.userId, message: unmatchedMessage(personLocale(deps, person), person, reason) });
    }
    await audit(trx, { actorUserId: by, action: 'matching.run', subject: `run:${runId}`, details: { proposals: result.proposals.length, unmatched: result.unmatched.length } }, now);
    return { kind: 'done', runId, proposals: result.proposals.length, unmatched: result.unmatched.length } as const;
  });
}

async function saveProposals(deps: Deps, trx: Trx, runId: number, by: string, proposals: readonly Proposal[], now: Date): Promise<void> {
  const locale = channelLocale(deps);
  const pairs: Pair[] = [];
  for (const [index, proposal] of proposals.entries()) {
    const juniorId = Number(proposal.juniorId);
    const seniorId = Number(proposal.seniorId);
    const id = await insertProposal(trx, { juniorId, seniorId, score: proposal.score, reasons: proposal.reasons, runId, batch: Math.floor(index / PROPOSALS_PER_MESSAGE), proposedBy: by }, now);
    pairs.push((await findPair(trx, id)) as Pair);
  }
  await setParticipantsStatus(trx, pairs.flatMap((p) => [p.juniorId, p.seniorId]), 'matched', ['enrolled'], now);
  // The dashboards count the proposals; the people in them see nothing before approval.
  await deps.home.changed(trx, {});
  const run = await trx.selectFrom('matching_run').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
  await deps.outbox.enqueue(trx, `run:${runId}:summary`, {
    kind: 'post',
    channel: deps.config.facilitatorChannelId,
    message: summaryMessage(locale, { runId, by, juniors: run.juniors, seniors: run.seniors, proposals: run.proposals, unmatched: run.unmatched, waiting: pairs.length }),
  });
  const people = await peopleOf(trx, pairs);
  for (let batch = 0; batch * PROPOSALS_PER_MESSAGE < pairs.length; batch++) {
    const slice = pairs.slice(batch * PROPOSALS_PER_MESSAGE, (batch + 1) * PROPOSALS_PER_MESSAGE);
    await deps.outbox.enqueue(trx, `run:${runId}:batch:${batch}`, {
      kind: 'post',
      channel: deps.config.facilitatorChannelId,
      message: batchMessage(locale, slice, people, { from: batch * PROPOSALS_PER_MESSAGE + 1, total: pairs.length }),
    });
  }
}

export type Rule = 'language' | 'department' | 'manager';
export type ChangeReason = { kind: 'left' | 'paused' | 'paired'; userId: string } | { kind: 'rules'; rules: Rule[] };

/** The programme's hard rules for these two, as matching applies them: the proposal, or the rules broken. */
async function checkRules(trx: Trx, junior: Participant, senior: Participant, now: Date): Promise<{ proposal: Proposal } | { rules: Rule[] }> {
  const programme = await getProgramme(trx);
  const result = matchPool([toCandidate(junior, now), toCandidate(senior, now)], { allowSameDepartment: programme.allowSameDepartment, weights: programme.weights, excludedPairs: new Set() });
  const proposal = result.proposals[0];
  if (proposal) return { proposal };
  const reason = result.unmatched[0]?.reason;
  const blocked = reason?.kind === 'no_compatible_partner' ? reason.blockedBy : undefined;
  return { rules: (['language', 'department', 'manager'] as const).filter((rule) => (blocked?.[rule] ?? 0) > 0) };
}
export type DecisionOutcome =
  | { kind: 'approved' | 'rejected' }
  | { kind: 'unknown' }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'already'; status: string }
  | { kind: 'changed'; reason: ChangeReason };

/** Why a proposed person can no longer be introduced, if they cannot. */
function unavailability(person: Participant): ChangeReason | undefined {
  const status: ParticipantStatus = person.status;
  if (status === 'left' || status === 'completed') return { kind: 'left', userId: person.userId };
  if (status === 'paused') return { kind: 'paused', userId: person.userId };
  if (status === 'paired') return { kind: 'paired', userId: person.userId };
  return undefined;
}

/** The rules a pair breaks, for a sentence: how many, and each said in a list ("they share no language and one manages the other"). */
export function ruleDetails(locale: Locale, rules: readonly Rule[]): { count: number; details: string } {
  return { count: rules.length, details: formatList(locale, rules.map((rule) => t(locale, `pair.blocked.${rule}`))) };
}

export function changeReasonText(locale: Locale, reason: ChangeReason): string {
  if (reason.kind === 'rules') return t(locale, 'match.changedReason.rules', ruleDetails(locale, reason.rules));
  return t(locale, `match.changedReason.${reason.kind}`, { person: mention(reason.userId) });
}

/** Whether this facilitator is in the proposal they would decide on (read before the decision's transaction). */
async function ownProposal(deps: Deps, by: string, pairId: number): Promise<DecisionOutcome | undefined> {
  const conflict = await conflictOf(deps, by, await pairUserIds(deps.store.db, pairId), 'proposal');
  return conflict && { kind: 'conflict', ...conflict };
}

/** A facilitator approves a proposal: the pair gets its introduction, once. */
export async function approveProposal(deps: Deps, by: string, pairId: number): Promise<DecisionOutcome> {
  const conflict = await ownProposal(deps, by, pairId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const pair = await findPair(trx, pairId);
    if (!pair) return { kind: 'unknown' } as const;
    if (pair.status !== 'proposed') return { kind: 'already', status: pair.status } as const;
    const people = await peopleOf(trx, [pair]);
    const junior = people.get(pair.juniorId) as Participant;
    const senior = people.get(pair.seniorId) as Participant;
    let change = unavailability(junior) ?? unavailability(senior);
    // Profiles may have been edited since the proposal: the rules are checked again.
    const rules = change ? undefined : await checkRules(trx, junior, senior, now);
    if (rules && 'rules' in rules) change = { kind: 'rules', rules: rules.rules };
    if (change) {
      await withdraw(deps, trx, pair, changeReasonText(channelLocale(deps), change), by, now);
      return { kind: 'changed', reason: change } as const;
    }
    await movePair(trx, pair.id, ['proposed'], 'introduced', { decided_by: by, decided_at: now.toISOString(), introduced_at: now.toISOString() }, now);
    await deps.home.changed(trx, { participantIds: [pair.juniorId, pair.seniorId] });
    const introduced = (await findPair(trx, pair.id)) as Pair;
    await audit(trx, { actorUserId: by, action: 'pair.approved', subject: `pair:${pair.id}` }, now);
    await deps.outbox.enqueue(trx, `intro:${pair.id}`, { kind: 'post', users: [junior.userId, senior.userId], message: introductionMessage(pairLocale(deps, junior, senior), introduced, junior, senior) });
    await refreshProposal(deps, trx, introduced);
    return { kind: 'approved' } as const;
  });
}

async function withdraw(deps: Deps, trx: Trx, pair: Pair, reason: string, by: string, now: Date): Promise<void> {
  await movePair(trx, pair.id, ['proposed'], 'withdrawn', { ended_at: now.toISOString(), ended_by: by, end_reason: reason }, now);
  await setParticipantsStatus(trx, [pair.juniorId, pair.seniorId], 'enrolled', ['matched'], now);
  await deps.home.changed(trx, { participantIds: [pair.juniorId, pair.seniorId] });
  await audit(trx, { actorUserId: by, action: 'pair.withdrawn', subject: `pair:${pair.id}`, details: { reason } }, now);
  await refreshProposal(deps, trx, (await findPair(trx, pair.id)) as Pair);
}

export async function rejectProposal(deps: Deps, by: string, pairId: number): Promise<DecisionOutcome> {
  const conflict = await ownProposal(deps, by, pairId);
  if (conflict) return conflict;
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const pair = await findPair(trx, pairId);
    if (!pair) return { kind: 'unknown' } as const;
    if (!(await rejectIn(deps, trx, pair, by, now))) return { kind: 'already', status: pair.status } as const;
    return { kind: 'rejected' } as const;
  });
}

async function rejectIn(deps: Deps, trx: Trx, pair: Pair, by: string, now: Date, reason?: string): Promise<boolean> {
  const change = { decided_by: by, decided_at: now.toISOString(), ...(reason ? { end_reason: reason } : {}) };
  if (!(await movePair(trx, pair.id, ['proposed'], 'rejected', change, now))) return false;
  await setParticipantsStatus(trx, [pair.juniorId, pair.seniorId], 'enrolled', ['matched'], now);
  await deps.home.changed(trx, { participantIds: [pair.juniorId, pair.seniorId] });
  await audit(trx, { actorUserId: by, action: 'pair.rejected', subject: `pair:${pair.id}`, ...(reason ? { details: { reason } } : {}) }, now);
  await refreshProposal(deps, trx, (await findPair(trx, pair.id)) as Pair);
  return true;
}

export type ApproveAllOutcome = { kind: 'unknown' } | { kind: 'done'; approved: number; skipped: number; own: number };

export async function approveAll(deps: Deps, by: string, runId: number): Promise<ApproveAllOutcome> {
  const run = await deps.store.db.selectFrom('matching_run').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) return { kind: 'unknown' };
  let approved = 0;
  let skipped = 0;
  // The facilitator's own proposals wait for another facilitator, whatever Approve all says.
  let own = 0;
  for (const pair of await pairsOfRun(deps.store.db, runId)) {
    if (pair.status !== 'proposed') continue;
    const outcome = await approveProposal(deps, by, pair.id);
    if (outcome.kind === 'approved') approved++;
    else if (outcome.kind === 'conflict') own++;
    else skipped++;
  }
  if (approved > 0 || skipped > 0) {
    await deps.store.db.transaction().execute(async (trx) => {
      await audit(trx, { actorUserId: by, action: 'matching.approve_all', subject: `run:${runId}`, details: { approved, skipped } }, deps.now());
      const message = summaryMessage(channelLocale(deps), { runId, by: run.started_by, juniors: run.juniors, seniors: run.seniors, proposals: run.proposals, unmatched: run.unmatched, approvedAllBy: by, waiting: 0 });
      await deps.outbox.enqueue(trx, `run:${runId}:summary:approved-all`, { kind: 'update', afterKey: `run:${runId}:summary`, message });
    });
  }
  return { kind: 'done', approved, skipped, own };
}

export type AnswerOutcome =
  | { kind: 'unknown' | 'not_yours' | 'already_answered' }
  | { kind: 'closed'; status: string }
  | { kind: 'accepted'; both: boolean }
  | { kind: 'declined' };

/** A partner answers their introduction; only their own click counts, and only once. */
export async function answerIntroduction(deps: Deps, userId: string, pairId: number, answer: 'accepted' | 'declined'): Promise<AnswerOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const pair = await findPair(trx, pairId);
    if (!pair) return { kind: 'unknown' } as const;
    const people = await peopleOf(trx, [pair]);
    const junior = people.get(pair.juniorId) as Participant;
    const senior = people.get(pair.seniorId) as Participant;
    const side = junior.userId === userId ? 'junior' : senior.userId === userId ? 'senior' : null;
    if (!side) return { kind: 'not_yours' } as const;
    if (pair.status !== 'introduced') return { kind: 'closed', status: pair.status } as const;
    if (!(await recordAnswer(trx, pair.id, side, answer, now))) return { kind: 'already_answered' } as const;
    await deps.home.changed(trx, { participantIds: [junior.id, senior.id] });
    await audit(trx, { actorUserId: userId, action: `introduction.${answer}`, subject: `pair:${pair.id}` }, now);
    const locale = channelLocale(deps);
    const me = side === 'junior' ? junior : senior;
    const partner = side === 'junior' ? senior : junior;
    if (answer === 'declined') {
      await movePair(trx, pair.id, ['introduced'], 'declined', { ended_at: now.toISOString(), ended_by: userId }, now);
      await setParticipantsStatus(trx, [junior.id, senior.id], 'enrolled', ['matched'], now);
      await deps.outbox.enqueue(trx, `intro:${pair.id}:declined:notice`, {
        kind: 'post',
        channel: deps.config.facilitatorChannelId,
        message: { text: t(locale, 'intro.facilitatorDeclined', { person: mention(me.userId), partner: mention(partner.userId) }) },
      });
    }
    const answered = (await findPair(trx, pair.id)) as Pair;
    const both = answered.juniorAnswer === 'accepted' && answered.seniorAnswer === 'accepted';
    if (both) {
      await movePair(trx, pair.id, ['introduced'], 'accepted', { accepted_at: now.toISOString() }, now);
      await setParticipantsStatus(trx, [junior.id, senior.id], 'paired', ['matched'], now);
      await deps.outbox.enqueue(trx, `intro:${pair.id}:accepted:notice`, {
        kind: 'post',
        channel: deps.config.facilitatorChannelId,
        message: { text: t(locale, 'intro.facilitatorAccepted', { junior: mention(junior.userId), senior: mention(senior.userId) }) },
      });
    }
    const current = (await findPair(trx, pair.id)) as Pair;
    await refreshIntroduction(deps, trx, current, junior, senior);
    if (current.status !== 'introduced') await refreshProposal(deps, trx, current);
    return answer === 'declined' ? ({ kind: 'declined' } as const) : ({ kind: 'accepted', both } as const);
  });
}

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** The Slack user ids mentioned in a command's text (Slack escapes "@name" as <@U123|name>). */
export function mentionedUsers(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1] as string);
}

export type DirectOutcome =
  | { kind: 'proposed'; pairId: number }
  | { kind: 'usage' }
  | { kind: 'same'; userId: string }
  | { kind: 'not_enrolled'; userId: string }
  | { kind: 'wrong_role'; userId: string; role: 'junior' | 'senior' }
  | { kind: 'unavailable'; userId: string; status: ParticipantStatus }
  | { kind: 'before'; juniorUserId: string; seniorUserId: string }
  | { kind: 'blocked'; rules: Rule[] }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'outside_dates'; refusal: MatchingRefusal };

/** `/tandem pair @junior @senior`: the same rules as matching, then a proposal like any other. */
export async function proposeDirect(deps: Deps, by: string, juniorUserId: string, seniorUserId: string): Promise<DirectOutcome> {
  if (juniorUserId === seniorUserId) return { kind: 'same', userId: juniorUserId };
  // Choosing one's own partner is deciding on one's own proposal: another facilitator does it.
  const conflict = await conflictOf(deps, by, [juniorUserId, seniorUserId], 'proposal');
  if (conflict) return { kind: 'conflict', ...conflict };
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx): Promise<DirectOutcome> => {
    const refusal = await datesRefusal(deps, trx, now);
    if (refusal) return { kind: 'outside_dates', refusal };
    const junior = await findParticipantByUser(trx, juniorUserId);
    const senior = await findParticipantByUser(trx, seniorUserId);
    for (const [userId, person] of [[juniorUserId, junior], [seniorUserId, senior]] as const) {
      if (!person || person.status === 'left') return { kind: 'not_enrolled', userId } as const;
    }
    if (!junior || !senior) return { kind: 'usage' } as const;
    if (junior.role !== 'junior') return { kind: 'wrong_role', userId: junior.userId, role: junior.role } as const;
    if (senior.role !== 'senior') return { kind: 'wrong_role', userId: senior.userId, role: senior.role } as const;
    for (const person of [junior, senior]) {
      if (person.status !== 'enrolled') return { kind: 'unavailable', userId: person.userId, status: person.status } as const;
    }
    if ((await previousCouples(trx)).has(`${junior.id}:${senior.id}`)) return { kind: 'before', juniorUserId, seniorUserId } as const;
    const checked = await checkRules(trx, junior, senior, now);
    if ('rules' in checked) return { kind: 'blocked', rules: checked.rules } as const;
    const { proposal } = checked;
    const pairId = await insertProposal(trx, { juniorId: junior.id, seniorId: senior.id, score: proposal.score, reasons: proposal.reasons, runId: null, batch: null, proposedBy: by }, now);
    await setParticipantsStatus(trx, [junior.id, senior.id], 'matched', ['enrolled'], now);
    await deps.home.changed(trx, {});
    const pair = (await findPair(trx, pairId)) as Pair;
    await audit(trx, { actorUserId: by, action: 'pair.proposed', subject: `pair:${pairId}` }, now);
    await deps.outbox.enqueue(trx, `direct:${pairId}`, { kind: 'post', channel: deps.config.facilitatorChannelId, message: directProposalMessage(channelLocale(deps), pair, new Map([[junior.id, junior], [senior.id, senior]])) });
    return { kind: 'proposed', pairId } as const;
  });
}

export type UnpairTarget =
  | { kind: 'usage' }
  | { kind: 'no_pair'; userId: string }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'pair'; pair: Pair; junior: Participant; senior: Participant };

export async function findUnpairTarget(deps: Deps, by: string, args: string): Promise<UnpairTarget> {
  const [userId] = mentionedUsers(args);
  if (!userId) return { kind: 'usage' };
  const person = await findParticipantByUser(deps.store.db, userId);
  const pair = person && (await openPairOf(deps.store.db, person.id));
  if (!pair) return { kind: 'no_pair', userId };
  const people = await participantsByIds(deps.store.db, [pair.juniorId, pair.seniorId]);
  // A facilitator ends their own pair as any partner does, with /tandem leave.
  const conflict = await conflictOf(deps, by, [...people.values()].map((p) => p.userId), pair.status === 'proposed' ? 'proposal' : 'pair');
  if (conflict) return { kind: 'conflict', ...conflict };
  return { kind: 'pair', pair, junior: people.get(pair.juniorId) as Participant, senior: people.get(pair.seniorId) as Participant };
}

/** Whether the pair a (possibly forged) unpair form names is the facilitator's own. */
export async function unpairConflict(deps: Deps, by: string, pairId: number): Promise<Conflict | undefined> {
  const pair = await findPair(deps.store.db, pairId);
  return pair && conflictOf(deps, by, await pairUserIds(deps.store.db, pairId), pair.status === 'proposed' ? 'proposal' : 'pair');
}

/** The reason a facilitator typed after the mention, if any. */
export function reasonAfterMention(args: string): string {
  return args.replace(MENTION, '').trim();
}

export type EndOutcome = { kind: 'ended'; junior: Participant; senior: Participant } | { kind: 'gone' };

/** Ends a pair (a facilitator's decision, or a partner leaving): both are told kindly and return to the pool. */
export async function endPair(deps: Deps, by: string, pairId: number, reason: string, leaver?: number): Promise<EndOutcome> {
  const now = deps.now();
  return deps.store.db.transaction().execute(async (trx) => endPairIn(deps, trx, by, pairId, reason, now, leaver));
}

/** `leaverNamed` false: the partner is told without the leaver's name (they asked for their data to be erased). */
/** What the partner of someone who left is told: who left, or only that their partner left (forget), or that Slack deactivated them. */
export type LeaverNotice = 'named' | 'anonymous' | 'deactivated';

export async function endPairIn(deps: Deps, trx: Trx, by: string, pairId: number, reason: string, now: Date, leaver?: number, leaverNotice: LeaverNotice = 'named'): Promise<EndOutcome> {
  const pair = await findPair(trx, pairId);
  if (!pair || !OPEN_STATUSES.includes(pair.status)) return { kind: 'gone' };
  const people = await peopleOf(trx, [pair]);
  const junior = people.get(pair.juniorId) as Participant;
  const senior = people.get(pair.seniorId) as Participant;
  if (pair.status === 'proposed') {
    // A facilitator ending a proposal decides against it: like a rejection, it is never proposed again.
    if (leaver === undefined) await rejectIn(deps, trx, pair, by, now, reason);
    else await withdraw(deps, trx, pair, reason, by, now);
    return { kind: 'ended', junior, senior };
  }
  await movePair(trx, pair.id, OPEN_STATUSES, 'ended', { ended_at: now.toISOString(), ended_by: by, end_reason: reason }, now);
  await setParticipantsStatus(trx, [junior.id, senior.id].filter((id) => id !== leaver), 'enrolled', ['matched', 'paired', 'paused'], now);
  await deps.home.changed(trx, { participantIds: [junior.id, senior.id] });
  // The sessions leave the partners' calendars. Not queued for a leaver being erased (theirs was
  // sent to them directly just before, while their data was there: see confirmForget; nothing may be
  // sent once it is gone, and it goes in this transaction) nor for one Slack deactivated.
  const gone = leaver !== undefined && leaverNotice !== 'named' ? leaver : undefined;
  await queueCalendarCancellations(deps, trx, pair.id, [junior, senior].filter((p) => p.id !== gone), now);
  await audit(trx, { actorUserId: by, action: 'pair.ended', subject: `pair:${pair.id}`, details: { reason } }, now);
  if (leaver === undefined) {
    const text = t(channelLocale(deps), 'unpair.facilitatorNotice', { by: mention(by), junior: mention(junior.userId), senior: mention(senior.userId) });
    await deps.outbox.enqueue(trx, `pair:${pair.id}:ended:notice`, { kind: 'post', channel: deps.config.facilitatorChannelId, message: { text } });
  }
  for (const person of [junior, senior]) {
    if (person.id === leaver) continue;
    const locale = personLocale(deps, person);
    const other = person.id === junior.id ? senior : junior;
    const text =
      leaver === undefined
        ? t(locale, 'unpair.partnerNotice')
        : leaverNotice === 'named'
          ? t(locale, 'leave.partnerNotice', { person: mention(other.userId) })
          : leaverNotice === 'deactivated'
            ? t(locale, 'workspace.deactivated.partnerNotice', { person: mention(other.userId) })
            : t(locale, 'privacy.forget.partnerNotice');
    await deps.outbox.enqueue(trx, `pair:${pair.id}:ended:${person.id}`, { kind: 'post', channel: person.userId, message: { text } });
  }
  const ended = (await findPair(trx, pair.id)) as Pair;
  if (pair.status === 'introduced') await refreshIntroduction(deps, trx, ended, junior, senior);
  return { kind: 'ended', junior, senior };
}
