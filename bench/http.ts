/**
 * Issue 2's goal: Tandem answers signed `/tandem help` and `/tandem status` at no less than half the
 * throughput of a bare Bolt app that only acks, and with a p99 no worse than twice bare Bolt's at a
 * fixed 200 requests a second. Each server runs in its own process; autocannon drives it from here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import autocannon from 'autocannon';

const SECRET = 'bench-signing-secret';
const SATURATION_SECONDS = 10;
const FIXED_RATE = 200;
const FIXED_SECONDS = 8;
/** Latency at a fixed rate is noisy on a 2-core machine shared with the load generator: the median of runs. */
const FIXED_RUNS = 5;
const WARM_UP_SECONDS = 3;

interface Target {
  name: string;
  process: ChildProcess;
  port: number;
  responseUrl: string;
}

async function startTarget(kind: 'tandem' | 'bare'): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'http-target.ts'), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  return { name: kind, process: child, port: Number(port), responseUrl: responseUrl ?? '' };
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
}

async function measure(target: Target, text: string, fixedRate?: number, seconds?: number): Promise<Figures> {
  const result = await autocannon({
    ...signedRequest(target, text),
    connections: fixedRate ? 20 : 50,
    duration: seconds ?? (fixedRate ? FIXED_SECONDS : SATURATION_SECONDS),
    ...(fixedRate ? { overallRate: fixedRate } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function stop(target: Target): Promise<void> {
  target.process.kill('SIGTERM');
  await once(target.process, 'exit');
}

function row(name: string, f: Figures): string {
  return `${name.padEnd(24)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(1).padStart(7)} ${f.p90.toFixed(1).padStart(7)} ${f.p99.toFixed(1).padStart(7)} ${String(f.errors + f.non2xx).padStart(7)}`;
}

async function main(): Promise<void> {
  const cases: [string, 'tandem' | 'bare', string][] = [
    ['bare Bolt (ack only)', 'bare', 'help'],
    ['tandem /tandem help', 'tandem', 'help'],
    ['tandem /tandem status', 'tandem', 'status'],
  ];
  // All servers run side by side (idle but for the one under load) and the rounds interleave
  // them, so a noisy moment of this shared machine does not fall on one case only.
  const targets = await Promise.all(cases.map(([, kind]) => startTarget(kind)));
  const saturation: Figures[] = [];
  const fixed: Figures[][] = cases.map(() => []);
  try {
    for (const [i, [, , text]] of cases.entries()) {
      await measure(targets[i] as Target, text, undefined, WARM_UP_SECONDS); // JIT, caches, database pages
      saturation.push(await measure(targets[i] as Target, text));
    }
    for (let round = 0; round < FIXED_RUNS; round++) {
      for (const [i, [, , text]] of cases.entries()) fixed[i]?.push(await measure(targets[i] as Target, text, FIXED_RATE));
    }
  } finally {
    await Promise.all(targets.map(stop));
  }
  const median = (runs: Figures[]) => [...runs].sort((a, b) => a.p99 - b.p99)[Math.floor(runs.length / 2)] as Figures;
  const results = cases.map(([name], i) => ({ name, saturation: saturation[i] as Figures, fixed: median(fixed[i] ?? []) }));

  const header = `${'case'.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p90 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`;
  console.log(`\nHTTP: saturation (50 connections, ${SATURATION_SECONDS} s)\n${header}`);
  for (const r of results) console.log(row(r.name, r.saturation));
  console.log(`\nHTTP: fixed ${FIXED_RATE} requests a second (the run with the median p99 of ${FIXED_RUNS} interleaved runs of ${FIXED_SECONDS} s)\n${header}`);
  for (const r of results) console.log(row(r.name, r.fixed));
  console.log(`p99 of every run: ${results.map((r, i) => `${r.name}: ${(fixed[i] ?? []).map((f) => f.p99).join(', ')}`).join('; ')}`);

  const [bare, ...ours] = results;
  if (!bare) return;
  console.log('\nGoals: throughput ≥ 0.5 × bare Bolt; p99 at 200 req/s ≤ 2 × bare Bolt');
  for (const r of ours) {
    const throughput = r.saturation.rps / bare.saturation.rps;
    const p99 = r.fixed.p99 / Math.max(bare.fixed.p99, 0.001);
    console.log(`${r.name.padEnd(24)} throughput ×${throughput.toFixed(2)} ${throughput >= 0.5 ? 'met' : 'MISSED'}; p99 ×${p99.toFixed(2)} ${p99 <= 2 ? 'met' : 'MISSED'}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
