/**
 * Where everything of the activity chart goes, as plain rectangles: title, legend, y axis with
 * round ticks and gridlines, grouped bars (one group per month, one bar per series) and the
 * month labels, thinned so they never overlap. Painting (render.ts) only follows this plan,
 * so tests can check the geometry and find each bar's pixels.
 */
import { isHexColour, type Rect } from './canvas.js';
import { ADVANCE, CAP_HEIGHT, CAP_TOP, fitText, GLYPH_WIDTH, textHeight, textWidth } from './font.js';
import { formatTick, niceTicks } from './ticks.js';

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'] as const;

export const MIN_SERIES = 1;
export const MAX_SERIES = 4;
export const DEFAULT_WIDTH = 1000;
export const DEFAULT_HEIGHT = 500;
// Below this the 2× text (legend wrapped on up to four rows) leaves too little room to plot.
const MIN_SIZE = { width: 600, height: 300 };
const MAX_SIZE = { width: 4000, height: 2000 };

export interface ChartSeries {
  /** Legend text, e.g. "meetings logged" (already translated). */
  label: string;
  /** `#rrggbb`; pick from SERIES_COLOURS to stay colour-blind safe. */
  colour: string;
  /** One non-negative integer per month, same order as `months`. */
  values: readonly number[];
}

export interface ActivityChartInput {
  title: string;
  /** Month labels, oldest first ("2026-03", or localized short labels from monthLabels). */
  months: readonly string[];
  /** One to four series, drawn side by side in each month in this order. */
  series: readonly ChartSeries[];
  /** Shown instead of the plot when there are no months yet (already translated). */
  emptyText: string;
  /** Optional caption above the y axis, e.g. "per month". */
  yAxisLabel?: string;
  /** BCP 47 locale for tick numbers ("1,000" vs "1 000"); English by default. */
  locale?: string;
  width?: number;
  height?: number;
}

/** A line of text: the string as drawn (maybe shortened with "…") and its cell box. */
export interface TextBox extends Rect {
  text: string;
  scale: number;
}

export interface LegendItem {
  colour: string;
  swatch: Rect;
  label: TextBox;
}

export interface Tick {
  value: number;
  /** Row of the gridline. */
  y: number;
  /** Null when ticks are too close for every one to carry its number (very short charts). */
  label: TextBox | null;
}

export interface Bar {
  month: number;
  series: number;
  colour: string;
  value: number;
  /** Zero height for a zero value: nothing is drawn above the axis. */
  rect: Rect;
}

export interface MonthLabel extends TextBox {
  month: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  title: TextBox;
  /** Set when there are no months: the chart is only the title and this message. */
  empty: TextBox | null;
  legend: LegendItem[];
  yAxisLabel: TextBox | null;
  /** The plotting area; its bottom edge (y + height) is the x axis row. Zero height when empty. */
  plot: Rect;
  ticks: Tick[];
  bars: Bar[];
  /** The labels actually drawn, every k-th month. */
  monthLabels: MonthLabel[];
}

/** Text scale: 2× makes the 5×7 capitals 14 px tall, readable once Slack scales the image down. */
const TEXT = 2;
const PADDING = 16;
const LINE = textHeight(TEXT);
/** Height of capitals and digits on the chart; legend swatches are that square. */
const CAP = CAP_HEIGHT * TEXT;
const SWATCH = CAP;
const SWATCH_GAP = 4 * TEXT;
const LEGEND_GAP = 28;
const TICK_GAP = 8;
/** Share of a month's slot taken by its group of bars; the rest separates months. */
const GROUP_SHARE = 0.75;
const MAX_BAR_WIDTH = 48;
/** Month labels keep at least one character's width between them. */
const LABEL_GAP = ADVANCE * TEXT;
const MAX_MONTH_LABEL_CHARS = 12;

function textBox(text: string, x: number, y: number, scale = TEXT): TextBox {
  return { text, x, y, width: textWidth(text, scale), height: textHeight(scale), scale };
}

/** The y at which a text box puts its capitals' middle on `centre`. */
function capCentredTop(centre: number, scale = TEXT): number {
  return Math.round(centre - (CAP_TOP + CAP_HEIGHT / 2) * scale);
}

