import { describe, expect, it } from 'vitest';
import { fuzz, summary } from './fuzz.js';
import { testEngine } from '../support/test-database.js';

// The same fuzzer as `npm run fuzz`, shorter: a few hundred requests from a fixed seed (FUZZ_SEED
// changes it), so that what the long run found stays found.
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_271_115;
// On PostgreSQL each refused request's check reads every table over the network: fewer requests,
// the same kinds (the long run, `npm run fuzz`, takes DATABASE_URL as the bot does).
const runs = testEngine === 'postgres' ? 120 : 300;

describe('fuzzed requests', () => {
  it('never answer 5xx, crash or log an error, and those refused change no record', async () => {
    const report = await fuzz({ seed, runs });
    expect(report.problems, `seed ${seed}`).toEqual([]);
    expect(summary(report)).toBe(`fuzz: ${report.requests} requests, 0 crashes, 0 unauthorised changes`);
    // Every kind of request was tried, not only the ones that happen to resolve.
    expect(Object.keys(report.byKind).sort()).toEqual(['click', 'command', 'event', 'form']);
    expect(report.requests).toBeGreaterThan(runs * 0.8);
  }, 180_000);
});
