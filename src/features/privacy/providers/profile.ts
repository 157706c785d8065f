import type { Kysely } from 'kysely';
import type { Database, ParticipantStatus } from '../../../store/database.js';
import { knownPairOf } from '../../../store/pairs.js';
import { findParticipant, seenStatus } from '../../../store/participants.js';
import type { PersonalDataProvider } from '../registry.js';

/** The enrolment profile: everything the person told Tandem about themselves, and what Slack did. */
export const profileData: PersonalDataProvider = {
  name: 'profile',

  async export(db, subject) {
    const p = await findParticipant(db, subject.participantId);
    if (!p) return null;
    const status = seenStatus(p, (await knownPairOf(db, p.id)) !== undefined);
    return {
      slackUserId: p.userId,
      displayName: p.displayName,
      role: p.role,
      status,
      skillsToShare: p.shares,
      skillsToLearn: p.learns,
      department: p.department,
      managerSlackUserId: p.managerUserId,
      languages: p.languages,
      format: p.format,
      cadence: p.cadence,
      motivation: p.motivation,
      timeZone: p.timeZone,
      locale: p.locale,
      consentGivenAt: p.consentAt,
      enrolledAt: p.createdAt,
      updatedAt: p.updatedAt,
      leftAt: p.leftAt,
    };
  },

  /**
   * The row stays, with its role and state, so that people are still counted by role and state;
   * everything that describes the person goes. Their state is the caller's to settle first (a
   * person in a pair leaves it before being forgotten).
   */
  async forget(trx, subject, anonymousId, now) {
    const at = now.toISOString();
    // The record that they once opened the Home tab goes too.
    await trx.deleteFrom('home_tab').where('slack_user_id', '=', subject.userId).execute();
    await trx
      .updateTable('participant')
      .set((eb) => ({
        slack_user_id: anonymousId,
        display_name: anonymousId,
        shares: '[]',
        learns: '[]',
        department: '',
        manager_user_id: null,
        languages: '[]',
        format: 'either',
        cadence: 'biweekly',
        motivation: '',
        time_zone: 'UTC',
        locale: '',
        updated_at: at,
        left_at: eb.fn.coalesce('left_at', eb.val(at)),
        forgotten_at: at,
      }))
      .where('id', '=', subject.participantId)
      .execute();
  },
};

export interface ErasureState {
  participantId: number;
  userId: string;
  displayName: string;
  status: ParticipantStatus;
  forgottenAt: string | null;
}

/** Whether a participant row was already erased, and whose it is now. */
export async function erasureState(db: Kysely<Database>, participantId: number): Promise<ErasureState | undefined> {
  const row = await db.selectFrom('participant').select(['id', 'slack_user_id', 'display_name', 'status', 'forgotten_at']).where('id', '=', participantId).executeTakeFirst();
  return row && { participantId: row.id, userId: row.slack_user_id, displayName: row.display_name, status: row.status, forgottenAt: row.forgotten_at };
}
