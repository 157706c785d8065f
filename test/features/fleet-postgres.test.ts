/**
 * Three Tandem processes on one PostgreSQL database behave as one bot: requests spread across
 * them get the same answers, a check-in day's pass run by all three at once sends each prompt
 * once, an instance killed with SIGKILL in the middle of delivery loses nothing (only the message
 * it had in flight may go twice), and the fleet keeps Slack's pace of one post a second per channel.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/time.js';
import { type RecordedCall, SlackStandIn } from '../../src/sandbox/slack-stand-in.js';
import { SlackDriver } from '../../src/sandbox/driver.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { enrolmentValues } from '../support/flows.js';
import { createFleetDatabase, type FleetDatabase } from '../support/fleet-database.js';

const SECRET = 'fleet-signing-secret';
const FACILITATORS = 'C0FACIL';
const FACILITATOR = 'UFACIL1';
const INSTANCES = 3;
const PAIRS = 24;
/** A Monday, past the check-in hour in Paris: every seeded pair has its check-in due. */
const CHECKIN_DAY = new Date('2027-06-07T15:00:00Z');
const LEASE_MS = 2000;
const root = fileURLToPath(new URL('../..', import.meta.url));

interface Instance {
  child: ChildProcessWithoutNullStreams;
  driver: SlackDriver;
  lines: string[];
  alive: boolean;
}

async function startInstance(standIn: SlackStandIn, databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/fleet-instance.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      SLACK_API_URL: standIn.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-fleet',
      SLACK_SIGNING_SECRET: SECRET,
      FACILITATOR_CHANNEL_ID: FACILITATORS,
      FLEET_LEASE_MS: String(LEASE_MS),
    },
  });
  const instance: Instance = { child, driver: undefined as unknown as SlackDriver, lines: [], alive: true };
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    instance.lines.push(...parts);
  });
  child.on('exit', () => {
    instance.alive = false;
  });
  const ready = await waitUntil(() => instance.lines.find((l) => l.startsWith('READY ')) ?? (instance.alive ? undefined : `DEAD ${errors}`), 30_000);
  if (!ready.startsWith('READY ')) throw new Error(`an instance did not start: ${ready}`);
  instance.driver = new SlackDriver({ baseUrl: `http://127.0.0.1:${ready.split(' ')[1]}`, signingSecret: SECRET, standIn });
  return instance;
}

