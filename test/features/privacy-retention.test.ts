import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/profile.js';
import { anonymiseExpiredPairs } from '../../src/features/privacy/retention.js';
import { audit } from '../../src/store/audit.js';
import { insertContractVersion, recordSignature, recordStartLevels } from '../../src/store/contracts.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { insertOutboxEntry, markOutboxSent } from '../../src/store/outbox.js';
import { insertProposal, movePair } from '../../src/store/pairs.js';
import { findParticipantByUser, markLeft, type Participant, saveProfile } from '../../src/store/participants.js';
import { eventually, levels, objectiveCount, openSign, pairUp, propose } from '../support/contract-flows.js';
import { command, ephemeralReply } from '../support/flows.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';
import { junior, senior } from '../support/seed.js';
import { createTestDatabase, dumpTables, type TestDatabase } from '../support/test-database.js';

const tables = ['participant', 'pair', 'contract', 'contract_signature', 'contract_calendar', 'audit_log', 'outbox'] as const;
const dump = (store: Store) => dumpTables(store.db, tables);

async function counts(store: Store) {
  const by = async (table: 'pair' | 'participant' | 'contract') =>
    (await store.db.selectFrom(table).select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').orderBy('status').execute()).map((r) => `${r.status}:${r.n}`);
  const signatures = await store.db.selectFrom('contract_signature').select(['participant_id', 'start_levels']).orderBy('id').execute();
  return { pairs: await by('pair'), people: await by('participant'), contracts: await by('contract'), signatures };
}

describe('the retention pass, on a database of its own', () => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase();
    store = openStore(database.url);
    const outcome = await migrate(store.db);
    if (outcome.error) throw outcome.error;
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  async function person(userId: string, role: Role, enrolledAt: string, department: string): Promise<Participant> {
    const who = { userId, timeZone: 'Europe/Paris', locale: 'en', displayName: `${userId.toLowerCase()}-name` };
    const profile = { role, shares: ['generative_ai'], learns: ['negotiation'], department, managerUserId: null, languages: ['en' as const], format: 'either' as const, cadence: 'biweekly' as const, motivation: `Motivation of ${userId}` };
    await saveProfile(store.db, who, profile, new Date(enrolledAt));
    return (await findParticipantByUser(store.db, userId)) as Participant;
  }

  /** A pair that ran, with a signed contract, ended by a facilitator with a private reason at `endedAt`. */
  async function endedPair(j: Participant, s: Participant, startedAt: string, endedAt: string): Promise<number> {
    const start = new Date(startedAt);
    const pairId = await insertProposal(store.db, { juniorId: j.id, seniorId: s.id, score: 0.8, reasons: [{ kind: 'junior_teaches', skills: ['TikTok for sales'] }], runId: null, batch: null, proposedBy: FACILITATOR }, start);
    await movePair(store.db, pairId, ['proposed'], 'active', { decided_by: FACILITATOR, decided_at: startedAt, accepted_at: startedAt }, start);
    const terms = {
      seniorObjectives: [`Objective of ${s.userId}`],
      juniorObjectives: [`Objective of ${j.userId}`, 'Another one'],
      cadence: 'biweekly' as const,
      sessionMinutes: 60 as const,
      means: `Means written by ${j.userId}`,
      format: 'video' as const,
      startDate: startedAt.slice(0, 10),
      endDate: endedAt.slice(0, 10),
      groundRulesAcknowledged: true as const,
      notes: 'Private-ish notes',
    };
    const contractId = await insertContractVersion(store.db, pairId, 1, terms, j.id, start);
    await store.db.updateTable('contract').set({ status: 'in_force', in_force_at: startedAt }).where('id', '=', contractId).execute();
    for (const [p, level] of [[j, [2, 3]], [s, [4]]] as const) {
      await recordSignature(store.db, contractId, p.id, start);
      await recordStartLevels(store.db, contractId, p.id, level, start);
    }
    await store.db.insertInto('contract_calendar').values({ contract_id: contractId, participant_id: j.id, status: 'sent', file_id: 'F123', created_at: startedAt, sent_at: startedAt }).execute();
    const end = new Date(endedAt);
    await movePair(store.db, pairId, ['active'], 'ended', { ended_at: endedAt, ended_by: FACILITATOR, end_reason: `Private reason about ${j.userId}` }, end);
    await audit(store.db, { actorUserId: FACILITATOR, action: 'pair.ended', subject: `pair:${pairId}`, details: { reason: `Private reason about ${j.userId}` } }, end);
    await insertOutboxEntry(store.db, { key: `pair:${pairId}:ended:${j.id}`, kind: 'post', request: JSON.stringify({ kind: 'post', channel: j.userId, message: { text: 'Your Tandem pair has ended.' } }), channelHint: j.userId, afterKey: null }, end);
    const row = await store.db.selectFrom('outbox').select('id').where('key', '=', `pair:${pairId}:ended:${j.id}`).executeTakeFirstOrThrow();
    await markOutboxSent(store.db, row.id, { channel: 'D0ANA', ts: '1.1' }, end);
    return pairId;
  }

  it('erases the free text of pairs closed before the cut-off and forgets the people long gone; twice changes nothing', async () => {
    const ana = await person('U0ANA', 'junior', '2024-11-01T09:00:00Z', 'Growth marketing');
    const bob = await person('U0BOB', 'senior', '2024-11-01T09:00:00Z', 'Finance');
    const cat = await person('U0CAT', 'junior', '2024-11-01T09:00:00Z', 'Legal');
    const dan = await person('U0DAN', 'senior', '2024-11-01T09:00:00Z', 'Ops');
    const eve = await person('U0EVE', 'junior', '2024-05-01T09:00:00Z', 'Sales');
    const old = await endedPair(ana, bob, '2024-12-01T09:00:00Z', '2025-01-10T10:00:00Z');
    const recent = await endedPair(cat, dan, '2025-01-01T09:00:00Z', '2025-12-01T10:00:00Z');
    await markLeft(store.db, ana.id, new Date('2025-01-10T10:00:00Z'));
    await markLeft(store.db, cat.id, new Date('2025-01-05T10:00:00Z'));
    await markLeft(store.db, eve.id, new Date('2024-06-01T10:00:00Z'));
    const before = await counts(store);

    const now = new Date('2026-03-01T09:00:00Z');
    expect(await anonymiseExpiredPairs(store.db, now, 12)).toEqual({ pairs: 1, people: 2 });

    // The old pair: states, dates, rhythm and signatures stay; the words go.
    const oldPair = await store.db.selectFrom('pair').selectAll().where('id', '=', old).executeTakeFirstOrThrow();
    expect(oldPair).toMatchObject({ status: 'ended', ended_at: '2025-01-10T10:00:00Z', reasons: '[]', end_reason: null, anonymised_at: now.toISOString() });
    const oldContract = await store.db.selectFrom('contract').selectAll().where('pair_id', '=', old).executeTakeFirstOrThrow();
    expect(oldContract).toMatchObject({ senior_objectives: '[""]', junior_objectives: '["",""]', means: '', notes: null, status: 'in_force', cadence: 'biweekly', session_minutes: 60 });
    expect(await store.db.selectFrom('contract_calendar').select(['status', 'file_id']).orderBy('id').execute()).toEqual([
      { status: 'sent', file_id: null },
      { status: 'sent', file_id: 'F123' },
    ]);
    expect(await store.db.selectFrom('audit_log').select('details').where('subject', '=', `pair:${old}`).execute()).toEqual([{ details: '{}' }]);
    expect(await counts(store)).toEqual(before);

    // Ana and Eve left before the cut-off, with nothing open or recent: forgotten. Bob is still in
    // the programme; Cat's pair closed after the cut-off: both keep their profiles.
    for (const gone of [ana, eve]) {
      const row = await store.db.selectFrom('participant').selectAll().where('id', '=', gone.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'left', department: '', motivation: '', shares: '[]', forgotten_at: now.toISOString() });
      expect(row.slack_user_id).toMatch(/^anon-/);
    }
    expect(await findParticipantByUser(store.db, 'U0BOB')).toMatchObject({ department: 'Finance', status: 'enrolled' });
    expect(await findParticipantByUser(store.db, 'U0CAT')).toMatchObject({ department: 'Legal', status: 'left' });

    // The recent pair is untouched.
    expect(await store.db.selectFrom('pair').select(['reasons', 'end_reason', 'anonymised_at']).where('id', '=', recent).executeTakeFirstOrThrow()).toEqual({
      reasons: JSON.stringify([{ kind: 'junior_teaches', skills: ['TikTok for sales'] }]),
      end_reason: 'Private reason about U0CAT',
      anonymised_at: null,
    });
    // Messages sent before the cut-off lose their words; those after keep them.
    const messages = await store.db.selectFrom('outbox').select(['key', 'request']).orderBy('id').execute();
    expect(messages[0]?.request).toBe('{"erased":true}');
    expect(messages[1]?.request).toContain('Your Tandem pair has ended.');

    const all = await dump(store);
    for (const trace of ['U0ANA', 'u0ana-name', 'Growth marketing', 'Objective of U0ANA', 'Means written by U0ANA', 'Private reason about U0ANA', 'U0EVE', 'Sales']) {
      expect(all).not.toContain(trace);
    }
    expect(await store.db.selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'retention.anonymised').execute()).toEqual([
      { actor_user_id: 'tandem', details: JSON.stringify({ pairs: 1, people: 2, retentionMonths: 12 }) },
    ]);

    // Twice for the same instant, or a little later: nothing more changes.
    expect(await anonymiseExpiredPairs(store.db, now, 12)).toEqual({ pairs: 0, people: 0 });
    expect(await anonymiseExpiredPairs(store.db, new Date('2026-03-02T09:00:00Z'), 12)).toEqual({ pairs: 0, people: 0 });
    expect(await dump(store)).toBe(all);

    // What it wrote is in the file: another process opening it sees it.
    const reader = openStore(database.url);
    try {
      expect(await dump(reader)).toBe(all);
    } finally {
      await reader.close();
    }
  });

  it('touches nothing while every pair is within the period, and refuses a period that is not whole months', async () => {
    const ana = await person('U0ANA', 'junior', '2024-11-01T09:00:00Z', 'Growth marketing');
    const bob = await person('U0BOB', 'senior', '2024-11-01T09:00:00Z', 'Finance');
    await endedPair(ana, bob, '2024-12-01T09:00:00Z', '2025-01-10T10:00:00Z');
    await markLeft(store.db, ana.id, new Date('2025-01-10T10:00:00Z'));
    const all = await dump(store);
    expect(await anonymiseExpiredPairs(store.db, new Date('2025-07-10T10:00:00Z'), 12)).toEqual({ pairs: 0, people: 0 });
    expect(await dump(store)).toBe(all);
    await expect(anonymiseExpiredPairs(store.db, new Date('2026-07-10T10:00:00Z'), 0)).rejects.toThrow(RangeError);
    await expect(anonymiseExpiredPairs(store.db, new Date('2026-07-10T10:00:00Z'), 1.5)).rejects.toThrow(RangeError);
    expect(await dump(store)).toBe(all);
  });
});

