import type { Deps } from '../../deps.js';
import { type ProfileInput, type ProfileValidation, validateProfile } from '../../domain/profile.js';
import { t } from '../../i18n/index.js';
import { escapeText, mention } from '../../slack/blocks.js';
import { notifyFacilitators, sendDirect } from '../../slack/notify.js';
import type { Hold } from '../../slack/modals.js';
import type { Person } from '../../slack/people.js';
import { audit } from '../../store/audit.js';
import { knownPairOf, openPairOf } from '../../store/pairs.js';
import { endPairIn } from '../matching/service.js';
import { findParticipantByUser, markLeft, saveProfile } from '../../store/participants.js';
import { enrolmentModal, welcomeMessage } from './views.js';

const IN_A_PAIR = new Set(['matched', 'paired', 'paused']);

/** Opens the enrolment modal, pre-filled when the person already has a profile. */
export async function openEnrolment(deps: Deps, person: Person, triggerId: string, hold: Hold = (load) => load): Promise<boolean> {
  const current = await hold(findParticipantByUser(deps.store.db, person.userId));
  try {
    await deps.modals.open({ trigger_id: triggerId, view: enrolmentModal(person.locale, current, person.locale) });
    return true;
  } catch (error) {
    deps.logger.warn(`Could not open the enrolment modal for ${person.userId}`, error);
    return false;
  }
}

/** Validates and saves an enrolment; the caller shows the errors in the modal when there are any. */
export async function submitEnrolment(deps: Deps, person: Person, input: ProfileInput): Promise<ProfileValidation & { enrolled?: boolean }> {
  const existing = await findParticipantByUser(deps.store.db, person.userId);
  // A proposal still waiting for a facilitator is not the person's to know of: their role is free
  // (approval checks the rules again, and withdraws a proposal the new role no longer fits).
  const inPair = existing !== undefined && IN_A_PAIR.has(existing.status) && (existing.status !== 'matched' || (await knownPairOf(deps.store.db, existing.id)) !== undefined);
  const lockedRole = inPair ? existing.role : null;
  const result = validateProfile(input, person.userId, lockedRole);
  if (!result.ok) return result;
  const { enrolled } = await saveProfile(
    deps.store.db,
    { userId: person.userId, timeZone: person.timeZone, locale: person.locale, displayName: person.name },
    result.profile,
    deps.now(),
  );
  await deps.home.changed(deps.store.db, { userIds: [person.userId] });
  return { ...result, enrolled };
}

/** Tells the new participant (and the facilitators) after the modal closed. */
export async function announceEnrolment(deps: Deps, person: Person, enrolled: boolean): Promise<void> {
  const participant = await findParticipantByUser(deps.store.db, person.userId);
  if (!participant) return;
  // Keyed by the saved version of the profile: a replayed submission tells nobody twice.
  const version = `${participant.id}:${participant.updatedAt}`;
  if (!enrolled) {
    await sendDirect(deps, `profile-saved:${version}`, person.userId, { text: t(person.locale, 'join.updated') });
    return;
  }
  await sendDirect(deps, `welcome:${version}`, person.userId, welcomeMessage(person.locale, person.name, participant));
  const locale = deps.config.defaultLocale;
  await notifyFacilitators(deps, `enrolled:${version}`, {
    text: t(locale, 'join.facilitatorNotice', {
      user: mention(person.userId),
      role: t(locale, `role.${participant.role}.short`),
      department: escapeText(participant.department),
    }),
  });
}

export type LeaveRequest = { kind: 'not_enrolled' } | { kind: 'already_left' } | { kind: 'confirm'; participantId: number };

export async function requestLeave(deps: Deps, userId: string): Promise<LeaveRequest> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  if (!participant) return { kind: 'not_enrolled' };
  if (participant.status === 'left') return { kind: 'already_left' };
  return { kind: 'confirm', participantId: participant.id };
}

export type LeaveOutcome = 'left' | 'already_left' | 'not_yours';

/** Leaves once: a second click, or a click on someone else's confirmation, changes nothing. */
export async function confirmLeave(deps: Deps, userId: string, participantId: number): Promise<LeaveOutcome> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  if (!participant || participant.id !== participantId) return 'not_yours';
  const now = deps.now();
  const locale = deps.config.defaultLocale;
  // Leaving, ending the pair and telling everyone happen together or not at all.
  return deps.store.db.transaction().execute(async (trx) => {
    if (!(await markLeft(trx, participant.id, now))) return 'already_left' as const;
    await deps.home.changed(trx, { participantIds: [participant.id] });
    const pair = await openPairOf(trx, participant.id);
    const ended = pair && (await endPairIn(deps, trx, userId, pair.id, t(locale, 'match.changedReason.left', { person: mention(userId) }), now, participant.id));
    // A proposal the partner never heard of is withdrawn on its own message; a pair they knew of has ended.
    const partner = pair?.status !== 'proposed' && ended?.kind === 'ended' ? (ended.junior.id === participant.id ? ended.senior : ended.junior) : undefined;
    await audit(trx, { actorUserId: userId, action: 'participant.left', subject: `participant:${participant.id}`, details: { from: participant.status } }, now);
    const vars = { user: mention(userId), status: t(locale, `status.${participant.status}`) };
    await deps.outbox.enqueue(trx, `left:${participant.id}:${now.toISOString()}`, {
      kind: 'post',
      channel: deps.config.facilitatorChannelId,
      message: { text: partner ? t(locale, 'privacy.leave.facilitatorNoticePair', { ...vars, partner: mention(partner.userId) }) : t(locale, 'leave.facilitatorNotice', vars) },
    });
    return 'left' as const;
  });
}

