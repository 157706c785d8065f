import { runPass, type PassReport } from '../../src/jobs/pass.js';
import { contractInForce, nextModal, pairUp, type PairedUp } from './contract-flows.js';
import { readable } from './flows.js';
import type { ViewValues } from '../../src/sandbox/payloads.js';
import { junior, type PersonSpec, senior } from './seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import type { Harness } from './tandem-harness.js';

/** A pair whose contract is in force (proposed by the junior, signed by the senior), from 1 March 2027, every two weeks. */
export async function activePair(h: Harness, overrides: ViewValues = {}, people: { junior?: PersonSpec; senior?: PersonSpec } = {}): Promise<PairedUp> {
  const pair = await pairUp(h, people.junior ?? junior('U0J1'), people.senior ?? senior('U0S1'));
  await contractInForce(h, pair, overrides);
  return pair;
}

/** One scheduled pass as of `iso`, with the app's clock set there too. */
export async function passAt(h: Harness, iso: string): Promise<PassReport> {
  h.clock.now = new Date(iso);
  return runPass(h.tandem.deps, h.clock.now);
}

/** The posts in the pair's group DM that hold this action id (prompts, reminders, surveys). */
export const postsWith = (h: Harness, pair: PairedUp, actionId: string): RecordedCall[] =>
  h.standIn.callsTo('chat.postMessage').filter((c) => c.args.channel === pair.groupDm && c.status !== undefined && readable(c).includes(actionId));

/** Waits until `count` posts with this action id reached the pair's group DM. */
export async function waitForPosts(h: Harness, pair: PairedUp, actionId: string, count = 1): Promise<RecordedCall[]> {
  await h.standIn.waitFor('chat.postMessage', () => postsWith(h, pair, actionId).length >= count);
  return postsWith(h, pair, actionId);
}

/** Presses a button of a given post; the modal it opens with this callback id, if any. */
export async function pressOn(h: Harness, userId: string, post: RecordedCall, actionId: string): Promise<void> {
  const res = await h.driver.blockAction(userId, { actionId, messageTs: String(post.response?.ts), channelId: String(post.response?.channel) });
  if (res.status !== 200) throw new Error(`${actionId} answered ${res.status}`);
}

export async function openFrom(h: Harness, userId: string, post: RecordedCall, actionId: string, callbackId: string): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  await pressOn(h, userId, post, actionId);
  return nextModal(h, callbackId, before);
}

/** A valid check-in for a contract of `objectives` objectives. */
export function checkinValues(objectives: number, overrides: ViewValues = {}): ViewValues {
  return {
    met_on: '2027-03-12',
    minutes: '60',
    topics: 'How to use the CRM, and how a budget is negotiated',
    ...Object.fromEntries(Array.from({ length: objectives }, (_, i) => [`progress_${i}`, 'started'])),
    rating: '4',
    flow: 'both',
    private_note: '',
    ...overrides,
  };
}

export function surveyValues(objectives: number, overrides: ViewValues = {}): ViewValues {
  return {
    ...Object.fromEntries(Array.from({ length: objectives }, (_, i) => [`reached_${i}`, 'reached'])),
    ...Object.fromEntries(Array.from({ length: objectives }, (_, i) => [`end_level_${i}`, '5'])),
    satisfaction: '5',
    learned: 'How to read a P&L, and that a negotiation starts long before the meeting.',
    may_quote: 'yes',
    ...overrides,
  };
}
