/**
 * `npm run crash`: the bot (test/reliability/crash-bot.ts) as a child process, killed with SIGKILL
 * at random moments of a busy check-in day, while partners press buttons and it delivers its
 * prompts (Slack answering slowly, so that messages are in flight), then restarted on the same
 * database. CRASH_KILLS (default 20), CRASH_PAIRS (default 12), CRASH_SEED (default: new, printed).
 * At the end: every message due delivered, at most one duplicate per kill, the database's integrity
 * and the programme's invariants. Its last line: `crash: N kills, N lost, N duplicates`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { SlackDriver } from '../../src/sandbox/driver.js';
import { findElement } from '../../src/sandbox/payloads.js';
import { SlackStandIn, type RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { openStore } from '../../src/store/database.js';
import { contractInForce, pairUp, type PairedUp } from '../support/contract-flows.js';
import { junior, senior } from '../support/seed.js';
import { SIGNING_SECRET, startTandem } from '../support/tandem-harness.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const PAIRS = Number(process.env.CRASH_PAIRS ?? 12);
const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const CHECKIN_DAY = '2027-03-15T08:59:58Z';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

/** Random moments and choices, from the seed. */
const draws = fc.sample(fc.record({ killAfterMs: fc.integer({ min: 150, max: 2500 }), pick: fc.nat(), button: fc.constantFrom('followup_not_yet', 'followup_help') }), { seed, numRuns: KILLS * 40 });
let drawn = 0;
const draw = () => draws[drawn++ % draws.length] as (typeof draws)[number];

function startBot(standIn: SlackStandIn, databasePath: string): { child: ChildProcess; ready: Promise<number> } {
  // Node itself, with tsx's loader: SIGKILL must reach the bot, not a wrapper that would leave it running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/reliability/crash-bot.ts'], {
    env: { ...process.env, CRASH_DATABASE: databasePath, SLACK_API_URL: standIn.apiUrl, CRASH_AT: CHECKIN_DAY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (/ERROR/.test(text)) process.stderr.write(`  bot: ${text}`);
  });
  const ready = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code, signal) => reject(new Error(`the bot exited before it was ready (${code ?? signal})`)));
  });
  return { child, ready };
}

/** Partners answering their prompts while the bot runs: clicks on what it has posted so far. */
function traffic(driver: SlackDriver, standIn: SlackStandIn, pairs: PairedUp[], until: { stopped: boolean }): Promise<number> {
  return (async () => {
    let sent = 0;
    while (!until.stopped) {
      const d = draw();
      const pair = pairs[d.pick % pairs.length] as PairedUp;
      const prompt = standIn.workspace.messagesNewestFirst().find((m) => m.channel === pair.groupDm && findElement(m.message.blocks, d.button));
      const user = d.pick % 2 === 0 ? pair.junior : pair.senior;
      try {
        if (prompt) await driver.blockAction(user, { actionId: d.button, messageTs: prompt.ts, channelId: prompt.channel });
        else await driver.command(user, 'status');
        sent += 1;
      } catch {
        // The bot was killed under this request: Slack would show an error, the person tries again.
      }
      await sleep(20);
    }
    return sent;
  })();
}

