/**
 * Drives the app over HTTP exactly as Slack does: signed requests to /slack/events carrying slash
 * commands, interactions and events. Clicks and submissions are resolved against what the app
 * actually rendered in the stand-in (messages it posted, views it opened), so a test can only press
 * buttons a user could see, and gets the block_id/state Slack would report.
 */
import { isRecord } from './block-kit-limits.js';
import { newTriggerId, type StoredMessage } from './fake-workspace.js';
import {
  buildAction,
  buildBlockActionPayload,
  buildCommandPayload,
  buildEventEnvelope,
  buildUrlVerification,
  buildViewClosedPayload,
  buildViewState,
  buildViewSubmissionPayload,
  DEFAULT_IDENTITY,
  findElement,
  interactiveElements,
  slackSignature,
  type FieldValue,
  type Identity,
  type LocatedElement,
  type SlackUserRef,
  type ViewValues,
} from './payloads.js';
import type { RecordedCall, SlackStandIn } from './slack-stand-in.js';

export * from './payloads.js';

type Json = Record<string, unknown>;

export interface SlackDriverOptions {
  /** Where the app listens, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  signingSecret: string;
  standIn: SlackStandIn;
  teamId?: string;
  /** Bolt's default endpoint. */
  path?: string;
}

export interface SendOptions {
  /** 'wrong' signs with another secret, 'missing' leaves the signature header out. */
  signature?: 'valid' | 'wrong' | 'missing';
  /** Shifts X-Slack-Request-Timestamp; Bolt refuses requests older than 5 minutes. */
  timestampOffsetSeconds?: number;
  /** Sets X-Slack-Retry-Num / X-Slack-Retry-Reason like Slack's redeliveries. */
  retryNum?: number;
  retryReason?: string;
}

export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed, when it is a JSON object (e.g. a view_submission ack). */
  json: Record<string, unknown> | undefined;
  headers: Headers;
}

export interface CommandOptions extends SendOptions {
  /** Defaults to the DM between the user and the bot. */
  channelId?: string;
  channelName?: string;
  command?: string;
}

export interface CommandResponse extends DriverResponse {
  responseUrl: string;
}

/** A view the app opened: the RecordedCall of views.open/push/update/publish, or the `view` it answered. */
export type ViewSource = RecordedCall | Record<string, unknown>;

export interface BlockActionOptions extends SendOptions {
  actionId: string;
  /** Button value override, or the selection for a select/checkbox/datepicker… (as in viewSubmission). */
  value?: FieldValue;
  blockId?: string;
  /** Forces the selected option, e.g. for an external_select. */
  selectedOption?: { text: string; value: string };
  /** Hand-made container; skips looking the element up in what the app rendered. */
  container?: Record<string, unknown>;
  channelId?: string;
  messageTs?: string;
  view?: ViewSource;
  /** Input state of the view at click time. */
  values?: ViewValues;
}

export class SlackDriver {
  private readonly identity: Identity;
  private readonly url: string;

  constructor(private readonly options: SlackDriverOptions) {
    this.identity = { ...DEFAULT_IDENTITY, ...(options.teamId ? { teamId: options.teamId } : {}) };
    this.url = `${options.baseUrl.replace(/\/$/, '')}${options.path ?? '/slack/events'}`;
  }

  private get standIn(): SlackStandIn {
    return this.options.standIn;
  }

  commandPayload(userId: string, text: string, opts: CommandOptions = {}): Record<string, string> {
    const channelId = opts.channelId ?? this.standIn.workspace.openDm(userId).id;
    return buildCommandPayload({
      identity: this.identity,
      user: this.user(userId),
      command: opts.command ?? '/tandem',
      text,
      channelId,
      channelName: opts.channelName ?? this.standIn.workspace.channelName(channelId),
      responseUrl: this.standIn.responseUrl({ channelId, userId }),
      triggerId: newTriggerId(),
    });
  }

  command(userId: string, text: string, opts: CommandOptions = {}): Promise<CommandResponse> {
    return this.sendCommand(this.commandPayload(userId, text, opts), opts);
  }

  /** Posts a slash command payload built by commandPayload(); an ack with a message is shown like Slack does. */
  async sendCommand(payload: Record<string, string>, opts: SendOptions = {}): Promise<CommandResponse> {
    const response = await this.post(new URLSearchParams(payload).toString(), 'application/x-www-form-urlencoded', opts);
    const responseUrl = payload.response_url ?? '';
    // An ack with a message body is shown by Slack like a response_url post.
    if (response.status === 200 && response.json && ('text' in response.json || 'blocks' in response.json)) {
      this.standIn.recordCommandAck(responseUrl, response.json);
    }
    return { ...response, responseUrl };
  }