function validate(input: ActivityChartInput, width: number, height: number): void {
  if (!Number.isInteger(width) || width < MIN_SIZE.width || width > MAX_SIZE.width) throw new RangeError(`Bad chart width: ${width}`);
  if (!Number.isInteger(height) || height < MIN_SIZE.height || height > MAX_SIZE.height) throw new RangeError(`Bad chart height: ${height}`);
  if (input.series.length < MIN_SERIES || input.series.length > MAX_SERIES) {
    throw new RangeError(`A chart shows ${MIN_SERIES}–${MAX_SERIES} series, not ${input.series.length}`);
  }
  for (const series of input.series) {
    if (!isHexColour(series.colour)) throw new RangeError(`Not a #rrggbb colour: ${series.colour}`);
    if (series.values.length !== input.months.length) throw new RangeError(`Series "${series.label}" needs one value per month`);
    for (const value of series.values) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Series "${series.label}" has a bad value: ${value}`);
    }
  }
}

/** Legend items left to right, wrapping to a new row when the width runs out. Returns the bottom. */
function layoutLegend(input: ActivityChartInput, width: number, top: number, items: LegendItem[]): number {
  const right = width - PADDING;
  const labelRoom = right - PADDING - SWATCH - SWATCH_GAP;
  let x = PADDING;
  let y = top;
  for (const series of input.series) {
    const text = fitText(series.label, labelRoom, TEXT);
    const itemWidth = SWATCH + SWATCH_GAP + textWidth(text, TEXT);
    if (x > PADDING && x + itemWidth > right) {
      x = PADDING;
      y += LINE + 4;
    }
    const swatch = { x, y: y + CAP_TOP * TEXT, width: SWATCH, height: SWATCH };
    items.push({ colour: series.colour, swatch, label: textBox(text, x + SWATCH + SWATCH_GAP, y) });
    x += itemWidth + LEGEND_GAP;
  }
  return y + LINE;
}

/**
 * Every k-th month gets its label, k being the smallest step at which the widest label fits in
 * k slots. Labels at the image edges are pulled inside, so a last check drops any label that
 * would still touch the one before it.
 */
function layoutMonthLabels(input: ActivityChartInput, width: number, groupCentre: (month: number) => number, slot: number, top: number): MonthLabel[] {
  const texts = input.months.map((label) => fitText(label, (MAX_MONTH_LABEL_CHARS * ADVANCE - (ADVANCE - GLYPH_WIDTH)) * TEXT, TEXT));
  const widest = Math.max(...texts.map((text) => textWidth(text, TEXT)));
  const every = Math.max(1, Math.ceil((widest + LABEL_GAP) / slot));
  const labels: MonthLabel[] = [];
  for (let month = 0; month < texts.length; month += every) {
    const text = texts[month]!;
    const box = textBox(text, 0, top);
    box.x = Math.min(Math.max(Math.round(groupCentre(month) - box.width / 2), 0), width - box.width);
    const previous = labels[labels.length - 1];
    if (previous && box.x < previous.x + previous.width + LABEL_GAP) continue;
    labels.push({ ...box, month });
  }
  return labels;
}

export function layoutActivityChart(input: ActivityChartInput): ChartLayout {
  const width = input.width ?? DEFAULT_WIDTH;
  const height = input.height ?? DEFAULT_HEIGHT;
  validate(input, width, height);
  const locale = input.locale ?? 'en';

  const title = textBox(fitText(input.title, width - 2 * PADDING, TEXT), PADDING, PADDING - CAP_TOP * TEXT);
  const base = { width, height, title, legend: [], yAxisLabel: null, ticks: [], bars: [], monthLabels: [] };
  if (input.months.length === 0) {
    const text = fitText(input.emptyText, width - 2 * PADDING, TEXT);
    const empty = textBox(text, Math.round((width - textWidth(text, TEXT)) / 2), capCentredTop(height / 2));
    return { ...base, empty, plot: { x: PADDING, y: Math.round(height / 2), width: width - 2 * PADDING, height: 0 } };
  }

  const legend: LegendItem[] = [];
  let top = layoutLegend(input, width, title.y + LINE + 6, legend);
  let yAxisLabel: TextBox | null = null;
  if (input.yAxisLabel) {
    yAxisLabel = textBox(fitText(input.yAxisLabel, width - 2 * PADDING, TEXT), PADDING, top + 6);
    top = yAxisLabel.y + LINE;
  }

  const max = Math.max(0, ...input.series.flatMap((series) => series.values));
  const { values } = niceTicks(max);
  const tickTexts = values.map((value) => formatTick(value, locale));
  const tickRoom = Math.max(...tickTexts.map((text) => textWidth(text, TEXT)));

  // Half a line above the plot keeps the top tick label clear of the legend.
  const plotTop = top + LINE / 2 + 4;
  const axisY = height - PADDING - LINE - 6;
  const plotLeft = PADDING + tickRoom + TICK_GAP;
  const plotRight = width - PADDING;
  const plot = { x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: axisY - plotTop };
  if (plot.height < 40) throw new RangeError('The chart is too short for its legend');

  const topValue = values[values.length - 1]!;
  const yOf = (value: number): number => axisY - Math.round((value / topValue) * plot.height);
  const labelEvery = Math.ceil((CAP + 4) / (plot.height / (values.length - 1)));
  const ticks = values.map((value, i): Tick => {
    const text = tickTexts[i]!;
    const y = yOf(value);
    const label = i % labelEvery === 0 ? textBox(text, plotLeft - TICK_GAP - textWidth(text, TEXT), capCentredTop(y)) : null;
    return { value, y, label };
  });

  const seriesCount = input.series.length;
  const slot = plot.width / input.months.length;
  const barWidth = Math.min(MAX_BAR_WIDTH, Math.floor((slot * GROUP_SHARE) / seriesCount));
  if (barWidth < 1) throw new RangeError(`${input.months.length} months do not fit in ${width} px; show fewer`);
  const groupWidth = barWidth * seriesCount;
  const groupLeft = (month: number): number => plotLeft + Math.round(month * slot + (slot - groupWidth) / 2);
  const bars: Bar[] = [];
  input.months.forEach((_, month) => {
    input.series.forEach((series, index) => {
      const value = series.values[month]!;
      // A non-zero value always shows, even when it rounds to less than a pixel.
      const barHeight = value === 0 ? 0 : Math.max(1, axisY - yOf(value));
      const x = groupLeft(month) + index * barWidth;
      bars.push({ month, series: index, colour: series.colour, value, rect: { x, y: axisY - barHeight, width: barWidth, height: barHeight } });
    });
  });

  const monthLabels = layoutMonthLabels(input, width, (month) => groupLeft(month) + groupWidth / 2, slot, axisY + 6);
  return { ...base, empty: null, legend, yAxisLabel, plot, ticks, bars, monthLabels };
}
