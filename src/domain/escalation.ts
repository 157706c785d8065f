/**
 * Escalations to the facilitators, the pure part: what each reason lets whom know, when an
 * escalation nobody took is raised again, and when a pair is next looked at by the stall rules.
 */
import type { StallKind, StallReason } from './stall.js';
import { addDays, addWorkingDays, instantToZoned, type IsoDate, zonedDateTimeToInstant } from './time.js';

/**
 * Everything an escalation can hold: the stall reasons, and the private note of a check-in, which
 * joins an escalation already open but never opens one by itself (most notes are not a problem).
 */
export type EscalationReason = StallReason | { kind: 'private_note'; key: string; facts: { checkinId: string; writtenBy: string; date: IsoDate } };
export type ReasonKind = StallKind | 'private_note';

export const REASON_KINDS = [
  'help_requested',
  'concern',
  'low_rating',
  'private_note',
  'no_first_meeting',
  'no_meeting',
  'unanswered_prompts',
  'contract_unsigned',
  'introduction_unanswered',
] as const satisfies readonly ReasonKind[];

export function privateNote(checkinId: string, writtenBy: string, date: IsoDate): EscalationReason {
  return { kind: 'private_note', key: `private_note:${checkinId}`, facts: { checkinId, writtenBy, date } };
}

/**
 * Reasons that one person confided to the facilitators: their partner must never learn of them,
 * from the pair's messages, a nudge, a mediation's context or their own status.
 */
const PRIVATE: ReadonlySet<ReasonKind> = new Set(['concern', 'low_rating', 'private_note']);

export const isPrivate = (kind: ReasonKind): boolean => PRIVATE.has(kind);

/** Whether a reason may open an escalation (a private note only joins one). */
export const opensEscalation = (kind: ReasonKind): boolean => kind !== 'private_note';

export interface HeldReason {
  kind: ReasonKind;
  /** Slack id of the person who confided it, for the private kinds. */
  raisedBy: string | null;
}

/**
 * Whether a participant may be told that their pair's escalation is open: when it holds a reason
 * both partners know of (a "We need help", a missed rhythm…), or one they confided themselves.
 * An escalation that only holds their partner's confidences stays invisible to them.
 */
export function visibleTo(reasons: readonly HeldReason[], userId: string): boolean {
  return reasons.some((reason) => !isPrivate(reason.kind) || reason.raisedBy === userId);
}

/**
 * When an escalation that nobody took is raised again: `workingDays` Monday-to-Friday days after it
 * was opened, at the same wall-clock time in the facilitators' zone (so a daylight-saving change in
 * between moves the instant, not the hour). Opened on a weekend, the count starts on Monday.
 */
export function reraiseAt(openedAt: Date, workingDays: number, timeZone: string): Date {
  const opened = instantToZoned(openedAt, timeZone);
  return zonedDateTimeToInstant(addWorkingDays(opened.date, workingDays), opened.hour, opened.minute, timeZone);
}

/** The pairs looked at on one local day are spread over its first two hours, five minutes apart. */
export const STALL_CHECK_SLOTS = 24;
const SLOT_MINUTES = 5;

/**
 * When the stall rules next look at a pair: early on the next day in its zone. The pair's slot
 * (its id modulo STALL_CHECK_SLOTS) spreads a programme in one zone over the scheduled passes.
 */
export function nextStallCheck(at: Date, timeZone: string, pairId: number): Date {
  const tomorrow: IsoDate = addDays(instantToZoned(at, timeZone).date, 1);
  const slot = pairId % STALL_CHECK_SLOTS;
  return zonedDateTimeToInstant(tomorrow, Math.floor((slot * SLOT_MINUTES) / 60), (slot * SLOT_MINUTES) % 60, timeZone);
}
