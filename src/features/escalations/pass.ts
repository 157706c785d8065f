/**
 * The escalation part of the scheduled pass, as of one instant: the stall rules, and raising again
 * the escalations nobody took.
 *
 * The time rules count whole days in each pair's zone, so a pair is looked at once per local day,
 * early in it (`stall_check.next_check_at`, indexed): a pass reads only the pairs whose day has just
 * turned, a page at a time, never the whole programme. Each page is one transaction that first moves
 * its checks to the next day, only if nobody moved them since: the same instant twice, or two
 * processes at once, look at each pair once. Reasons are unique per pair and key, and messages go
 * through the outbox under keys of their own, so nothing is raised or sent twice.
 */
import type { Deps } from '../../deps.js';
import { nextStallCheck, reraiseAt, STALL_CHECK_SLOTS } from '../../domain/escalation.js';
import { detectStalls, type PairFacts, type PairStatus, type PromptLog, type StallSettings, type TimeRuleKind } from '../../domain/stall.js';
import { isValidTimeZone } from '../../domain/time.js';
import {
  changeOpenEscalation,
  claimStallChecks,
  dueStallChecks,
  pairFacts,
  type PairFactsRow,
  type PromptFactsRow,
  type ResolutionRow,
  unhandledEscalations,
  watchNewPairs,
} from '../../store/escalations.js';
import { getProgramme } from '../../store/programme.js';
import { audit } from '../../store/audit.js';
import { escalationKey, linkOf, publish, raiseForPairs } from './service.js';
import { reraiseMessage } from './views.js';

const PAGE = 500;
const DAY_MS = 86_400_000;

export interface EscalationPassResult {
  /** Pairs the stall rules looked at. */
  checked: number;
  /** Escalations opened, or updated with a new reason. */
  raised: number;
  /** Escalations raised again because nobody took them. */
  reraised: number;
}

/** Pairs that may still stall (a proposal is watched: it becomes an introduction). */
const WATCHED: ReadonlySet<string> = new Set(['proposed', 'introduced', 'accepted', 'active']);
const RULED: ReadonlySet<string> = new Set(['introduced', 'accepted', 'active']);

export async function escalationPass(deps: Deps, at: Date): Promise<EscalationPassResult> {
  const programme = await getProgramme(deps.store.db);
  const { checked, raised } = await checkStalls(deps, at, programme);
  const reraised = await reraiseUnhandled(deps, at, programme.escalationReraiseWorkingDays);
  return { checked, raised, reraised };
}

/** Next checks, computed once per zone and slot in a pass (zone arithmetic is the costly part). */
function nextCheckCache(deps: Deps, at: Date) {
  const cache = new Map<string, Date>();
  const zones = new Map<string, string>();
  const zoneOf = (timeZone: string): string => {
    let valid = zones.get(timeZone);
    if (valid === undefined) {
      valid = isValidTimeZone(timeZone) ? timeZone : deps.config.tzDefault;
      zones.set(timeZone, valid);
    }
    return valid;
  };
  return {
    zoneOf,
    next(timeZone: string, pairId: number): Date {
      const zone = zoneOf(timeZone);
      const key = `${zone}|${pairId % STALL_CHECK_SLOTS}`;
      let next = cache.get(key);
      if (!next) {
        next = nextStallCheck(at, zone, pairId);
        cache.set(key, next);
      }
      return next;
    },
  };
}

