/**
 * The bot's event loop while `tandem jobs run` writes beside it: `npx tsx bench/event-loop.ts`.
 *
 * Seeds a SQLite file with 100,000 active pairs (10,000 due), then, in this process, plays the bot:
 * a small write transaction every 2 ms (as requests write), with perf_hooks' event-loop delay
 * monitor running; and starts, as another process, the scheduled pass as of a Monday morning (what
 * `jobs run` does first), which writes its pages in transactions meanwhile. Reports the event-loop
 * delay (p50, p99, max) over the pass, and the bot's writes: how many, and the slowest.
 *
 * On SQLite a connection waiting for another's write lock used to wait inside SQLite (busy_timeout,
 * up to 5 s), freezing the whole process; it now waits between timers.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchConfig } from './config.js';
import { AT, seed } from './pass.js';
import { followupPass } from '../src/features/followup/pass.js';
import { createLogger } from '../src/logger.js';
import { migrate, openStore } from '../src/store/database.js';
import { createTandem } from '../src/tandem.js';

const PAIRS = 100_000;
const DUE = 10_000;

/** The other process: one pass as of AT, then exit. */
async function jobs(file: string): Promise<void> {
  const store = openStore(file);
  const { deps } = createTandem(benchConfig(file), { store, logger: createLogger('error', 'bench') });
  const started = performance.now();
  const result = await followupPass(deps, AT);
  process.send?.({ prompts: result.prompts, ms: performance.now() - started });
  await store.close();
}

async function bot(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-loop-'));
  const file = join(dir, 'bench.sqlite');
  try {
    const setup = openStore(file);
    const outcome = await migrate(setup.db);
    if (outcome.error) throw outcome.error;
    await setup.close();
    seed(file, PAIRS, DUE);

    const store = openStore(file);
    let writes = 0;
    let slowestWrite = 0;
    let running = true;
    const requests = (async () => {
      while (running) {
        const started = performance.now();
        await store.db.transaction().execute((trx) =>
          trx.insertInto('audit_log').values({ at: new Date().toISOString(), actor_user_id: 'UBENCH', action: 'bench.request', subject: 'bench', details: '{}' }).execute(),
        );
        slowestWrite = Math.max(slowestWrite, performance.now() - started);
        writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const child = fork(process.argv[1] as string, ['--jobs', file], { execArgv: process.execArgv });
    const report = await new Promise<{ prompts: number; ms: number }>((resolve, reject) => {
      child.on('message', (m) => resolve(m as { prompts: number; ms: number }));
      child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`the pass exited with ${code}`))));
    });
    delay.disable();
    running = false;
    await requests;
    await store.close();

    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    console.log(`Event loop of the bot during a jobs-run pass beside it (SQLite, ${PAIRS.toLocaleString('en-GB')} pairs, ${report.prompts.toLocaleString('en-GB')} prompts written in ${report.ms.toFixed(0)} ms)`);
    console.log(`event-loop delay: p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms`);
    console.log(`the bot's writes meanwhile: ${writes}, slowest ${slowestWrite.toFixed(0)} ms`);
    console.log('Goal: no stall of the event loop beyond a few milliseconds while the other process holds the write lock.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const jobsAt = process.argv.indexOf('--jobs');
(jobsAt >= 0 ? jobs(process.argv[jobsAt + 1] as string) : bot()).catch((error) => {
  console.error(error);
  process.exit(1);
});
