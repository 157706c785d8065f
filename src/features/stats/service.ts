import type { Deps } from '../../deps.js';
import type { Role } from '../../domain/profile.js';
import { type ChartPeriod, chartPeriod, type FlowBalance, flowBalance, share, summariseSurveys, type SurveySummary } from '../../domain/stats.js';
import type { PairStatus, ParticipantStatus } from '../../store/database.js';
import { getProgramme } from '../../store/programme.js';
import { programmeCounts, quotableSurveys } from '../../store/stats.js';
import { learningGain } from '../../domain/checkin.js';

export const PEOPLE_STATUSES = ['enrolled', 'matched', 'paired', 'paused', 'completed', 'left'] as const satisfies readonly ParticipantStatus[];
/** The pair's lifecycle, in order; the proposals that never became a pair are counted apart. */
export const PAIR_STATUSES = ['proposed', 'introduced', 'accepted', 'active', 'completed', 'ended'] as const satisfies readonly PairStatus[];
const UNFORMED_STATUSES = ['rejected', 'declined', 'withdrawn'] as const satisfies readonly PairStatus[];

/** Everything `/tandem stats` shows; a figure with nothing to count yet is null. */
export interface ProgrammeFigures {
  asOf: Date;
  people: { total: number; byStatus: Record<ParticipantStatus, number>; byRole: Record<Role, number> };
  pairs: Record<PairStatus, number>;
  contracts: { pairs: number; versions: number };
  responses: { sent: number; answered: number; rate: number | null };
  meetings: { total: number; pairs: number; perPair: number | null; pairsWithout: number };
  flow: FlowBalance;
  /** Escalations to the facilitators: still open, and closed (resolved, or their pair ended). */
  escalations: { open: number; resolved: number };
  surveys: SurveySummary;
  /** The months the activity chart covers. */
  period: ChartPeriod;
  /** What participants said they learned, quoted with both partners' consent, newest first. */
  quotes: { role: Role; text: string; gain: number | null }[];
}

/** Quotes shown in `/tandem stats`: the latest few, so the reply stays short. */
const QUOTES = 5;

async function escalationCounts(db: Deps['store']['db']): Promise<{ open: number; resolved: number }> {
  const rows = await db.selectFrom('escalation').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { open: count('open'), resolved: rows.reduce((sum, r) => sum + (r.status === 'open' ? 0 : Number(r.n)), 0) };
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The programme's figures as of now, read in one pass over the database. */
export async function programmeFigures(deps: Deps): Promise<ProgrammeFigures> {
  const now = deps.now();
  const [counts, programme, escalations, quotable] = await Promise.all([
    programmeCounts(deps.store.db),
    getProgramme(deps.store.db),
    escalationCounts(deps.store.db),
    quotableSurveys(deps.store.db, QUOTES),
  ]);

  const byStatus = zeros(PEOPLE_STATUSES);
  const byRole = zeros<Role>(['junior', 'senior']);
  for (const { status, role, count } of counts.people) {
    byStatus[status] += count;
    byRole[role] += count;
  }
  const pairs = zeros<PairStatus>([...PAIR_STATUSES, ...UNFORMED_STATUSES]);
  for (const { status, count } of counts.pairs) pairs[status] += count;

  const meetings = counts.meetings.reduce((sum, p) => sum + p.meetings, 0);
  return {
    asOf: now,
    people: { total: byRole.junior + byRole.senior, byStatus, byRole },
    pairs,
    contracts: counts.contracts,
    responses: { ...counts.prompts, rate: share(counts.prompts.answered, counts.prompts.sent) },
    meetings: {
      total: meetings,
      pairs: counts.meetings.length,
      perPair: share(meetings, counts.meetings.length),
      pairsWithout: counts.meetings.filter((p) => p.meetings === 0).length,
    },
    flow: flowBalance(counts.flows),
    escalations,
    surveys: summariseSurveys(counts.surveys),
    period: chartPeriod(now, deps.config.tzDefault, programme.startsOn),
    quotes: quotable.map((q) => ({ role: q.role, text: q.learned, gain: learningGain(q.objectives, q.startLevels, q.endLevels)?.meanGain ?? null })),
  };
}
