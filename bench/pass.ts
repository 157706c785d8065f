/**
 * Scheduled pass benchmark: `npx tsx bench/pass.ts` (optionally followed by pair counts).
 *
 * Seeds a real SQLite file with N active pairs (two participants, a pair, a contract in force and
 * its follow-up row each; partners in Paris, New York or Tokyo; weekly to monthly rhythms started
 * on dates spread over the last weeks), then times one pass of the follow-up job as of a Monday
 * morning: finding the prompts due and writing them, with their messages, to the outbox. Nothing
 * is sent (the outbox is not started). It reports the time, how many were due, and the peak of the
 * heap above its level before the pass, sampled every few milliseconds.
 *
 * A second series keeps the number of due pairs fixed while the programme grows, to show that the
 * pass reads only what is due: its time and memory follow the due pairs, not the whole programme.
 *
 * Each size runs on SQLite and on PostgreSQL (a database of its own on TEST_DATABASE_URL's server,
 * by default the local one), with the same rows: seeded in SQLite, then copied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchConfig } from './config.js';
import { copyTables } from './postgres-copy.js';
import { createFleetDatabase } from '../test/support/fleet-database.js';
import { followupPass } from '../src/features/followup/pass.js';
import { createLogger } from '../src/logger.js';
import { migrate, openStore } from '../src/store/database.js';
import type { Engine } from '../src/store/engine.js';
import { createTandem } from '../src/tandem.js';
import { addDays } from '../src/domain/time.js';

export const AT = new Date('2027-06-07T15:00:00Z'); // a Monday, past 10:00 in Paris, New York and Tokyo alike
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'] as const;
const CADENCES = ['weekly', 'biweekly', 'triweekly', 'monthly'] as const;


/**
 * `pairs` active pairs, of which about `due` have a check-in due at AT: those start on a Monday a
 * whole number of cadences back; the others started on another weekday, so nothing is due today.
 */