describe('the retention pass, beside the running bot', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('anonymises a pair that ended over the period ago, from a second connection; the bot then sees the result', async () => {
    const pair = await pairUp(h, junior('U0ANA', { department: 'Growth marketing' }), senior('U0BOB', { department: 'Finance' }));
    const { opened, post } = await propose(h, pair, 'U0ANA', { junior_objectives: 'Read a P&L' });
    await h.driver.viewSubmission('U0ANA', opened, levels(1, '2'));
    const sign = await openSign(h, 'U0BOB', post);
    await h.driver.viewSubmission('U0BOB', sign, levels(objectiveCount(sign), '4'));
    await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));
    await command(h, FACILITATOR, 'unpair <@U0ANA|ana> They stopped meeting');
    await command(h, 'U0ANA', 'leave');
    await h.driver.blockAction('U0ANA', { actionId: 'leave_confirm' });
    await ephemeralReply(h, 'You have left Tandem');
    await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()).length).toBe(0));

    const jobs = openStore(h.config.databaseUrl);
    try {
      const later = new Date('2028-04-01T09:00:00Z');
      expect(await anonymiseExpiredPairs(jobs.db, later, 12)).toEqual({ pairs: 1, people: 1 });
      const once = await dump(jobs);
      expect(await anonymiseExpiredPairs(jobs.db, later, 12)).toEqual({ pairs: 0, people: 0 });
      expect(await dump(jobs)).toBe(once);
    } finally {
      await jobs.close();
    }

    expect(await dump(h.store)).not.toContain('U0ANA');
    expect(await dump(h.store)).not.toContain('They stopped meeting');
    expect(String((await command(h, 'U0ANA', 'status')).args.text)).toContain('not enrolled');
    expect(await findParticipantByUser(h.store.db, 'U0BOB')).toMatchObject({ status: 'enrolled', department: 'Finance' });
    expect(await h.store.db.selectFrom('pair').select(['status', 'anonymised_at']).where('id', '=', pair.pairId).executeTakeFirstOrThrow()).toEqual({ status: 'ended', anonymised_at: '2028-04-01T09:00:00.000Z' });
  });
});
