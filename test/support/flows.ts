import type { ViewValues } from '../../src/sandbox/payloads.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import type { Harness } from './tandem-harness.js';

/** What a person fills in the enrolment modal, by action id. */
export function enrolmentValues(overrides: ViewValues = {}): ViewValues {
  return {
    role: 'junior',
    shares: ['generative_ai', 'social_media'],
    shares_other: 'TikTok',
    learns: ['negotiation'],
    learns_other: '',
    department: 'Marketing',
    manager: null,
    languages: ['en', 'fr'],
    format: 'video',
    cadence: 'biweekly',
    motivation: 'I want to understand how the business decides.',
    consent: ['yes'],
    ...overrides,
  };
}

/** Runs `/tandem <text>` and returns what the bot answered: in the ack itself, or later on the response URL. */
export async function command(h: Harness, userId: string, text: string): Promise<RecordedCall> {
  const res = await h.driver.command(userId, text);
  if (res.status !== 200) throw new Error(`/tandem ${text} answered ${res.status}`);
  const mine = (c: RecordedCall) => c.args.url === res.responseUrl;
  return h.standIn.calls.find((c) => c.method === 'command_ack' && mine(c)) ?? h.standIn.waitFor('response_url', mine);
}

/** Waits for an ephemeral reply (in an ack or on a response URL) whose text matches. */
export async function ephemeralReply(h: Harness, text: string): Promise<RecordedCall> {
  const matches = (c: RecordedCall) => (c.method === 'command_ack' || c.method === 'response_url') && String(c.args.text).includes(text);
  const found = h.standIn.calls.find(matches);
  return found ?? h.standIn.waitFor('response_url', matches);
}

/** The text of a recorded message, blocks included, for assertions on what a person reads. */
export function readable(call: RecordedCall): string {
  return JSON.stringify([call.args.text, call.args.blocks ?? []]);
}

/** Opens the enrolment modal with `/tandem join` and returns the recorded views.open call. */
export async function openJoin(h: Harness, userId: string): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  const res = await h.driver.command(userId, 'join');
  if (res.status !== 200) throw new Error(`/tandem join answered ${res.status}`);
  await h.standIn.waitFor('views.open', () => h.standIn.callsTo('views.open').length > before);
  return h.standIn.filledModal(h.standIn.callsTo('views.open').at(-1) as RecordedCall);
}

/** Enrols a person through the real modal. */
export async function enrol(h: Harness, userId: string, overrides: ViewValues = {}): Promise<void> {
  const opened = await openJoin(h, userId);
  const res = await h.driver.viewSubmission(userId, opened, enrolmentValues(overrides));
  if (res.status !== 200 || res.json?.response_action === 'errors') throw new Error(`enrolment refused: ${res.body}`);
  await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === userId);
}

/** Posts a hand-made (or replayed) interaction payload, signed, as Slack would. */
export async function sendInteraction(h: Harness, payload: Record<string, unknown>): Promise<number> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
  return res.status;
}

/** Posts a hand-made (replayed, forged) view submission as built, signed; the app's JSON answer. */
export async function sendView(h: Harness, payload: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await h.driver.raw(body, { ...h.driver.signedHeaders(body), 'Content-Type': 'application/x-www-form-urlencoded' });
  return res.json as Record<string, unknown> | undefined;
}

/** The same click by another person: what a forwarded or forged payload looks like. */
export function asUser(payload: Record<string, unknown>, userId: string): Record<string, unknown> {
  const user = payload.user as Record<string, unknown>;
  return { ...payload, user: { ...user, id: userId, username: userId.toLowerCase(), name: userId.toLowerCase() } };
}
