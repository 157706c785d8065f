/**
 * Stall detection benchmark: `npx tsx bench/stall.ts` (optionally followed by pair counts).
 *
 * Seeds a real SQLite file with N active pairs (partners, pair, contract in force, follow-up row,
 * two sessions logged and two check-in prompts each), of which 2% have not met for more than twice
 * their rhythm and 1% left their last two check-ins unanswered; all in Paris (the busiest case: every
 * pair's day turns at once), then spread over Paris, New York and Tokyo. Then times the escalation
 * part of the scheduled pass (nothing is sent: the outbox is not started):
 *   1. the first pass after installing: every pair is looked at once (the worst case, once);
 *   2. the same instant again, and a pass with nothing due;
 *   3. every pass of the next 24 hours, five minutes apart: the daily total, and the slowest pass.
 * It reports the time, how many pairs were looked at and escalated, and the peak heap above start.
 * Each case runs on SQLite and on PostgreSQL (a database of its own on TEST_DATABASE_URL's server,
 * by default the local one), with the same rows: seeded in SQLite, then copied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig } from './config.js';
import { copyTables } from './postgres-copy.js';
import { createFleetDatabase } from '../test/support/fleet-database.js';
import { addDays } from '../src/domain/time.js';
import { escalationPass, type EscalationPassResult } from '../src/features/escalations/pass.js';
import { createLogger } from '../src/logger.js';
import { migrate, openStore } from '../src/store/database.js';
import type { Engine } from '../src/store/engine.js';
import { createTandem } from '../src/tandem.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'] as const;
const CADENCES = ['weekly', 'biweekly', 'triweekly', 'monthly'] as const;
const STEP = { weekly: 7, biweekly: 14, triweekly: 21, monthly: 28 } as const;
// Wednesday 9 June 2027, 12:00 UTC: installation.
const INSTALL = new Date('2027-06-09T12:00:00Z');
const TODAY = '2027-06-09';


function seed(file: string, pairs: number, zones: readonly string[]): void {
  // Seeded through a connection of its own: a bulk load, far faster than the app's queries.
  const db = new SQLite(file);
  const now = INSTALL.toISOString();
  const person = db.prepare(
    `insert into participant (slack_user_id, role, status, shares, learns, department, manager_user_id, languages, format, cadence, motivation, consent_at, time_zone, locale, display_name, created_at, updated_at)
     values (?, ?, 'paired', '["generative_ai"]', '["negotiation"]', ?, null, '["en"]', 'either', 'biweekly', 'bench', ?, ?, 'en', ?, ?, ?)`,
  );
  const pair = db.prepare(
    `insert into pair (junior_id, senior_id, status, score, reasons, proposed_by, proposed_at, junior_answer, senior_answer, introduced_at, accepted_at, updated_at)
     values (?, ?, 'active', 1, '[]', 'bench', ?, 'accepted', 'accepted', ?, ?, ?)`,
  );
  const contract = db.prepare(
    `insert into contract (pair_id, version, status, senior_objectives, junior_objectives, cadence, session_minutes, means, format, start_date, end_date, proposed_by, proposed_at, in_force_at)
     values (?, 1, 'in_force', '["Use Slack well"]', '["Read a P&L"]', ?, 60, 'Practice', 'video', ?, ?, ?, ?, ?)`,
  );
  const followup = db.prepare(`insert into followup (pair_id, contract_id, last_due_on, next_due_on, next_kind, updated_at) values (?, ?, ?, ?, 'checkin', ?)`);
  const checkin = db.prepare(
    `insert into checkin (pair_id, contract_id, participant_id, prompt_id, met_on, minutes, topics, progress, rating, flow, private_note, created_at)
     values (?, ?, ?, null, ?, 60, 'bench', '[]', 4, 'both', null, ?)`,
  );
  const prompt = db.prepare(
    `insert into checkin_prompt (pair_id, contract_id, kind, due_on, sent_at, remind_at, reminded_at, answered_at) values (?, ?, 'checkin', ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < pairs; i += 1) {
      const zone = zones[i % zones.length] as string;
      const j = Number(person.run(`UJ${i}`, 'junior', `D${i % 17}`, now, zone, `j${i}`, now, now).lastInsertRowid);
      const s = Number(person.run(`US${i}`, 'senior', `E${i % 13}`, now, zone, `s${i}`, now, now).lastInsertRowid);
      const cadence = CADENCES[i % 4] as (typeof CADENCES)[number];
      const step = STEP[cadence];
      const start = addDays(TODAY, -step * 5);
      const startAt = `${start}T09:00:00.000Z`;
      const p = Number(pair.run(j, s, startAt, startAt, startAt, now).lastInsertRowid);
      const c = Number(contract.run(p, cadence, start, addDays(start, 180), j, startAt, startAt).lastInsertRowid);
      followup.run(p, c, addDays(start, step * 4), addDays(start, step * 5), now);
      // 2% stalled: their last session was three rhythms ago; the others met during the last rhythm.
      const stalled = i % 50 === 7;
      const lastMet = stalled ? addDays(TODAY, -step * 3) : addDays(TODAY, -Math.max(1, (i % step) - 1));
      checkin.run(p, c, j, addDays(start, 3), now);
      checkin.run(p, c, s, lastMet, now);
      // Two prompts, reminded; 1% answered neither.
      const silent = i % 100 === 11;
      for (const k of [3, 4]) {
        const due = addDays(start, step * k);
        const sent = `${due}T08:00:00.000Z`;
        const reminded = `${addDays(due, 2)}T08:00:00.000Z`;
        prompt.run(p, c, due, sent, reminded, reminded, silent ? null : `${due}T12:00:00.000Z`);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

interface Measure {
  label: string;
  ms: number;
  result: EscalationPassResult;
  peakHeapMb: number;
}

async function timed(label: string, run: () => Promise<EscalationPassResult>): Promise<Measure> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { label, ms, result, peakHeapMb: (peak - base) / 1048576 };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function print(m: Measure): void {
  console.log(
    `${m.label.padEnd(46)} | ${fmt(m.result.checked).padStart(8)} | ${fmt(m.result.raised).padStart(7)} | ${fmt(m.ms).padStart(8)} | ${fmt(m.peakHeapMb, 1).padStart(6)}`,
  );
}

async function bench(engine: Engine, pairs: number, zones: readonly string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-stall-'));
  const file = join(dir, 'bench.sqlite');
  const seeded = openStore(file);
  const postgres = engine === 'postgres' ? await createFleetDatabase() : undefined;
  const store = postgres ? openStore(postgres.url) : seeded;
  try {
    for (const db of new Set([seeded.db, store.db])) {
      const outcome = await migrate(db);
      if (outcome.error) throw outcome.error;
    }
    const seedStart = performance.now();
    seed(file, pairs, zones);
    if (store !== seeded) await copyTables(seeded.db, store.db, ['participant', 'pair', 'contract', 'followup', 'checkin', 'checkin_prompt']);
    console.log(`\n${engine}: ${fmt(pairs)} active pairs in ${zones.join(', ')} (seeded in ${fmt((performance.now() - seedStart) / 1000, 1)} s)`);
    console.log(`${'pass'.padEnd(46)} | ${'checked'.padStart(8)} | ${'raised'.padStart(7)} | ${'ms'.padStart(8)} | ${'MB'.padStart(6)}`);
    const { deps } = createTandem(benchConfig(postgres?.url ?? file), { store, logger: createLogger('error', 'bench') });
    const first = await timed('first pass after installing (every pair)', () => escalationPass(deps, INSTALL));
    print(first);
    print(await timed('the same instant again', () => escalationPass(deps, INSTALL)));
    print(await timed('a pass with nothing due', () => escalationPass(deps, new Date(INSTALL.getTime() + 5 * 60_000))));
    // The next 24 hours, every five minutes, as the running bot does.
    let total = 0;
    let slowest: Measure | undefined;
    let checked = 0;
    let raised = 0;
    const dayStart = INSTALL.getTime() + 10 * 60_000;
    for (let minute = 0; minute < 24 * 60; minute += 5) {
      const m = await timed('', () => escalationPass(deps, new Date(dayStart + minute * 60_000)));
      total += m.ms;
      checked += m.result.checked;
      raised += m.result.raised;
      if (!slowest || m.ms > slowest.ms) slowest = { ...m, label: 'slowest pass of the next 24 hours' };
    }
    if (slowest) print(slowest);
    console.log(`${'all 288 passes of the next 24 hours'.padEnd(46)} | ${fmt(checked).padStart(8)} | ${fmt(raised).padStart(7)} | ${fmt(total).padStart(8)} |`);
    const open = await store.db.selectFrom('escalation').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
    const queued = await store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`open escalations: ${fmt(Number(open.n))}, messages queued: ${fmt(Number(queued.n))}`);
    return first.ms + total;
  } finally {
    if (store !== seeded) await store.close();
    await seeded.close();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('Stall detection (escalation part of the scheduled pass); nothing is sent.');
  const ratios: string[] = [];
  for (const pairs of sizes.length > 0 ? sizes : [10_000, 100_000]) {
    for (const zones of [['Europe/Paris'], ZONES]) {
      const sqlite = await bench('sqlite', pairs, zones);
      const postgres = await bench('postgres', pairs, zones);
      ratios.push(`${fmt(pairs)} pairs in ${zones.length} zone(s): PostgreSQL ×${(postgres / Math.max(sqlite, 0.001)).toFixed(2)} SQLite's time (first pass and a day of passes)`);
    }
  }
  console.log('\nGoal: PostgreSQL within 2 × SQLite.');
  for (const line of ratios) console.log(line);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
