import type { KnownBlock } from '@slack/types';
import { type ChartPeriod, wholePercent } from '../../domain/stats.js';
import { type Locale, t, numberFormat, dateTimeFormat } from '../../i18n/index.js';
import { actions, button, context, divider, escapeText, header, LIMITS, type Message, section, truncate } from '../../slack/blocks.js';
import { dateLabel, gainArgs } from '../../slack/labels.js';
import { PAIR_STATUSES, PEOPLE_STATUSES, type ProgrammeFigures } from './service.js';

export const POST_CHART = 'stats_post_chart';

/** The button carries the period the reply announced, so the chart posted is the one the facilitator read about. */
const chartValue = (period: ChartPeriod): string => JSON.stringify({ from: period.from, to: period.to });


const NONE = '—';

const countText = (locale: Locale, n: number): string => numberFormat(locale).format(n);
/** A share as a whole percentage, "—" when there was nothing to share. */
const percentText = (locale: Locale, ratio: number | null): string => (ratio === null ? NONE : numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(wholePercent(ratio) / 100));
const decimalText = (locale: Locale, value: number | null): string => (value === null ? NONE : numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value));
/** A mean gain in levels, signed: "+1.3", "−0.5", "0.0". */
const gainText = (locale: Locale, value: number | null): string => (value === null ? NONE : numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(Math.round(value * 10) / 10));

/** "April 2026" / "avril 2026". */
function monthText(locale: Locale, month: string): string {
  const [year, index] = month.split('-').map(Number);
  return dateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year as number, (index as number) - 1, 1)));
}

/** "Label *n* · Label *n* · …" on one line, every state shown, zeros included. */
const states = (items: readonly [string, number][], locale: Locale) => items.map(([label, n]) => `${label} *${countText(locale, n)}*`).join('  ·  ');

function peopleBlock(locale: Locale, f: ProgrammeFigures): KnownBlock {
  const { people } = f;
  const title = t(locale, 'stats.people.title', {
    total: people.total,
    juniors: people.byRole.junior,
    seniors: people.byRole.senior,
  });
  return section(`${title}\n${states(PEOPLE_STATUSES.map((s) => [t(locale, `stats.people.${s}`), people.byStatus[s]]), locale)}`);
}

function pairsBlock(locale: Locale, f: ProgrammeFigures): KnownBlock {
  const { pairs } = f;
  const unformed = t(locale, 'stats.pairs.unformed', {
    total: pairs.rejected + pairs.declined + pairs.withdrawn,
    rejected: pairs.rejected,
    declined: pairs.declined,
    withdrawn: pairs.withdrawn,
  });
  return section(`${t(locale, 'stats.pairs.title')}\n${states(PAIR_STATUSES.map((s) => [t(locale, `stats.pairs.${s}`), pairs[s]]), locale)}\n${unformed}`);
}

function followupLines(locale: Locale, f: ProgrammeFigures): string[] {
  const { contracts, responses, meetings, flow, escalations } = f;
  return [
    t(locale, 'stats.escalations', { open: escalations.open, resolved: escalations.resolved }),
    t(locale, 'stats.contracts', { pairs: contracts.pairs, versions: contracts.versions }),
    responses.rate === null
      ? t(locale, 'stats.responses.none')
      : t(locale, 'stats.responses', { rate: percentText(locale, responses.rate), answered: responses.answered, sent: responses.sent }),
    meetings.perPair === null
      ? t(locale, 'stats.meetings.none')
      : t(locale, 'stats.meetings', { total: meetings.total, perPair: decimalText(locale, meetings.perPair), without: meetings.pairsWithout, pairs: meetings.pairs }),
    flow.reports === 0
      ? t(locale, 'stats.flow.none')
      : t(locale, 'stats.flow', {
          reports: flow.reports,
          senior: percentText(locale, flow.senior / flow.reports),
          junior: percentText(locale, flow.junior / flow.reports),
          both: percentText(locale, flow.both / flow.reports),
        }),
  ];
}

function outcomeLines(locale: Locale, f: ProgrammeFigures): string[] {
  const { reached, gain, gainByRole } = f.surveys;
  return [
    reached.rated === 0
      ? t(locale, 'stats.reached.none')
      : t(locale, 'stats.reached', {
          rate: percentText(locale, reached.reached / reached.rated),
          reached: reached.reached,
          rated: reached.rated,
          partly: reached.partly,
          not: reached.not,
        }),
    gain.mean === null
      ? t(locale, 'stats.gain.none')
      : t(locale, 'stats.gain', {
          mean: gainText(locale, gain.mean),
          objectives: gain.objectives,
          senior: gainText(locale, gainByRole.senior.mean),
          junior: gainText(locale, gainByRole.junior.mean),
        }),
  ];
}

const bullets = (lines: readonly string[]) => lines.map((line) => `• ${line}`).join('\n');

/** "What participants say": what they learned, in their words, quoted with both partners' consent. */
function quotesBlock(locale: Locale, f: ProgrammeFigures): KnownBlock {
  const title = t(locale, 'stats.quotes.title');
  if (f.quotes.length === 0) return section(`${title}\n${t(locale, 'stats.quotes.none')}`);
  const items = f.quotes.map((q) => {
    const quote = escapeText(truncate(q.text.replace(/\s+/g, ' ').trim(), 400));
    const who = t(locale, `stats.quotes.by.${q.role}`);
    return q.gain === null ? t(locale, 'stats.quotes.itemNoGain', { quote, who }) : t(locale, 'stats.quotes.item', { quote, who, ...gainArgs(locale, q.gain) });
  });
  return section(truncate([title, ...items].join('\n'), LIMITS.sectionText));
}

/** The reply to `/tandem stats`: every figure, what each means, and the chart button. */
export function statsMessage(locale: Locale, f: ProgrammeFigures, timeZone: string): Message {
  const blocks: KnownBlock[] = [
    header(t(locale, 'stats.title')),
    context(t(locale, 'stats.asOf', { date: dateLabel(locale, f.asOf.toISOString(), timeZone) })),
    peopleBlock(locale, f),
    pairsBlock(locale, f),
    section(`${t(locale, 'stats.followup.title')}\n${bullets(followupLines(locale, f))}`),
    section(`${t(locale, 'stats.outcomes.title', { surveys: f.surveys.surveys })}\n${bullets(outcomeLines(locale, f))}`),
    quotesBlock(locale, f),
    context(t(locale, 'stats.define.responses'), t(locale, 'stats.define.meetings'), t(locale, 'stats.define.flow'), t(locale, 'stats.define.outcomes')),
    divider(),
    section(t(locale, 'stats.chart.period', { from: monthText(locale, f.period.from), to: monthText(locale, f.period.to) })),
    actions('stats_chart', button({ text: t(locale, 'stats.chart.button'), actionId: POST_CHART, value: chartValue(f.period) })),
  ];
  const text = t(locale, 'stats.text', { people: f.people.total, active: f.pairs.active });
  return { text, blocks };
}
