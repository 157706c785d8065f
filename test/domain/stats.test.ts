import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLOWS } from '../../src/domain/checkin.js';
import {
  chartPeriod,
  flowBalance,
  isAcceptablePeriod,
  learnerOf,
  monthFromIndex,
  monthIndex,
  share,
  summariseSurveys,
  wholePercent,
} from '../../src/domain/stats.js';

describe('who learned in a check-in', () => {
  it('reads the flow from the side of whoever logged it', () => {
    expect(learnerOf('junior', 'i_learned')).toBe('junior');
    expect(learnerOf('junior', 'partner_learned')).toBe('senior');
    expect(learnerOf('senior', 'i_learned')).toBe('senior');
    expect(learnerOf('senior', 'partner_learned')).toBe('junior');
    expect(learnerOf('junior', 'both')).toBe('both');
    expect(learnerOf('senior', 'both')).toBe('both');
  });

  it('puts every report in exactly one of the three counts', () => {
    const count = fc.record({ reporter: fc.constantFrom('junior' as const, 'senior' as const), flow: fc.constantFrom(...FLOWS), count: fc.nat(1000) });
    fc.assert(
      fc.property(fc.array(count), (counts) => {
        const balance = flowBalance(counts);
        expect(balance.senior + balance.junior + balance.both).toBe(balance.reports);
        expect(balance.reports).toBe(counts.reduce((sum, c) => sum + c.count, 0));
      }),
    );
  });
});

describe('closing survey outcomes', () => {
  it('counts objectives reached and averages the gain over objectives rated both times, per side', () => {
    const summary = summariseSurveys([
      { role: 'junior', reached: ['reached', 'partly'], startLevels: [2, 1], endLevels: [4, 3] },
      { role: 'senior', reached: ['reached', 'not', 'not'], startLevels: [3, null, 5], endLevels: [4, 5, 4] },
      // Never rated a starting level: counts for objectives reached, not for the gain.
      { role: 'senior', reached: ['partly'], startLevels: null, endLevels: [5] },
    ]);
    expect(summary.surveys).toBe(3);
    expect(summary.reached).toEqual({ rated: 6, reached: 2, partly: 2, not: 2 });
    expect(summary.gainByRole.junior).toEqual({ objectives: 2, mean: 2 });
    expect(summary.gainByRole.senior).toEqual({ objectives: 2, mean: 0 });
    expect(summary.gain).toEqual({ objectives: 4, mean: 1 });
  });

  it('has no mean rather than NaN when nothing can be averaged', () => {
    const summary = summariseSurveys([{ role: 'junior', reached: [], startLevels: null, endLevels: [] }]);
    expect(summary.gain).toEqual({ objectives: 0, mean: null });
    expect(summariseSurveys([]).gainByRole.senior.mean).toBeNull();
    expect(share(3, 0)).toBeNull();
    expect(share(0, 4)).toBe(0);
  });

  it('ignores levels beyond the shorter of the two lists', () => {
    const summary = summariseSurveys([{ role: 'senior', reached: ['reached'], startLevels: [2], endLevels: [3, 5] }]);
    expect(summary.gain).toEqual({ objectives: 1, mean: 1 });
  });
});

describe('whole percentages', () => {
  it('say all or none only when it is exactly so', () => {
    expect(wholePercent(0)).toBe(0);
    expect(wholePercent(1)).toBe(100);
    expect(wholePercent(0.996)).toBe(99);
    expect(wholePercent(0.002)).toBe(1);
    expect(wholePercent(1 / 3)).toBe(33);
    expect(wholePercent(0.125)).toBe(13);
  });

  it('stay between 0 and 100, within a point of the exact share', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 10_000 }), (a, b) => {
        const ratio = Math.min(a, b) / b;
        const percent = wholePercent(ratio);
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
        expect(Math.abs(percent - ratio * 100)).toBeLessThan(1);
        expect(percent === 0).toBe(ratio === 0);
        expect(percent === 100).toBe(ratio === 1);
      }),
    );
  });
});

describe('the months of the activity chart', () => {
  const now = new Date('2027-03-10T12:00:00Z');

  it('are the last twelve months without a programme start, or with one still to come', () => {
    expect(chartPeriod(now, 'Europe/Paris', null)).toEqual({ from: '2026-04', to: '2027-03' });
    expect(chartPeriod(now, 'Europe/Paris', '2027-04-01')).toEqual({ from: '2026-04', to: '2027-03' });
  });

  it('start with the programme, at most 36 months back', () => {
    expect(chartPeriod(now, 'Europe/Paris', '2027-03-09')).toEqual({ from: '2027-03', to: '2027-03' });
    expect(chartPeriod(now, 'Europe/Paris', '2025-07-20')).toEqual({ from: '2025-07', to: '2027-03' });
    expect(chartPeriod(now, 'Europe/Paris', '2024-04-01')).toEqual({ from: '2024-04', to: '2027-03' });
    expect(chartPeriod(now, 'Europe/Paris', '2019-01-01')).toEqual({ from: '2024-04', to: '2027-03' });
  });

  it('end with the current month on the programme’s clock', () => {
    // 23:30 UTC on 31 March is already April in Paris, still March in New York.
    const lateNight = new Date('2027-03-31T23:30:00Z');
    expect(chartPeriod(lateNight, 'Europe/Paris', null).to).toBe('2027-04');
    expect(chartPeriod(lateNight, 'America/New_York', null).to).toBe('2027-03');
  });

  it('accept from the network only well-formed periods, in order, of 1 to 36 months, not in the future', () => {
    const ok = (from: string, to: string) => isAcceptablePeriod({ from, to }, now, 'Europe/Paris');
    expect(ok('2026-04', '2027-03')).toBe(true);
    expect(ok('2024-04', '2027-03')).toBe(true);
    expect(ok('2027-03', '2027-03')).toBe(true);
    expect(ok('2024-03', '2027-03')).toBe(false);
    expect(ok('2027-03', '2026-04')).toBe(false);
    expect(ok('2027-03', '2027-04')).toBe(false);
    expect(ok('2026-13', '2027-03')).toBe(false);
    expect(ok('2026-4', '2027-03')).toBe(false);
    expect(ok('', '')).toBe(false);
  });

  it('count months both ways', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 * 12 + 11 }), (index) => {
        expect(monthIndex(monthFromIndex(index))).toBe(index);
      }));
    expect(monthFromIndex(monthIndex('2026-12') + 1)).toBe('2027-01');
  });
});
