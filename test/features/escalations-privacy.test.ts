import { describe, expect, it } from 'vitest';
import { escalationData } from '../../src/features/escalations/privacy.js';
import { escalationPost, logSession, pressForModal, raiseConcern } from '../support/escalation-flows.js';
import { activePair } from '../support/followup-flows.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';

describe('the personal data of escalations', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  /** A pair where the junior confided a concern and the senior rated a session low with a private note. */
  async function confidences() {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await raiseConcern(h, pair.junior, 'My partner keeps cancelling.');
    await logSession(h, pair.senior, { met_on: '2027-03-05', rating: '2', private_note: 'I felt talked down to.' });
    const people = await h.store.db.selectFrom('participant').select(['id', 'slack_user_id']).orderBy('id').execute();
    const [junior, senior] = people.map((p) => ({ participantId: p.id, userId: p.slack_user_id }));
    return { pair, junior: junior!, senior: senior! };
  }

  it('exports what the person confided in their words, and never what their partner confided', async () => {
    const { junior, senior } = await confidences();
    const mine = await escalationData.export(h.store.db, junior);
    expect(mine.whatIConfided).toMatchObject([{ escalationId: 1, kind: 'concern', myWords: 'My partner keeps cancelling.' }]);
    expect(mine.escalationsAboutMe).toMatchObject([{ escalationId: 1, status: 'open', reasons: ['concern'] }]);
    const theirs = await escalationData.export(h.store.db, senior);
    expect(JSON.stringify(theirs)).not.toContain('cancelling');
    expect(theirs.escalationsAboutMe[0]?.reasons).toEqual(['low_rating', 'private_note']);
    expect(theirs.whatIConfided.map((r) => r.myWords)).toEqual([null, 'I felt talked down to.']);
  });

  it('does not even show the partner that an escalation exists when it holds only what the other confided', async () => {
    const pair = await activePair(h);
    h.clock.now = new Date('2027-03-05T15:00:00Z');
    await raiseConcern(h, pair.junior, 'My partner keeps cancelling.');
    const senior = await h.store.db.selectFrom('participant').select(['id', 'slack_user_id']).where('slack_user_id', '=', pair.senior).executeTakeFirstOrThrow();
    const theirs = await escalationData.export(h.store.db, { participantId: senior.id, userId: senior.slack_user_id });
    expect(theirs.escalationsAboutMe).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain('2027-03-05');
  });

  it('forgets what the person confided and their Slack id, and keeps the rest for the programme\'s figures', async () => {
    const { junior } = await confidences();
    await h.store.db.transaction().execute((trx) => escalationData.forget(trx, junior, 'anon-1'));
    const reasons = await h.store.db.selectFrom('escalation_reason').selectAll().orderBy('id').execute();
    expect(reasons.map((r) => r.note)).toEqual([null, null, 'I felt talked down to.']);
    expect(reasons.map((r) => r.kind)).toEqual(['concern', 'low_rating', 'private_note']);
    expect(JSON.parse(reasons[0]?.facts ?? '{}')).toMatchObject({ raisedBy: 'anon-1' });
    expect(reasons.some((r) => r.facts.includes(junior.userId))).toBe(false);
    expect((await h.store.db.selectFrom('escalation').select('status').execute()).map((e) => e.status)).toEqual(['open']);
  });

  it('forgets a facilitator who is also a participant wherever they acted on an escalation', async () => {
    await confidences();
    const post = await escalationPost(h);
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    await h.driver.viewSubmission(FACILITATOR, modal, { note: 'Talked to both.' });
    await h.store.db.transaction().execute((trx) => escalationData.forget(trx, { participantId: 999, userId: FACILITATOR }, 'anon-2'));
    expect(await h.store.db.selectFrom('escalation').select(['resolved_by']).execute()).toEqual([{ resolved_by: 'anon-2' }]);
  });

  it('past retention, erases the confidences, the resolution note and the words of the escalation\'s audit entries', async () => {
    const { pair } = await confidences();
    const post = await escalationPost(h);
    const modal = await pressForModal(h, FACILITATOR, post, 'escalation_resolve', 'escalation_resolve_form');
    await h.driver.viewSubmission(FACILITATOR, modal, { note: 'Talked to both.' });
    await h.store.db.transaction().execute((trx) => escalationData.anonymisePair(trx, pair.pairId));
    expect((await h.store.db.selectFrom('escalation_reason').select('note').execute()).map((r) => r.note)).toEqual([null, null, null]);
    expect(await h.store.db.selectFrom('escalation').select(['resolution', 'status']).execute()).toEqual([{ resolution: null, status: 'resolved' }]);
    const entries = await h.store.db.selectFrom('audit_log').select(['action', 'details']).where('subject', '=', 'escalation:1').orderBy('id').execute();
    expect(entries.find((e) => e.action === 'escalation.resolved')?.details).toBe('{}');
    expect(entries.find((e) => e.action === 'escalation.opened')?.details).toBe('{"kinds":["concern"]}');
  });
});
