/**
 * Issue 2's goal: Tandem answers signed `/tandem help` and `/tandem status` at no less than half the
 * throughput of a bare Bolt app that only acks, and with a p99 no worse than twice bare Bolt's at a
 * fixed 200 requests a second. Each server runs in its own process; autocannon drives it from here.
 *
 * Issue 12's goal: `/tandem status` on PostgreSQL, by one instance and by three instances on one
 * database behind a round-robin balancer (bench/round-robin.ts), beside one instance on SQLite;
 * the fleet should be no slower per request than one instance. One instance is also measured
 * through the balancer, to tell the balancer's own cost from the fleet's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createFleetDatabase, type FleetDatabase } from '../test/support/fleet-database.js';
import { type RoundRobin, startRoundRobin } from './round-robin.js';

const SECRET = 'bench-signing-secret';
const SATURATION_SECONDS = 10;
const FIXED_RATE = 200;
const FIXED_SECONDS = 8;
/** Latency at a fixed rate is noisy on a 2-core machine shared with the load generator: the median of runs. */
const FIXED_RUNS = 5;
const WARM_UP_SECONDS = 3;
const FLEET_SIZE = 3;
/**
 * The fleet is also compared at a light rate: on a 2-core machine, three instances, the balancer,
 * PostgreSQL and the load generator compete for the cores at 200 requests a second, which measures
 * the machine more than a request's own cost.
 */
const LIGHT_RATE = 50;

interface Server {
  process: ChildProcess;
  port: number;
  responseUrl: string;
}

/** What autocannon drives: one server, or a balancer in front of several. */
interface Target {
  port: number;
  responseUrl: string;
  servers: Server[];
  balancer?: RoundRobin;
}

