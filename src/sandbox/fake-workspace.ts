/**
 * The state behind the Slack stand-in: one team with its users, conversations, posted messages and
 * open views, and the default answers of the Web API methods the app uses. Kept free of HTTP so the
 * rules (ids, pagination, trigger expiry, view hashes) read like the Slack docs they copy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isRecord } from './block-kit-limits.js';

export const TEAM_ID = 'T0TANDEM';
export const TEAM_DOMAIN = 'tandem-test';
export const APP_ID = 'A0TANDEM';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

type Json = Record<string, unknown>;

export interface UserSpec {
  locale?: string;
  tz?: string;
  name?: string;
  realName?: string;
  isBot?: boolean;
  deleted?: boolean;
  /** A multi-channel guest (`is_restricted`). */
  restricted?: boolean;
  /** A single-channel guest (`is_ultra_restricted`). */
  ultraRestricted?: boolean;
}

export interface ChannelSpec {
  name?: string;
  isPrivate?: boolean;
}

export interface Channel {
  id: string;
  name: string;
  kind: 'channel' | 'im' | 'mpim';
  isPrivate: boolean;
  members: string[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  message: Json;
  /** Ephemeral messages are only seen by `visibleTo` and cannot be fetched or updated via the API. */
  ephemeral: boolean;
  visibleTo?: string;
}

/** Where a response_url points: the conversation, and the message it may replace. */
export interface ResponseContext {
  channelId?: string;
  messageTs?: string;
  userId?: string;
}

/** A Web API error answered as `{ ok: false, error }`. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

const DEFAULT_USER: Required<Omit<UserSpec, 'name' | 'realName'>> = {
  locale: 'en-US',
  tz: 'Europe/Paris',
  isBot: false,
  deleted: false,
  restricted: false,
  ultraRestricted: false,
};

/** Slack lets a trigger_id be exchanged for a view only within 3 seconds. */
const TRIGGER_TTL_MS = 3000;
/** Slack accepts up to 5 posts to one response_url. */
const RESPONSE_URL_USES = 5;
const TS_BASE_MICROS = 1_700_000_000_000_100;

/**
 * A trigger id that carries its issue time, so the stand-in can expire it without a registry
 * shared with the driver (Slack's look alike: "12345.98765.abcdef").
 */
export function newTriggerId(now = Date.now()): string {
  return `${now}.${Math.floor(Math.random() * 1e9)}.${randomBytes(8).toString('hex')}`;
}

/** Deterministic conversation id for a DM (`D…`, one user) or group DM (`G…`) so tests can predict it. */
export function dmChannelId(userIds: string | readonly string[]): string {
  const users = [...new Set(typeof userIds === 'string' ? [userIds] : userIds)].filter((u) => u !== BOT_USER_ID).sort();
  const digest = createHash('sha256').update(users.join(',')).digest('hex').slice(0, 10).toUpperCase();
  return `${users.length > 1 ? 'G' : 'D'}${digest}`;
}

function randomId(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** Slack fills in a random block_id / action_id when the app leaves them out. */
function generatedId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(args: Json, key: string): string {
  const value = str(args[key]);
  if (value === undefined) throw new SlackApiError('invalid_arguments');
  return value;
}

function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/** Copies blocks, filling missing block_id/action_id the way Slack does before storing them. */
function withGeneratedIds(blocks: unknown): unknown[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.map((block) => {
    if (!isRecord(block)) return block;
    const copy = deepClone(block);
    copy.block_id ??= generatedId();
    const elements = [
      ...(Array.isArray(copy.elements) && copy.type === 'actions' ? copy.elements : []),
      copy.accessory,
      copy.element,
    ];
    for (const el of elements) {
      if (isRecord(el) && el.type !== 'image') el.action_id ??= generatedId();
    }
    return copy;
  });
}

/** Offset of `tz` from UTC right now, in seconds, as `users.info` reports it in `tz_offset`. */
function tzOffsetSeconds(tz: string, at: Date): number {
  const name = timeZoneName(tz, at, 'longOffset');
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function timeZoneName(tz: string, at: Date, style: 'long' | 'longOffset'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new SlackApiError('invalid_cursor');
  return Number(match[1]);
}

export class FakeWorkspace {
  private readonly users = new Map<string, UserSpec>();
  private readonly channels = new Map<string, Channel>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly views = new Map<string, Json>();
  private readonly homeViewIds = new Map<string, string>();
  /** The trigger each modal was opened with: whoever the trigger was given to owns the modal. */
  private readonly viewTriggers = new Map<string, string>();
  private readonly usedTriggers = new Set<string>();
  private readonly responseUrlUses = new Map<string, number>();
  private tsCounter = 0;
  triggerTtlMs = TRIGGER_TTL_MS;

  setUser(id: string, spec: UserSpec): void {
    this.users.set(id, { ...this.users.get(id), ...spec });
  }

  setChannelMembers(channelId: string, userIds: readonly string[], spec: ChannelSpec = {}): void {
    const existing = this.channels.get(channelId);
    this.channels.set(channelId, {
      id: channelId,
      name: spec.name ?? existing?.name ?? `channel-${channelId.toLowerCase()}`,
      kind: existing?.kind ?? 'channel',
      isPrivate: spec.isPrivate ?? existing?.isPrivate ?? channelId.startsWith('G'),
      members: [...userIds],
    });
  }

  /** Registers (idempotently) the DM between the bot and `userId`, returning its id. */
  openDm(userIds: string | readonly string[]): { id: string; alreadyOpen: boolean } {
    const users = typeof userIds === 'string' ? [userIds] : [...userIds];
    const id = dmChannelId(users);
    const alreadyOpen = this.channels.has(id);
    if (!alreadyOpen) {
      const kind = users.length > 1 ? 'mpim' : 'im';
      this.channels.set(id, { id, name: kind === 'im' ? 'directmessage' : `mpdm-${users.join('--')}`, kind, isPrivate: true, members: [...users, BOT_USER_ID] });
    }
    return { id, alreadyOpen };
  }

  channelName(channelId: string): string {
    return this.channels.get(channelId)?.name ?? (channelId.startsWith('D') ? 'directmessage' : `channel-${channelId.toLowerCase()}`);
  }

  userName(userId: string): string {
    return this.users.get(userId)?.name ?? userId.toLowerCase();
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** Messages posted so far, newest first, so the driver can click on the latest rendering. */
  messagesNewestFirst(): StoredMessage[] {
    return [...this.messages.values()].reverse();
  }

  view(id: string): Json | undefined {
    return this.views.get(id);
  }

  /** The trigger_id a modal was opened or pushed with (none for views pushed by a submission ack). */
  viewTrigger(id: string): string | undefined {
    return this.viewTriggers.get(id);
  }

  /** Every conversation `userId` is a member of, in the order they were made. */
  conversationsOf(userId: string): Channel[] {
    return [...this.channels.values()].filter((c) => c.members.includes(userId)).map((c) => ({ ...c, members: [...c.members] }));
  }

  conversation(id: string): Channel | undefined {
    const found = this.channels.get(id);
    return found ? { ...found, members: [...found.members] } : undefined;
  }

  user(id: string): UserSpec | undefined {
    return this.users.get(id);
  }

  /** A conversation's messages, oldest first. */
  messagesIn(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** A file shared in a conversation shows as a message from the bot, as in Slack. */
  shareFiles(channel: string, files: Json[], comment: string | undefined): void {
    const ts = this.nextTs();
    this.storeMessage({ channel, ts, ephemeral: false, message: { type: 'message', subtype: 'file_share', text: comment ?? '', user: BOT_USER_ID, bot_id: BOT_ID, ts, files } });
  }

  /** The Home tab last published for `userId`. */
  homeView(userId: string): Json | undefined {
    const id = this.homeViewIds.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  viewsNewestFirst(): Json[] {
    return [...this.views.values()].reverse();
  }

  /** Forgets what the app posted and opened; with `all`, also users and channels. */
  reset(all: boolean): void {
    this.messages.clear();
    this.views.clear();
    this.homeViewIds.clear();
    this.viewTriggers.clear();
    this.usedTriggers.clear();
    this.responseUrlUses.clear();
    if (all) {
      this.users.clear();
      this.channels.clear();
    }
  }

  /** Default answer of a Web API method (without `ok`); throws SlackApiError for Slack errors. */
  handle(method: string, args: Json): Json {
    switch (method) {
      case 'auth.test':
        return { url: `https://${TEAM_DOMAIN}.slack.com/`, team: 'Tandem Test', user: 'tandem', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false };
      case 'users.info':
        return { user: this.userInfo(required(args, 'user'), args.include_locale === 'true' || args.include_locale === true) };
      case 'conversations.open':
        return this.conversationsOpen(args);
      case 'conversations.info':
        return { channel: this.conversationInfo(required(args, 'channel')) };
      case 'conversations.members':
        return this.conversationMembers(args);
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'chat.update':
        return this.updateMessage(args);
      case 'chat.delete':
        return this.deleteMessage(args);
      case 'chat.getPermalink':
        return this.permalink(args);
      case 'chat.scheduleMessage':
        return { channel: required(args, 'channel'), scheduled_message_id: randomId('Q'), post_at: args.post_at, message: this.botMessage(args, this.nextTs()) };
      case 'views.open':
      case 'views.push': {
        const trigger = str(args.trigger_id) ?? str(args.interactivity_pointer);
        this.consumeTrigger(trigger);
        const view = this.storeView(args.view, randomId('V'));
        if (trigger) this.viewTriggers.set(String(view.id), trigger);
        return { view };
      }
      case 'views.update':
        return { view: this.updateView(args) };
      case 'views.publish':
        return { view: this.publishHome(args) };
      default:
        return {};
    }
  }

  /** Applies a post to a response_url the way Slack renders it. */
  respond(urlId: string, context: ResponseContext, body: Json): void {
    const uses = (this.responseUrlUses.get(urlId) ?? 0) + 1;
    this.responseUrlUses.set(urlId, uses);
    if (uses > RESPONSE_URL_USES) throw new SlackApiError('used_url');
    const original = context.channelId && context.messageTs ? this.message(context.channelId, context.messageTs) : undefined;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original) this.messages.delete(`${original.channel}/${original.ts}`);
      return;
    }
    if ((body.replace_original === true || body.replace_original === 'true') && original) {
      // Replacing swaps the whole content: blocks the new body leaves out disappear.
      original.message = this.botMessage(body, original.ts);
      return;
    }
    if (context.channelId === undefined) return;
    const ts = this.nextTs();
    const ephemeral = body.response_type !== 'in_channel';
    this.storeMessage({ channel: context.channelId, ts, message: this.botMessage(body, ts), ephemeral, visibleTo: ephemeral ? context.userId : undefined });
  }

  /** Applies a view_submission ack: `update` replaces the submitted view, `push` stacks a new one. */
  applySubmissionAck(ack: Json, submittedViewId: string): void {
    if (ack.response_action === 'update') {
      const current = this.views.get(submittedViewId);
      if (current) this.views.set(submittedViewId, this.renderView(ack.view, submittedViewId, current));
    } else if (ack.response_action === 'push') {
      this.storeView(ack.view, randomId('V'), submittedViewId);
    } else if (ack.response_action === 'clear') {
      this.views.delete(submittedViewId);
    }
  }

  private nextTs(): string {
    const micros = TS_BASE_MICROS + this.tsCounter * 100;
    this.tsCounter += 1;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** The user object Slack puts in `users.info` and in a `user_change` event. */
  userInfo(id: string, includeLocale: boolean): Json {
    const spec = { ...DEFAULT_USER, ...this.users.get(id) };
    const now = new Date();
    const name = spec.name ?? id.toLowerCase();
    const realName = spec.realName ?? name;
    return {
      id,
      team_id: TEAM_ID,
      name,
      deleted: spec.deleted,
      real_name: realName,
      tz: spec.tz,
      tz_label: timeZoneName(spec.tz, now, 'long'),
      tz_offset: tzOffsetSeconds(spec.tz, now),
      is_bot: spec.isBot,
      is_app_user: false,
      is_restricted: spec.restricted,
      is_ultra_restricted: spec.ultraRestricted,
      profile: { real_name: realName, display_name: name, team: TEAM_ID },
      ...(includeLocale ? { locale: spec.locale } : {}),
    };
  }

  private conversationsOpen(args: Json): Json {
    const channel = str(args.channel);
    if (channel !== undefined) {
      if (!this.channels.has(channel)) throw new SlackApiError('channel_not_found');
      return { channel: { id: channel }, no_op: true, already_open: true };
    }
    const users = required(args, 'users').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length > 8) throw new SlackApiError('too_many_users');
    const { id, alreadyOpen } = this.openDm(users);
    return { channel: { id }, ...(alreadyOpen ? { no_op: true, already_open: true } : {}) };
  }

  private conversationInfo(id: string): Json {
    const channel = this.channels.get(id);
    if (!channel) throw new SlackApiError('channel_not_found');
    return {
      id,
      name: channel.name,
      is_channel: channel.kind === 'channel' && !channel.isPrivate,
      is_group: channel.kind === 'channel' && channel.isPrivate,
      is_im: channel.kind === 'im',
      is_mpim: channel.kind === 'mpim',
      is_private: channel.isPrivate,
      is_archived: false,
      is_member: channel.members.includes(BOT_USER_ID),
      ...(channel.kind === 'im' ? { user: channel.members.find((m) => m !== BOT_USER_ID) } : {}),
    };
  }

  private conversationMembers(args: Json): Json {
    const channel = this.channels.get(required(args, 'channel'));
    if (!channel) throw new SlackApiError('channel_not_found');
    const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
    const offset = decodeCursor(str(args.cursor));
    const page = channel.members.slice(offset, offset + limit);
    const next = offset + limit < channel.members.length ? encodeCursor(offset + limit) : '';
    return { members: page, response_metadata: { next_cursor: next } };
  }

  /** chat.* accept a user id as channel and post into the DM with that user. */
  private resolveChannel(args: Json): string {
    const channel = required(args, 'channel');
    if (/^[UW]/.test(channel)) return this.openDm(channel).id;
    const known = this.channels.get(channel);
    if (known && !known.members.includes(BOT_USER_ID)) throw new SlackApiError('not_in_channel');
    return channel;
  }

  private postMessage(args: Json): Json {
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) throw new SlackApiError('no_text');
    const channel = this.resolveChannel(args);
    const ts = this.nextTs();
    const message = this.botMessage(args, ts);
    this.storeMessage({ channel, ts, message, ephemeral: false });
    return { channel, ts, message };
  }

  private postEphemeral(args: Json): Json {
    const user = required(args, 'user');
    const channel = this.resolveChannel(args);
    const ts = this.nextTs();
    this.storeMessage({ channel, ts, message: this.botMessage(args, ts), ephemeral: true, visibleTo: user });
    return { message_ts: ts };
  }

  private updateMessage(args: Json): Json {
    const stored = this.existingMessage(args);
    stored.message = { ...stored.message, ...this.renderedContent(args), edited: { user: BOT_USER_ID, ts: this.nextTs() } };
    return { channel: stored.channel, ts: stored.ts, text: stored.message.text, message: stored.message };
  }

  private deleteMessage(args: Json): Json {
    const stored = this.existingMessage(args);
    this.messages.delete(`${stored.channel}/${stored.ts}`);
    return { channel: stored.channel, ts: stored.ts };
  }

  private permalink(args: Json): Json {
    const channel = required(args, 'channel');
    const ts = required(args, 'message_ts');
    return { channel, permalink: `https://${TEAM_DOMAIN}.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
  }

  private existingMessage(args: Json): StoredMessage {
    const stored = this.message(required(args, 'channel'), required(args, 'ts'));
    if (!stored || stored.ephemeral) throw new SlackApiError('message_not_found');
    return stored;
  }

  private storeMessage(stored: StoredMessage): void {
    this.messages.set(`${stored.channel}/${stored.ts}`, stored);
  }

  private renderedContent(args: Json): Json {
    const content: Json = {};
    if (args.text !== undefined) content.text = args.text;
    if (args.blocks !== undefined) content.blocks = withGeneratedIds(args.blocks);
    if (args.attachments !== undefined) content.attachments = deepClone(args.attachments);
    return content;
  }

  private botMessage(args: Json, ts: string): Json {
    return {
      type: 'message',
      text: args.text ?? '',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      app_id: APP_ID,
      team: TEAM_ID,
      ts,
      ...this.renderedContent(args),
      ...(str(args.thread_ts) ? { thread_ts: args.thread_ts } : {}),
    };
  }

  private consumeTrigger(triggerId: string | undefined): void {
    if (triggerId === undefined) throw new SlackApiError('invalid_arguments');
    const match = /^(\d+)\.\d+\.[0-9a-f]+$/.exec(triggerId);
    if (!match) throw new SlackApiError('invalid_trigger_id');
    if (this.usedTriggers.has(triggerId)) throw new SlackApiError('trigger_exchanged');
    if (Date.now() - Number(match[1]) > this.triggerTtlMs) throw new SlackApiError('expired_trigger_id');
    this.usedTriggers.add(triggerId);
  }

  private storeView(view: unknown, id: string, previousViewId?: string): Json {
    const previous = previousViewId ? this.views.get(previousViewId) : undefined;
    const rendered = this.renderView(view, id, {
      previous_view_id: previousViewId ?? null,
      root_view_id: previous?.root_view_id ?? id,
    });
    this.views.set(id, rendered);
    return rendered;
  }

  /** The view as Slack echoes it back: the app's fields plus ids, hash and an empty state. */
  private renderView(view: unknown, id: string, keep: Json): Json {
    const source = isRecord(view) ? view : {};
    return {
      ...deepClone(source),
      id,
      team_id: TEAM_ID,
      app_id: APP_ID,
      bot_id: BOT_ID,
      app_installed_team_id: TEAM_ID,
      previous_view_id: keep.previous_view_id ?? null,
      root_view_id: keep.root_view_id ?? id,
      blocks: withGeneratedIds(source.blocks),
      private_metadata: source.private_metadata ?? '',
      callback_id: source.callback_id ?? '',
      external_id: source.external_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: source.clear_on_close ?? false,
      notify_on_close: source.notify_on_close ?? false,
    };
  }

  private updateView(args: Json): Json {
    const id = str(args.view_id) ?? this.viewIdByExternalId(str(args.external_id));
    const current = id ? this.views.get(id) : undefined;
    if (!id || !current) throw new SlackApiError('not_found');
    if (str(args.hash) && args.hash !== current.hash) throw new SlackApiError('hash_conflict');
    const rendered = this.renderView(args.view, id, current);
    this.views.set(id, rendered);
    return rendered;
  }

  private viewIdByExternalId(externalId: string | undefined): string | undefined {
    if (externalId === undefined) return undefined;
    return [...this.views.values()].find((v) => v.external_id === externalId)?.id as string | undefined;
  }

  private publishHome(args: Json): Json {
    const userId = required(args, 'user_id');
    const id = this.homeViewIds.get(userId) ?? randomId('V');
    const current = this.views.get(id);
    if (current && str(args.hash) && args.hash !== current.hash) throw new SlackApiError('hash_conflict');
    this.homeViewIds.set(userId, id);
    const rendered = this.renderView(args.view, id, {});
    this.views.set(id, rendered);
    return rendered;
  }
}
