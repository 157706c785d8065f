/**
 * The closing survey's reminder for the partner who has not answered it. The pair's own reminder
 * only goes to a survey nobody answered; once one partner has, the other is reminded on their own,
 * by direct message, once (the prompt's reminder is claimed, and each message has its key).
 */
import type { Deps } from '../../deps.js';
import { personLocale } from '../../i18n/index.js';
import { addDays, instantToZoned } from '../../domain/time.js';
import { answersOf, surveyLaggards } from '../../store/followup.js';
import { participantsByIds } from '../../store/participants.js';
import { surveyReminderMessage } from './views.js';

const PAGE = 200;

export async function remindSurveyLaggards(deps: Deps, at: Date, surveyOpenDays: number): Promise<number> {
  const db = deps.store.db;
  let sent = 0;
  let after = 0;
  for (;;) {
    const page = await surveyLaggards(db, at, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = last.promptId;
    for (const row of page) {
      sent += await db.transaction().execute(async (trx) => {
        // Claimed first: another pass, or the same one run twice, finds it taken.
        const claimed = await trx
          .updateTable('checkin_prompt')
          .set({ reminded_at: at.toISOString() })
          .where('id', '=', row.promptId)
          .where('reminded_at', 'is', null)
          .where('closed_at', 'is', null)
          .executeTakeFirst();
        if (claimed.numUpdatedRows === 0n) return 0;
        const answered = new Set((await answersOf(trx, row.promptId)).map((a) => a.participant_id));
        const people = await participantsByIds(trx, [row.juniorId, row.seniorId]);
        let count = 0;
        for (const person of people.values()) {
          if (answered.has(person.id)) continue;
          const partner = [...people.values()].find((p) => p.id !== person.id);
          const closesOn = addDays(instantToZoned(new Date(row.sentAt), person.timeZone).date, surveyOpenDays);
          await deps.outbox.enqueue(trx, `survey-reminder:${row.promptId}:${person.id}`, {
            kind: 'post',
            channel: person.userId,
            message: surveyReminderMessage(personLocale(deps, person), row.promptId, partner?.userId ?? null, closesOn),
          });
          count += 1;
        }
        return count;
      });
    }
  }
  return sent;
}
