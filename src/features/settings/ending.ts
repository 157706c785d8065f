/**
 * The programme's end, in the scheduled pass: a month before it, the facilitators are told once how
 * many pairs are still under way, so they can plan the closing (surveys, recognition, a new round).
 */
import type { Deps } from '../../deps.js';
import { endingNoticeDue } from '../../domain/programme-dates.js';
import { instantToZoned } from '../../domain/time.js';
import { findOutboxParent } from '../../store/outbox.js';
import { getProgramme } from '../../store/programme.js';
import { endingNotice } from './views.js';

/** The outbox key of the notice: one per end date, so a moved end date is announced again. */
export const endingNoticeKey = (endsOn: string): string => `programme:ending:${endsOn}`;

/** Whether this pass queued the notice (false when not due, or already queued by another pass). */
export async function programmeEndingPass(deps: Deps, at: Date): Promise<boolean> {
  const db = deps.store.db;
  const { endsOn } = await getProgramme(db);
  // The programme's days are read in its zone, as the channel's dates are.
  if (endsOn === null || !endingNoticeDue(endsOn, instantToZoned(at, deps.config.tzDefault).date)) return false;
  const key = endingNoticeKey(endsOn);
  if (await findOutboxParent(db, key)) return false;
  const counts = await db
    .selectFrom('pair')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['introduced', 'accepted', 'active'])
    .groupBy('status')
    .execute();
  const count = (statuses: readonly string[]) => counts.filter((c) => statuses.includes(c.status)).reduce((sum, c) => sum + Number(c.n), 0);
  const message = endingNotice(deps.config.defaultLocale, endsOn, count(['active']), count(['introduced', 'accepted']));
  return deps.outbox.enqueue(db, key, { kind: 'post', channel: deps.config.facilitatorChannelId, message });
}
