/**
 * `npm run fuzz`: FUZZ_SEED (default: a new one, printed) and FUZZ_RUNS (default 10,000). The
 * same seed replays the same requests. Its last line: `fuzz: N requests, N crashes, N unauthorised changes`.
 */
import { fuzz, summary } from './fuzz.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 10_000;
process.stdout.write(`fuzz: seed ${seed}, ${runs} recipes (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)\n`);
const report = await fuzz({
  seed,
  runs,
  onProgress: (done) => {
    if (done % 1000 === 0) process.stdout.write(`  ${done} requests…\n`);
  },
});
for (const line of report.problems) process.stdout.write(`  problem: ${line}\n`);
process.stdout.write(`  by kind: ${JSON.stringify(report.byKind)}; ${(report.requests / report.seconds).toFixed(0)} requests per second over ${report.seconds.toFixed(1)} s\n`);
process.stdout.write(`${summary(report)}\n`);
process.exit(report.crashes + report.unauthorisedChanges > 0 ? 1 : 0);