  /**
   * The block_actions payload for a click by `userId`. Without messageTs/view/container it clicks
   * the newest message (then view) the app rendered that holds `actionId`.
   */
  blockActionPayload(userId: string, opts: BlockActionOptions): Json {
    const user = this.user(userId);
    if (opts.container) return this.handMadeAction(user, opts, opts.container);
    if (opts.view) return this.viewAction(user, opts, this.resolveView(opts.view));
    if (opts.messageTs) return this.messageAction(user, opts, this.messageByTs(opts.messageTs, opts.channelId));
    const message = this.newestMessageWith(user.id, opts);
    if (message) return this.messageAction(user, opts, message);
    const view = this.standIn.workspace.viewsNewestFirst().find((v) => findElement(v.blocks, opts.actionId, opts.blockId));
    if (view) return this.viewAction(user, opts, view);
    throw new Error(`Nothing the app rendered has action_id "${opts.actionId}". Rendered: ${this.renderedActionIds()}`);
  }

  blockAction(userId: string, opts: BlockActionOptions): Promise<DriverResponse> {
    return this.postInteraction(this.blockActionPayload(userId, opts), opts);
  }

  viewSubmissionPayload(userId: string, view: ViewSource, values: ViewValues = {}): Json {
    const stored = this.resolveView(view);
    return buildViewSubmissionPayload({
      identity: this.identity,
      user: this.user(userId),
      triggerId: newTriggerId(),
      view: stored,
      state: buildViewState(stored, values),
    });
  }

  /** Submits the modal; the ack is checked (and applied) by the stand-in like Slack would. */
  viewSubmission(userId: string, view: ViewSource, values: ViewValues = {}, opts: SendOptions = {}): Promise<DriverResponse> {
    return this.sendViewSubmission(this.viewSubmissionPayload(userId, view, values), opts);
  }

  /** Posts a payload built by viewSubmissionPayload(); the stand-in checks and applies the ack. */
  async sendViewSubmission(payload: Json, opts: SendOptions = {}): Promise<DriverResponse> {
    const response = await this.postInteraction(payload, opts);
    if (response.status === 200) {
      this.standIn.handleViewSubmissionAck(response.json ?? (response.body === '' ? undefined : response.body), payload.view);
    }
    return response;
  }

  viewClosedPayload(userId: string, view: ViewSource, isCleared = false): Json {
    return buildViewClosedPayload({ identity: this.identity, user: this.user(userId), view: this.resolveView(view), isCleared });
  }

  viewClosed(userId: string, view: ViewSource, opts: SendOptions & { isCleared?: boolean } = {}): Promise<DriverResponse> {
    return this.postInteraction(this.viewClosedPayload(userId, view, opts.isCleared), opts);
  }

  eventEnvelope(event: Record<string, unknown>, eventId?: string): Json {
    return buildEventEnvelope({ identity: this.identity, event, ...(eventId ? { eventId } : {}) });
  }

  event(event: Record<string, unknown>, opts: SendOptions & { eventId?: string } = {}): Promise<DriverResponse> {
    return this.post(JSON.stringify(this.eventEnvelope(event, opts.eventId)), 'application/json', opts);
  }

  urlVerification(challenge: string, opts: SendOptions = {}): Promise<DriverResponse> {
    return this.post(JSON.stringify(buildUrlVerification(this.identity, challenge)), 'application/json', opts);
  }

  /** Posts `body` with exactly these headers (no signing) for hand-made requests. */
  async raw(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    const res = await fetch(this.url, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: text, json: parseObject(text), headers: res.headers };
  }

