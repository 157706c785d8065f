/**
 * Database growth benchmark: `npx tsx bench/growth.ts [people] [days]` (default 2,000 people, 730 days).
 *
 * Simulates the bookkeeping a programme leaves behind, day by day, on a real SQLite file: every
 * person's requests to the bot (three a week: a click, a command, the Home tab; each recorded so
 * that Slack's retries act once), the messages the bot sends (a pair gets a check-in prompt, a
 * reminder and an answer every two weeks, plus notices; each a Block Kit message of about 1.5 kB),
 * and the audit log (facilitator actions and state changes), a week at a time. After each week the
 * bookkeeping is pruned as the scheduled pass prunes it (it runs every five minutes; a week's
 * pruning at once is its worst case). The same run without pruning shows what it saves. It reports the file
 * size and the live rows at the end, and the time pruning took over the whole run.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrate, openStore, type Store } from '../src/store/database.js';
import { pruneBookkeeping } from '../src/store/housekeeping.js';

const people = Number(process.argv[2] ?? 2000);
const days = Number(process.argv[3] ?? 730);
const START = new Date('2027-01-04T08:00:00Z');
const DAY_MS = 86_400_000;
const STEP_DAYS = 7;

const REQUESTS_PER_PERSON_PER_WEEK = 3;
const MESSAGES_PER_PAIR_PER_FORTNIGHT = 4;
const AUDIT_PER_PAIR_PER_FORTNIGHT = 1;

/** A check-in prompt's size: text and blocks, as the bot queues it. */
const MESSAGE = JSON.stringify({
  kind: 'post',
  channel: 'G0PAIR',
  message: {
    text: 'Time for a check-in: how is your pair doing? Tell us whether you met since the last one.',
    blocks: Array.from({ length: 6 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `Block ${i}: ${'words of the prompt '.repeat(10)}` } })),
  },
});

function spread(total: number, step: number): number {
  // Whole rows per step, the fraction carried so the totals are exact.
  return Math.floor(total * (step + 1)) - Math.floor(total * step);
}

async function simulate(prune: boolean): Promise<{ fileMb: number; vacuumedMb: number; yearMb: number; rows: Record<string, number>; pruneMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-growth-'));
  const file = join(dir, 'tandem.sqlite');
  const store: Store = openStore(file);
  const outcome = await migrate(store.db);
  if (outcome.error) throw outcome.error;
  const pairs = Math.floor(people / 2);
  let pruneMs = 0;
  let yearMb = 0;
  let eventId = 0;
  let messageId = 0;
  for (let step = 0; step * STEP_DAYS < days; step++) {
    const now = new Date(START.getTime() + step * STEP_DAYS * DAY_MS);
    const at = now.toISOString();
    await store.db.transaction().execute(async (trx) => {
      const requests = spread(people * REQUESTS_PER_PERSON_PER_WEEK, step);
      for (let i = 0; i < requests; i += 500) {
        const batch = Array.from({ length: Math.min(500, requests - i) }, () => ({ event_id: `Ev${(eventId += 1).toString(36).padStart(12, '0')}`, processed_at: at }));
        await trx.insertInto('processed_event').values(batch).execute();
      }
      const messages = spread((pairs * MESSAGES_PER_PAIR_PER_FORTNIGHT) / 2, step);
      for (let i = 0; i < messages; i += 200) {
        const batch = Array.from({ length: Math.min(200, messages - i) }, () => {
          messageId += 1;
          return { key: `prompt:${messageId}`, kind: 'post' as const, request: MESSAGE, channel_hint: `G${messageId % pairs}`, status: 'sent' as const, next_attempt_at: at, created_at: at, sent_at: at, result_channel: 'G0PAIR', result_ts: `${messageId}.000100` };
        });
        await trx.insertInto('outbox').values(batch).execute();
      }
      const audits = spread((pairs * AUDIT_PER_PAIR_PER_FORTNIGHT) / 2, step);
      if (audits > 0) {
        await trx
          .insertInto('audit_log')
          .values(Array.from({ length: audits }, (_, i) => ({ at, actor_user_id: `U${i % people}`, action: 'checkin.logged', subject: `pair:${i % pairs}`, details: '{"rating":4}' })))
          .execute();
      }
    });
    if ((step + 1) * STEP_DAYS === 364) {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
      yearMb = statSync(file).size / 1e6;
    }
    if (prune) {
      const started = performance.now();
      await pruneBookkeeping(store.db, now, 24);
      pruneMs += performance.now() - started;
    }
  }
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  const count = async (table: 'processed_event' | 'outbox' | 'audit_log') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const fileMb = statSync(file).size / 1e6;
  // SQLite reuses the space pruning frees rather than giving it back: the file stops growing; VACUUM
  // (with the bot stopped) would shrink it to what the data takes.
  await sql`vacuum`.execute(store.db);
  const vacuumedMb = statSync(file).size / 1e6;
  const rows = { processed_event: await count('processed_event'), outbox: await count('outbox'), audit_log: await count('audit_log') };
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { fileMb, vacuumedMb, yearMb, rows, pruneMs };
}

const withPruning = await simulate(true);
const without = await simulate(false);
const describe = (r: { fileMb: number; vacuumedMb: number; yearMb: number; rows: Record<string, number> }) =>
  `file ${r.yearMb.toFixed(1)} MB after a year, ${r.fileMb.toFixed(1)} MB after ${days} days (${r.vacuumedMb.toFixed(1)} MB once vacuumed); rows: ${Object.entries(r.rows).map(([table, n]) => `${table} ${n}`).join(', ')}`;
process.stdout.write(`growth: ${people} people over ${days} days\n`);
process.stdout.write(`growth:   pruned weekly: ${describe(withPruning)}; pruning took ${(withPruning.pruneMs / 1000).toFixed(1)} s in all (${(withPruning.pruneMs / Math.ceil(days / STEP_DAYS)).toFixed(0)} ms a week)\n`);
process.stdout.write(`growth:   never pruned: ${describe(without)}\n`);