export function seed(file: string, pairs: number, due: number): void {
  // Seeded through a connection of its own: a bulk load, far faster than the app's queries.
  const db = new SQLite(file);
  const now = AT.toISOString();
  const person = db.prepare(
    `insert into participant (slack_user_id, role, status, shares, learns, department, manager_user_id, languages, format, cadence, motivation, consent_at, time_zone, locale, display_name, created_at, updated_at)
     values (?, ?, 'paired', '["generative_ai"]', '["negotiation"]', ?, null, '["en"]', 'either', 'biweekly', 'bench', ?, ?, 'en', ?, ?, ?)`,
  );
  const pair = db.prepare(
    `insert into pair (junior_id, senior_id, status, score, reasons, proposed_by, proposed_at, accepted_at, updated_at) values (?, ?, 'active', 1, '[]', 'bench', ?, ?, ?)`,
  );
  const contract = db.prepare(
    `insert into contract (pair_id, version, status, senior_objectives, junior_objectives, cadence, session_minutes, means, format, start_date, end_date, proposed_by, proposed_at, in_force_at)
     values (?, 1, 'in_force', '["Use Slack well"]', '["Read a P&L"]', ?, 60, 'Practice', 'video', ?, ?, ?, ?, ?)`,
  );
  const followup = db.prepare(`insert into followup (pair_id, contract_id, last_due_on, next_due_on, next_at, next_kind, updated_at) values (?, ?, ?, ?, ?, 'checkin', ?)`);
  const insertAll = db.transaction(() => {
    const every = Math.max(1, Math.floor(pairs / Math.max(1, due)));
    let dueSoFar = 0;
    for (let i = 0; i < pairs; i += 1) {
      const zoneJ = ZONES[i % 3] as string;
      const zoneS = ZONES[(i + (i % 2)) % 3] as string;
      const j = Number(person.run(`UJ${i}`, 'junior', `D${i % 17}`, now, zoneJ, `j${i}`, now, now).lastInsertRowid);
      const s = Number(person.run(`US${i}`, 'senior', `E${i % 13}`, now, zoneS, `s${i}`, now, now).lastInsertRowid);
      const p = Number(pair.run(j, s, now, now, now).lastInsertRowid);
      const cadence = CADENCES[i % 4] as (typeof CADENCES)[number];
      const step = { weekly: 7, biweekly: 14, triweekly: 21, monthly: 28 }[cadence];
      const isDue = i % every === 0 && dueSoFar < due;
      if (isDue) dueSoFar += 1;
      // Due ones started on a Monday k cadences ago; the others on a Thursday, so their dates fall on
      // Thursdays (and the Wednesday of the reminders has nothing else due).
      const start = isDue ? addDays('2027-06-07', -step * 4) : addDays('2027-06-10', -step * 4);
      const c = Number(contract.run(p, cadence, start, addDays(start, 180), j, now, now).lastInsertRowid);
      const last = addDays(start, step * 3);
      const next = isDue ? '2027-06-07' : addDays(start, step * 4);
      // As the app stores it: the moment the prompt is due (here midnight UTC of its date; the pass
      // computes the exact moment when it reads the pair).
      followup.run(p, c, last, next, `${next}T00:00:00.000Z`, now);
    }
  });
  insertAll();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

interface Measure {
  pairs: number;
  prompts: number;
  ms: number;
  peakHeapMb: number;
  reminders: number;
  reminderMs: number;
}

/** Runs `work`, sampling the heap every 2 ms: its time and its peak above the starting heap. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { value, ms, peakMb: (peak - base) / 1048576 };
}

async function measure(engine: Engine, pairs: number, due: number): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-pass-'));
  const file = join(dir, 'bench.sqlite');
  const seeded = openStore(file);
  const postgres = engine === 'postgres' ? await createFleetDatabase() : undefined;
  const store = postgres ? openStore(postgres.url) : seeded;
  try {
    for (const db of new Set([seeded.db, store.db])) {
      const outcome = await migrate(db);
      if (outcome.error) throw outcome.error;
    }
    seed(file, pairs, due);
    if (store !== seeded) await copyTables(seeded.db, store.db, ['participant', 'pair', 'contract', 'followup']);
    const { deps } = createTandem(benchConfig(postgres?.url ?? file), { store, logger: createLogger('error', 'bench') });
    const { value: result, ms, peakMb } = await timed(() => followupPass(deps, AT));
    const queued = await store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(queued.n) !== result.prompts) throw new Error(`${result.prompts} prompts but ${queued.n} outbox rows`);
    // The same pass again: nothing more.
    const again = await followupPass(deps, AT);
    if (again.prompts !== 0) throw new Error(`the second pass sent ${again.prompts} prompts`);
    // Two working days later nobody has answered: the day of the reminders.
    const reminderDay = await timed(() => followupPass(deps, new Date(AT.getTime() + 2 * 86_400_000)));
    if (reminderDay.value.prompts !== 0) throw new Error(`the reminder day sent ${reminderDay.value.prompts} prompts`);
    return { pairs, prompts: result.prompts, ms, peakHeapMb: peakMb, reminders: reminderDay.value.reminders, reminderMs: reminderDay.ms };
  } finally {
    if (store !== seeded) await store.close();
    await seeded.close();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('Scheduled pass (follow-up job): one pass as of Monday 7 June 2027, 15:00 UTC');
  console.log('engine     | pairs       | due prompts | time (ms) | peak heap above start (MB) | reminders 2 days later | time (ms)');
  const times = new Map<string, number>();
  for (const pairs of sizes.length > 0 ? sizes : [100_000]) {
    for (const engine of ENGINES) {
      const m = await measure(engine, pairs, Math.round(pairs / 10));
      times.set(`${engine}:${pairs}`, m.ms);
      console.log(`${engine.padEnd(10)} | ${fmt(m.pairs).padEnd(11)} | ${fmt(m.prompts).padEnd(11)} | ${fmt(m.ms).padEnd(9)} | ${fmt(m.peakHeapMb, 1).padEnd(26)} | ${fmt(m.reminders).padEnd(22)} | ${fmt(m.reminderMs)}`);
    }
  }
  console.log('\nSame number due (2,000), growing programme:');
  console.log('engine     | pairs       | due prompts | time (ms) | peak heap above start (MB)');
  for (const pairs of [10_000, 50_000, 100_000]) {
    for (const engine of ENGINES) {
      const m = await measure(engine, pairs, 2_000);
      console.log(`${engine.padEnd(10)} | ${fmt(m.pairs).padEnd(11)} | ${fmt(m.prompts).padEnd(11)} | ${fmt(m.ms).padEnd(9)} | ${fmt(m.peakHeapMb, 1)}`);
    }
  }
  console.log('\nGoal: one pass over 100,000 active pairs under 2 s; memory following the due pairs, not the programme.');
  console.log('Goal: PostgreSQL within 2 × SQLite on the pass.');
  for (const pairs of sizes.length > 0 ? sizes : [100_000]) {
    const ratio = (times.get(`postgres:${pairs}`) ?? 0) / Math.max(times.get(`sqlite:${pairs}`) ?? 0, 0.001);
    console.log(`${fmt(pairs)} pairs: PostgreSQL ×${ratio.toFixed(2)} SQLite's time ${ratio <= 2 ? 'met' : 'MISSED'}`);
  }
}

// Run as a script (bench/event-loop.ts imports its seeding).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
