/**
 * `/tandem pause` and `/tandem resume` for everyone a pause concerns before check-ins exist: a
 * person waiting for a partner (left out of matching meanwhile), and a pair that accepted but has
 * not signed its contract yet (its unsigned-contract rule waits). An active pair's pause is the
 * follow-up's (service.ts); a person in a proposal or an introduction answers it rather than pause.
 */
import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.js';
import { validatePauseUntil } from '../../domain/checkin.js';
import { instantToZoned, type IsoDate } from '../../domain/time.js';
import { type MessageKey, pairLocale, personLocale, t, type Vars } from '../../i18n/index.js';
import { dateLabel } from '../../slack/labels.js';
import { audit } from '../../store/audit.js';
import type { Database } from '../../store/database.js';
import { openPairOf, type Pair } from '../../store/pairs.js';
import { findParticipant, type Participant } from '../../store/participants.js';
import { type EndingPause, pausedUntilOf, pausePeople, personPausesEnding, resumePeople } from '../../store/pauses.js';
import { getProgramme } from '../../store/programme.js';

type Trx = Transaction<Database>;

/** Who the pause concerns: the person alone, or the two partners of an accepted pair. */
export type EarlyScope = 'waiting' | 'accepted';

export type EarlyPauseOutcome =
  | { kind: 'paused'; scope: EarlyScope; until: IsoDate | null }
  | { kind: 'resumed'; scope: EarlyScope }
  | { kind: 'refused'; key: MessageKey; vars?: Vars };


interface Context {
  scope: EarlyScope;
  me: Participant;
  pair: Pair | undefined;
  people: Participant[];
}

/** The early pause this person may take or end, if theirs is one (else the follow-up's rules apply). */
async function contextOf(trx: Trx, me: Participant): Promise<Context | undefined> {
  const pair = await openPairOf(trx, me.id);
  if (!pair) return me.status === 'enrolled' || me.status === 'paused' ? { scope: 'waiting', me, pair, people: [me] } : undefined;
  if (pair.status !== 'accepted') return undefined;
  const [junior, senior] = await Promise.all([findParticipant(trx, pair.juniorId), findParticipant(trx, pair.seniorId)]);
  if (!junior || !senior) throw new Error(`Pair ${pair.id} lost a participant`);
  return { scope: 'accepted', me, pair, people: [junior, senior] };
}

/**
 * Pauses a waiting person or an accepted pair, until a date (their last day out) or until resumed;
 * undefined when this person's pause is not an early one. Runs in the caller's transaction.
 */
export async function earlyPause(deps: Deps, trx: Trx, me: Participant, rawDate: string | undefined, now: Date): Promise<EarlyPauseOutcome | undefined> {
  const ctx = await contextOf(trx, me);
  if (!ctx) return undefined;
  let until: IsoDate | null = null;
  if (rawDate !== undefined) {
    const { endsOn } = await getProgramme(trx);
    // No contract yet: the programme's end is the only horizon.
    const checked = validatePauseUntil(rawDate, instantToZoned(now, me.timeZone).date, endsOn ?? '9999-12-31');
    if (!checked.ok) {
      const code = checked.error.code;
      if (code === 'after_contract_end') return { kind: 'refused', key: 'timing.pause.afterProgrammeEnd', vars: { end: dateLabel(personLocale(deps, me), endsOn ?? '') } };
      return { kind: 'refused', key: code === 'invalid_date' ? 'followup.pause.badDate' : 'followup.pause.notFuture' };
    }
    until = checked.value;
  }
  const ids = ctx.people.map((p) => p.id);
  if (me.status === 'paused' && (await pausedUntilOf(trx, me.id)) === until) return { kind: 'refused', key: 'timing.pause.already' };
  await pausePeople(trx, ids, ctx.scope === 'waiting' ? ['enrolled', 'paused'] : ['paired', 'paused'], until, now);
  await deps.home.changed(trx, { participantIds: ids });
  const subject = ctx.pair ? `pair:${ctx.pair.id}` : `participant:${me.id}`;
  await audit(trx, { actorUserId: me.userId, action: ctx.pair ? 'pair.paused' : 'participant.paused', subject, details: { until } }, now);
  if (ctx.scope === 'accepted') {
    const [junior, senior] = ctx.people as [Participant, Participant];
    const locale = pairLocale(deps, junior, senior);
    const both = { user: `<@${me.userId}>`, junior: `<@${junior.userId}>`, senior: `<@${senior.userId}>` };
    const text = until ? t(locale, 'timing.pause.accepted.toldUntil', { ...both, date: dateLabel(locale, until) }) : t(locale, 'timing.pause.accepted.told', both);
    await deps.outbox.enqueue(trx, `pause:${subject}:${now.toISOString()}`, { kind: 'post', users: [junior.userId, senior.userId], message: { text } });
  }
  return { kind: 'paused', scope: ctx.scope, until };
}

