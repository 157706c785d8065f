/**
 * What the Home tab shows and the few things done from it. The use cases themselves (contract,
 * check-in, pause, matching) stay in their features; here they are reached with the checks that a
 * button's value needs: it comes from the network, so the pair it names must be the clicker's.
 */
import type { HomeView } from '@slack/types';
import type { Deps } from '../../deps.js';
import { lastMatchingRun, pairCounts, participantCounts, waitingPage } from '../../store/dashboard.js';
import { setHomePage } from '../../store/home.js';
import { findPair, knownPairOf, lastCompletedPairOf, OPEN_STATUSES } from '../../store/pairs.js';
import { findParticipant, findParticipantByUser, type Participant, seenStatus } from '../../store/participants.js';
import { pairContractStatus } from '../contract/service.js';
import { escalationStatus, openEscalationList } from '../escalations/service.js';

/** The oldest open escalations the dashboard lists (with links); the rest are counted. */
const DASHBOARD_ESCALATIONS = 5;
import { followupStatus, type PauseOutcome, pausePair, type Refusal, resumePair } from '../followup/service.js';
import { type DashboardView, homeView, type ParticipantHome, type PartnerView, WAITING_PAGE_SIZE } from './views.js';

const refused = (key: Refusal['key']): Refusal => ({ kind: 'refused', key });

/** The partner of the participant's open pair, or of their last completed one (it shows what was learned). */
export async function partnerOf(deps: Deps, participant: Participant): Promise<PartnerView | undefined> {
  const pair = (await knownPairOf(deps.store.db, participant.id)) ?? (participant.status === 'completed' ? await lastCompletedPairOf(deps.store.db, participant.id) : undefined);
  if (!pair) return undefined;
  const otherId = pair.juniorId === participant.id ? pair.seniorId : pair.juniorId;
  const [other, contract, followup, escalation] = await Promise.all([
    findParticipant(deps.store.db, otherId),
    pairContractStatus(deps.store.db, pair, participant.timeZone),
    followupStatus(deps.store.db, pair, participant.id),
    escalationStatus(deps.store.db, pair, participant),
  ]);
  return other && { pairId: pair.id, userId: other.userId, pairStatus: pair.status as PartnerView['pairStatus'], contract, followup, escalation };
}

/**
 * The person as they see themselves on `/tandem status` and the Home tab: a proposal waiting for a
 * facilitator is not shown to the people in it, so they read as waiting for a partner.
 */
export async function participantHome(deps: Deps, userId: string): Promise<ParticipantHome> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  if (!participant) return { participant, partner: undefined };
  const partner = await partnerOf(deps, participant);
  return { participant: { ...participant, status: seenStatus(participant, partner !== undefined) }, partner };
}

/** The programme as a facilitator sees it, with this page of the waiting list (past the last: the last). */
export async function dashboardView(deps: Deps, page: number, timeZone: string): Promise<DashboardView> {
  const db = deps.store.db;
  const [people, pairs, lastRun, escalations] = await Promise.all([participantCounts(db), pairCounts(db), lastMatchingRun(db), openEscalationList(db, DASHBOARD_ESCALATIONS)]);
  const total = people.enrolled;
  const pages = Math.max(1, Math.ceil(total / WAITING_PAGE_SIZE));
  const shown = Math.min(Math.max(0, page), pages - 1);
  const waiting = await waitingPage(db, shown * WAITING_PAGE_SIZE, WAITING_PAGE_SIZE);
  return { people, pairs, lastRun, timeZone, escalations, waiting: { total, page: shown, pages, people: waiting } };
}

/** The whole tab of one person: their own part, and the dashboard when they are a facilitator. */
export async function renderHome(deps: Deps, userId: string, page: number): Promise<{ view: HomeView; dashboard: boolean }> {
  const [person, isFacilitator, home] = await Promise.all([deps.people.get(userId), deps.facilitators.isFacilitator(userId), participantHome(deps, userId)]);
  const dashboard = isFacilitator ? await dashboardView(deps, page, person.timeZone) : undefined;
  return { view: homeView(person.locale, home, dashboard), dashboard: isFacilitator };
}

/** The pair a Home button names, if it is the clicker's own pair with a contract in force. */
export async function ownActivePair(deps: Deps, userId: string, pairId: number): Promise<{ kind: 'ok'; pairId: number } | Refusal> {
  const me = await findParticipantByUser(deps.store.db, userId);
  if (!me || me.status === 'left') return refused('error.notEnrolled');
  const pair = await findPair(deps.store.db, pairId);
  if (!pair || (pair.juniorId !== me.id && pair.seniorId !== me.id)) return refused('home.refused.notYourPair');
  if (!OPEN_STATUSES.includes(pair.status)) return refused('followup.refused.closed');
  if (pair.status !== 'active') return refused('followup.refused.noContract');
  return { kind: 'ok', pairId: pair.id };
}

/** The pause modal's submission: the named pair checked again, then the follow-up's own pause. */
export async function pauseFromHome(deps: Deps, userId: string, pairId: number, date: string | null): Promise<PauseOutcome> {
  const own = await ownActivePair(deps, userId, pairId);
  if (own.kind === 'refused') return own;
  const outcome = await pausePair(deps, userId, date ?? undefined);
  // The command's wording ("give the date as YYYY-MM-DD") does not fit a date picker.
  return outcome.kind === 'refused' && outcome.key === 'followup.pause.badDate' ? refused('home.pause.badDate') : outcome;
}

export async function resumeFromHome(deps: Deps, userId: string, pairId: number): Promise<PauseOutcome> {
  const own = await ownActivePair(deps, userId, pairId);
  return own.kind === 'refused' ? own : resumePair(deps, userId);
}

export async function turnPage(deps: Deps, userId: string, page: number): Promise<void> {
  await setHomePage(deps.store.db, userId, page, deps.now());
  await deps.home.publishNow(userId);
}