async function checkStalls(deps: Deps, at: Date, settings: StallSettings): Promise<{ checked: number; raised: number }> {
  const db = deps.store.db;
  await watchNewPairs(db, at);
  const checks = nextCheckCache(deps, at);
  let checked = 0;
  let raised = 0;
  let after = { at: '', pairId: 0 };
  for (;;) {
    const page = await dueStallChecks(db, at, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = { at: last.nextCheckAt, pairId: last.pairId };
    const outcome = await db.transaction().execute(async (trx) => {
      // The claim comes first: the page's write lock is taken before anything is read for it.
      const taken = await claimStallChecks(
        trx,
        page.map((row) => ({ pairId: row.pairId, expected: row.nextCheckAt, next: WATCHED.has(row.status) ? checks.next(row.timeZone, row.pairId) : null })),
        at,
      );
      const claimed = page.filter((row) => taken.has(row.pairId) && RULED.has(row.status));
      const { pairs, prompts, resolutions } = await pairFacts(trx, claimed.map((row) => row.pairId));
      const promptsOf = groupPrompts(prompts);
      const resolvedOf = groupResolutions(resolutions);
      const stalled = pairs.flatMap((row) => {
        const facts = factsOf(row, promptsOf.get(row.pairId) ?? [], resolvedOf.get(row.pairId) ?? {}, checks.zoneOf(row.timeZone));
        const reasons = detectStalls(facts, settings, at);
        return reasons.length === 0 ? [] : [{ pairId: row.pairId, reasons: reasons.map((reason) => ({ reason, raisedBy: null, note: null })) }];
      });
      return { checked: claimed.length, raised: await raiseForPairs(deps, trx, stalled, 'tandem', at) };
    });
    checked += outcome.checked;
    raised += outcome.raised;
  }
  return { checked, raised };
}

function groupPrompts(rows: readonly PromptFactsRow[]): Map<number, PromptLog[]> {
  const byPair = new Map<number, PromptLog[]>();
  for (const row of rows) {
    const list = byPair.get(row.pairId) ?? [];
    list.push({
      id: String(row.id),
      sentAt: new Date(row.sentAt),
      answeredAt: row.answeredAt ? new Date(row.answeredAt) : null,
      remindedAt: row.remindedAt ? new Date(row.remindedAt) : null,
    });
    byPair.set(row.pairId, list);
  }
  return byPair;
}

function groupResolutions(rows: readonly ResolutionRow[]): Map<number, Partial<Record<TimeRuleKind, Date>>> {
  const byPair = new Map<number, Partial<Record<TimeRuleKind, Date>>>();
  for (const row of rows) {
    const resolved = byPair.get(row.pairId) ?? {};
    resolved[row.kind as TimeRuleKind] = new Date(row.resolvedAt);
    byPair.set(row.pairId, resolved);
  }
  return byPair;
}

function factsOf(row: PairFactsRow, prompts: PromptLog[], resolved: Partial<Record<TimeRuleKind, Date>>, timeZone: string): PairFacts {
  const status: PairStatus = row.status === 'introduced' || row.status === 'accepted' || row.status === 'active' ? row.status : 'closed';
  const pending = [row.juniorAnswer === null ? row.juniorUserId : null, row.seniorAnswer === null ? row.seniorUserId : null].filter((u): u is string => u !== null);
  return {
    status,
    timeZone,
    introducedAt: row.introducedAt ? new Date(row.introducedAt) : null,
    introductionPending: pending,
    acceptedAt: row.acceptedAt ? new Date(row.acceptedAt) : null,
    contractSignedAt: row.signedAt ? new Date(row.signedAt) : null,
    cadence: row.cadence,
    paused: row.paused,
    resumedAt: row.resumedAt ? new Date(row.resumedAt) : null,
    lastMeetingOn: row.lastMeetingOn,
    prompts,
    firstPromptAt: row.firstPromptAt ? new Date(row.firstPromptAt) : null,
    startDate: row.startDate,
    resolved,
  };
}

/**
 * An escalation nobody took within the programme's working days is posted again, once, with a link
 * to its message. Working days are never fewer than calendar days, so only escalations opened at
 * least that many calendar days ago (give or take a daylight-saving hour) are read.
 */
async function reraiseUnhandled(deps: Deps, at: Date, workingDays: number): Promise<number> {
  const db = deps.store.db;
  const locale = deps.config.defaultLocale;
  const zone = deps.config.tzDefault;
  const openedBefore = new Date(at.getTime() - workingDays * DAY_MS + 2 * 3_600_000);
  let count = 0;
  let after = 0;
  for (;;) {
    const page = await unhandledEscalations(db, openedBefore, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = last.id;
    for (const row of page) {
      if (reraiseAt(new Date(row.opened_at), workingDays, zone) > at) continue;
      const done = await db.transaction().execute(async (trx) => {
        const updated = await changeOpenEscalation(trx, row.id, { reraised_at: at.toISOString() }, at, { assignee: null, notReraised: true });
        if (!updated) return false;
        await audit(trx, { actorUserId: 'tandem', action: 'escalation.reraised', subject: escalationKey(row.id), details: { workingDays } }, at);
        const view = await publish(deps, trx, updated, false);
        const link = await linkOf(trx, row.id);
        await deps.outbox.enqueue(trx, `${escalationKey(row.id)}:reraise`, {
          kind: 'post',
          channel: deps.config.facilitatorChannelId,
          message: reraiseMessage(locale, view, workingDays, link),
        });
        return true;
      });
      if (done) count += 1;
    }
  }
  return count;
}
