import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Canvas } from '../../src/domain/chart/canvas.js';
import { ADVANCE, drawText, fitText, GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor, MISSING_GLYPH, textWidth } from '../../src/domain/chart/font.js';
import { renderActivityChart, SERIES_COLOURS, type ActivityChartInput, type ChartSeries } from '../../src/domain/chart/index.js';
import { layoutActivityChart, type ChartLayout } from '../../src/domain/chart/layout.js';
import { monthLabels, monthlyBuckets } from '../../src/domain/chart/months.js';
import { crc32, encodePng } from '../../src/domain/chart/png.js';
import { CHART_COLOURS } from '../../src/domain/chart/render.js';
import { formatTick, MAX_TICKS, MIN_TICKS, niceTicks } from '../../src/domain/chart/ticks.js';

// ---------------------------------------------------------------- an independent PNG reader

/** Bit-by-bit CRC-32 (no table), so the encoder's table is checked, not reused. */
function referenceCrc(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunkTypes: string[];
  /** `#rrggbb` at (x, y). */
  pixel: (x: number, y: number) => string;
  /** How many pixels have this colour. */
  count: (hex: string) => number;
}

const hex = (r: number, g: number, b: number): string => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** Checks every structural rule the encoder must honour, and fails the test on the first broken one. */
function decodePng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(referenceCrc(png.subarray(offset + 4, offset + 8 + length)));
    chunks.push({ type, data });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  const chunkTypes = chunks.map((c) => c.type);
  expect(chunkTypes[0]).toBe('IHDR');
  expect(chunkTypes[chunkTypes.length - 1]).toBe('IEND');
  expect(chunks[chunks.length - 1]!.data.length).toBe(0);

  const ihdr = chunks[0]!.data;
  expect(ihdr.length).toBe(13);
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [bitDepth, colourType, compression, filter, interlace] = [ihdr[8]!, ihdr[9]!, ihdr[10]!, ihdr[11]!, ihdr[12]!];
  expect(bitDepth).toBe(8);
  expect([2, 3]).toContain(colourType); // RGB or palette
  expect([compression, filter, interlace]).toEqual([0, 0, 0]);

  const plte = chunks.find((c) => c.type === 'PLTE')?.data;
  if (colourType === 3) {
    expect(plte).toBeDefined();
    expect(plte!.length % 3).toBe(0);
    expect(chunkTypes.indexOf('PLTE')).toBeLessThan(chunkTypes.indexOf('IDAT'));
  }
  const bpp = colourType === 3 ? 1 : 3;
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe(height * (stride + 1));

  // Undo the scanline filters (all five types, as any PNG reader must).
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filterType = raw[y * (stride + 1)]!;
    if (filterType > 4) throw new Error(`row ${y} has filter type ${filterType}`);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= bpp ? data[y * stride + i - bpp]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + i]! : 0;
      const c = i >= bpp && y > 0 ? data[(y - 1) * stride + i - bpp]! : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filterType]!;
      data[y * stride + i] = (x + predictor) & 0xff;
    }
  }

  // Palette slots (or packed RGB) per pixel, turned into `#rrggbb` only when asked.
  const keyAt = (index: number): number =>
    colourType === 2 ? (data[index * 3]! << 16) | (data[index * 3 + 1]! << 8) | data[index * 3 + 2]! : data[index]!;
  const colourOf = (key: number): string => {
    if (colourType === 2) return hex(key >> 16, (key >> 8) & 0xff, key & 0xff);
    if (key * 3 + 2 >= plte!.length) throw new Error(`palette index ${key} outside PLTE`);
    return hex(plte![key * 3]!, plte![key * 3 + 1]!, plte![key * 3 + 2]!);
  };
  const counts = new Map<number, number>();
  for (let i = 0; i < width * height; i++) counts.set(keyAt(i), (counts.get(keyAt(i)) ?? 0) + 1);
  const countsByColour = new Map<string, number>();
  for (const [key, count] of counts) countsByColour.set(colourOf(key), (countsByColour.get(colourOf(key)) ?? 0) + count);
  return {
    width,
    height,
    bitDepth,
    colourType,
    chunkTypes,
    pixel: (x, y) => {
      if (x < 0 || y < 0 || x >= width || y >= height) throw new Error(`pixel ${x},${y} is outside the image`);
      return colourOf(keyAt(y * width + x));
    },
    count: (colour) => countsByColour.get(colour.toLowerCase()) ?? 0,
  };
}