async function waitUntil<T>(check: () => T | undefined | false, timeoutMs: number, what = 'a condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `pairs` active pairs whose check-in is due on CHECKIN_DAY, written as the app stores them. */
async function seedActivePairs(store: Store, pairs: number): Promise<void> {
  const at = CHECKIN_DAY.toISOString();
  const start = addDays('2027-06-07', -28);
  for (let i = 0; i < pairs; i += 1) {
    const person = (slack: string, role: 'junior' | 'senior') => ({
      slack_user_id: slack,
      role,
      status: 'paired' as const,
      shares: '["generative_ai"]',
      learns: '["negotiation"]',
      department: `${role} ${i}`,
      manager_user_id: null,
      languages: '["en"]',
      format: 'either' as const,
      cadence: 'biweekly' as const,
      motivation: 'fleet',
      consent_at: at,
      time_zone: 'Europe/Paris',
      locale: 'en',
      display_name: slack.toLowerCase(),
      created_at: at,
      updated_at: at,
    });
    const [junior, senior] = await Promise.all([
      store.db.insertInto('participant').values(person(`UJ${i}`, 'junior')).returning('id').executeTakeFirstOrThrow(),
      store.db.insertInto('participant').values(person(`US${i}`, 'senior')).returning('id').executeTakeFirstOrThrow(),
    ]);
    const pair = await store.db
      .insertInto('pair')
      .values({ junior_id: junior.id, senior_id: senior.id, status: 'active', score: 1, reasons: '[]', proposed_by: FACILITATOR, proposed_at: at, accepted_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contract = await store.db
      .insertInto('contract')
      .values({
        pair_id: pair.id,
        version: 1,
        status: 'in_force',
        senior_objectives: '["Use Slack well"]',
        junior_objectives: '["Read a P&L"]',
        cadence: 'weekly',
        session_minutes: 60,
        means: 'Practice',
        format: 'video',
        start_date: start,
        end_date: addDays(start, 180),
        proposed_by: junior.id,
        proposed_at: at,
        in_force_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('followup')
      .values({ pair_id: pair.id, contract_id: contract.id, last_due_on: addDays('2027-06-07', -7), next_due_on: '2027-06-07', next_at: '2027-06-07T00:00:00.000Z', next_kind: 'checkin', updated_at: at })
      .execute();
  }
}

const posts = (standIn: SlackStandIn): RecordedCall[] => standIn.callsTo('chat.postMessage').filter((c) => c.status === 200);
const isPrompt = (c: RecordedCall) => JSON.stringify(c.args.blocks ?? []).includes('followup_met');

describe('a fleet of three instances on one PostgreSQL database', () => {
  let standIn: SlackStandIn;
  let database: FleetDatabase;
  let store: Store;
  let fleet: Instance[] = [];

  beforeAll(async () => {
    standIn = await SlackStandIn.start();
    standIn.setChannelMembers(FACILITATORS, [FACILITATOR, 'UBOT'], { name: 'tandem-facilitators', isPrivate: true });
    database = await createFleetDatabase();
    // All three start (and migrate) at once: the migration lock lets one apply each migration.
    fleet = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance(standIn, database.url)));
    store = openStore(database.url);
    const outcome = await migrate(store.db);
    expect(outcome).toEqual({ applied: [] });
  }, 60_000);

  afterAll(async () => {
    for (const instance of fleet) if (instance.alive) instance.child.kill('SIGKILL');
    await Promise.all(fleet.map((i) => (i.child.exitCode === null && i.child.signalCode === null ? once(i.child, 'exit') : undefined)));
    await store?.close();
    await database?.drop();
    await standIn?.close();
  }, 60_000);

  it('answers any request from any instance, and runs a check-in day once across the fleet, through a crash', async () => {
    // Enrolment spread across the instances: the modal opened by one, submitted to the next; Slack
    // retries each submission on the third, which recognises it and changes nothing.
    const people = ['U0ANA', 'U0BEN', 'U0CAT', 'U0DAN', 'U0EVE', 'U0FAY'];
    for (const [i, userId] of people.entries()) {
      const [opener, submitter, retried] = [0, 1, 2].map((k) => fleet[(i + k) % INSTANCES] as Instance) as [Instance, Instance, Instance];
      const before = standIn.callsTo('views.open').length;
      expect((await opener.driver.command(userId, 'join')).status).toBe(200);
      const opened = await waitUntil(() => standIn.callsTo('views.open').length > before && standIn.callsTo('views.open').at(-1), 10_000, 'the modal');
      const payload = submitter.driver.viewSubmissionPayload(userId, opened, enrolmentValues({ role: i % 2 === 0 ? 'junior' : 'senior', department: `Dept ${i}` }));
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const saved = await submitter.driver.raw(body, { 'Content-Type': 'application/x-www-form-urlencoded', ...submitter.driver.signedHeaders(body) });
      expect(saved.status).toBe(200);
      expect(saved.json?.response_action).not.toBe('errors');
      const retry = await retried.driver.raw(body, { 'Content-Type': 'application/x-www-form-urlencoded', ...retried.driver.signedHeaders(body, { retryNum: 1, retryReason: 'http_timeout' }) });
      expect(retry.status).toBe(200);
    }
    const enrolled = await store.db.selectFrom('participant').select('slack_user_id').execute();
    expect(enrolled.map((p) => p.slack_user_id).sort()).toEqual([...people].sort());
    // Every instance gives the same answer to the same question.
    const statuses: string[] = [];
    for (const instance of fleet) {
      const res = await instance.driver.command('U0ANA', 'status');
      // The answer comes in the ack, or on the response URL.
      const reply = res.json && 'text' in res.json ? res.json : (await waitUntil(() => standIn.calls.find((c) => c.method === 'response_url' && c.args.url === res.responseUrl), 10_000, 'a reply')).args;
      statuses.push(JSON.stringify([reply.text, reply.blocks ?? []]));
    }
    expect(statuses[0]).toContain('junior');
    expect(new Set(statuses).size).toBe(1);
    // A check-in day: every pair has a prompt due, and all three instances run the pass at once.
    await seedActivePairs(store, PAIRS);
    // Slack answers slowly, so that there is a delivery in flight to cut.
    standIn.fail('chat.postMessage', { kind: 'slow', delayMs: 150 }, 1000);
    for (const instance of fleet) instance.child.stdin.write(`pass ${CHECKIN_DAY.toISOString()}\n`);
    const reports = await Promise.all(
      fleet.map((instance) => waitUntil(() => instance.lines.find((l) => l.startsWith('PASSED ')), 30_000, 'the pass').then((l) => JSON.parse(l.slice(7)) as { prompts: number })),
    );
    expect(reports.reduce((sum, r) => sum + r.prompts, 0)).toBe(PAIRS);

    // One instance dies in the middle of delivery, with a post on its way.
    await waitUntil(() => posts(standIn).filter(isPrompt).length >= PAIRS / 4, 30_000, 'the first prompts');
    expect(posts(standIn).filter(isPrompt).length).toBeLessThan(PAIRS);
    const victim = fleet[0] as Instance;
    victim.child.kill('SIGKILL');
    await once(victim.child, 'exit');

    // The other two deliver the rest, the victim's leased row once its lease runs out.
    const pending = async () => Number((await store.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
    const deadline = Date.now() + 30_000;
    while ((await pending()) > 0) {
      if (Date.now() > deadline) throw new Error(`${await pending()} message(s) still pending`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitUntil(() => standIn.callsTo('chat.postMessage').every((c) => c.status !== undefined), 10_000, 'the last answers');

    // Each prompt reached its pair, once; at most the one in flight when the victim died went twice.
    const prompts = posts(standIn).filter(isPrompt);
    const perConversation = new Map<string, number>();
    for (const c of prompts) perConversation.set(String(c.args.channel), (perConversation.get(String(c.args.channel)) ?? 0) + 1);
    expect(perConversation.size).toBe(PAIRS);
    const twice = [...perConversation.values()].filter((n) => n > 1);
    expect(twice.length).toBeLessThanOrEqual(1);
    expect(Math.max(...perConversation.values())).toBeLessThanOrEqual(2);
    const rows = await store.db.selectFrom('outbox').select(['status']).execute();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);

    // Each enrolment made one welcome, whichever instances saw its form and its retry.
    for (const userId of people) expect(posts(standIn).filter((c) => c.args.channel === userId)).toHaveLength(1);

    // The fleet's pace per channel, as Slack saw it. Arrival times also carry the time each request
    // took to reach Slack, which the pace cannot see: so, never three posts to a channel within a
    // second, and over a channel's whole run no more than one a second (a fifth more for that noise).
    const byChannel = new Map<string, number[]>();
    for (const c of posts(standIn)) byChannel.set(String(c.args.channel), [...(byChannel.get(String(c.args.channel)) ?? []), c.at]);
    expect(byChannel.get(FACILITATORS)?.length).toBeGreaterThanOrEqual(people.length);
    const rates: number[] = [];
    for (const at of byChannel.values()) {
      for (let i = 2; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 2] ?? 0)).toBeGreaterThanOrEqual(1000);
      if (at.length >= 3) rates.push((at.length - 1) / (((at.at(-1) ?? 0) - (at[0] ?? 0)) / 1000));
    }
    expect(rates.length).toBeGreaterThan(0);
    expect(Math.max(...rates)).toBeLessThanOrEqual(1.2);
    const gaps = [...byChannel.values()].flatMap((at) => at.slice(1).map((t, i) => t - (at[i] ?? 0)));
    console.log(`fleet pace: ${posts(standIn).length} posts in ${byChannel.size} channels; busiest channel ${Math.max(...rates).toFixed(2)} posts/s; smallest gap ${Math.min(...gaps)} ms; ${twice.length} prompt(s) sent twice`);
    standIn.assertNoViolations();
  }, 90_000);
});
