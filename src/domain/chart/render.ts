/**
 * Paints a chart layout onto an indexed canvas and encodes it as PNG. Back to front:
 * gridlines, bars, axes, then all text, so labels stay legible over the lines.
 */
import { Canvas } from './canvas.js';
import { drawText } from './font.js';
import { layoutActivityChart, type ActivityChartInput, type ChartLayout, type TextBox } from './layout.js';

export const CHART_COLOURS = {
  background: '#FFFFFF',
  text: '#222222',
  mutedText: '#555555',
  gridline: '#E2E2E2',
  axis: '#555555',
} as const;

function write(canvas: Canvas, box: TextBox | null, hex: string): void {
  if (box) drawText(canvas, box.x, box.y, box.text, hex, box.scale);
}

export function paintActivityChart(layout: ChartLayout): Canvas {
  const canvas = new Canvas(layout.width, layout.height, CHART_COLOURS.background);
  const { plot } = layout;
  write(canvas, layout.title, CHART_COLOURS.text);
  if (layout.empty) {
    write(canvas, layout.empty, CHART_COLOURS.mutedText);
    return canvas;
  }

  const axisY = plot.y + plot.height;
  for (const tick of layout.ticks) {
    if (tick.value > 0) canvas.fillRect(plot.x + 1, tick.y, plot.width - 1, 1, CHART_COLOURS.gridline);
  }
  for (const bar of layout.bars) {
    const { x, y, width, height } = bar.rect;
    canvas.fillRect(x, y, width, height, bar.colour);
  }
  canvas.fillRect(plot.x, axisY, plot.width, 1, CHART_COLOURS.axis);
  canvas.fillRect(plot.x, plot.y, 1, plot.height + 1, CHART_COLOURS.axis);
  for (const tick of layout.ticks) {
    canvas.fillRect(plot.x - 4, tick.y, 4, 1, CHART_COLOURS.axis);
    write(canvas, tick.label, CHART_COLOURS.mutedText);
  }

  for (const item of layout.legend) {
    const { x, y, width, height } = item.swatch;
    canvas.fillRect(x, y, width, height, item.colour);
    write(canvas, item.label, CHART_COLOURS.text);
  }
  write(canvas, layout.yAxisLabel, CHART_COLOURS.mutedText);
  for (const label of layout.monthLabels) write(canvas, label, CHART_COLOURS.text);
  return canvas;
}

/**
 * The programme's month-by-month activity as a PNG: grouped bars per month, round y ticks,
 * gridlines, legend and title; "no activity yet" (`emptyText`) when there are no months.
 * Pure and synchronous. Throws RangeError on malformed input (bad colour, negative or
 * fractional value, value count ≠ month count, 0 or more than 4 series, size outside
 * 600×300–4000×2000, more months than the width can hold).
 */
export function renderActivityChart(input: ActivityChartInput): Buffer {
  return paintActivityChart(layoutActivityChart(input)).toPng();
}
