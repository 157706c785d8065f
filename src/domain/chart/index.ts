/**
 * Activity charts for `/tandem stats`, drawn by the bot itself: a PNG with grouped monthly bars,
 * built from counted events. Pure: no Slack, no database, no clock.
 *
 *   const buckets = monthlyBuckets(events, programmeStart, now, timeZone, ['meetings', 'checkins']);
 *   const png = renderActivityChart({ title, months: monthLabels(buckets.months, locale), series, emptyText, locale });
 */
export { SERIES_COLOURS } from './layout.js';
export type { ActivityChartInput, ChartSeries } from './layout.js';
export { monthLabels, monthlyBuckets } from './months.js';
export type { MonthKey, MonthlyBuckets } from './months.js';
export { renderActivityChart } from './render.js';