async function main(): Promise<void> {
  log(`crash: seed ${seed}, ${KILLS} kills, ${PAIRS} pairs (replay with CRASH_SEED=${seed})`);
  const standIn = await SlackStandIn.start();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-crash-'));
  const databasePath = join(dir, 'tandem.sqlite');
  try {
    // The world: pairs with their contracts in force since 1 March; their first check-in is due on the 15th.
    const h = await startTandem({ standIn, dir });
    const pairs: PairedUp[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const pair = await pairUp(h, junior(`U0J${i}`), senior(`U0S${i}`));
      await contractInForce(h, pair);
      pairs.push(pair);
    }
    await h.close();
    log(`  world: ${pairs.length} pairs with a contract in force`);

    // Slack answers every post slowly: kills land while messages are on their way.
    standIn.fail('chat.postMessage', { kind: 'slow', delayMs: 150 }, 1_000_000);
    const callsBefore = standIn.calls.length;
    const recoveries: number[] = [];
    let requests = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const started = Date.now();
      const bot = startBot(standIn, databasePath);
      const port = await bot.ready;
      recoveries.push(Date.now() - started);
      const until = { stopped: false };
      const driver = new SlackDriver({ baseUrl: `http://127.0.0.1:${port}`, signingSecret: SIGNING_SECRET, standIn });
      const load = traffic(driver, standIn, pairs, until);
      await sleep(draw().killAfterMs);
      bot.child.kill('SIGKILL');
      await new Promise((resolve) => bot.child.once('exit', resolve));
      until.stopped = true;
      requests += await load;
      log(`  kill ${kill}: after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }

    // One last run, left alone until everything queued is sent (the killed runs' leases run out first).
    const last = startBot(standIn, databasePath);
    await last.ready;
    const store = openStore(databasePath);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const waiting = await store.db.selectFrom('outbox').select('id').where('status', 'not in', ['sent', 'dead']).execute();
      const prompts = await store.db.selectFrom('checkin_prompt').select('id').execute();
      if ((waiting.length === 0 && prompts.length >= PAIRS) || Date.now() > deadline) break;
      await sleep(500);
    }
    last.child.kill('SIGTERM');
    await new Promise((resolve) => last.child.once('exit', resolve));

    // Every message due delivered, and how many went twice.
    const rows = await store.db.selectFrom('outbox').select(['key', 'kind', 'request', 'status']).execute();
    const posts = standIn.calls.slice(callsBefore).filter((c: RecordedCall) => c.method === 'chat.postMessage' && c.response?.ok === true);
    const sentCount = (channel: unknown, text: unknown) => posts.filter((c) => c.args.channel === channel && c.args.text === text).length;
    let lost = rows.filter((r) => r.status !== 'sent').length;
    let duplicates = 0;
    for (const row of rows) {
      const request = JSON.parse(row.request) as { kind: string; channel?: string; message?: { text?: string } };
      if (row.status !== 'sent' || request.kind !== 'post') continue;
      const count = sentCount(request.channel, request.message?.text);
      if (count === 0 && rows.filter((r) => r.request === row.request).length === 1) {
        // Sent before the kills began (the world's own messages): nothing to count here.
        continue;
      }
      duplicates += Math.max(0, count - rows.filter((r) => r.request === row.request).length);
    }
    const prompts = await store.db.selectFrom('checkin_prompt').select(['pair_id', 'kind', 'due_on']).where('kind', '=', 'checkin').execute();
    const prompted = new Set(prompts.map((p) => p.pair_id));
    lost += pairs.filter((p) => !prompted.has(p.pairId)).length;
    // Each prompt post reached its pair's conversation.
    for (const pair of pairs) if (!posts.some((c) => c.args.channel === pair.groupDm && JSON.stringify(c.args.blocks ?? []).includes('followup_met'))) lost += 1;

    // The database and the programme's rules.
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
    const problems: string[] = [];
    if (integrity.rows.map((r) => r.integrity_check).join() !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity.rows)}`);
    const twoOpen = await store.db.selectFrom('escalation').select(['pair_id', (eb) => eb.fn.countAll<number>().as('n')]).where('status', '=', 'open').where('pair_id', 'is not', null).groupBy('pair_id').having((eb) => eb.fn.countAll(), '>', 1).execute();
    if (twoOpen.length > 0) problems.push(`pairs with two open escalations: ${JSON.stringify(twoOpen)}`);
    const live = ['proposed', 'introduced', 'accepted', 'active'] as const;
    for (const side of ['junior_id', 'senior_id'] as const) {
      const twoPairs = await store.db.selectFrom('pair').select([side, (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', live).groupBy(side).having((eb) => eb.fn.countAll(), '>', 1).execute();
      if (twoPairs.length > 0) problems.push(`people in two pairs (${side}): ${JSON.stringify(twoPairs)}`);
    }
    const twice = await store.db.selectFrom('prompt_answer').select(['prompt_id', 'participant_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['prompt_id', 'participant_id']).having((eb) => eb.fn.countAll(), '>', 1).execute();
    if (twice.length > 0) problems.push(`prompts answered twice by one partner: ${JSON.stringify(twice)}`);
    await store.close();

    const mean = recoveries.reduce((a, b) => a + b, 0) / recoveries.length;
    log(`  ${rows.length} messages queued, ${posts.length} posts delivered during the kills, ${requests} partner requests`);
    log(`  recovery after a kill (process start to serving again): mean ${(mean / 1000).toFixed(1)} s, max ${(Math.max(...recoveries) / 1000).toFixed(1)} s; duplicates per kill ${(duplicates / KILLS).toFixed(2)}`);
    log(`  integrity_check ok: ${problems.every((p) => !p.startsWith('integrity'))}; invariants: ${problems.length === 0 ? 'hold' : problems.join('; ')}`);
    log(`crash: ${KILLS} kills, ${lost} lost, ${duplicates} duplicates`);
    process.exitCode = lost > 0 || duplicates > KILLS || problems.length > 0 ? 1 : 0;
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
