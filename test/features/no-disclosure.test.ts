import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { nextModal } from '../support/contract-flows.js';
import { command, enrol, openJoin, readable } from '../support/flows.js';
import { activePair, openFrom, passAt, surveyValues, waitForPosts } from '../support/followup-flows.js';
import { junior, seed, senior } from '../support/seed.js';
import { FACILITATOR, type Harness, useTandem } from '../support/tandem-harness.js';

const dmsTo = (h: Harness, userId: string): RecordedCall[] => h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === userId && c.status !== undefined);

describe('the "no partner this time" message', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('never tells someone that their manager, or their report, has enrolled', async () => {
    // The only senior waiting is the junior's own manager; the only junior, the senior's report.
    await seed(h, junior('U0J1', { managerUserId: 'U0BOSS' }), senior('U0BOSS', { locale: 'fr' }));
    expect(String((await command(h, FACILITATOR, 'match')).args.text)).toContain('no pair could be proposed');
    const [toJunior] = await Promise.all([
      h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0J1'),
      h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0BOSS'),
    ]);
    const junior_ = readable(toJunior);
    expect(junior_).toContain('Nobody waiting right now fits the programme’s rules for you. You stay enrolled');
    expect(junior_).not.toMatch(/manager|report|\(1/);
    const boss = readable(dmsTo(h, 'U0BOSS')[0] as RecordedCall);
    expect(boss).toContain('Parmi les personnes en attente, aucune ne peut vous être associée selon les règles du programme. Vous restez inscrit');
    expect(boss).not.toMatch(/manager|collaborateur|\(1/);
  });

  it('still says what rules out people when it names nobody: languages and departments', async () => {
    await seed(h, junior('U0J1', { languages: ['fr'] }), senior('U0S1', { languages: ['en'] }));
    await command(h, FACILITATOR, 'match');
    const dm = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0J1');
    expect(readable(dm)).toContain('1 person speaks none of your languages');
  });
});

describe('editing one’s profile', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('keeps the date consent was given and sends no second welcome', async () => {
    h.standIn.setUser('U0ANA', { locale: 'en-US', tz: 'Europe/Paris', name: 'ana' });
    await enrol(h, 'U0ANA');
    const enrolled = await h.store.db.selectFrom('participant').select(['consent_at', 'created_at']).executeTakeFirstOrThrow();
    h.clock.now = new Date('2027-04-15T10:00:00Z');
    const again = await openJoin(h, 'U0ANA');
    expect((await h.driver.viewSubmission('U0ANA', again, { department: 'Sales' })).json?.response_action).toBeUndefined();
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === 'U0ANA' && readable(c).includes('profile is saved'));
    const edited = await h.store.db.selectFrom('participant').select(['consent_at', 'department', 'updated_at']).executeTakeFirstOrThrow();
    expect(edited).toMatchObject({ department: 'Sales', consent_at: enrolled.consent_at, updated_at: '2027-04-15T10:00:00.000Z' });
    expect(dmsTo(h, 'U0ANA').filter((c) => readable(c).includes('Welcome to Tandem'))).toHaveLength(1);
    // Leaving and coming back is a new consent.
    await command(h, 'U0ANA', 'leave');
    await h.driver.blockAction('U0ANA', { actionId: 'leave_confirm' });
    await h.standIn.waitFor('response_url', (c) => String(c.args.text).includes('left'));
    h.clock.now = new Date('2027-05-03T10:00:00Z');
    await enrol(h, 'U0ANA');
    expect((await h.store.db.selectFrom('participant').select('consent_at').executeTakeFirstOrThrow()).consent_at).toBe('2027-05-03T10:00:00.000Z');
  });

  it('after a completed programme, reads as joining again (consent asked anew), not as an edit', async () => {
    await seed(h, junior('U0ANA', { locale: 'fr' }));
    await h.store.db.updateTable('participant').set({ status: 'completed' }).execute();
    const view = (await openJoin(h, 'U0ANA')).args.view as { title: { text: string }; blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    expect(view.title.text).toBe('Rejoindre Tandem');
    expect(view.blocks.find((b) => b.block_id === 'consent')?.element?.initial_options).toBeUndefined();
    expect(JSON.stringify(view)).toContain('"initial_value":"Dept U0ANA"');
  });
});

describe('the closing survey’s reminder', () => {
  let h: Harness;
  useTandem((started) => (h = started));

  it('reaches the partner who has not answered, on their own, once', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' }, { junior: junior('U0J1'), senior: senior('U0S1', { locale: 'fr' }) });
    await passAt(h, '2027-03-15T09:00:00Z');
    await passAt(h, '2027-03-26T09:00:00Z');
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    const modal = await openFrom(h, pair.junior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    expect((await h.driver.viewSubmission(pair.junior, modal, surveyValues(2))).json?.response_action).toBe('update');
    // Not before the prompt's reminder is due (two working days later).
    expect((await passAt(h, '2027-03-29T12:00:00Z')).followup.reminders).toBe(0);
    expect((await passAt(h, '2027-03-31T12:00:00Z')).followup.reminders).toBe(1);
    const dm = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.senior && readable(c).includes('followup_survey'));
    expect(readable(dm)).toContain(`<@${pair.junior}> a répondu au bilan final de votre binôme Tandem, et le vôtre reste ouvert jusqu’au 9 avril 2027`);
    expect(dmsTo(h, pair.junior).filter((c) => readable(c).includes('followup_survey'))).toEqual([]);
    // No reminder in the pair's conversation, and none again.
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm && readable(c).includes('followup_survey'))).toHaveLength(1);
    expect((await passAt(h, '2027-04-01T12:00:00Z')).followup.reminders).toBe(0);
    await passAt(h, '2027-03-31T12:00:00Z');
    await new Promise((r) => setTimeout(r, 100));
    expect(dmsTo(h, pair.senior).filter((c) => readable(c).includes('followup_survey'))).toHaveLength(1);
    // Its button opens the survey, which completes the pair.
    const before = h.standIn.callsTo('views.open').length;
    await h.driver.blockAction(pair.senior, { actionId: 'followup_survey', messageTs: String(dm.response?.ts), channelId: String(dm.response?.channel) });
    const own = await nextModal(h, 'followup_survey_form', before);
    expect((await h.driver.viewSubmission(pair.senior, own, surveyValues(2))).json?.response_action).toBe('update');
    expect((await h.store.db.selectFrom('pair').select('status').executeTakeFirstOrThrow()).status).toBe('completed');
  });

  it('is in English for an English speaker', async () => {
    const pair = await activePair(h, { end_date: '2027-03-26' });
    await passAt(h, '2027-03-15T09:00:00Z');
    await passAt(h, '2027-03-26T09:00:00Z');
    const [survey] = await waitForPosts(h, pair, 'followup_survey');
    const modal = await openFrom(h, pair.senior, survey as RecordedCall, 'followup_survey', 'followup_survey_form');
    expect((await h.driver.viewSubmission(pair.senior, modal, surveyValues(2))).json?.response_action).toBe('update');
    expect((await passAt(h, '2027-03-31T12:00:00Z')).followup.reminders).toBe(1);
    const dm = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.junior && readable(c).includes('followup_survey'));
    expect(readable(dm)).toContain(`<@${pair.senior}> has answered the closing survey of your Tandem pair, and yours is still open until 9 April 2027`);
  });
});
