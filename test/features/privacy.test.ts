import { describe, expect, it } from 'vitest';
import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import { eventually, levels, objectiveCount, openSign, type PairedUp, pairUp, propose } from '../support/contract-flows.js';
import { asUser, command, enrol, ephemeralReply, readable, sendInteraction } from '../support/flows.js';
import { junior, seed, senior } from '../support/seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';
import { findParticipantByUser } from '../../src/store/participants.js';
import { dumpTables } from '../support/test-database.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';
const CONFIRM = 'privacy_forget_confirm';
const CANCEL = 'privacy_forget_cancel';
const SECRET_REASON = 'Bob told me in confidence that he is burning out';

/** Every table of the database, as JSON: to look for a person's traces, or to see that nothing changed. */
const everything = (h: Harness, tables?: readonly string[]): Promise<string> => dumpTables(h.store.db, tables);

/** The records a refused or cancelled click must leave exactly as they were. */
const RECORDS = ['participant', 'pair', 'contract', 'contract_signature', 'contract_calendar', 'audit_log'] as const;
const records = (h: Harness) => everything(h, RECORDS);

async function counts(h: Harness) {
  const by = async (table: 'pair' | 'participant' | 'contract') =>
    Object.fromEntries((await h.store.db.selectFrom(table).select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute()).map((r) => [r.status, Number(r.n)]));
  const signatures = await h.store.db.selectFrom('contract_signature').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { pairs: await by('pair'), people: await by('participant'), contracts: await by('contract'), signatures: Number(signatures.n) };
}

/** Ana (junior) and Bob (senior), paired, with a contract in force: Ana rated 2s, Bob 5s; both calendar files sent. */
async function activePair(h: Harness): Promise<PairedUp> {
  const pair = await pairUp(h, junior(ANA, { department: 'Growth marketing', motivation: 'I love spreadsheets and people' }), senior(BOB, { department: 'Finance' }));
  const { opened, post } = await propose(h, pair, ANA, { junior_objectives: 'Read a P&L\nPrepare a negotiation', notes: 'Ana prefers mornings' });
  await h.driver.viewSubmission(ANA, opened, levels(2, '2'));
  const sign = await openSign(h, BOB, post);
  const signed = await h.driver.viewSubmission(BOB, sign, levels(objectiveCount(sign), '5'));
  if (signed.json?.response_action !== 'update') throw new Error(`the signature was refused: ${signed.body}`);
  await eventually(async () => expect((await h.store.db.selectFrom('contract_calendar').select('status').execute()).map((c) => c.status)).toEqual(['sent', 'sent']));
  return pair;
}

/** The file the export uploaded last, parsed. */
async function exportedFile(h: Harness, before: number): Promise<Record<string, unknown>> {
  const upload = await h.standIn.waitFor('file_upload', () => h.standIn.callsTo('file_upload').length > before);
  const last = h.standIn.callsTo('file_upload').at(-1) as RecordedCall;
  expect(upload.status).toBe(200);
  return JSON.parse(String(last.args.content)) as Record<string, unknown>;
}

