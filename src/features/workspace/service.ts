import type { Deps } from '../../deps.js';
import { isValidTimeZone } from '../../domain/time.js';
import { localeFromSlack, t } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { mayFacilitate, type SlackUserFlags } from '../../slack/facilitators.js';
import type { Person } from '../../slack/people.js';
import { audit } from '../../store/audit.js';
import { openPairOf } from '../../store/pairs.js';
import { findParticipantByUser, markLeft, updateIdentity, updateZoneAndLocale } from '../../store/participants.js';
import { getProgramme } from '../../store/programme.js';
import { endPairIn } from '../matching/service.js';

/** The readiness cause Slack's lifecycle sets: the app was uninstalled or its token revoked. */
export const SLACK_LIFECYCLE_CAUSE = 'slack';

export const REINSTALL_FIX =
  'reinstall the app (app page, OAuth & Permissions, Install to Workspace; or create it again from manifest.json), put the new Bot User OAuth Token in SLACK_BOT_TOKEN, then restart Tandem';

/**
 * Slack uninstalled the app or revoked its bot token: nothing can be sent any more, so delivery
 * stops with every queued message kept, and `/readyz` says why until a restart with a new token.
 */
export function installationLost(deps: Deps, reason: 'app_uninstalled' | 'tokens_revoked'): void {
  if (deps.outbox.suspended() === reason) return;
  deps.outbox.suspend(reason);
  deps.readiness.set(SLACK_LIFECYCLE_CAUSE, { slack: reason, fix: REINSTALL_FIX });
  deps.logger.warn(`Slack says ${reason === 'app_uninstalled' ? 'the app was uninstalled' : "the bot's token was revoked"}: Tandem stops sending and keeps every queued message. To resume: ${REINSTALL_FIX}.`);
}

/** The fields of a `user_change` event that Tandem follows. */
export interface SlackUserChange extends SlackUserFlags {
  id: string;
  tz?: string;
  locale?: string;
}

export type UserChangeOutcome = 'unknown' | 'left' | 'followed' | 'unchanged';

/**
 * Slack says a person changed: a deactivated participant leaves the programme (their pair ends
 * kindly, the partner and the facilitators told); a new time zone or language is followed. A person
 * Tandem does not know of is ignored.
 */
export async function followUserChange(deps: Deps, user: SlackUserChange): Promise<UserChangeOutcome> {
  deps.people.forget(user.id);
  // Someone who became a guest, or was deactivated, loses facilitator rights at once.
  if (!mayFacilitate(user) && (await deps.facilitators.peek(user.id)) === true) await deps.facilitators.invalidate();
  const participant = await findParticipantByUser(deps.store.db, user.id);
  if (!participant) return 'unknown';
  if (user.deleted === true) return (await leaveDeactivated(deps, user.id)) ? 'left' : 'unchanged';
  const timeZone = user.tz && isValidTimeZone(user.tz) ? user.tz : undefined;
  // A language Tandem does not speak reads as the workspace's default, as when Slack is asked (people.ts);
  // an event that carries no language leaves the stored one.
  const locale = user.locale === undefined ? undefined : (localeFromSlack(user.locale) ?? deps.config.defaultLocale);
  const changed = await updateZoneAndLocale(deps.store.db, user.id, { timeZone, locale }, deps.now());
  if (changed) await deps.home.changed(deps.store.db, { userIds: [user.id] });
  return changed ? 'followed' : 'unchanged';
}

/** A guest may enrol only when the programme allows guests (off by default). */
export async function guestRefused(deps: Deps, person: Person): Promise<boolean> {
  return person.guest && !(await getProgramme(deps.store.db)).allowGuests;
}

/** Saves a participant's language and time zone each time Slack tells them afresh (see People). */
export async function followPerson(deps: Pick<Deps, 'store' | 'home' | 'now'>, person: Person): Promise<void> {
  const changed = await updateIdentity(deps.store.db, { userId: person.userId, timeZone: person.timeZone, locale: person.locale, displayName: person.name }, deps.now());
  if (changed) await deps.home.changed(deps.store.db, { userIds: [person.userId] });
}

/** Like `/tandem leave`, in one transaction, but nobody clicked: Slack deactivated the person. */
async function leaveDeactivated(deps: Deps, userId: string): Promise<boolean> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  if (!participant) return false;
  const now = deps.now();
  const locale = deps.config.defaultLocale;
  return deps.store.db.transaction().execute(async (trx) => {
    if (!(await markLeft(trx, participant.id, now))) return false;
    await deps.home.changed(trx, { participantIds: [participant.id] });
    const pair = await openPairOf(trx, participant.id);
    const reason = t(locale, 'workspace.deactivated.reason', { person: mention(userId) });
    const ended = pair && (await endPairIn(deps, trx, 'slack', pair.id, reason, now, participant.id, 'deactivated'));
    const partner = pair?.status !== 'proposed' && ended?.kind === 'ended' ? (ended.junior.id === participant.id ? ended.senior : ended.junior) : undefined;
    await audit(trx, { actorUserId: 'slack', action: 'participant.deactivated', subject: `participant:${participant.id}`, details: { from: participant.status } }, now);
    const vars = { user: mention(userId), status: t(locale, `status.${participant.status}`) };
    await deps.outbox.enqueue(trx, `deactivated:${participant.id}`, {
      kind: 'post',
      channel: deps.config.facilitatorChannelId,
      message: {
        text: partner
          ? t(locale, 'workspace.deactivated.facilitatorNoticePair', { ...vars, partner: mention(partner.userId) })
          : t(locale, 'workspace.deactivated.facilitatorNotice', vars),
      },
    });
    return true;
  });
}