/** Ends a waiting person's or an accepted pair's pause; undefined when this person's is not one. */
export async function earlyResume(deps: Deps, trx: Trx, me: Participant, now: Date): Promise<EarlyPauseOutcome | undefined> {
  const ctx = await contextOf(trx, me);
  if (!ctx) return undefined;
  if (!(await resumePeople(trx, ctx.people.map((p) => p.id), ctx.scope === 'waiting' ? 'enrolled' : 'paired', now))) return { kind: 'refused', key: 'followup.resume.notPaused' };
  await endedPause(deps, trx, ctx, me.userId, now);
  return { kind: 'resumed', scope: ctx.scope };
}

async function endedPause(deps: Deps, trx: Trx, ctx: Context, actorUserId: string, now: Date): Promise<void> {
  const ids = ctx.people.map((p) => p.id);
  await deps.home.changed(trx, { participantIds: ids });
  const subject = ctx.pair ? `pair:${ctx.pair.id}` : `participant:${ctx.me.id}`;
  await audit(trx, { actorUserId, action: ctx.pair ? 'pair.resumed' : 'participant.resumed', subject }, now);
  // An automatic end is silent: the date was told when pausing.
  if (ctx.scope === 'accepted' && actorUserId !== 'tandem') {
    const [junior, senior] = ctx.people as [Participant, Participant];
    const text = t(pairLocale(deps, junior, senior), 'timing.resume.accepted.told', { user: `<@${actorUserId}>`, junior: `<@${junior.userId}>`, senior: `<@${senior.userId}>` });
    await deps.outbox.enqueue(trx, `resume:${subject}:${now.toISOString()}`, { kind: 'post', users: [junior.userId, senior.userId], message: { text } });
  }
}

const PAGE = 500;

/**
 * The scheduled pass's part: a dated early pause ends on its date, as a pair's does, at the
 * programme's check-in hour in the person's zone; they are in matching again (or the unsigned
 * contract counts again) from then.
 */
export async function resumeEndedEarlyPauses(deps: Deps, at: Date, latestDateAnywhere: IsoDate): Promise<number> {
  const { checkinHour } = await getProgramme(deps.store.db);
  let resumed = 0;
  let after = 0;
  for (;;) {
    const page: EndingPause[] = await personPausesEnding(deps.store.db, latestDateAnywhere, after, PAGE);
    const last = page.at(-1);
    if (!last) break;
    after = last.id;
    for (const row of page) {
      const local = instantToZoned(at, row.timeZone);
      if (row.pausedUntil > local.date || (row.pausedUntil === local.date && local.hour < checkinHour)) continue;
      const done = await deps.store.db.transaction().execute(async (trx) => {
        const me = await findParticipant(trx, row.id);
        if (!me || me.status !== 'paused' || (await pausedUntilOf(trx, me.id)) !== row.pausedUntil) return false;
        const ctx = await contextOf(trx, me);
        if (!ctx) return false;
        if (!(await resumePeople(trx, ctx.people.map((p) => p.id), ctx.scope === 'waiting' ? 'enrolled' : 'paired', at))) return false;
        await endedPause(deps, trx, ctx, 'tandem', at);
        return true;
      });
      if (done) resumed += 1;
    }
  }
  return resumed;
}