const participantRow = (h: Harness, id: number) => h.store.db.selectFrom('participant').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('people’s control of their own data', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  describe('/tandem export', () => {
    it('sends the person, by DM, a JSON file of their own records, without anyone else’s private notes', async () => {
      const pair = await activePair(h);
      const ended = await command(h, FACILITATOR, `unpair <@${ANA}|ana> ${SECRET_REASON}`);
      expect(String(ended.args.text)).toContain('has ended');
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === ANA && readable(c).includes('Your Tandem pair has ended'));

      const uploads = h.standIn.callsTo('file_upload').length;
      const reply = await command(h, ANA, 'export');
      expect(String(reply.args.text)).toContain('Preparing your export');
      await ephemeralReply(h, 'Your export is in your direct messages');
      const file = await exportedFile(h, uploads);

      // Shared in Ana's own DM with the app, under a message that says what it is.
      const shared = await h.standIn.waitFor('files.completeUploadExternal');
      expect(shared.args.channel_id).toBe(dmChannelId(ANA));
      expect(readable(await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === ANA && readable(c).includes('every record Tandem holds about you')))).toContain('/tandem export');

      expect(file).toMatchObject({ format: 'tandem-personal-data/1', exportedAt: '2027-03-01T09:00:00.000Z' });
      expect(file.profile).toMatchObject({ slackUserId: ANA, role: 'junior', department: 'Growth marketing', motivation: 'I love spreadsheets and people', status: 'enrolled' });
      const pairs = file.pairs as Record<string, unknown>[];
      expect(pairs).toHaveLength(1);
      expect(pairs[0]).toMatchObject({ pairId: pair.pairId, myRole: 'junior', partnerSlackUserId: BOB, status: 'ended', myAnswer: 'accepted', endedBy: FACILITATOR, endReason: null, endReasonWithheld: true });
      const contracts = file.contracts as { versions: Record<string, unknown>[]; calendarFiles: unknown[] };
      expect(contracts.versions).toHaveLength(1);
      expect(contracts.versions[0]).toMatchObject({
        version: 1,
        status: 'in_force',
        juniorObjectives: ['Read a P&L', 'Prepare a negotiation'],
        notes: 'Ana prefers mornings',
        proposedByMe: true,
        mySignature: { startLevels: [2, 2] },
        partnerSigned: true,
      });
      expect(contracts.calendarFiles).toEqual([expect.objectContaining({ status: 'sent' })]);
      const audit = file.audit as { action: string; by: string; details: Record<string, unknown>; detailsWithheld?: boolean }[];
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pair.approved', 'introduction.accepted', 'contract.proposed', 'contract.signed', 'contract.in_force', 'pair.ended']));
      expect(audit.find((a) => a.action === 'pair.ended')).toMatchObject({ by: FACILITATOR, details: {}, detailsWithheld: true });
      const messages = file.messages as { conversation: string; text: string }[];
      expect(messages.some((m) => m.conversation === 'direct' && m.text.includes('Your Tandem pair has ended'))).toBe(true);
      expect(messages.some((m) => m.conversation === 'group')).toBe(true);

      // Not in it: the facilitator's reason, Bob's own profile and Bob's starting levels.
      const text = JSON.stringify(file);
      expect(text).not.toContain('burning out');
      expect(text).not.toContain('Finance');
      expect(text).not.toContain('[5,5');
      expect(await h.store.db.selectFrom('audit_log').select('actor_user_id').where('action', '=', 'participant.exported').execute()).toEqual([{ actor_user_id: ANA }]);
    });

    it('tells the person clearly when Slack refuses the file, and a second try sends it', async () => {
      await seed(h, junior(ANA));
      for (const [method, failure] of [
        ['files.getUploadURLExternal', { kind: 'error', error: 'internal_error' }],
        ['file_upload', { kind: 'error', error: 'upload_failed' }],
        ['files.completeUploadExternal', { kind: 'error', error: 'internal_error' }],
      ] as const) {
        h.standIn.fail(method, failure, 2);
        await command(h, ANA, 'export');
        await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('Slack did not accept the file just now') && h.standIn.callsTo(method).length >= 1);
        // The bytes go first: when Slack refuses them, no message announces a file that never comes.
        const announced = h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ANA);
        expect(announced).toHaveLength(method === 'files.completeUploadExternal' ? 1 : 0);
        h.standIn.reset();
      }
      expect(await h.store.db.selectFrom('audit_log').select('action').where('action', '=', 'participant.exported').execute()).toEqual([]);

      await command(h, ANA, 'export');
      await ephemeralReply(h, 'Your export is in your direct messages');
      expect(JSON.parse(String(h.standIn.callsTo('file_upload').at(-1)?.args.content)).profile).toMatchObject({ slackUserId: ANA });
    });

    it('says there is nothing to export for someone Tandem holds no profile for', async () => {
      expect(String((await command(h, ANA, 'export')).args.text)).toContain('holds no profile for you');
      expect(h.standIn.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    });
  });

  describe('/tandem forget', () => {
    it('asks first, then erases the person’s data, records it anonymously, and lets them join again afresh', async () => {
      await enrol(h, ANA, { department: 'Growth marketing', motivation: 'I love spreadsheets' });
      const before = (await findParticipantByUser(h.store.db, ANA))?.id ?? 0;
      const ask = await command(h, ANA, 'forget');
      expect(readable(ask)).toContain('Erase your personal data from Tandem?');
      expect(readable(ask)).not.toContain('You are in a pair');
      expect((await participantRow(h, before)).forgotten_at).toBeNull();

      await h.driver.blockAction(ANA, { actionId: CONFIRM });
      const done = await ephemeralReply(h, 'Your personal data has been erased');
      expect(done.args.replace_original).toBe(true);
      // The Home tab Slack shows is replaced at once by one that holds nothing of them.
      const cleared = await h.standIn.waitFor('views.publish', (c) => c.args.user_id === ANA && JSON.stringify(c.args.view).includes('open_enrolment'));
      expect(JSON.stringify(cleared.args.view)).not.toContain('Growth marketing');

      const row = await participantRow(h, before);
      expect(row).toMatchObject({ status: 'left', shares: '[]', learns: '[]', department: '', motivation: '', manager_user_id: null, languages: '[]', time_zone: 'UTC', locale: '' });
      expect(row.slack_user_id).toMatch(/^anon-[0-9a-f]{12}$/);
      expect(row.display_name).toBe(row.slack_user_id);
      expect(row.forgotten_at).toBe('2027-03-01T09:00:00.000Z');
      // The erasure is recorded under the anonymous id alone.
      const erasure = await h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'participant.forgotten').executeTakeFirstOrThrow();
      expect(erasure).toMatchObject({ actor_user_id: row.slack_user_id, subject: `participant:${before}` });
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('asked for their personal data to be erased'));
      await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('status').where('status', '=', 'pending').execute()).length).toBe(0));
      for (const trace of [ANA, 'u0ana', 'Growth marketing', 'spreadsheets']) expect(await everything(h)).not.toContain(trace);

      // Slack's id no longer matches anyone: not enrolled, and a new enrolment is a new participant.
      expect(String((await command(h, ANA, 'status')).args.text)).toContain('not enrolled');
      expect(String((await command(h, ANA, 'forget')).args.text)).toContain('holds no profile for you');
      await enrol(h, ANA);
      const again = await findParticipantByUser(h.store.db, ANA);
      expect(again?.id).not.toBe(before);
      expect(again?.status).toBe('enrolled');
    });

    it('cancels without changing anything', async () => {
      await enrol(h, ANA);
      await command(h, ANA, 'forget');
      const snapshot = await records(h);
      await h.driver.blockAction(ANA, { actionId: CANCEL });
      await ephemeralReply(h, 'Nothing was erased');
      expect(await records(h)).toBe(snapshot);
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
    });

    it('pressed twice erases once: the second press says it is already done, and nothing changes', async () => {
      await enrol(h, ANA);
      await command(h, ANA, 'forget');
      const click = h.driver.blockActionPayload(ANA, { actionId: CONFIRM });
      expect(await Promise.all([sendInteraction(h, click), sendInteraction(h, click)])).toEqual([200, 200]);
      await ephemeralReply(h, 'Your personal data has been erased');
      await ephemeralReply(h, 'had already been erased');
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('erased'));

      const snapshot = await records(h);
      expect(await sendInteraction(h, click)).toBe(200);
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('had already been erased') && h.standIn.callsTo('response_url').filter((r) => String(r.args.text).includes('already')).length >= 2);
      expect(await records(h)).toBe(snapshot);
      expect(await h.store.db.selectFrom('audit_log').select('action').where('action', '=', 'participant.forgotten').execute()).toHaveLength(1);
      expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('erased'))).toHaveLength(1);
    });

    it('refuses another person’s click and tampered values, changing nothing', async () => {
      await enrol(h, ANA);
      await enrol(h, BOB, { role: 'senior' });
      const bob = (await findParticipantByUser(h.store.db, BOB))?.id ?? 0;
      await command(h, ANA, 'forget');
      const snapshot = await records(h);

      await sendInteraction(h, asUser(h.driver.blockActionPayload(ANA, { actionId: CONFIRM }), BOB));
      await sendInteraction(h, asUser(h.driver.blockActionPayload(ANA, { actionId: CANCEL }), BOB));
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('belongs to someone else'));

      for (const value of ['not json', '{"participantId":"1 or 1=1","userId":"U0ANA"}', '{"participantId":1,"userId":"U0ANA","extra":true}', 'x'.repeat(3000)]) {
        await h.driver.blockAction(ANA, { actionId: CONFIRM, value });
      }
      await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('could not be read'));
      // Well-formed, but pointing at Bob's row, or at no row: refused as not Ana's.
      for (const value of [JSON.stringify({ participantId: bob, userId: ANA }), JSON.stringify({ participantId: 999, userId: ANA }), JSON.stringify({ participantId: bob, userId: BOB })]) {
        await h.driver.blockAction(ANA, { actionId: CONFIRM, value });
      }
      await eventually(async () => expect(h.standIn.callsTo('response_url').filter((c) => String(c.args.text).includes('belongs to someone else')).length).toBe(5));
      expect(await records(h)).toBe(snapshot);
      expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
      expect((await findParticipantByUser(h.store.db, BOB))?.status).toBe('enrolled');
    });

    it('ends an active pair first, kindly and without the name; the partner keeps their side and the counts hold', async () => {
      const pair = await activePair(h);
      const ana = (await findParticipantByUser(h.store.db, ANA))?.id ?? 0;
      const bobBefore = await findParticipantByUser(h.store.db, BOB);
      const contractBefore = await h.store.db.selectFrom('contract').selectAll().executeTakeFirstOrThrow();
      const countsBefore = await counts(h);
      const signaturesBefore = await h.store.db.selectFrom('contract_signature').selectAll().orderBy('id').execute();

      const ask = await command(h, ANA, 'forget');
      expect(readable(ask)).toContain('You are in a pair');
      await h.driver.blockAction(ANA, { actionId: CONFIRM });
      await ephemeralReply(h, 'Your personal data has been erased');

      // Bob is told in his DM, kindly and without Ana's name; the facilitators, naming Bob only.
      const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === BOB && readable(c).includes('Your partner has left Tandem'));
      expect(readable(notice)).not.toContain(ANA);
      const facilitators = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('asked for their personal data to be erased'));
      expect(readable(facilitators)).toContain(`their pair with <@${BOB}> has ended`);
      expect(readable(facilitators)).not.toContain(ANA);

      const pairRow = await h.store.db.selectFrom('pair').selectAll().where('id', '=', pair.pairId).executeTakeFirstOrThrow();
      expect(pairRow).toMatchObject({ status: 'ended', end_reason: 'A partner left the programme and asked for their data to be erased', reasons: '[]' });
      expect(pairRow.ended_by).toMatch(/^anon-/);
      // The same counts as a leave: the pair ended, Bob back in the pool, Ana gone; contracts and signatures untouched.
      expect(await counts(h)).toEqual({
        ...countsBefore,
        pairs: { ended: 1 },
        people: { enrolled: 1, left: 1 },
      });
      expect(countsBefore.pairs).toEqual({ active: 1 });
      expect(await h.store.db.selectFrom('contract_signature').selectAll().orderBy('id').execute()).toEqual(signaturesBefore);

      // Bob's side stays: his profile, his objectives; Ana's words go, her list keeps its length.
      expect(await findParticipantByUser(h.store.db, BOB)).toMatchObject({ ...bobBefore, status: 'enrolled', updatedAt: expect.any(String) });
      const contract = await h.store.db.selectFrom('contract').selectAll().executeTakeFirstOrThrow();
      expect(contract).toMatchObject({ senior_objectives: contractBefore.senior_objectives, junior_objectives: '["",""]', means: '', notes: null, status: contractBefore.status });
      expect((await participantRow(h, ana)).forgotten_at).not.toBeNull();

      await eventually(async () => expect((await h.store.db.selectFrom('outbox').select('status').where('status', '=', 'pending').execute()).length).toBe(0));
      const db = await everything(h);
      for (const trace of [ANA, 'u0ana', 'Growth marketing', 'Read a P&L', 'Ana prefers mornings']) expect(db).not.toContain(trace);

      // Bob's own export still shows the pair and his side of the contract, with Ana anonymous.
      const uploads = h.standIn.callsTo('file_upload').length;
      await command(h, BOB, 'export');
      const file = await exportedFile(h, uploads);
      expect((file.pairs as Record<string, unknown>[])[0]).toMatchObject({ partnerSlackUserId: pairRow.ended_by, status: 'ended', endReason: pairRow.end_reason });
      const version = (file.contracts as { versions: Record<string, unknown>[] }).versions[0];
      expect(version).toMatchObject({ seniorObjectives: JSON.parse(contractBefore.senior_objectives) as unknown, mySignature: { startLevels: [5, 5] } });
    });

    it('keeps every count when the person had already left after their pair', async () => {
      await activePair(h);
      await command(h, FACILITATOR, `unpair <@${ANA}|ana> Not a good fit`);
      await command(h, ANA, 'leave');
      await h.driver.blockAction(ANA, { actionId: 'leave_confirm' });
      await ephemeralReply(h, 'You have left Tandem');
      const before = await counts(h);

      await command(h, ANA, 'forget');
      await h.driver.blockAction(ANA, { actionId: CONFIRM });
      await ephemeralReply(h, 'Your personal data has been erased');
      expect(await counts(h)).toEqual(before);
      // Nobody is told again about someone who had already left.
      expect(await h.store.db.selectFrom('outbox').select('key').where('key', 'like', 'forgotten:%').execute()).toEqual([]);
    });
  });

  describe('/tandem leave with a pair', () => {
    it('ends an active pair: the partner is told kindly by DM and the facilitators in their channel, both through the outbox', async () => {
      const pair = await activePair(h);
      const bob = (await findParticipantByUser(h.store.db, BOB))?.id ?? 0;
      await command(h, ANA, 'leave');
      await h.driver.blockAction(ANA, { actionId: 'leave_confirm' });
      await ephemeralReply(h, 'You have left Tandem');

      expect(await h.store.db.selectFrom('pair').select(['status', 'end_reason', 'ended_by']).where('id', '=', pair.pairId).executeTakeFirstOrThrow()).toEqual({
        status: 'ended',
        end_reason: `<@${ANA}> left the programme`,
        ended_by: ANA,
      });
      const queued = await h.store.db.selectFrom('outbox').select(['key', 'request']).where('key', 'in', [`pair:${pair.pairId}:ended:${bob}`]).execute();
      expect(queued).toHaveLength(1);
      expect(JSON.parse(queued[0]?.request ?? '{}')).toMatchObject({ kind: 'post', channel: BOB });
      const toFacilitators = await h.store.db.selectFrom('outbox').select('request').where('key', 'like', 'left:%').executeTakeFirstOrThrow();
      expect(JSON.parse(toFacilitators.request)).toMatchObject({ kind: 'post', channel: FACILITATOR_CHANNEL });

      const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === BOB && readable(c).includes('has left Tandem, so your pair has ended'));
      expect(readable(notice)).toContain('Thank you for the time you shared');
      await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes(`<@${ANA}> left the programme (status: paired), so their pair with <@${BOB}> has ended`));
      expect(await findParticipantByUser(h.store.db, BOB)).toMatchObject({ status: 'enrolled' });
    });
  });
});
