import { describe, expect, it } from 'vitest';
import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';
import { findParticipantByUser } from '../../src/store/participants.js';
import { command, enrol, openJoin, readable } from '../support/flows.js';
import { enrolmentValues } from '../support/flows.js';
import { eventually, pairUp } from '../support/contract-flows.js';
import { seed } from '../support/seed.js';
import { FACILITATOR_CHANNEL, type Harness, useTandem } from '../support/tandem-harness.js';

const ANA = 'U0ANA';
const BOB = 'U0BOB';

function recordingLogger(lines: string[]): Logger {
  const keep = (level: string) => (...parts: unknown[]) => void lines.push(`${level} ${parts.map(String).join(' ')}`);
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error'), setLevel: () => undefined, getLevel: () => LogLevel.ERROR, setName: () => undefined };
}

async function readyz(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function outboxRow(h: Harness, key: string) {
  return h.store.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('key', '=', key).executeTakeFirstOrThrow();
}

/** A message queued the way jobs queue theirs. */
async function queue(h: Harness, key: string, channel: string): Promise<void> {
  await h.tandem.deps.outbox.enqueue(h.store.db, key, { kind: 'post', channel, message: { text: `message ${key}` } });
}

describe('Slack uninstalling the app or revoking its token', () => {
  let h: Harness;
  const logged: string[] = [];
  useTandem((harness) => {
    h = harness;
    logged.length = 0;
  }, { logger: recordingLogger(logged) });

  it('app_uninstalled: stops sending, keeps what is queued, and /readyz says why', async () => {
    expect((await readyz(h)).status).toBe(200);
    await h.driver.event({ type: 'app_uninstalled', event_ts: '1.1' });
    await eventually(async () => expect(h.tandem.deps.outbox.suspended()).toBe('app_uninstalled'));
    await queue(h, 'after-uninstall', ANA);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
    expect((await outboxRow(h, 'after-uninstall')).status).toBe('pending');
    const ready = await readyz(h);
    expect(ready.status).toBe(503);
    expect(ready.body.causes).toEqual(['slack']);
    expect(ready.body.slack).toBe('app_uninstalled');
    expect(String(ready.body.fix)).toContain('reinstall the app');
    // Said once, as a warning: Slack's own, signed, notice is not a fault of the bot.
    expect(logged.filter((l) => l.startsWith('warn') && l.includes('uninstalled'))).toHaveLength(1);
  });

  it('tokens_revoked for the bot token does the same; user tokens alone change nothing', async () => {
    await h.driver.event({ type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'] }, event_ts: '1.1' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.tandem.deps.outbox.suspended()).toBeUndefined();
    await h.driver.event({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '1.2' });
    await eventually(async () => expect(h.tandem.deps.outbox.suspended()).toBe('tokens_revoked'));
    expect((await readyz(h)).body.slack).toBe('tokens_revoked');
  });

  it('a forged app_uninstalled or tokens_revoked (no valid signature) changes nothing', async () => {
    for (const signature of ['wrong', 'missing'] as const) {
      const a = await h.driver.event({ type: 'app_uninstalled', event_ts: '2.1' }, { signature });
      const b = await h.driver.event({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '2.2' }, { signature });
      expect(a.status).toBe(401);
      expect(b.status).toBe(401);
    }
    const stale = await h.driver.event({ type: 'app_uninstalled', event_ts: '2.3' }, { timestampOffsetSeconds: -600 });
    expect(stale.status).toBe(401);
    expect(h.tandem.deps.outbox.suspended()).toBeUndefined();
    expect((await readyz(h)).status).toBe(200);
    await queue(h, 'still-sent', ANA);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.text === 'message still-sent');
  });

  it('an error that waiting does not heal stops delivery for a day, keeps the messages and is reported once', async () => {
    h.standIn.fail('chat.postMessage', { kind: 'error', error: 'token_revoked' });
    await queue(h, 'first', ANA);
    await queue(h, 'second', BOB);
    await eventually(async () => expect(h.tandem.deps.outbox.suspended()).toBe('token_revoked'));
    await new Promise((r) => setTimeout(r, 150));
    // One try, then nothing more: the other message is not tried, neither is given up.
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await outboxRow(h, 'first')).toMatchObject({ status: 'pending', attempts: 0, last_error: 'token_revoked' });
    expect((await outboxRow(h, 'second')).status).toBe('pending');
    expect(logged.filter((l) => l.startsWith('error'))).toHaveLength(1);
    expect(logged.find((l) => l.startsWith('error'))).toContain('npx tandem doctor');
    expect((await readyz(h)).body.slack).toBe('token_revoked');
  });

  it('the facilitators’ channel not found holds back its messages only, reported once', async () => {
    h.standIn.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    await queue(h, 'to-facilitators', FACILITATOR_CHANNEL);
    await h.standIn.waitFor('chat.postMessage');
    await queue(h, 'to-facilitators-2', FACILITATOR_CHANNEL);
    await queue(h, 'to-ana', ANA);
    await h.standIn.waitFor('chat.postMessage', (c) => c.args.text === 'message to-ana');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL)).toHaveLength(1);
    expect(await outboxRow(h, 'to-facilitators')).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await outboxRow(h, 'to-facilitators-2')).status).toBe('pending');
    expect(logged.filter((l) => l.startsWith('error'))).toHaveLength(1);
    // Not a reason to take the instance out of service: the pairs' messages still go.
    expect((await readyz(h)).status).toBe(200);
  });
});

