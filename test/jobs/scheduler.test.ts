import { describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { startScheduler } from '../../src/jobs/pass.js';

const quietDeps = { logger: { error: () => undefined }, now: () => new Date() } as unknown as Deps;

describe('the scheduler inside the bot', () => {
  it('runs a pass at start and then on its schedule, never two at once, and stops after the pass under way', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const slowPass = async () => {
      running += 1;
      runs += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      running -= 1;
    };
    // Every second, with passes lasting 1.5 s: ticks fall while a pass runs and must be skipped.
    const scheduler = startScheduler(quietDeps, slowPass, '* * * * * *');
    await new Promise((resolve) => setTimeout(resolve, 4200));
    await scheduler.stop();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(running).toBe(0);
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(runs).toBe(after);
  }, 15_000);

  it('keeps running after a pass fails', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    const deps = { logger: { error: (...args: unknown[]) => errors.push(args) }, now: () => new Date() } as unknown as Deps;
    const scheduler = startScheduler(
      deps,
      async () => {
        runs += 1;
        throw new Error('database locked');
      },
      '* * * * * *',
    );
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await scheduler.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBe(runs);
  }, 10_000);
});
