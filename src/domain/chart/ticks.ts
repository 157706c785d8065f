/**
 * Y-axis ticks for counts: 0, s, 2s, … up to the first multiple of s that covers the largest
 * value, where the step s is 1, 2 or 5 × 10^n (never below 1: counts have no half meetings).
 */

export const MIN_TICKS = 3;
export const MAX_TICKS = 8;

export interface Ticks {
  step: number;
  /** From 0 up, evenly spaced by `step`; the last one is the top of the axis. */
  values: number[];
}

function* roundSteps(): Generator<number> {
  for (let scale = 1; ; scale *= 10) {
    yield scale;
    yield 2 * scale;
    yield 5 * scale;
  }
}

/**
 * The round steps are tried from small to large; among those giving 3–8 ticks the one whose
 * top sits closest above the largest value wins (the tallest bar then nearly fills the plot),
 * and on a tie the one nearer to five ticks. An empty or all-zero chart gets 0, 1, 2.
 */
export function niceTicks(maxValue: number): Ticks {
  if (!Number.isFinite(maxValue) || maxValue < 0) throw new RangeError(`Bad maximum for ticks: ${maxValue}`);
  const max = Math.max(1, Math.ceil(maxValue));
  let best: { step: number; count: number; top: number } | null = null;
  for (const step of roundSteps()) {
    const count = Math.max(MIN_TICKS, Math.ceil(max / step) + 1);
    if (count <= MAX_TICKS) {
      const top = step * (count - 1);
      const better =
        best === null || top < best.top || (top === best.top && Math.abs(count - 5) < Math.abs(best.count - 5));
      if (better) best = { step, count, top };
    }
    // Once a step alone exceeds the maximum, every larger one gives the 3-tick minimum with a higher top.
    if (step > max) break;
  }
  const { step, count } = best!;
  return { step, values: Array.from({ length: count }, (_, i) => i * step) };
}

const plainFormats = new Map<string, Intl.NumberFormat>();
const compactFormats = new Map<string, Intl.NumberFormat>();

function cached(cache: Map<string, Intl.NumberFormat>, locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = cache.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(locale, format);
  }
  return format;
}

/**
 * A tick label in the reader's locale: grouped digits below 10 000 ("1,000" / "1 000"), compact
 * above ("250K", "1.5M" / "250 k", "1,5 M"). Two decimals always suffice: ticks are multiples of
 * a 1-2-5 step and at most eight steps high.
 */
export function formatTick(value: number, locale: string): string {
  return value < 10_000
    ? cached(plainFormats, locale, { maximumFractionDigits: 0 }).format(value)
    : cached(compactFormats, locale, { notation: 'compact', maximumFractionDigits: 2 }).format(value);
}