describe('user_change', () => {
  let h: Harness;
  useTandem((harness) => (h = harness));

  const userChange = (user: Record<string, unknown>, eventTs: string) => h.driver.event({ type: 'user_change', user, event_ts: eventTs });

  it('a deactivated person leaves the pool; their pair ends kindly and the partner is told', async () => {
    const pair = await pairUp(h, { userId: ANA }, { userId: BOB });
    h.standIn.setUser(BOB, { deleted: true });
    await userChange(h.standIn.workspace.userInfo(BOB, true), '3.1');
    const partnerNotice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === ANA && readable(c).includes('no longer in this Slack workspace'));
    expect(readable(partnerNotice)).toContain(`<@${BOB}>`);
    const notice = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes('deactivated in Slack'));
    expect(readable(notice)).toContain(`<@${ANA}> has been told`);
    expect((await findParticipantByUser(h.store.db, BOB))?.status).toBe('left');
    expect((await findParticipantByUser(h.store.db, BOB))?.leftAt).not.toBeNull();
    expect((await findParticipantByUser(h.store.db, ANA))?.status).toBe('enrolled');
    const ended = await h.store.db.selectFrom('pair').select('status').where('id', '=', pair.pairId).executeTakeFirstOrThrow();
    expect(ended.status).toBe('ended');
    // Slack sends such events more than once: nothing happens twice.
    await userChange(h.standIn.workspace.userInfo(BOB, true), '3.2');
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === ANA && readable(c).includes('no longer in this Slack workspace'))).toHaveLength(1);
  });

  it('follows a new time zone and language; a person Tandem does not know is ignored', async () => {
    await seed(h, { userId: ANA, timeZone: 'Europe/Paris', locale: 'en' });
    await userChange({ id: ANA, tz: 'America/New_York', locale: 'fr-FR' }, '4.1');
    await eventually(async () => expect(await findParticipantByUser(h.store.db, ANA)).toMatchObject({ timeZone: 'America/New_York', locale: 'fr' }));
    const before = await h.store.db.selectFrom('participant').selectAll().execute();
    const res = await userChange({ id: 'U0STRANGER', deleted: true, tz: 'Asia/Tokyo' }, '4.2');
    expect(res.status).toBe(200);
    await userChange({ id: 'not an id', deleted: true }, '4.3');
    await new Promise((r) => setTimeout(r, 100));
    expect(await h.store.db.selectFrom('participant').selectAll().execute()).toEqual(before);
    expect(h.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a changed time zone or language is also picked up at the person’s next request', async () => {
    await seed(h, { userId: ANA, timeZone: 'Europe/Paris', locale: 'en' });
    h.standIn.setUser(ANA, { tz: 'Asia/Tokyo', locale: 'fr-FR' });
    const reply = await command(h, ANA, 'status');
    expect(readable(reply)).toContain('inscrit');
    await eventually(async () => expect(await findParticipantByUser(h.store.db, ANA)).toMatchObject({ timeZone: 'Asia/Tokyo', locale: 'fr' }));
  });
});

describe('guests', () => {
  let h: Harness;
  useTandem((harness) => (h = harness));
  const GUEST = 'U0GUEST';

  it('may not enrol unless the programme allows guests', async () => {
    h.standIn.setUser(GUEST, { restricted: true, ultraRestricted: true });
    const refused = await command(h, GUEST, 'join');
    expect(readable(refused)).toContain('Guests cannot join this programme');
    expect(h.standIn.callsTo('views.open')).toHaveLength(0);
    // A form opened before (or replayed) is refused too, next to its first field.
    h.standIn.setUser(ANA, {});
    const modal = await openJoin(h, ANA);
    const res = await h.driver.viewSubmission(GUEST, modal, enrolmentValues());
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { role: expect.stringContaining('Guests cannot join') } });
    expect(await findParticipantByUser(h.store.db, GUEST)).toBeUndefined();
    await h.store.db.updateTable('programme').set({ allow_guests: 1 }).execute();
    await enrol(h, GUEST);
    expect((await findParticipantByUser(h.store.db, GUEST))?.status).toBe('enrolled');
  });
});
