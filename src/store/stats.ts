import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { FLOWS, REACHED } from '../domain/checkin.js';
import type { Role } from '../domain/profile.js';
import type { FlowCount, SurveyOutcome } from '../domain/stats.js';
import type { Database, PairStatus, ParticipantStatus } from './database.js';

/**
 * The programme-wide counts behind `/tandem stats`, each one aggregate query. A partner's side
 * (junior or senior) is read from the pair they were in, not from their profile, which may have
 * changed role since.
 */

export interface ProgrammeCounts {
  people: { status: ParticipantStatus; role: Role; count: number }[];
  pairs: { status: PairStatus; count: number }[];
  /** Pairs that had a contract in force (now or before), and the versions that came into force. */
  contracts: { pairs: number; versions: number };
  /** Check-in prompts (closing surveys aside) sent, and answered by at least one partner. */
  prompts: { sent: number; answered: number };
  /** Meetings per pair that had a contract in force: distinct session dates its partners logged. */
  meetings: { pairId: number; meetings: number }[];
  flows: FlowCount[];
  surveys: SurveyOutcome[];
}

const roleOf = sql<Role>`case when k.participant_id = pr.senior_id then 'senior' else 'junior' end`;
const reachedList = z.array(z.enum(REACHED));
const levelList = z.array(z.number().int().min(1).max(5).nullable());

/** A JSON column read back, or undefined when it does not hold what it should (the row is then left out). */
function parsed<T extends z.ZodType>(schema: T, json: string | null): z.infer<T> | undefined {
  if (json === null) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(json));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export async function programmeCounts(db: Kysely<Database>): Promise<ProgrammeCounts> {
  const [people, pairs, contracts, prompts, meetings, flows, surveys] = await Promise.all([
    db
      .selectFrom('participant')
      .select(['status', 'role', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['status', 'role'])
      .execute(),
    db
      .selectFrom('pair')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('contract')
      .select([sql<number>`count(distinct pair_id)`.as('pairs'), (eb) => eb.fn.countAll<number>().as('versions')])
      .where('in_force_at', 'is not', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('checkin_prompt')
      .select([(eb) => eb.fn.countAll<number>().as('sent'), (eb) => eb.fn.count<number>('answered_at').as('answered')])
      .where('kind', '=', 'checkin')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contract as c')
      .leftJoin('checkin as k', 'k.pair_id', 'c.pair_id')
      .select(['c.pair_id as pairId', sql<number>`count(distinct k.met_on)`.as('meetings')])
      .where('c.in_force_at', 'is not', null)
      .groupBy('c.pair_id')
      .orderBy('c.pair_id')
      .execute(),
    db
      .selectFrom('checkin as k')
      .innerJoin('pair as pr', 'pr.id', 'k.pair_id')
      .select([roleOf.as('reporter'), 'k.flow as flow', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy([roleOf, 'k.flow'])
      .execute(),
    db
      .selectFrom('closing_survey as k')
      .innerJoin('pair as pr', 'pr.id', 'k.pair_id')
      .leftJoin('contract_signature as g', (join) => join.onRef('g.contract_id', '=', 'k.contract_id').onRef('g.participant_id', '=', 'k.participant_id'))
      .select([roleOf.as('role'), 'k.objectives_reached as reached', 'k.end_levels as endLevels', 'g.start_levels as startLevels'])
      .orderBy('k.id')
      .execute(),
  ]);
  return {
    people,
    pairs,
    contracts,
    prompts,
    meetings,
    flows: flows.filter((f) => (FLOWS as readonly string[]).includes(f.flow)),
    surveys: surveys.flatMap((s) => {
      const reached = parsed(reachedList, s.reached);
      const endLevels = parsed(levelList, s.endLevels);
      if (!reached || !endLevels) return [];
      return [{ role: s.role, reached, endLevels, startLevels: parsed(levelList, s.startLevels) ?? null }];
    }),
  };
}

/** The months the activity chart covers: dates for session dates, instants for the rest (`to`s excluded). */
export interface ActivityRange {
  fromDate: string;
  toDate: string;
  from: Date;
  to: Date;
}

/** The dated events the activity chart counts. */
export interface ActivityRows {
  /** Session dates (YYYY-MM-DD), one per pair and date however many partners logged it. */
  meetings: string[];
  /** When each check-in prompt was first answered. */
  answers: string[];
  /** When each pair was formed: both partners accepted the introduction. */
  pairsFormed: string[];
}

export async function activityRows(db: Kysely<Database>, range: ActivityRange): Promise<ActivityRows> {
  const [from, to] = [range.from.toISOString(), range.to.toISOString()];
  const [meetings, answers, pairsFormed] = await Promise.all([
    db
      .selectFrom('checkin')
      .select(['pair_id', 'met_on'])
      .distinct()
      .where('met_on', '>=', range.fromDate)
      .where('met_on', '<', range.toDate)
      .execute(),
    db
      .selectFrom('checkin_prompt')
      .select('answered_at')
      .where('kind', '=', 'checkin')
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
      .execute(),
    db.selectFrom('pair').select('accepted_at').where('accepted_at', '>=', from).where('accepted_at', '<', to).execute(),
  ]);
  return {
    meetings: meetings.map((m) => m.met_on),
    answers: answers.flatMap((a) => (a.answered_at ? [a.answered_at] : [])),
    pairsFormed: pairsFormed.flatMap((p) => (p.accepted_at ? [p.accepted_at] : [])),
  };
}

/** A closing survey that may be quoted: both partners of its completed pair agreed. */
export interface QuotableSurvey {
  role: Role;
  learned: string;
  objectives: string[];
  startLevels: number[] | null;
  endLevels: number[];
}

const textList = z.array(z.string());

/** The latest quotable surveys, newest first: pairs completed, both partners having said they may be quoted. */
export async function quotableSurveys(db: Kysely<Database>, limit: number): Promise<QuotableSurvey[]> {
  const rows = await db
    .selectFrom('closing_survey as k')
    .innerJoin('pair as pr', 'pr.id', 'k.pair_id')
    .innerJoin('contract as c', 'c.id', 'k.contract_id')
    .leftJoin('contract_signature as g', (join) => join.onRef('g.contract_id', '=', 'k.contract_id').onRef('g.participant_id', '=', 'k.participant_id'))
    .select([roleOf.as('role'), 'k.learned as learned', 'k.end_levels as endLevels', 'g.start_levels as startLevels', 'c.senior_objectives as seniorObjectives', 'c.junior_objectives as juniorObjectives'])
    .where('pr.status', '=', 'completed')
    .where('k.may_quote', '=', 1)
    .where('k.learned', '!=', '')
    .where((eb) =>
      eb(
        eb.selectFrom('closing_survey as o').select((e) => e.fn.countAll<number>().as('n')).whereRef('o.pair_id', '=', 'k.pair_id').where('o.may_quote', '=', 1),
        '=',
        2,
      ),
    )
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => {
    const objectives = parsed(textList, r.role === 'senior' ? r.seniorObjectives : r.juniorObjectives);
    const endLevels = parsed(levelList, r.endLevels);
    if (!objectives || !endLevels) return [];
    const start = parsed(levelList, r.startLevels);
    const whole = (levels: (number | null)[] | undefined): number[] | null => (levels && levels.every((l): l is number => l !== null) ? levels : null);
    return [{ role: r.role, learned: r.learned, objectives, startLevels: whole(start), endLevels: whole(endLevels) ?? [] }];
  });
}
