import { nextModal } from './contract-flows.js';
import type { BlockActionOptions } from '../../src/sandbox/driver.js';
import { readable, sendInteraction } from './flows.js';
import { checkinValues } from './followup-flows.js';
import type { ViewValues } from '../../src/sandbox/payloads.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR_CHANNEL, type Harness } from './tandem-harness.js';

/** The escalation posts in the facilitator channel, oldest first. */
export const escalationPosts = (h: Harness): RecordedCall[] =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === FACILITATOR_CHANNEL && c.status !== undefined && readable(c).includes('escalation_details'));

/** Waits for the `count`th escalation post in the facilitator channel. */
export async function escalationPost(h: Harness, count = 1): Promise<RecordedCall> {
  await h.standIn.waitFor('chat.postMessage', () => escalationPosts(h).length >= count);
  return escalationPosts(h)[count - 1] as RecordedCall;
}

/** Waits until the message posted as `post` has been edited to hold `text`; that edit. */
export function editedTo(h: Harness, post: RecordedCall, text: string): Promise<RecordedCall> {
  return h.standIn.waitFor('chat.update', (c) => c.args.ts === post.response?.ts && readable(c).includes(text));
}

/** Every version of a message: its post, then its edits. */
export const versionsOf = (h: Harness, post: RecordedCall): RecordedCall[] => [post, ...h.standIn.callsTo('chat.update').filter((c) => c.args.ts === post.response?.ts && c.status !== undefined)];

/** Presses a button of an escalation message as `userId`; the ephemeral answer it got. */
export async function press(h: Harness, userId: string, post: RecordedCall, actionId: string, extra: Partial<BlockActionOptions> = {}): Promise<string> {
  const before = h.standIn.calls.length;
  const res = await h.driver.blockAction(userId, { actionId, messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL, ...extra });
  if (res.status !== 200) throw new Error(`${actionId} answered ${res.status}`);
  const reply = await h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= before);
  return String(reply.args.text);
}

/**
 * A click on a button the message no longer shows (an older version of it, or a forged request):
 * the payload of its Details button with another action id and value.
 */
export async function pressGone(h: Harness, userId: string, post: RecordedCall, actionId: string, value: string): Promise<string> {
  const payload = h.driver.blockActionPayload(userId, { actionId: 'escalation_details', messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL });
  const [action] = payload.actions as Record<string, unknown>[];
  Object.assign(action as Record<string, unknown>, { action_id: actionId, value });
  const before = h.standIn.calls.length;
  if ((await sendInteraction(h, payload)) !== 200) throw new Error(`${actionId} was refused`);
  const reply = await h.standIn.waitFor('response_url', (c) => h.standIn.calls.indexOf(c) >= before);
  return String(reply.args.text);
}

/** Presses a button that opens a modal; the modal. */
export async function pressForModal(h: Harness, userId: string, post: RecordedCall, actionId: string, callbackId: string): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  const res = await h.driver.blockAction(userId, { actionId, messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL });
  if (res.status !== 200) throw new Error(`${actionId} answered ${res.status}`);
  return nextModal(h, callbackId, before);
}

/** Presses the details button; the modal it opened (it has no callback id). */
export async function openDetails(h: Harness, userId: string, post: RecordedCall): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  await h.driver.blockAction(userId, { actionId: 'escalation_details', messageTs: String(post.response?.ts), channelId: FACILITATOR_CHANNEL });
  await h.standIn.waitFor('views.open', () => h.standIn.callsTo('views.open').length > before);
  return h.standIn.callsTo('views.open').at(-1) as RecordedCall;
}

/** Logs a session with `/tandem checkin` as this partner. */
export async function logSession(h: Harness, userId: string, values: ViewValues): Promise<void> {
  const before = h.standIn.callsTo('views.open').length;
  await h.driver.command(userId, 'checkin');
  const modal = await nextModal(h, 'followup_checkin', before);
  const res = await h.driver.viewSubmission(userId, modal, checkinValues(4, values));
  if (res.json?.response_action !== 'update') throw new Error(`check-in refused: ${res.body}`);
}

/** Raises a private concern with `/tandem concern` as this person; the submission's answer. */
export async function raiseConcern(h: Harness, userId: string, text: string): Promise<Record<string, unknown> | undefined> {
  const before = h.standIn.callsTo('views.open').length;
  await h.driver.command(userId, 'concern');
  const modal = await nextModal(h, 'escalation_concern_form', before);
  return (await h.driver.viewSubmission(userId, modal, { concern: text })).json;
}

/** Everything posted to this conversation (a DM, or a pair's group DM). */
export const postsTo = (h: Harness, channel: string): RecordedCall[] => h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.status !== undefined);

