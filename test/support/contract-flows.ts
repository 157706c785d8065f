import { dmChannelId } from '../../src/sandbox/fake-workspace.js';
import { command, readable } from './flows.js';
import type { ViewValues } from '../../src/sandbox/payloads.js';
import { type PersonSpec, seed } from './seed.js';
import type { RecordedCall } from '../../src/sandbox/slack-stand-in.js';
import { FACILITATOR, FACILITATOR_CHANNEL, type Harness } from './tandem-harness.js';

export interface PairedUp {
  pairId: number;
  junior: string;
  senior: string;
  /** The pair's group DM, where the introduction and the contract are posted. */
  groupDm: string;
}

/** Two people enrolled, proposed, approved and both accepting, through the real buttons. */
export async function pairUp(h: Harness, junior: PersonSpec, senior: PersonSpec): Promise<PairedUp> {
  await seed(h, { role: 'junior', ...junior }, { role: 'senior', ...senior });
  const reply = await command(h, FACILITATOR, `pair <@${junior.userId}|j> <@${senior.userId}|s>`);
  if (!String(reply.args.text).includes('Proposal posted')) throw new Error(`pair refused: ${String(reply.args.text)}`);
  const proposal = await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === FACILITATOR_CHANNEL && readable(c).includes(`<@${junior.userId}>`));
  await h.driver.blockAction(FACILITATOR, { actionId: 'proposal_approve', messageTs: String(proposal.response?.ts) });
  const groupDm = dmChannelId([junior.userId, senior.userId]);
  await h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === groupDm && readable(c).includes('introduction_accept'));
  await h.driver.blockAction(junior.userId, { actionId: 'introduction_accept', channelId: groupDm });
  await h.driver.blockAction(senior.userId, { actionId: 'introduction_accept', channelId: groupDm });
  await h.standIn.waitFor('chat.update', (c) => c.args.channel === groupDm && readable(c).includes('contract_open'));
  const pair = await h.store.db.selectFrom('pair').select('id').where('status', '=', 'accepted').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { pairId: pair.id, junior: junior.userId, senior: senior.userId, groupDm };
}

const callbackOf = (call: RecordedCall) => (call.args.view as { callback_id?: string } | undefined)?.callback_id;

/** Waits for the next modal with this callback id that the app opens after `before` views.open calls. */
export async function nextModal(h: Harness, callbackId: string, before: number): Promise<RecordedCall> {
  const opened = () => h.standIn.callsTo('views.open').slice(before).filter((c) => c.status !== undefined && callbackOf(c) === callbackId);
  await h.standIn.waitFor('views.open', () => opened().length > 0);
  return opened()[0] as RecordedCall;
}

/** `/tandem contract` by this person; the modal it opens. */
export async function openContract(h: Harness, userId: string): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  const res = await h.driver.command(userId, 'contract');
  if (res.status !== 200) throw new Error(`/tandem contract answered ${res.status}`);
  return nextModal(h, 'contract', before);
}

/** What a pair fills in the contract modal, by action id; the other fields keep what the modal shows. */
export function contractValues(overrides: ViewValues = {}): ViewValues {
  return {
    senior_objectives: 'Use Slack channels well\nAutomate a spreadsheet',
    junior_objectives: 'Read a P&L\nPrepare a negotiation',
    means: 'Hands-on practice on real work, and one client meeting shadowed each month',
    ground_rules: ['agreed'],
    // Early sessions (the modal offers the first working day): a check-in due that morning comes
    // after the session it asks about, on the same dates as before sessions had a time.
    session_time: '08:00',
    ...overrides,
  };
}

/** A starting level for each of `count` objectives. */
export function levels(count: number, level = '3'): ViewValues {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`level_${i}`, level]));
}

/** Waits until the version is posted in the group DM; returns the post. */
export function contractPosted(h: Harness, pair: PairedUp, version: number): Promise<RecordedCall> {
  return h.standIn.waitFor('chat.postMessage', (c) => c.args.channel === pair.groupDm && readable(c).includes(`· version ${version}"`));
}

export interface Proposed {
  /** The contract modal, which the submission turned into the proposer's rating step. */
  opened: RecordedCall;
  /** That rating step, as the app answered it. */
  rating: { callback_id: string; blocks: { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown> }[] };
  post: RecordedCall;
}

/** One partner writes version N: opens the modal, submits it, and waits for the post. */
export async function propose(h: Harness, pair: PairedUp, userId: string, overrides: ViewValues = {}): Promise<Proposed> {
  const versions = await h.store.db.selectFrom('contract').select('id').where('pair_id', '=', pair.pairId).execute();
  const opened = await openContract(h, userId);
  const res = await h.driver.viewSubmission(userId, opened, contractValues(overrides));
  if (res.json?.response_action !== 'update') throw new Error(`the contract was refused: ${res.body}`);
  return { opened, rating: res.json.view as Proposed['rating'], post: await contractPosted(h, pair, versions.length + 1) };
}

/** Presses Sign on this post; the signing modal it opens. */
export async function openSign(h: Harness, userId: string, post: RecordedCall): Promise<RecordedCall> {
  const before = h.standIn.callsTo('views.open').length;
  await h.driver.blockAction(userId, { actionId: 'contract_sign', messageTs: String(post.response?.ts), channelId: String(post.response?.channel) });
  return nextModal(h, 'contract_sign', before);
}

/** Proposed by the junior, signed by the senior: the contract in force, with its two calendar files sent. */
export async function contractInForce(h: Harness, pair: PairedUp, overrides: ViewValues = {}): Promise<RecordedCall> {
  const { post } = await propose(h, pair, pair.junior, overrides);
  const sign = await openSign(h, pair.senior, post);
  const res = await h.driver.viewSubmission(pair.senior, sign, levels(objectiveCount(sign)));
  if (res.json?.response_action !== 'update') throw new Error(`the signature was refused: ${res.body}`);
  return post;
}

/** How many level inputs a levels modal has. */
export function objectiveCount(modal: RecordedCall): number {
  const blocks = (modal.args.view as { blocks: { block_id?: string }[] }).blocks;
  return blocks.filter((b) => b.block_id?.startsWith('level_')).length;
}

export const ephemeralTo = (h: Harness, text: string) => h.standIn.waitFor('response_url', (c) => String(c.args.text).includes(text));

/** Polls until `check` stops throwing: for what the app records just after a Slack call returns. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
