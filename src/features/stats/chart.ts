import { uploadFile } from '../../slack/files.js';
import type { Deps } from '../../deps.js';
import { type MonthlyBuckets, monthLabels, monthlyBuckets, renderActivityChart, SERIES_COLOURS } from '../../domain/chart/index.js';
import { type ChartPeriod, monthFromIndex, monthIndex } from '../../domain/stats.js';
import { type IsoDate, zonedDateTimeToInstant } from '../../domain/time.js';
import { type Locale, t, intlLocale } from '../../i18n/index.js';
import { mention } from '../../slack/blocks.js';
import { audit } from '../../store/audit.js';
import { activityRows } from '../../store/stats.js';

/** The series of the chart, in the order they are drawn in each month. */
const CHART_SERIES = ['meetings', 'answers', 'pairsFormed'] as const;
type SeriesName = (typeof CHART_SERIES)[number];

/** A second request for the same chart this soon after one was posted is a double click, not a wish for two. */
const REPEAT_WINDOW_MS = 60_000;

const firstDay = (month: string): IsoDate => `${month}-01` as IsoDate;

interface ChartFile {
  png: Buffer;
  filename: string;
  /** "Apr 26" and "Mar 27": the period as the chart labels it. */
  from: string;
  to: string;
  /** What the chart shows, in words, for people who cannot see it. */
  altText: string;
}

/**
 * The programme's month-by-month activity over `period`: sessions logged (one per pair and date),
 * check-in prompts answered, and pairs formed, each counted in the month it happened on the
 * programme's clock (TZ_DEFAULT).
 */
export async function activityCounts(deps: Deps, period: ChartPeriod): Promise<MonthlyBuckets> {
  const timeZone = deps.config.tzDefault;
  const after = firstDay(monthFromIndex(monthIndex(period.to) + 1));
  const rows = await activityRows(deps.store.db, {
    fromDate: firstDay(period.from),
    toDate: after,
    from: zonedDateTimeToInstant(firstDay(period.from), 0, 0, timeZone),
    to: zonedDateTimeToInstant(after, 0, 0, timeZone),
  });
  const events = [
    // A session has a date, not a time: it counts in the month of that date.
    ...rows.meetings.map((date) => ({ at: zonedDateTimeToInstant(date as IsoDate, 12, 0, timeZone), series: 'meetings' })),
    ...rows.answers.map((at) => ({ at: new Date(at), series: 'answers' })),
    ...rows.pairsFormed.map((at) => ({ at: new Date(at), series: 'pairsFormed' })),
  ];
  const middle = (month: string) => zonedDateTimeToInstant(firstDay(month), 12, 0, timeZone);
  return monthlyBuckets(events, middle(period.from), middle(period.to), timeZone, CHART_SERIES);
}

/** The activity chart as a PNG, drawn by the bot itself, with its labels in `locale`. */
export async function activityChart(deps: Deps, period: ChartPeriod, locale: Locale): Promise<ChartFile> {
  const buckets = await activityCounts(deps, period);
  const labels = monthLabels(buckets.months, intlLocale(locale));
  const from = labels[0] ?? period.from;
  const to = labels.at(-1) ?? period.to;
  const png = renderActivityChart({
    title: t(locale, 'stats.chart.title', { from, to }),
    months: labels,
    series: CHART_SERIES.map((name: SeriesName, i) => ({
      label: t(locale, `stats.chart.series.${name}`),
      colour: SERIES_COLOURS[i] as string,
      values: buckets.counts.get(name) ?? [],
    })),
    emptyText: t(locale, 'stats.chart.empty'),
    yAxisLabel: t(locale, 'stats.chart.perMonth'),
    locale: intlLocale(locale),
  });
  const total = (name: SeriesName) => (buckets.counts.get(name) ?? []).reduce((sum, n) => sum + n, 0);
  const altText = t(locale, 'workspace.chart.alt', { from, to, months: labels.length, meetings: total('meetings'), answers: total('answers'), pairs: total('pairsFormed') });
  return { png, filename: `tandem-activity-${period.from}-to-${period.to}.png`, from, to, altText };
}

/**
 * One upload at a time for the whole programme, and the same period not again within
 * REPEAT_WINDOW_MS of being posted: a double click, or two facilitators pressing together, post
 * one chart. Button clicks are served by the bot process alone, so its memory is the right place;
 * a failed upload releases the claim at once, so the facilitator can simply press again.
 */
export class ChartRequests {
  private inFlight = false;
  private last: { key: string; at: number } | undefined;

  claim(period: ChartPeriod, now: Date): 'claimed' | 'busy' | 'recent' {
    if (this.inFlight) return 'busy';
    const key = `${period.from}/${period.to}`;
    if (this.last && this.last.key === key && now.getTime() - this.last.at < REPEAT_WINDOW_MS) return 'recent';
    this.inFlight = true;
    return 'claimed';
  }

  release(period: ChartPeriod | undefined, now: Date): void {
    this.inFlight = false;
    if (period) this.last = { key: `${period.from}/${period.to}`, at: now.getTime() };
  }
}

export type ChartOutcome = { kind: 'posted' } | { kind: 'busy' } | { kind: 'recent' } | { kind: 'failed' };

/**
 * Posts the activity chart to the facilitators' channel, at a facilitator's request (the caller
 * has checked that `by` is one). The channel is shared, so the chart speaks the programme's
 * language. Slack's upload API is not carried by the outbox: on failure the facilitator is told
 * to try again, which is cheap, since the chart is drawn anew from the database.
 */
export async function postActivityChart(deps: Deps, requests: ChartRequests, by: string, period: ChartPeriod): Promise<ChartOutcome> {
  const claim = requests.claim(period, deps.now());
  if (claim !== 'claimed') return { kind: claim };
  let posted = false;
  try {
    const locale = deps.config.defaultLocale;
    const chart = await activityChart(deps, period, locale);
    const title = t(locale, 'stats.chart.title', { from: chart.from, to: chart.to });
    const comment = t(locale, 'stats.chart.comment', { by: mention(by) });
    let fileId: string;
    try {
      fileId = await upload(deps, { ...chart, title, comment });
    } catch (error) {
      deps.logger.warn(`Could not post the activity chart requested by ${by}`, error);
      return { kind: 'failed' };
    }
    posted = true;
    await audit(deps.store.db, { actorUserId: by, action: 'stats.chart', subject: 'programme', details: { ...period, fileId } }, deps.now());
    return { kind: 'posted' };
  } finally {
    requests.release(posted ? period : undefined, deps.now());
  }
}

/** The chart shared in the facilitators' channel, with its comment. */
function upload(deps: Deps, file: ChartFile & { title: string; comment: string }): Promise<string> {
  return uploadFile(deps, { filename: file.filename, contentType: 'image/png', bytes: file.png, altText: file.altText }, { title: file.title, channel: deps.config.facilitatorChannelId, comment: file.comment });
}