async function startServer(kind: 'tandem' | 'bare', databaseUrl?: string): Promise<Server> {
  const args = ['--import', 'tsx', join('bench', 'http-target.ts'), kind, ...(databaseUrl ? [databaseUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
  });
  const started = Date.now();
  while (!buffer.includes('\n')) {
    if (Date.now() - started > 30_000) throw new Error(`${kind} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const [, port, responseUrl] = buffer.trim().split(' ');
  return { process: child, port: Number(port), responseUrl: responseUrl ?? '' };
}

const single = (server: Server): Target => ({ port: server.port, responseUrl: server.responseUrl, servers: [server] });

async function balanced(servers: Server[]): Promise<Target> {
  const balancer = await startRoundRobin(servers.map((s) => s.port));
  // Any instance's response URL will do: each answers the ack itself for `/tandem status`.
  return { port: balancer.port, responseUrl: servers[0]?.responseUrl ?? '', servers, balancer };
}

function signedRequest(target: Target, text: string) {
  const body = new URLSearchParams({
    token: 'x',
    team_id: 'T0TANDEM',
    team_domain: 'bench',
    channel_id: 'D0BENCH',
    channel_name: 'directmessage',
    user_id: 'U0BENCH',
    user_name: 'bench',
    command: '/tandem',
    text,
    api_app_id: 'A0TANDEM',
    is_enterprise_install: 'false',
    response_url: target.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
  // One signature for the whole run: Slack's five-minute window is longer than the benchmark.
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    url: `http://127.0.0.1:${target.port}/slack/events`,
    method: 'POST' as const,
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

interface Figures {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time per request of the target's Tandem processes, and of PostgreSQL, in ms. */
  cpuMs?: { tandem: number; postgres: number };
}

/** CPU time (user and system) a process has used so far, in ms, from the kernel's counters (Linux only). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime and stime, in hundredths of a second
  } catch {
    return 0; // gone, or not ours to read
  }
}

/** Every PostgreSQL process of this machine (the server's connections and its background workers). */
function postgresPids(): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/** CPU used so far by the servers of a target and by PostgreSQL, in ms (undefined off Linux). */
function cpuNow(target: Target): { servers: number; postgres: number } | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const servers = target.servers.reduce((sum, server) => sum + (server.process.pid ? processCpuMs(server.process.pid) : 0), 0);
  const postgres = postgresPids().reduce((sum, pid) => sum + processCpuMs(pid), 0);
  return { servers, postgres };
}

async function measure(target: Target, text: string, fixedRate?: number, seconds?: number): Promise<Figures> {
  const cpuBefore = cpuNow(target);
  const result = await autocannon({
    ...signedRequest(target, text),
    connections: fixedRate ? 20 : 50,
    duration: seconds ?? (fixedRate ? FIXED_SECONDS : SATURATION_SECONDS),
    ...(fixedRate ? { overallRate: fixedRate } : {}),
  });
  const cpuAfter = cpuNow(target);
  const answered = result.requests.total;
  return {
    ...(cpuBefore !== undefined && cpuAfter !== undefined && answered > 0
      ? { cpuMs: { tandem: (cpuAfter.servers - cpuBefore.servers) / answered, postgres: (cpuAfter.postgres - cpuBefore.postgres) / answered } }
      : {}),
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function stop(target: Target): Promise<void> {
  await target.balancer?.close();
  await Promise.all(
    target.servers.map(async (server) => {
      if (server.process.exitCode !== null) return;
      server.process.kill('SIGTERM');
      await once(server.process, 'exit');
    }),
  );
}

function row(name: string, f: Figures): string {
  return `${name.padEnd(24)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(1).padStart(7)} ${f.p90.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${String(f.errors + f.non2xx).padStart(7)}`;
}

async function main(): Promise<void> {
  const databases: FleetDatabase[] = [await createFleetDatabase(), await createFleetDatabase()];
  const [alone, shared] = databases as [FleetDatabase, FleetDatabase];
  // The fleet's instances start one after the other: each migrates (nothing to do after the first).
  const fleet: Server[] = [];
  for (let i = 0; i < FLEET_SIZE; i += 1) fleet.push(await startServer('tandem', shared.url));
  const pgAlone = await startServer('tandem', alone.url);
  const cases: [string, () => Promise<Target>, string][] = [
    ['bare Bolt (ack only)', async () => single(await startServer('bare')), 'help'],
    ['help · SQLite', async () => single(await startServer('tandem')), 'help'],
    ['status · SQLite', async () => single(await startServer('tandem')), 'status'],
    ['status · PostgreSQL', async () => single(pgAlone), 'status'],
    ['status · PG ×1 balanced', async () => balanced([pgAlone]), 'status'],
    [`status · PG ×${FLEET_SIZE} balanced`, async () => balanced(fleet), 'status'],
  ];
  // All servers run side by side (idle but for the one under load) and the rounds interleave
  // them, so a noisy moment of this shared machine does not fall on one case only.
  const targets: Target[] = [];
  for (const [, start] of cases) targets.push(await start());
  const saturation: Figures[] = [];
  const fixed: Figures[][] = cases.map(() => []);
  // The two fleet cases (one instance and the fleet, both behind the balancer), at the light rate too.
  const fleetCases = [cases.length - 2, cases.length - 1];
  const light: Figures[][] = fleetCases.map(() => []);
  try {
    for (const [i, [, , text]] of cases.entries()) {
      await measure(targets[i] as Target, text, undefined, WARM_UP_SECONDS); // JIT, caches, database pages
      saturation.push(await measure(targets[i] as Target, text));
    }
    for (let round = 0; round < FIXED_RUNS; round++) {
      for (const [i, [, , text]] of cases.entries()) fixed[i]?.push(await measure(targets[i] as Target, text, FIXED_RATE));
      for (const [j, i] of fleetCases.entries()) light[j]?.push(await measure(targets[i] as Target, 'status', LIGHT_RATE));
    }
  } finally {
    // A balancer's servers may also stand alone in another case: each process is stopped once.
    const balancers = targets.filter((t) => t.balancer);
    await Promise.all(balancers.map((t) => t.balancer?.close()));
    await Promise.all(targets.filter((t) => !t.balancer).map(stop));
    await Promise.all(fleet.map((server) => stop(single(server))));
    for (const database of databases) await database.drop();
  }
  const counts = targets.at(-1)?.balancer?.counts() ?? [];
  const median = (runs: Figures[]) => [...runs].sort((a, b) => a.p99 - b.p99)[Math.floor(runs.length / 2)] as Figures;
  const results = cases.map(([name], i) => ({ name, saturation: saturation[i] as Figures, fixed: median(fixed[i] ?? []) }));

  const header = `${'case'.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`;
  console.log(`\nHTTP: saturation (50 connections, ${SATURATION_SECONDS} s)\n${header}`);
  for (const r of results) console.log(row(r.name, r.saturation));
  console.log(`\nHTTP: fixed ${FIXED_RATE} requests a second (the run with the median p99 of ${FIXED_RUNS} interleaved runs of ${FIXED_SECONDS} s)\n${header}`);
  for (const r of results) console.log(row(r.name, r.fixed));
  console.log(`p99 of every run: ${results.map((r, i) => `${r.name}: ${(fixed[i] ?? []).map((f) => f.p99).join(', ')}`).join('; ')}`);
  console.log(`requests per fleet instance (round robin): ${counts.join(', ')}`);

  const [bare, ...ours] = results;
  if (!bare) return;
  console.log('\nGoals: throughput ≥ 0.5 × bare Bolt; p99 at 200 req/s ≤ 2 × bare Bolt');
  for (const r of ours) {
    const throughput = r.saturation.rps / bare.saturation.rps;
    const p99 = r.fixed.p99 / Math.max(bare.fixed.p99, 0.001);
    console.log(`${r.name.padEnd(24)} throughput ×${throughput.toFixed(2)} ${throughput >= 0.5 ? 'met' : 'MISSED'}; p99 ×${p99.toFixed(2)} ${p99 <= 2 ? 'met' : 'MISSED'}`);
  }
  const byName = new Map(results.map((r) => [r.name, r]));
  const one = byName.get('status · PG ×1 balanced');
  const three = byName.get(`status · PG ×${FLEET_SIZE} balanced`);
  if (one && three) {
    const p99 = three.fixed.p99 / Math.max(one.fixed.p99, 0.001);
    const throughput = three.saturation.rps / one.saturation.rps;
    console.log(`\nGoal: the fleet no slower per request than one instance (both behind the balancer)`);
    console.log(`PG ×${FLEET_SIZE} vs ×1: p99 at ${FIXED_RATE} req/s ×${p99.toFixed(2)} ${p99 <= 1.1 ? 'met' : 'MISSED'}; saturation throughput ×${throughput.toFixed(2)}`);
    const [lightOne, lightThree] = light.map(median) as [Figures, Figures];
    const lightP99 = lightThree.p99 / Math.max(lightOne.p99, 0.001);
    const lightP50 = lightThree.p50 / Math.max(lightOne.p50, 0.001);
    console.log(`at ${LIGHT_RATE} req/s (median of ${FIXED_RUNS} runs): ×1 p50 ${lightOne.p50} ms, p99 ${lightOne.p99} ms; ×${FLEET_SIZE} p50 ${lightThree.p50} ms, p99 ${lightThree.p99} ms: p50 ×${lightP50.toFixed(2)}, p99 ×${lightP99.toFixed(2)} ${lightP99 <= 1.1 ? 'met' : 'MISSED'}`);
    console.log(`p99 of every run at ${LIGHT_RATE} req/s: ×1 ${(light[0] ?? []).map((f) => f.p99).join(', ')}; ×${FLEET_SIZE} ${(light[1] ?? []).map((f) => f.p99).join(', ')}`);
    // What a request costs, whatever the cores: the fleet should add no work per request.
    const cpu = (runs: Figures[], part: 'tandem' | 'postgres') => {
      const values = runs.map((f) => f.cpuMs?.[part]).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)];
    };
    const runsOf = [fixed[fleetCases[0] as number] ?? [], fixed[fleetCases[1] as number] ?? [], light[0] ?? [], light[1] ?? []];
    const [t1, t3, l1, l3] = runsOf.map((runs) => cpu(runs, 'tandem'));
    const [p1, p3, m1, m3] = runsOf.map((runs) => cpu(runs, 'postgres'));
    if ([t1, t3, l1, l3, p1, p3, m1, m3].every((v) => v !== undefined)) {
      const ms = (v: number | undefined) => `${(v ?? 0).toFixed(2)} ms`;
      console.log(`CPU per request (median of ${FIXED_RUNS} runs), Tandem processes + PostgreSQL:`);
      console.log(`  at ${FIXED_RATE} req/s: ×1 ${ms(t1)} + ${ms(p1)}; ×${FLEET_SIZE} ${ms(t3)} + ${ms(p3)}`);
      console.log(`  at ${LIGHT_RATE} req/s: ×1 ${ms(l1)} + ${ms(m1)}; ×${FLEET_SIZE} ${ms(l3)} + ${ms(m3)}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
