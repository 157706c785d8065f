import { blankObjectives } from '../../../domain/erasure.js';
import type { PersonalDataProvider } from '../registry.js';
import { pairsOf } from './pairs.js';

/**
 * Contracts of the person's pairs (every version), their own signatures and starting levels, and
 * the calendar files they were sent.
 */
export const contractData: PersonalDataProvider = {
  name: 'contracts',

  async export(db, subject) {
    const pairIds = (await pairsOf(db, subject.participantId)).map((p) => p.id);
    if (pairIds.length === 0) return { versions: [], calendarFiles: [], calendarCancellations: [] };
    const contracts = await db.selectFrom('contract').selectAll().where('pair_id', 'in', pairIds).orderBy('pair_id').orderBy('version').execute();
    const ids = contracts.map((c) => c.id);
    const signatures = ids.length === 0 ? [] : await db.selectFrom('contract_signature').selectAll().where('contract_id', 'in', ids).execute();
    const calendars = await db.selectFrom('contract_calendar').selectAll().where('participant_id', '=', subject.participantId).orderBy('id').execute();
    const cancellations = await db.selectFrom('calendar_cancellation').selectAll().where('participant_id', '=', subject.participantId).orderBy('id').execute();
    return {
      versions: contracts.map((c) => {
        const mine = signatures.find((s) => s.contract_id === c.id && s.participant_id === subject.participantId);
        // The partner's starting levels are their own self-assessment: only the fact that they signed is shown.
        const partnerSigned = signatures.some((s) => s.contract_id === c.id && s.participant_id !== subject.participantId);
        return {
          pairId: c.pair_id,
          version: c.version,
          status: c.status,
          seniorObjectives: JSON.parse(c.senior_objectives) as unknown,
          juniorObjectives: JSON.parse(c.junior_objectives) as unknown,
          cadence: c.cadence,
          sessionMinutes: c.session_minutes,
          means: c.means,
          format: c.format,
          startDate: c.start_date,
          endDate: c.end_date,
          notes: c.notes,
          proposedByMe: c.proposed_by === subject.participantId,
          proposedAt: c.proposed_at,
          inForceAt: c.in_force_at,
          supersededAt: c.superseded_at,
          mySignature: mine ? { signedAt: mine.signed_at, startLevels: mine.start_levels === null ? null : (JSON.parse(mine.start_levels) as unknown), ratedAt: mine.rated_at } : null,
          partnerSigned,
        };
      }),
      calendarFiles: calendars.map((f) => ({ contractId: f.contract_id, status: f.status, sentAt: f.sent_at, slackFileId: f.file_id })),
      calendarCancellations: cancellations.map((f) => ({ pairId: f.pair_id, status: f.status, sentAt: f.sent_at, slackFileId: f.file_id })),
    };
  },

  /**
   * What the person wrote goes: their own objectives (the list keeps its length, so levels still
   * line up), and the means and notes of the versions they proposed. The partner's objectives stay,
   * and so do the signatures and levels, now anonymous, so that "contracts signed" and "what was
   * learned" still count. Calendar files not sent yet are not sent; their cancellations are not kept.
   */
  async forget(trx, subject) {
    for (const pair of await pairsOf(trx, subject.participantId)) {
      const junior = pair.junior_id === subject.participantId;
      const versions = await trx.selectFrom('contract').select(['id', 'junior_objectives', 'senior_objectives']).where('pair_id', '=', pair.id).execute();
      for (const v of versions) {
        const change = junior ? { junior_objectives: blankObjectives(v.junior_objectives) } : { senior_objectives: blankObjectives(v.senior_objectives) };
        await trx.updateTable('contract').set(change).where('id', '=', v.id).execute();
      }
    }
    await trx.updateTable('contract').set({ means: '', notes: null }).where('proposed_by', '=', subject.participantId).execute();
    await trx
      .updateTable('contract_calendar')
      .set((eb) => ({
        status: eb.case().when('status', '=', 'pending').then('superseded' as const).else(eb.ref('status')).end(),
        file_id: null,
        last_error: null,
        lease_until: null,
      }))
      .where('participant_id', '=', subject.participantId)
      .execute();
    // Their cancellations were sent to them just before (or could not be): no record of them is kept,
    // and one still waiting is not sent (its message goes with their data).
    await trx.deleteFrom('calendar_cancellation').where('participant_id', '=', subject.participantId).execute();
  },

  /** Every version of a closed pair past retention: objectives, means and notes go; dates, rhythm and signatures stay. */
  async anonymisePair(trx, pairId) {
    const versions = await trx.selectFrom('contract').select(['id', 'senior_objectives', 'junior_objectives']).where('pair_id', '=', pairId).execute();
    for (const v of versions) {
      await trx
        .updateTable('contract')
        .set({ senior_objectives: blankObjectives(v.senior_objectives), junior_objectives: blankObjectives(v.junior_objectives), means: '', notes: null })
        .where('id', '=', v.id)
        .execute();
    }
    await trx
      .updateTable('contract_calendar')
      .set({ file_id: null, last_error: null })
      .where('contract_id', 'in', (eb) => eb.selectFrom('contract').select('id').where('pair_id', '=', pairId))
      .execute();
    await trx.updateTable('calendar_cancellation').set({ file_id: null, last_error: null }).where('pair_id', '=', pairId).execute();
  },
};
