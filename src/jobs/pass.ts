/**
 * One scheduled pass of every job, as of one instant: the same code runs every few minutes inside
 * the bot and once from `npx tandem jobs run [--at <instant>]`. Each job is idempotent for a given
 * instant, so a pass run twice, or by two processes at once, sends nothing twice.
 */
import cron from 'node-cron';
import type { Deps } from '../deps.js';
import { escalationPass, type EscalationPassResult } from '../features/escalations/pass.js';
import { followupPass, type FollowupPassResult } from '../features/followup/pass.js';
import { personalDataProviders } from '../features/privacy/providers/index.js';
import { anonymiseExpiredPairs, type RetentionOutcome } from '../features/privacy/retention.js';
import { programmeEndingPass } from '../features/settings/ending.js';
import { getProgramme } from '../store/programme.js';
import { pruneBookkeeping, type Pruned } from '../store/housekeeping.js';
import { countOf } from '../i18n/index.js';

export interface PassReport {
  at: Date;
  followup: FollowupPassResult;
  retention: RetentionOutcome;
  escalations: EscalationPassResult;
  /** Whether the facilitators were told, by this pass, that the programme ends in a month. */
  endingNotice: boolean;
  pruned: Pruned;
}

export async function runPass(deps: Deps, at: Date): Promise<PassReport> {
  const followup = await followupPass(deps, at);
  // After the follow-up: the prompts and reminders it just sent are facts the stall rules read.
  const escalations = await escalationPass(deps, at);
  const endingNotice = await programmeEndingPass(deps, at);
  // Data retention: the programme's setting, read at each pass, so a change applies at the next one.
  const { retentionMonths } = await getProgramme(deps.store.db);
  // Never ahead of the real clock: a pass as of a future instant must not erase what is not due yet.
  const retentionAt = new Date(Math.min(at.getTime(), deps.now().getTime()));
  const retention = await anonymiseExpiredPairs(deps.store.db, retentionAt, retentionMonths, personalDataProviders(deps.config.defaultLocale));
  // Tandem's own bookkeeping (deliveries seen, messages long sent, old audit entries), bounded by days.
  const pruned = await pruneBookkeeping(deps.store.db, retentionAt, retentionMonths);
  return { at, followup, escalations, retention, endingNotice, pruned };
}

export function describePass(report: PassReport): string {
  const f = report.followup;
  const e = report.escalations;
  return `Pass as of ${report.at.toISOString()}: ${countOf(f.prompts, 'check-in prompt or closing survey', 'check-in prompts or closing surveys')}, ${countOf(f.reminders, 'reminder', 'reminders')}, ${countOf(f.resumed, 'pause', 'pauses')} ended, ${countOf(f.completed, 'pair', 'pairs')} completed; ${countOf(e.checked, 'pair', 'pairs')} checked for stalls, ${countOf(e.raised, 'escalation', 'escalations')} raised or updated, ${e.reraised} raised again; data retention: ${countOf(report.retention.pairs, 'closed pair', 'closed pairs')} and ${countOf(report.retention.people, 'former participant', 'former participants')} anonymised${report.endingNotice ? '; the facilitators were told that the programme ends in a month' : ''}; bookkeeping erased: delivery records ${report.pruned.processedEvents}, sent message texts ${report.pruned.messageTexts}, message records ${report.pruned.messages}, audit entries ${report.pruned.auditEntries}.`;
}

/** Every five minutes, the minute Slack is least busy being irrelevant here: a pass is cheap. */
export const PASS_SCHEDULE = '*/5 * * * *';

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs the pass inside the bot on PASS_SCHEDULE, and once at start (after a downtime, what fell
 * due is sent at once). A pass still running when the next is due is not overlapped: that tick is
 * skipped, and the running pass finishes what is due anyway.
 */
export function startScheduler(deps: Deps, pass: () => Promise<unknown> = () => runPass(deps, deps.now()), schedule: string = PASS_SCHEDULE): Scheduler {
  // One pass at a time, whoever starts it (the start-up pass or a tick): a tick that finds one
  // under way is skipped, since the pass under way sends whatever is due anyway.
  let current: Promise<void> | undefined;
  const run = (): Promise<void> => {
    if (current) return Promise.resolve();
    current = pass()
      .then(
        () => undefined,
        (error: unknown) => deps.logger.error('The scheduled pass failed; the next one will take over', error),
      )
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  const task = cron.schedule(schedule, run, { name: 'tandem-pass', noOverlap: true });
  void run();
  return {
    async stop() {
      await task.stop();
      // The pass under way finishes (each page is one transaction) before the store closes.
      await current;
    },
  };
}
