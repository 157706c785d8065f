import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findParticipantByUser } from '../../src/store/participants.js';
import { command, enrol, enrolmentValues, openJoin, readable } from '../support/flows.js';
import { FACILITATOR_CHANNEL, type Harness, startTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';

describe('/tandem join', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startTandem();
    h.standIn.setUser(ANA, { locale: 'en-US', tz: 'Europe/Paris', name: 'ana' });
  });
  afterEach(async () => {
    h.standIn.assertNoViolations();
    await h.close();
  });

  it('opens the enrolment modal with every field of the spec', async () => {
    const opened = await openJoin(h, ANA);
    const view = opened.args.view as { blocks: { block_id?: string }[]; title: { text: string } };
    const blockIds = view.blocks.map((b) => b.block_id).filter(Boolean);
    expect(blockIds).toEqual(['role', 'shares', 'shares_other', 'learns', 'learns_other', 'department', 'manager', 'languages', 'format', 'cadence', 'motivation', 'consent']);
    expect(JSON.stringify(view)).toContain('"value":"junior"');
    expect(JSON.stringify(view)).toContain('"value":"senior"');
    expect(view.title.text).toBe('Join Tandem');
  });

  it('enrols the person, welcomes them and tells the facilitators', async () => {
    await enrol(h, ANA);
    const saved = await findParticipantByUser(h.store.db, ANA);
    expect(saved).toMatchObject({
      role: 'junior',
      status: 'enrolled',
      shares: ['generative_ai', 'social_media', 'TikTok'],
      learns: ['negotiation'],
      department: 'Marketing',
      languages: ['en', 'fr'],
      format: 'video',
      cadence: 'biweekly',
      timeZone: 'Europe/Paris',
      locale: 'en',
    });
    const welcome = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === ANA);
    expect(readable(welcome)).toContain('Welcome to Tandem');
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL);
    expect(String(notice.args.text)).toContain(`<@${ANA}> enrolled as a junior (Marketing)`);
  });

  it('pre-fills the modal when run again, and saving edits the same profile', async () => {
    await enrol(h, ANA, { manager: 'U0BOSS' });
    const again = await openJoin(h, ANA);
    const view = JSON.stringify(again.args.view);
    expect(view).toContain('"title":{"type":"plain_text","text":"Your Tandem profile"');
    expect(view).toContain('"initial_value":"Marketing"');
    expect(view).toContain('"initial_value":"TikTok"');
    expect(view).toContain('"initial_user":"U0BOSS"');
    const res = await h.driver.viewSubmission(ANA, again, { department: 'Sales' });
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBeUndefined();
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === ANA && String(c.args.text).includes('saved'));
    const rows = await h.store.db.selectFrom('participant').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.department).toBe('Sales');
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL)).toHaveLength(1);
  });

  it('shows each problem next to its field and saves nothing', async () => {
    const opened = await openJoin(h, ANA);
    const res = await h.driver.viewSubmission(
      ANA,
      opened,
      enrolmentValues({ role: null, shares: [], shares_other: '', learns_other: 'x'.repeat(41), department: ' ', manager: ANA, languages: [], motivation: '', consent: [] }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: {
        role: 'Choose junior or senior.',
        shares: 'Choose or write at least one skill you can share.',
        learns_other: 'Shorten “' + 'x'.repeat(41) + '” to at most 40 characters (it has 41).',
        department: 'Write your department.',
        manager: 'Choose your manager, not yourself, or leave this empty.',
        languages: 'Choose at least one language.',
        motivation: 'Write a sentence about why you want to take part.',
        consent: 'Tick the box: Tandem needs your consent to keep your profile.',
      },
    });
    expect(await findParticipantByUser(h.store.db, ANA)).toBeUndefined();
  });

  it('refuses a tampered submission whose choices are not in the lists', async () => {
    const opened = await openJoin(h, ANA);
    const payload = h.driver.viewSubmissionPayload(ANA, opened, enrolmentValues());
    const view = payload.view as { state: { values: Record<string, Record<string, Record<string, unknown>>> } };
    view.state.values.role = { role: { type: 'radio_buttons', selected_option: { value: 'admin' } } };
    view.state.values.languages = { languages: { type: 'multi_static_select', selected_options: [{ value: 'klingon' }] } };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { role: expect.any(String), languages: expect.any(String) } });
    expect(await findParticipantByUser(h.store.db, ANA)).toBeUndefined();
  });

  it('treats a malformed state as empty fields, never as a crash', async () => {
    const opened = await openJoin(h, ANA);
    const payload = h.driver.viewSubmissionPayload(ANA, opened, enrolmentValues());
    (payload.view as { state: unknown }).state = { values: { role: 'not an object' } };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: 'errors' });
    expect(await findParticipantByUser(h.store.db, ANA)).toBeUndefined();
  });

  it('makes what people type inert in messages: no @channel, no disguised link', async () => {
    await enrol(h, ANA, { department: '<!channel> <https://evil.example|Verify your account>', shares_other: '<@U0BOSS> & co' });
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL);
    expect(String(notice.args.text)).toContain('(&lt;!channel&gt; &lt;https://evil.example|Verify your account&gt;)');
    expect(String(notice.args.text)).not.toContain('<!channel>');
    const status = readable(await command(h, ANA, 'status'));
    expect(status).toContain('&lt;@U0BOSS&gt; &amp; co');
    expect(status).not.toContain('<@U0BOSS>');
  });

  it('speaks French to a French-speaking person', async () => {
    h.standIn.setUser('U0LEA', { locale: 'fr-FR', tz: 'Europe/Paris', name: 'léa' });
    const opened = await openJoin(h, 'U0LEA');
    expect((opened.args.view as { title: { text: string } }).title.text).toBe('Rejoindre Tandem');
    const res = await h.driver.viewSubmission('U0LEA', opened, enrolmentValues({ department: '' }));
    expect(res.json).toMatchObject({ errors: { department: 'Indiquez votre service.' } });
  });

  it('tells the person when Slack is too busy to open the modal', async () => {
    h.standIn.fail('views.open', { kind: 'server_error' }, 5);
    const reply = await command(h, ANA, 'join');
    expect(String(reply.args.text)).toContain('could not open');
  });
});