const WHITE = '#ffffff';
const INK = '#123456';

// ---------------------------------------------------------------- PNG encoder

describe('encodePng', () => {
  it('computes the standard CRC-32 (check value of "123456789")', () => {
    const digits = new TextEncoder().encode('123456789');
    expect(crc32(digits)).toBe(0xcbf43926);
    expect(referenceCrc(digits)).toBe(0xcbf43926);
  });

  it('writes a valid palette PNG that reads back pixel for pixel', () => {
    const pixels = new Uint8Array(7 * 3);
    pixels[0] = 1; // top left
    pixels[7 * 3 - 1] = 2; // bottom right
    const png = encodePng({ width: 7, height: 3, palette: [[255, 255, 255], [1, 2, 3], [250, 128, 0]], pixels });
    const image = decodePng(png);
    expect(image).toMatchObject({ width: 7, height: 3, bitDepth: 8, colourType: 3, chunkTypes: ['IHDR', 'PLTE', 'IDAT', 'IEND'] });
    expect(image.pixel(0, 0)).toBe('#010203');
    expect(image.pixel(6, 2)).toBe('#fa8000');
    expect(image.pixel(3, 1)).toBe(WHITE);
    expect(image.count(WHITE)).toBe(19);
  });

  it('refuses a size, pixel count or palette it cannot encode', () => {
    expect(() => encodePng({ width: 0, height: 1, palette: [[0, 0, 0]], pixels: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodePng({ width: 2, height: 2, palette: [[0, 0, 0]], pixels: new Uint8Array(3) })).toThrow(RangeError);
    expect(() => encodePng({ width: 1, height: 1, palette: [], pixels: new Uint8Array(1) })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- bitmap font

/** Ink pixels of text drawn at (0, 0) on a fresh canvas. */
function inked(text: string, scale = 1): { canvas: Canvas; ink: (x: number, y: number) => boolean; total: number } {
  const canvas = new Canvas(Math.max(1, textWidth(text, scale)), GLYPH_HEIGHT * scale, WHITE);
  drawText(canvas, 0, 0, text, INK, scale);
  const ink = (x: number, y: number): boolean => canvas.pixel(x, y) === INK;
  let total = 0;
  for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) if (ink(x, y)) total += 1;
  return { canvas, ink, total };
}

describe('bitmap font', () => {
  it('draws a letter with some ink, inside its cell, and the same shape twice as large at 2×', () => {
    const one = inked('A');
    expect(one.total).toBeGreaterThan(10);
    expect(one.total).toBeLessThan(GLYPH_WIDTH * GLYPH_HEIGHT);
    const two = inked('A', 2);
    expect(two.total).toBe(one.total * 4);
    expect(decodePng(two.canvas.toPng()).count(INK)).toBe(two.total);
  });

  it('draws a box for a character it lacks, and never throws', () => {
    for (const unknown of ['✓', '€', '😀', '\u0000', '漢']) {
      const { ink, total } = inked(unknown);
      expect(glyphFor(unknown)).toBe(MISSING_GLYPH);
      // Outline of rows 3–9 and columns 0–4, empty inside.
      for (let x = 0; x < GLYPH_WIDTH; x++) expect(ink(x, 3) && ink(x, 9)).toBe(true);
      for (let y = 3; y <= 9; y++) expect(ink(0, y) && ink(4, y)).toBe(true);
      for (let y = 4; y <= 8; y++) for (let x = 1; x <= 3; x++) expect(ink(x, y)).toBe(false);
      expect(total).toBe(2 * GLYPH_WIDTH + 2 * 5);
    }
    // One box per code point, so an emoji is one character wide.
    expect(textWidth('😀', 1)).toBe(GLYPH_WIDTH);
  });

  it('has its own glyph for ASCII and for the letters of French labels', () => {
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
    const french = [...'éèêàçôûîïëùâÉÀÇÈÊÔÛÎœ’«»…'];
    for (const char of [...printable, ...french]) expect(glyphFor(char), char).not.toBe(MISSING_GLYPH);
    // Distinct shapes: no two characters draw the same (the space aside).
    const shapes = new Set([...printable, ...french].map((char) => glyphFor(char).join('')));
    expect(shapes.size).toBe(printable.length + french.length);
  });

  it('puts accents above the letter, and the cedilla below', () => {
    const rowsOf = (char: string): number[] => {
      const rows = new Set<number>();
      glyphFor(char).forEach((bit, i) => bit && rows.add(Math.floor(i / GLYPH_WIDTH)));
      return [...rows].sort((a, b) => a - b);
    };
    const differing = (a: string, b: string): number[] => {
      const rows = new Set<number>();
      glyphFor(a).forEach((bit, i) => bit !== glyphFor(b)[i] && rows.add(Math.floor(i / GLYPH_WIDTH)));
      return [...rows];
    };
    for (const [accented, plain] of [['é', 'e'], ['è', 'e'], ['ê', 'e'], ['à', 'a'], ['ô', 'o'], ['û', 'u'], ['ù', 'u'], ['â', 'a'], ['ë', 'e']]) {
      expect(differing(accented!, plain!).every((row) => row < rowsOf(plain!)[0]!), accented).toBe(true);
    }
    expect(Math.min(...rowsOf('É'))).toBeLessThan(Math.min(...rowsOf('E')));
    expect(Math.max(...rowsOf('ç'))).toBeGreaterThan(Math.max(...rowsOf('c')));
    // î and ï drop the dot of i for their mark.
    expect(rowsOf('î')).not.toEqual(rowsOf('i'));
  });

  it('draws a decomposed accent (e + combining acute) like the composed letter', () => {
    expect(inked('e\u0301').canvas.pixels).toEqual(inked('é').canvas.pixels);
  });

  it('measures monospaced text and shortens it with an ellipsis to fit', () => {
    expect(textWidth('', 2)).toBe(0);
    expect(textWidth('abc', 1)).toBe(3 * ADVANCE - 1);
    expect(textWidth('abc', 2)).toBe(2 * (3 * ADVANCE - 1));
    expect(fitText('meetings logged', 1000, 2)).toBe('meetings logged');
    const cut = fitText('check-ins answered', textWidth('check-ins', 2), 2);
    expect(cut).toBe('check-in…');
    expect(textWidth(cut, 2)).toBeLessThanOrEqual(textWidth('check-ins', 2));
    expect(fitText('anything', 3, 2)).toBe('');
  });

  it('clips text running off the canvas instead of throwing', () => {
    const canvas = new Canvas(10, 10, WHITE);
    expect(() => drawText(canvas, -7, -5, 'Tandem’s chart', INK, 3)).not.toThrow();
    expect(() => drawText(canvas, 8, 8, 'ÉÇ', INK, 2)).not.toThrow();
  });
});

// ---------------------------------------------------------------- y-axis ticks

const isRoundStep = (step: number): boolean => {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  return [1, 2, 5].some((mantissa) => mantissa * power === step);
};

describe('niceTicks', () => {
  it('picks 1-2-5 steps whose top is just above the largest value', () => {
    expect(niceTicks(0)).toEqual({ step: 1, values: [0, 1, 2] });
    expect(niceTicks(1)).toEqual({ step: 1, values: [0, 1, 2] });
    expect(niceTicks(7)).toEqual({ step: 1, values: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(niceTicks(10)).toEqual({ step: 2, values: [0, 2, 4, 6, 8, 10] });
    expect(niceTicks(25)).toEqual({ step: 5, values: [0, 5, 10, 15, 20, 25] });
    expect(niceTicks(26).values.at(-1)).toBe(30);
    expect(niceTicks(1_500_000)).toEqual({ step: 500_000, values: [0, 500_000, 1_000_000, 1_500_000] });
  });

  it('refuses a negative or non-finite maximum', () => {
    expect(() => niceTicks(-1)).toThrow(RangeError);
    expect(() => niceTicks(Number.NaN)).toThrow(RangeError);
    expect(() => niceTicks(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('covers the maximum with 3–8 evenly spaced round ticks from 0, without wasting half the axis (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), (max) => {
        const { step, values } = niceTicks(max);
        expect(values.length).toBeGreaterThanOrEqual(MIN_TICKS);
        expect(values.length).toBeLessThanOrEqual(MAX_TICKS);
        expect(isRoundStep(step)).toBe(true);
        expect(step).toBeGreaterThanOrEqual(1);
        values.forEach((value, i) => expect(value).toBe(i * step));
        const top = values[values.length - 1]!;
        expect(top).toBeGreaterThanOrEqual(max);
        expect(top).toBeLessThanOrEqual(2 * Math.max(1, max));
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatTick', () => {
  // French groups digits with a narrow no-break space; compare as plain spaces.
  const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

  it('groups digits and abbreviates large values in the reader’s locale', () => {
    expect(formatTick(0, 'en')).toBe('0');
    expect(formatTick(1000, 'en')).toBe('1,000');
    expect(plain(formatTick(1000, 'fr'))).toBe('1 000');
    expect(formatTick(250_000, 'en')).toBe('250K');
    expect(formatTick(1_500_000, 'en')).toBe('1.5M');
    expect(plain(formatTick(1_500_000, 'fr'))).toBe('1,5 M');
  });

  it('keeps neighbouring ticks distinct for any maximum (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 }), fc.constantFrom('en', 'fr'), (max, locale) => {
        const labels = niceTicks(max).values.map((value) => formatTick(value, locale));
        expect(new Set(labels).size).toBe(labels.length);
      }),
    );
  });
});

// ---------------------------------------------------------------- the activity chart

const LABELS = ['meetings logged', 'pairs active', 'check-ins answered', 'escalations'];

/** `count` consecutive months from January 2024, as `YYYY-MM`. */
const monthsFrom2024 = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

function chartInput(values: number[][], overrides: Partial<ActivityChartInput> = {}): ActivityChartInput {
  const series: ChartSeries[] = values.map((row, i) => ({ label: LABELS[i]!, colour: SERIES_COLOURS[i]!, values: row }));
  return { title: 'Programme activity', months: monthsFrom2024(values[0]?.length ?? 0), series, emptyText: 'No activity yet', ...overrides };
}

function render(input: ActivityChartInput): { layout: ChartLayout; image: DecodedPng } {
  return { layout: layoutActivityChart(input), image: decodePng(renderActivityChart(input)) };
}

const lower = (colour: string): string => colour.toLowerCase();
const seriesColours = SERIES_COLOURS.map(lower);

/** Colours seen in a rectangle of the image. */
function coloursIn(image: DecodedPng, x: number, y: number, width: number, height: number): Set<string> {
  const seen = new Set<string>();
  for (let row = y; row < y + height; row++) for (let col = x; col < x + width; col++) seen.add(image.pixel(col, row));
  return seen;
}

describe('renderActivityChart', () => {
  // Four series over six months; the tallest value (25) is in series 0, month 2; series 3 is zero in month 1.
  const values = [
    [3, 10, 25, 8, 15, 22],
    [0, 1, 2, 4, 5, 6],
    [5, 10, 15, 8, 13, 6],
    [1, 0, 3, 1, 2, 3],
  ];

  it('is a 1000×500 palette PNG on a white background by default', () => {
    const { image } = render(chartInput(values));
    expect(image).toMatchObject({ width: 1000, height: 500, bitDepth: 8, colourType: 3 });
    for (const [x, y] of [[0, 0], [999, 0], [0, 499], [999, 499]] as const) expect(image.pixel(x, y)).toBe(lower(CHART_COLOURS.background));
  });

  it('draws the tallest bar up to the top of the plot, in its series colour, from the axis', () => {
    const { layout, image } = render(chartInput(values));
    const tallest = layout.bars.find((bar) => bar.value === 25)!;
    expect(tallest).toMatchObject({ month: 2, series: 0 });
    // 25 is a round top (0, 5, … 25): the bar reaches the top gridline.
    const topTick = layout.ticks[layout.ticks.length - 1]!;
    expect(topTick.value).toBe(25);
    expect(tallest.rect.y).toBe(topTick.y);
    expect(topTick.y).toBe(layout.plot.y);
    const centre = tallest.rect.x + Math.floor(tallest.rect.width / 2);
    const axisY = layout.plot.y + layout.plot.height;
    for (let y = layout.plot.y; y < axisY; y++) expect(image.pixel(centre, y)).toBe(seriesColours[0]);
    expect(image.pixel(centre, layout.plot.y - 1)).not.toBe(seriesColours[0]);
    expect(image.pixel(centre, axisY)).toBe(lower(CHART_COLOURS.axis));
    // Every bar stands on the axis and in proportion to its value.
    for (const bar of layout.bars) {
      expect(bar.rect.y + bar.rect.height).toBe(axisY);
      expect(Math.abs(bar.rect.height - (bar.value / 25) * layout.plot.height)).toBeLessThanOrEqual(1);
    }
  });

  it('draws nothing above the axis for a zero value', () => {
    const { layout, image } = render(chartInput(values));
    const zero = layout.bars.find((bar) => bar.series === 3 && bar.month === 1)!;
    expect(zero.value).toBe(0);
    const column = coloursIn(image, zero.rect.x, layout.plot.y, zero.rect.width, layout.plot.height);
    for (const colour of seriesColours) expect(column.has(colour)).toBe(false);
    // A neighbour of the same series with a small non-zero value does show.
    const small = layout.bars.find((bar) => bar.series === 3 && bar.month === 0)!;
    expect(image.pixel(small.rect.x, layout.plot.y + layout.plot.height - 1)).toBe(seriesColours[3]);
  });

  it('shows each series colour in the legend, beside its label', () => {
    const { layout, image } = render(chartInput(values));
    expect(layout.legend.map((item) => item.label.text)).toEqual(LABELS);
    layout.legend.forEach((item, i) => {
      const { x, y, width, height } = item.swatch;
      expect(coloursIn(image, x, y, width, height)).toEqual(new Set([seriesColours[i]]));
      expect(item.label.x).toBeGreaterThan(x + width);
      expect(coloursIn(image, item.label.x, item.label.y, item.label.width, item.label.height).has(lower(CHART_COLOURS.text))).toBe(true);
    });
  });

  it('writes the title, the tick numbers and the month labels', () => {
    const { layout, image } = render(chartInput(values, { locale: 'fr', yAxisLabel: 'par mois' }));
    const hasText = (box: { x: number; y: number; width: number; height: number }): boolean =>
      [...coloursIn(image, box.x, box.y, box.width, box.height)].some((c) => c === lower(CHART_COLOURS.text) || c === lower(CHART_COLOURS.mutedText));
    expect(hasText(layout.title)).toBe(true);
    expect(layout.yAxisLabel?.text).toBe('par mois');
    expect(hasText(layout.yAxisLabel!)).toBe(true);
    expect(layout.ticks.map((tick) => tick.label?.text)).toEqual(['0', '5', '10', '15', '20', '25']);
    for (const tick of layout.ticks) expect(hasText(tick.label!)).toBe(true);
    expect(layout.monthLabels.map((label) => label.text)).toEqual(monthsFrom2024(6));
    for (const label of layout.monthLabels) expect(hasText(label)).toBe(true);
    // Gridlines run across the plot at each tick above zero.
    for (const tick of layout.ticks.slice(1)) expect(image.pixel(layout.plot.x + layout.plot.width - 1, tick.y)).toBe(lower(CHART_COLOURS.gridline));
  });

  it('draws an empty chart with its message when there are no months yet', () => {
    const { layout, image } = render(chartInput([[], []], { emptyText: 'Pas encore d’activité' }));
    expect(layout.empty?.text).toBe('Pas encore d’activité');
    const { x, y, width, height } = layout.empty!;
    // Centred, and drawn.
    expect(Math.abs(x + width / 2 - 500)).toBeLessThanOrEqual(1);
    expect(image.count(CHART_COLOURS.mutedText)).toBeGreaterThan(0);
    expect(coloursIn(image, x, y, width, height).has(lower(CHART_COLOURS.mutedText))).toBe(true);
    for (const colour of seriesColours) expect(image.count(colour)).toBe(0);
    expect(layout.bars).toEqual([]);
  });

  it('draws one month as one centred group of bars', () => {
    const { layout, image } = render(chartInput([[4], [2], [7]]));
    expect(layout.bars).toHaveLength(3);
    const left = layout.bars[0]!.rect.x;
    const right = layout.bars[2]!.rect.x + layout.bars[2]!.rect.width;
    expect(Math.abs((left + right) / 2 - (layout.plot.x + layout.plot.width / 2))).toBeLessThanOrEqual(1);
    expect(layout.monthLabels.map((label) => label.text)).toEqual(['2024-01']);
    for (const bar of layout.bars) expect(image.pixel(bar.rect.x, bar.rect.y)).toBe(lower(bar.colour));
  });

  it('draws only the legend in series colours when every value is zero', () => {
    const { layout, image } = render(chartInput([[0, 0, 0], [0, 0, 0]]));
    expect(layout.ticks.map((tick) => tick.value)).toEqual([0, 1, 2]);
    layout.legend.forEach((item) => expect(image.count(item.colour)).toBe(item.swatch.width * item.swatch.height));
  });

  it('copes with very large values: compact tick numbers, tallest bar near the top', () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const { layout, image } = render(chartInput([[huge, 1, 0], [3_000_000_000, huge - 1, 5]]));
    const top = layout.ticks[layout.ticks.length - 1]!;
    expect(top.value).toBeGreaterThanOrEqual(huge);
    // Compact numbers ("2000T") keep the tick labels short and inside the image.
    for (const tick of layout.ticks) {
      expect(tick.label!.text.length).toBeLessThanOrEqual(7);
      expect(tick.label!.x).toBeGreaterThanOrEqual(0);
    }
    const tallest = layout.bars[0]!;
    expect(tallest.rect.y - layout.plot.y).toBeLessThan(layout.plot.height / 2);
    expect(image.pixel(tallest.rect.x, tallest.rect.y)).toBe(seriesColours[0]);
    // A value of 1 beside 9·10^15 still shows as one pixel.
    expect(layout.bars[2]!.rect.height).toBe(1);
  });

  it('thins 36 month labels so that none overlaps another or leaves the image', () => {
    const months = 36;
    const row = (seed: number): number[] => Array.from({ length: months }, (_, i) => (i * seed) % 29);
    const { layout, image } = render(chartInput([row(7), row(3), row(11), row(5)]));
    const labels = layout.monthLabels;
    expect(labels.length).toBeGreaterThanOrEqual(6);
    expect(labels.length).toBeLessThan(months);
    expect(labels[0]!.month).toBe(0);
    for (const [i, label] of labels.entries()) {
      expect(label.x).toBeGreaterThanOrEqual(0);
      expect(label.x + label.width).toBeLessThanOrEqual(layout.width);
      expect(label.y + label.height).toBeLessThanOrEqual(layout.height);
      expect(label.y).toBeGreaterThan(layout.plot.y + layout.plot.height);
      const next = labels[i + 1];
      if (next) expect(label.x + label.width).toBeLessThan(next.x);
    }
    // Labels keep a regular rhythm.
    const steps = new Set(labels.slice(1).map((label, i) => label.month - labels[i]!.month));
    expect(steps.size).toBe(1);
    // Groups stay inside the plot and apart from each other.
    const groups = Array.from({ length: months }, (_, month) => layout.bars.filter((bar) => bar.month === month));
    for (const [month, group] of groups.entries()) {
      expect(group[0]!.rect.x).toBeGreaterThan(layout.plot.x);
      const end = group[group.length - 1]!.rect.x + group[group.length - 1]!.rect.width;
      expect(end).toBeLessThanOrEqual(layout.plot.x + layout.plot.width);
      if (month > 0) expect(group[0]!.rect.x).toBeGreaterThan(groups[month - 1]!.at(-1)!.rect.x + groups[month - 1]!.at(-1)!.rect.width);
    }
    for (const colour of seriesColours) expect(image.count(colour)).toBeGreaterThan(0);
  });

  it('thins long localized labels further, and still keeps them apart', () => {
    const months = monthsFrom2024(36).map((month) => `semaine ${month}`);
    const input = chartInput([Array.from({ length: 36 }, (_, i) => i)], { months });
    const labels = layoutActivityChart(input).monthLabels;
    for (const [i, label] of labels.entries()) if (labels[i + 1]) expect(label.x + label.width).toBeLessThan(labels[i + 1]!.x);
    expect(labels.length).toBeGreaterThanOrEqual(3);
  });

  it('shortens a title, legend label or month label too long for the image', () => {
    const long = 'x'.repeat(300);
    const layout = layoutActivityChart(chartInput([[1, 2]], { title: long, months: [long, 'b'] }));
    expect(layout.title.text.endsWith('…')).toBe(true);
    expect(layout.title.x + layout.title.width).toBeLessThanOrEqual(layout.width);
    for (const label of layout.monthLabels) expect(label.x + label.width).toBeLessThanOrEqual(layout.width);
    const legend = layoutActivityChart({ ...chartInput([[1]]), series: [{ label: long, colour: '#0072B2', values: [1] }] }).legend[0]!;
    expect(legend.label.x + legend.label.width).toBeLessThanOrEqual(1000);
  });

  it('wraps the legend onto more rows on the smallest image, and still leaves room to plot', () => {
    const long = (text: string): string => text.repeat(9);
    const input = chartInput([[1, 9], [2, 8], [3, 7], [40, 6]], { width: 600, height: 300, yAxisLabel: long('per month ') });
    const worst = { ...input, series: input.series.map((series) => ({ ...series, label: long(series.label) })) };
    for (const candidate of [input, worst]) {
      const layout = layoutActivityChart(candidate);
      expect(new Set(layout.legend.map((item) => item.swatch.y)).size).toBeGreaterThan(1);
      for (const item of layout.legend) expect(item.label.x + item.label.width).toBeLessThanOrEqual(600);
      const legendBottom = Math.max(...layout.legend.map((item) => item.label.y + item.label.height));
      expect(layout.yAxisLabel!.y).toBeGreaterThanOrEqual(legendBottom);
      expect(layout.plot.y).toBeGreaterThan(layout.yAxisLabel!.y + layout.yAxisLabel!.height);
      expect(layout.plot.height).toBeGreaterThanOrEqual(40);
      // Labelled ticks never crowd each other.
      const labelled = layout.ticks.filter((tick) => tick.label);
      for (const [i, tick] of labelled.entries()) if (i > 0) expect(labelled[i - 1]!.y - tick.y).toBeGreaterThan(layout.ticks[0]!.label!.height / 2);
      expect(decodePng(renderActivityChart(candidate))).toMatchObject({ width: 600, height: 300 });
    }
  });

  it('refuses malformed input with a RangeError', () => {
    const bad: ActivityChartInput[] = [
      chartInput([[1, -1]]),
      chartInput([[1, 1.5]]),
      chartInput([[1, Number.NaN]]),
      chartInput([[1, 2 ** 53]]),
      { ...chartInput([[1, 2]]), months: ['2024-01'] },
      { ...chartInput([[1]]), series: [{ label: 'x', colour: 'blue', values: [1] }] },
      { ...chartInput([[1]]), series: [] },
      { ...chartInput([[1], [1], [1], [1]]), series: [...chartInput([[1], [1], [1], [1]]).series, { label: 'fifth', colour: '#000000', values: [1] }] },
      chartInput([[1]], { width: 599 }),
      chartInput([[1]], { width: 1000.5 }),
      chartInput([[1]], { height: 5000 }),
      chartInput([Array.from({ length: 2000 }, () => 1)]),
    ];
    for (const input of bad) expect(() => renderActivityChart(input)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- events per month

const at = (iso: string): Date => new Date(iso);
const event = (iso: string, series = 'meetings'): { at: Date; series: string } => ({ at: at(iso), series });

describe('monthlyBuckets', () => {
  it('lists every month from the one of `from` to the one of `to`, across a new year', () => {
    const { months, counts } = monthlyBuckets([], at('2025-11-20T10:00:00Z'), at('2026-02-03T10:00:00Z'), 'Europe/Paris');
    expect(months).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(counts.size).toBe(0);
    expect(monthlyBuckets([], at('2026-02-03T10:00:00Z'), at('2026-02-03T10:00:00Z'), 'UTC').months).toEqual(['2026-02']);
    expect(monthlyBuckets([], at('2026-03-01T10:00:00Z'), at('2026-02-03T10:00:00Z'), 'UTC').months).toEqual([]);
  });

  it('counts per series and per month, and leaves out events of other months', () => {
    const events = [
      event('2026-01-05T10:00:00Z'),
      event('2026-01-25T10:00:00Z'),
      event('2026-03-10T10:00:00Z'),
      event('2026-01-06T10:00:00Z', 'checkins'),
      event('2025-12-31T10:00:00Z'), // before the range
      event('2026-04-01T10:00:00Z'), // after it
    ];
    const { months, counts } = monthlyBuckets(events, at('2026-01-15T00:00:00Z'), at('2026-03-15T00:00:00Z'), 'UTC');
    expect(months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(counts).toEqual(
      new Map([
        ['meetings', [2, 0, 1]],
        ['checkins', [1, 0, 0]],
      ]),
    );
  });

  it('with series names, gives exactly those series, zeros included, in that order', () => {
    const events = [event('2026-01-05T10:00:00Z', 'checkins'), event('2026-01-06T10:00:00Z', 'other')];
    const { counts } = monthlyBuckets(events, at('2026-01-01T12:00:00Z'), at('2026-02-01T12:00:00Z'), 'UTC', ['meetings', 'checkins']);
    expect([...counts.keys()]).toEqual(['meetings', 'checkins']);
    expect(counts.get('meetings')).toEqual([0, 0]);
    expect(counts.get('checkins')).toEqual([1, 0]);
  });

  it('reads months on the Paris wall clock, on both sides of the spring and autumn changes', () => {
    // 2026-03-29: Paris moves from UTC+1 to UTC+2, so March ends at 2026-03-31T22:00Z.
    // 2025-10-26: back to UTC+1, so October ends at 2025-10-31T23:00Z.
    const events = [
      event('2025-10-31T22:59:59Z'), // 23:59:59 on 31 October, Paris (UTC+1)
      event('2025-10-31T23:00:00Z'), // 00:00 on 1 November, Paris; still October in UTC
      event('2026-02-28T23:00:00Z'), // 00:00 on 1 March, Paris (UTC+1); still February in UTC
      event('2026-03-29T01:30:00Z'), // 03:30 CEST, just after the spring-forward gap
      event('2026-03-31T21:59:59Z'), // 23:59:59 on 31 March, Paris (UTC+2)
      event('2026-03-31T22:00:00Z'), // 00:00 on 1 April, Paris; still March in UTC
      event('2026-03-31T22:30:00Z'), // 00:30 on 1 April, Paris
    ];
    const paris = monthlyBuckets(events, at('2025-10-01T12:00:00Z'), at('2026-04-15T12:00:00Z'), 'Europe/Paris');
    expect(paris.months).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
    expect(paris.counts.get('meetings')).toEqual([1, 1, 0, 0, 0, 3, 2]);
    // The same events read in UTC fall differently: the zone matters.
    const utc = monthlyBuckets(events, at('2025-10-01T12:00:00Z'), at('2026-04-15T12:00:00Z'), 'UTC');
    expect(utc.counts.get('meetings')).toEqual([2, 0, 0, 0, 1, 4, 0]);
  });

  it('takes the range’s months on the same wall clock', () => {
    // 23:30Z on 31 March is already April in Paris: the range is April alone.
    const { months } = monthlyBuckets([], at('2026-03-31T23:30:00Z'), at('2026-04-10T00:00:00Z'), 'Europe/Paris');
    expect(months).toEqual(['2026-04']);
  });

  it('refuses an unknown zone or an invalid date', () => {
    expect(() => monthlyBuckets([], at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 'Europe/Atlantis')).toThrow(RangeError);
    expect(() => monthlyBuckets([], new Date(Number.NaN), at('2026-02-01T00:00:00Z'), 'UTC')).toThrow(RangeError);
    expect(() => monthlyBuckets([{ at: new Date(Number.NaN), series: 'x' }], at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 'UTC')).toThrow(RangeError);
  });

  it('feeds the chart directly: one value per month for each series', () => {
    const events = [event('2026-01-05T10:00:00Z'), event('2026-02-05T10:00:00Z', 'checkins')];
    const buckets = monthlyBuckets(events, at('2026-01-01T12:00:00Z'), at('2026-03-01T12:00:00Z'), 'Europe/Paris', ['meetings', 'checkins']);
    const png = renderActivityChart({
      title: 'Activité',
      months: monthLabels(buckets.months, 'fr'),
      series: ['meetings', 'checkins'].map((name, i) => ({ label: name, colour: SERIES_COLOURS[i]!, values: buckets.counts.get(name)! })),
      emptyText: 'Pas encore d’activité',
      locale: 'fr',
    });
    expect(decodePng(png).width).toBe(1000);
  });
});

describe('monthLabels', () => {
  it('writes short month labels in English and French', () => {
    expect(monthLabels(['2026-03', '2026-08', '2026-12'], 'en')).toEqual(['Mar 26', 'Aug 26', 'Dec 26']);
    expect(monthLabels(['2026-02', '2026-08', '2026-12'], 'fr')).toEqual(['févr. 26', 'août 26', 'déc. 26']);
  });

  it('refuses anything but YYYY-MM', () => {
    expect(() => monthLabels(['2026-13'], 'en')).toThrow(RangeError);
    expect(() => monthLabels(['March'], 'en')).toThrow(RangeError);
  });
});
