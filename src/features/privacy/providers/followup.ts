import type { PersonalDataProvider } from '../registry.js';
import { pairsOf } from './pairs.js';

/**
 * The follow-up: the sessions the person logged (with their own private notes), their answers to
 * check-in prompts, their closing survey, and the pauses they asked for. The partner's check-ins
 * and notes are the partner's: only their count is shown.
 */
export const followupData: PersonalDataProvider = {
  name: 'followUp',

  async export(db, subject) {
    const pairIds = (await pairsOf(db, subject.participantId)).map((p) => p.id);
    const me = subject.participantId;
    const [checkins, answers, surveys, pauses, partnerCheckins] = await Promise.all([
      db.selectFrom('checkin').selectAll().where('participant_id', '=', me).orderBy('id').execute(),
      db.selectFrom('prompt_answer as a').innerJoin('checkin_prompt as q', 'q.id', 'a.prompt_id').select(['q.pair_id', 'q.kind', 'q.due_on', 'a.answer', 'a.answered_at']).where('a.participant_id', '=', me).orderBy('a.id').execute(),
      db.selectFrom('closing_survey').selectAll().where('participant_id', '=', me).orderBy('id').execute(),
      db.selectFrom('followup').select(['pair_id', 'paused_at', 'paused_until']).where('paused_by', '=', me).execute(),
      pairIds.length === 0 ? [] : db.selectFrom('checkin').select(['pair_id']).where('pair_id', 'in', pairIds).where('participant_id', '!=', me).execute(),
    ]);
    return {
      sessionsILogged: checkins.map((c) => ({
        pairId: c.pair_id,
        metOn: c.met_on,
        minutes: c.minutes,
        topics: c.topics,
        progress: JSON.parse(c.progress) as unknown,
        rating: c.rating,
        knowledgeFlow: c.flow,
        myPrivateNoteToFacilitators: c.private_note,
        loggedAt: c.created_at,
      })),
      sessionsMyPartnerLogged: partnerCheckins.length,
      answersToCheckins: answers.map((a) => ({ pairId: a.pair_id, kind: a.kind, dueOn: a.due_on, answer: a.answer, answeredAt: a.answered_at })),
      closingSurvey: surveys.map((s) => ({
        pairId: s.pair_id,
        objectivesReached: JSON.parse(s.objectives_reached) as unknown,
        endLevels: JSON.parse(s.end_levels) as unknown,
        satisfaction: s.satisfaction,
        learned: s.learned,
        mayQuote: s.may_quote === 1,
        answeredAt: s.created_at,
      })),
      pausesIAskedFor: pauses.map((p) => ({ pairId: p.pair_id, pausedAt: p.paused_at, until: p.paused_until })),
    };
  },

  /** What the person wrote goes; dates, durations, ratings and levels stay, anonymous, for the programme's figures. */
  async forget(trx, subject) {
    await trx.updateTable('checkin').set({ topics: '', private_note: null }).where('participant_id', '=', subject.participantId).execute();
    await trx.updateTable('closing_survey').set({ learned: '', may_quote: 0 }).where('participant_id', '=', subject.participantId).execute();
  },

  async anonymisePair(trx, pairId) {
    await trx.updateTable('checkin').set({ topics: '', private_note: null }).where('pair_id', '=', pairId).execute();
    await trx.updateTable('closing_survey').set({ learned: '', may_quote: 0 }).where('pair_id', '=', pairId).execute();
  },
};