  /** The signing headers for `body`, e.g. to build a raw() request. */
  signedHeaders(body: string, opts: SendOptions = {}): Record<string, string> {
    const timestamp = Math.floor(Date.now() / 1000) + (opts.timestampOffsetSeconds ?? 0);
    const headers: Record<string, string> = {
      'X-Slack-Request-Timestamp': String(timestamp),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    const mode = opts.signature ?? 'valid';
    if (mode !== 'missing') {
      const secret = mode === 'valid' ? this.options.signingSecret : `${this.options.signingSecret}-wrong`;
      headers['X-Slack-Signature'] = slackSignature(secret, timestamp, body);
    }
    if (opts.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = opts.retryReason;
    return headers;
  }

  private post(body: string, contentType: string, opts: SendOptions): Promise<DriverResponse> {
    return this.raw(body, { 'Content-Type': contentType, ...this.signedHeaders(body, opts) });
  }

  /** Interactions arrive form-encoded with the JSON in a single `payload` field. */
  postInteraction(payload: Json, opts: SendOptions): Promise<DriverResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', opts);
  }

  private user(userId: string): SlackUserRef {
    return { id: userId, name: this.standIn.workspace.userName(userId) };
  }

  private messageAction(user: SlackUserRef, opts: BlockActionOptions, stored: StoredMessage): Json {
    const located = this.locate(stored.message.blocks, opts, `message ${stored.ts} in ${stored.channel}`);
    return buildBlockActionPayload({
      identity: this.identity,
      user,
      triggerId: newTriggerId(),
      action: this.action(located, opts),
      container: { type: 'message', message_ts: stored.ts, channel_id: stored.channel, is_ephemeral: stored.ephemeral },
      channel: { id: stored.channel, name: this.standIn.workspace.channelName(stored.channel) },
      // Slack leaves the message out of clicks on ephemeral messages: apps cannot fetch those.
      ...(stored.ephemeral ? {} : { message: stored.message }),
      responseUrl: this.standIn.responseUrl({ channelId: stored.channel, messageTs: stored.ts, userId: user.id }),
    });
  }

  private viewAction(user: SlackUserRef, opts: BlockActionOptions, view: Json): Json {
    const located = this.locate(view.blocks, opts, `view ${String(view.id)}`);
    return buildBlockActionPayload({
      identity: this.identity,
      user,
      triggerId: newTriggerId(),
      action: this.action(located, opts),
      container: { type: 'view', view_id: view.id },
      view: { ...view, state: buildViewState(view, opts.values) },
    });
  }

  private handMadeAction(user: SlackUserRef, opts: BlockActionOptions, container: Json): Json {
    const element = { type: 'button', action_id: opts.actionId, text: { type: 'plain_text', text: opts.actionId } };
    const channelId = opts.channelId ?? (typeof container.channel_id === 'string' ? container.channel_id : undefined);
    return buildBlockActionPayload({
      identity: this.identity,
      user,
      triggerId: newTriggerId(),
      action: this.action({ blockId: opts.blockId ?? 'stand_in_block', element }, opts),
      container,
      ...(channelId ? { channel: { id: channelId, name: this.standIn.workspace.channelName(channelId) } } : {}),
      ...(container.type === 'message' && channelId ? { responseUrl: this.standIn.responseUrl({ channelId, userId: user.id }) } : {}),
    });
  }

  private action(located: LocatedElement, opts: BlockActionOptions): Json {
    const action = buildAction(located, opts.selectedOption ? undefined : opts.value);
    if (opts.selectedOption) {
      action.selected_option = { text: { type: 'plain_text', text: opts.selectedOption.text, emoji: true }, value: opts.selectedOption.value };
    }
    return action;
  }

  private locate(blocks: unknown, opts: BlockActionOptions, where: string): LocatedElement {
    const located = findElement(blocks, opts.actionId, opts.blockId);
    if (located) return located;
    const ids = interactiveElements(blocks).map((e) => `${e.blockId}/${String(e.element.action_id)}`).join(', ');
    throw new Error(`No element with action_id "${opts.actionId}" in ${where}; it has: ${ids || 'no interactive elements'}`);
  }

  private messageByTs(ts: string, channelId: string | undefined): StoredMessage {
    const found = this.standIn.workspace.messagesNewestFirst().find((m) => m.ts === ts && (channelId === undefined || m.channel === channelId));
    if (!found) throw new Error(`The app posted no message with ts ${ts}${channelId ? ` in ${channelId}` : ''}`);
    return found;
  }

  private newestMessageWith(userId: string, opts: BlockActionOptions): StoredMessage | undefined {
    return this.standIn.workspace.messagesNewestFirst().find(
      (m) =>
        (opts.channelId === undefined || m.channel === opts.channelId) &&
        (!m.ephemeral || m.visibleTo === undefined || m.visibleTo === userId) &&
        findElement(m.message.blocks, opts.actionId, opts.blockId) !== undefined,
    );
  }

  private renderedActionIds(): string {
    const messages = this.standIn.workspace.messagesNewestFirst().map((m) => m.message.blocks);
    const views = this.standIn.workspace.viewsNewestFirst().map((v) => v.blocks);
    const ids = [...messages, ...views].flatMap((blocks) => interactiveElements(blocks).map((e) => String(e.element.action_id)));
    return ids.length > 0 ? [...new Set(ids)].join(', ') : 'no interactive elements';
  }

  /** The latest version of the view (after any views.update), found by the id the stand-in gave it. */
  private resolveView(source: ViewSource): Json {
    const view = isRecordedCall(source) ? source.response?.view : source;
    if (!isRecord(view) || typeof view.id !== 'string') {
      throw new Error('Pass the RecordedCall of views.open/push/update/publish, or the view it answered (call.response.view): the view needs its id');
    }
    return this.standIn.workspace.view(view.id) ?? view;
  }
}

function isRecordedCall(source: ViewSource): source is RecordedCall {
  return typeof source.method === 'string' && 'args' in source && typeof source.at === 'number';
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
