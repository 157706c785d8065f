import type { Deps } from '../../deps.js';
import { type Locale, t } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { sendFileBytes, shareFile } from '../../slack/files.js';
import { audit } from '../../store/audit.js';
import { takeCancellationsOwed } from '../../store/contracts.js';
import type { ParticipantStatus } from '../../store/database.js';
import { openPairOf } from '../../store/pairs.js';
import { findParticipantByUser, markLeft } from '../../store/participants.js';
import { sendOwedCancellations } from '../contract/calendar.js';
import { endPairIn } from '../matching/service.js';
import { personalDataProviders } from './providers/index.js';
import { erasureState } from './providers/profile.js';
import { collectExport, type DataSubject, eraseSubject, newAnonymousId } from './registry.js';
import { exportDocument, exportFilename, type ForgetValue } from './views.js';

const STILL_IN = new Set<ParticipantStatus>(['enrolled', 'matched', 'paired', 'paused']);

/** The person's participant row, if Tandem holds one for them. */
export async function dataSubjectOf(deps: Deps, userId: string): Promise<DataSubject | undefined> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  return participant && { participantId: participant.id, userId, displayName: participant.displayName };
}

export type ExportOutcome = 'sent' | 'failed';

/**
 * Sends the person, in their direct messages with Tandem, a JSON file of every record held about
 * them. It answers their own request, so it goes straight to Slack (not through the outbox): when
 * Slack refuses, the caller tells them to try again.
 */
export async function sendExport(deps: Deps, subject: DataSubject, locale: Locale): Promise<ExportOutcome> {
  const now = deps.now();
  const content = exportDocument(await collectExport(deps.store.db, personalDataProviders(deps.config.defaultLocale), subject), now);
  try {
    // The bytes go first: if Slack will not take them, the person gets no message announcing a file.
    const fileId = await sendFileBytes(deps, { filename: exportFilename(now), contentType: 'application/json; charset=utf-8', bytes: Buffer.from(content, 'utf8') });
    // Posting to the person's id opens the DM with the app (chat:write), which gives its channel id.
    const posted = await deps.slack.chat.postMessage({ channel: subject.userId, text: t(locale, 'privacy.export.message') });
    if (!posted.channel) throw new Error('chat.postMessage returned no channel');
    await shareFile(deps.slack, fileId, { title: t(locale, 'privacy.export.title'), channel: posted.channel });
  } catch (error) {
    deps.logger.warn(`Could not send the data export of participant ${subject.participantId}`, error);
    return 'failed';
  }
  await audit(deps.store.db, { actorUserId: subject.userId, action: 'participant.exported', subject: `participant:${subject.participantId}` }, now);
  return 'sent';
}

export type ForgetRequest = { kind: 'nothing' } | { kind: 'confirm'; value: ForgetValue; inPair: boolean };

export async function requestForget(deps: Deps, userId: string): Promise<ForgetRequest> {
  const participant = await findParticipantByUser(deps.store.db, userId);
  if (!participant) return { kind: 'nothing' };
  const pair = await openPairOf(deps.store.db, participant.id);
  // A proposal waiting for a facilitator is not a pair the person knows of yet.
  return { kind: 'confirm', value: { participantId: participant.id, userId }, inPair: pair !== undefined && pair.status !== 'proposed' };
}

export type ForgetOutcome = 'forgotten' | 'already' | 'not_yours';

/**
 * The sessions leave the calendar of the person being erased too: before their data goes, the
 * cancellations they are owed are taken (only when the request is theirs and they are not erased
 * yet) and sent to them directly. Nothing of it is kept: the erasure removes what was taken.
 */
async function cancelOwnSessions(deps: Deps, userId: string, participantId: number, now: Date): Promise<void> {
  const owed = await deps.store.db.transaction().execute(async (trx) => {
    const state = await erasureState(trx, participantId);
    if (!state || state.forgottenAt !== null || state.userId !== userId) return [];
    const pair = STILL_IN.has(state.status) ? await openPairOf(trx, participantId) : undefined;
    return takeCancellationsOwed(trx, participantId, pair?.id, now);
  });
  await sendOwedCancellations(deps, userId, owed);
}

/**
 * Erases the person's personal data, once, in one transaction (after their calendar's sessions are
 * cancelled, best-effort, while their data is still there): first they leave the programme as
 * with `/tandem leave` (their pair ends, the partner and the facilitators are told, without their
 * name), then every provider erases its part and their Slack id is replaced by an anonymous one.
 * The erasure is recorded in the audit log under that anonymous id alone.
 */
export async function confirmForget(deps: Deps, userId: string, value: ForgetValue): Promise<ForgetOutcome> {
  if (value.userId !== userId) return 'not_yours';
  const now = deps.now();
  const locale = deps.config.defaultLocale;
  const anonymousId = newAnonymousId();
  await cancelOwnSessions(deps, userId, value.participantId, now);
  return deps.store.db.transaction().execute(async (trx) => {
    const state = await erasureState(trx, value.participantId);
    if (!state) return 'not_yours' as const;
    if (state.forgottenAt !== null) return 'already' as const;
    if (state.userId !== userId) return 'not_yours' as const;
    // Someone who completed the programme, or already left, is erased as they are: their state still counts.
    if (STILL_IN.has(state.status) && (await markLeft(trx, state.participantId, now))) {
      const pair = await openPairOf(trx, state.participantId);
      let partner: string | undefined;
      if (pair) {
        const ended = await endPairIn(deps, trx, anonymousId, pair.id, t(locale, 'privacy.forget.endReason'), now, state.participantId, 'anonymous');
        if (ended.kind === 'ended' && pair.status !== 'proposed') partner = (ended.junior.id === state.participantId ? ended.senior : ended.junior).userId;
      }
      const text = partner ? t(locale, 'privacy.forget.facilitatorNoticePair', { partner: mention(partner) }) : t(locale, 'privacy.forget.facilitatorNotice');
      await deps.outbox.enqueue(trx, `forgotten:${state.participantId}`, { kind: 'post', channel: deps.config.facilitatorChannelId, message: { text } });
    }
    await eraseSubject(trx, personalDataProviders(locale), { participantId: state.participantId, userId, displayName: state.displayName }, anonymousId, now);
    await audit(trx, { actorUserId: anonymousId, action: 'participant.forgotten', subject: `participant:${state.participantId}`, details: { from: state.status } }, now);
    // The dashboards' counts and waiting list moved.
    await deps.home.changed(trx, {});
    return 'forgotten' as const;
  });
}
