/**
 * Pure builders of the payloads Slack sends to an app, shared by the HTTP driver and the Socket
 * Mode server so both transports deliver byte-for-byte the same content. Shapes follow Slack's
 * interaction-payload and Events API references (slash command fields, block_actions,
 * view_submission with state.values, event_callback envelopes).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isRecord } from './block-kit-limits.js';
import { APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID } from './fake-workspace.js';

type Json = Record<string, unknown>;

export interface Identity {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  /** The deprecated verification token Slack still puts in every payload. */
  verificationToken: string;
}

export const DEFAULT_IDENTITY: Identity = {
  teamId: TEAM_ID,
  teamDomain: TEAM_DOMAIN,
  appId: APP_ID,
  botUserId: BOT_USER_ID,
  verificationToken: 'stand-in-verification-token',
};

export interface SlackUserRef {
  id: string;
  name: string;
}

/** What a test gives for one element: a value, option value(s), a user/conversation id, or null to clear. */
export type FieldValue = string | string[] | null;
/** Keyed by `action_id`, or `block_id/action_id` when an action_id repeats across blocks. */
export type ViewValues = Record<string, FieldValue>;
export type ViewState = { values: Record<string, Record<string, Json>> };

export interface LocatedElement {
  blockId: string;
  element: Json;
}

/** `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`, as Slack signs requests. */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** Slack's `action_ts`: seconds.microseconds. */
export function actionTs(now = Date.now()): string {
  return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;
}

function userObject(identity: Identity, user: SlackUserRef): Json {
  return { id: user.id, username: user.name, name: user.name, team_id: identity.teamId };
}

function teamObject(identity: Identity): Json {
  return { id: identity.teamId, domain: identity.teamDomain };
}

export interface CommandPayloadInput {
  identity: Identity;
  user: SlackUserRef;
  command: string;
  text: string;
  channelId: string;
  channelName: string;
  responseUrl: string;
  triggerId: string;
}

/** The slash command fields, in Slack's order; HTTP sends them form-encoded, Socket Mode as an object. */
export function buildCommandPayload(input: CommandPayloadInput): Record<string, string> {
  return {
    token: input.identity.verificationToken,
    team_id: input.identity.teamId,
    team_domain: input.identity.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: input.identity.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export interface BlockActionPayloadInput {
  identity: Identity;
  user: SlackUserRef;
  triggerId: string;
  /** One entry of `actions`, usually from buildAction(). */
  action: Json;
  container: Json;
  channel?: { id: string; name: string };
  message?: Json;
  /** The view (with its current state) when the click happened in a modal or Home tab. */
  view?: Json;
  responseUrl?: string;
}

export function buildBlockActionPayload(input: BlockActionPayloadInput): Json {
  return {
    type: 'block_actions',
    user: userObject(input.identity, input.user),
    api_app_id: input.identity.appId,
    token: input.identity.verificationToken,
    container: input.container,
    trigger_id: input.triggerId,
    team: teamObject(input.identity),
    enterprise: null,
    is_enterprise_install: false,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.message ? { message: input.message } : {}),
    // Message clicks carry the message's (empty) input state at top level; view clicks carry it in view.state.
    ...(input.view ? { view: input.view } : { state: { values: {} } }),
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [input.action],
  };
}

export interface ViewSubmissionPayloadInput {
  identity: Identity;
  user: SlackUserRef;
  triggerId: string;
  /** The view as the stand-in stored it (id, hash, callback_id, private_metadata…). */
  view: Json;
  state: ViewState;
}

export function buildViewSubmissionPayload(input: ViewSubmissionPayloadInput): Json {
  return {
    type: 'view_submission',
    team: teamObject(input.identity),
    user: userObject(input.identity, input.user),
    api_app_id: input.identity.appId,
    token: input.identity.verificationToken,
    trigger_id: input.triggerId,
    view: { ...input.view, state: input.state },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface ViewClosedPayloadInput {
  identity: Identity;
  user: SlackUserRef;
  view: Json;
  isCleared?: boolean;
}

export function buildViewClosedPayload(input: ViewClosedPayloadInput): Json {
  return {
    type: 'view_closed',
    team: teamObject(input.identity),
    user: userObject(input.identity, input.user),
    api_app_id: input.identity.appId,
    token: input.identity.verificationToken,
    view: input.view,
    is_cleared: input.isCleared ?? false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface EventEnvelopeInput {
  identity: Identity;
  event: Json;
  eventId?: string;
  /** Unix seconds. */
  eventTime?: number;
}

export function buildEventEnvelope(input: EventEnvelopeInput): Json {
  const { identity } = input;
  const eventTime = input.eventTime ?? Math.floor(Date.now() / 1000);
  return {
    token: identity.verificationToken,
    team_id: identity.teamId,
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    api_app_id: identity.appId,
    event: { event_ts: `${eventTime}.000100`, ...input.event },
    type: 'event_callback',
    event_id: input.eventId ?? newEventId(),
    event_time: eventTime,
    authorizations: [{ enterprise_id: null, team_id: identity.teamId, user_id: identity.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function buildUrlVerification(identity: Identity, challenge: string): Json {
  return { token: identity.verificationToken, challenge, type: 'url_verification' };
}

/** Elements with an action_id: actions elements, section accessories and input elements, in order. */
export function interactiveElements(blocks: unknown): LocatedElement[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.filter(isRecord).flatMap((block) => {
    const blockId = String(block.block_id ?? '');
    const candidates = [...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []), block.accessory, block.element];
    return candidates.filter((el): el is Json => isRecord(el) && typeof el.action_id === 'string').map((element) => ({ blockId, element }));
  });
}

export function findElement(blocks: unknown, actionId: string, blockId?: string): LocatedElement | undefined {
  return interactiveElements(blocks).find((e) => e.element.action_id === actionId && (blockId === undefined || e.blockId === blockId));
}

/** Elements whose value Slack reports in state.values (everything but buttons, overflows, images). */
const STATELESS = new Set(['button', 'overflow', 'workflow_button', 'image']);

/**
 * state.values exactly as Slack would send them for `view`, with `values` applied on top of each
 * element's initial value. Throws on keys matching no element, so typos fail the test.
 */
export function buildViewState(view: Json, values: ViewValues = {}): ViewState {
  const stateful = interactiveElements(view.blocks).filter((e) => !STATELESS.has(String(e.element.type)));
  const unused = new Set(Object.keys(values));
  const state: ViewState = { values: {} };
  for (const { blockId, element } of stateful) {
    const given = givenValue(values, stateful, blockId, String(element.action_id), unused);
    (state.values[blockId] ??= {})[String(element.action_id)] = { type: element.type, ...selection(element, given) };
  }
  if (unused.size > 0) {
    const known = stateful.map((e) => `${e.blockId}/${String(e.element.action_id)}`).join(', ');
    throw new Error(`No element in the view for ${[...unused].join(', ')}; the view has: ${known || 'no stateful elements'}`);
  }
  return state;
}

function givenValue(values: ViewValues, stateful: LocatedElement[], blockId: string, actionId: string, unused: Set<string>): FieldValue | undefined {
  const qualified = `${blockId}/${actionId}`;
  if (qualified in values) {
    unused.delete(qualified);
    return values[qualified];
  }
  if (!(actionId in values)) return undefined;
  if (stateful.filter((e) => e.element.action_id === actionId).length > 1) {
    throw new Error(`action_id "${actionId}" appears in several blocks; key the value as "${qualified}"`);
  }
  unused.delete(actionId);
  return values[actionId];
}

/** One entry of block_actions `actions` for a click on (or a selection in) `element`. */
export function buildAction(located: LocatedElement, given: FieldValue | undefined, ts = actionTs()): Json {
  const { element, blockId } = located;
  const base = { type: element.type, block_id: blockId, action_id: element.action_id, action_ts: ts };
  switch (element.type) {
    case 'button':
    case 'workflow_button': {
      const value = typeof given === 'string' ? given : element.value;
      return { ...base, text: element.text, ...(value !== undefined ? { value } : {}), ...(element.style ? { style: element.style } : {}) };
    }
    case 'overflow':
      return { ...base, selected_option: pickOptions(element, [single(given, element)])[0] };
    default:
      return { ...base, ...selection(element, given) };
  }
}

function single(given: FieldValue | undefined, element: Json): string {
  if (typeof given !== 'string') throw new Error(`${String(element.type)} "${String(element.action_id)}" needs one option value`);
  return given;
}

function asList(given: FieldValue): string[] {
  return given === null ? [] : Array.isArray(given) ? given : [given];
}

function asSingle(given: FieldValue, element: Json): string | null {
  if (Array.isArray(given)) throw new Error(`${String(element.type)} "${String(element.action_id)}" takes one value, not an array`);
  return given;
}

/** The type-specific state fields Slack reports for an element (value, selected_option, …). */
function selection(element: Json, given: FieldValue | undefined): Json {
  const type = String(element.type);
  const pick = <T>(initial: T, fromGiven: (g: FieldValue) => T): T => (given === undefined ? initial : fromGiven(given));
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { value: pick(element.initial_value ?? null, (g) => asSingle(g, element)) };
    case 'rich_text_input':
      return { rich_text_value: pick(element.initial_value ?? null, (g) => richText(asSingle(g, element))) };
    case 'static_select':
    case 'radio_buttons':
      return { selected_option: pick(element.initial_option ?? null, (g) => singleOption(element, asSingle(g, element))) };
    case 'external_select':
      return { selected_option: pick(element.initial_option ?? null, (g) => externalOptions(asList(g))[0] ?? null) };
    case 'multi_static_select':
    case 'checkboxes':
      return { selected_options: pick(element.initial_options ?? [], (g) => pickOptions(element, asList(g))) };
    case 'multi_external_select':
      return { selected_options: pick(element.initial_options ?? [], (g) => externalOptions(asList(g))) };
    case 'users_select':
      return { selected_user: pick(element.initial_user ?? null, (g) => asSingle(g, element)) };
    case 'multi_users_select':
      return { selected_users: pick(element.initial_users ?? [], asList) };
    case 'conversations_select':
      return { selected_conversation: pick(element.initial_conversation ?? null, (g) => asSingle(g, element)) };
    case 'multi_conversations_select':
      return { selected_conversations: pick(element.initial_conversations ?? [], asList) };
    case 'channels_select':
      return { selected_channel: pick(element.initial_channel ?? null, (g) => asSingle(g, element)) };
    case 'multi_channels_select':
      return { selected_channels: pick(element.initial_channels ?? [], asList) };
    case 'datepicker':
      return { selected_date: pick(element.initial_date ?? null, (g) => asSingle(g, element)) };
    case 'timepicker':
      return { selected_time: pick(element.initial_time ?? null, (g) => asSingle(g, element)), ...(element.timezone ? { timezone: element.timezone } : {}) };
    case 'datetimepicker':
      return { selected_date_time: pick(element.initial_date_time ?? null, (g) => (g === null ? null : Number(asSingle(g, element)))) };
    case 'file_input':
      return { files: [] };
    default:
      throw new Error(`The driver does not know how Slack reports state for element type "${type}"`);
  }
}

function singleOption(element: Json, value: string | null): Json | null {
  return value === null ? null : (pickOptions(element, [value])[0] ?? null);
}

function allOptions(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isRecord(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter(isRecord);
}

/** The element's own option objects for `values`; a value the user could not pick is a test bug. */
function pickOptions(element: Json, values: string[]): Json[] {
  const options = allOptions(element);
  return values.map((value) => {
    const option = options.find((o) => o.value === value);
    if (!option) {
      const offered = options.map((o) => JSON.stringify(o.value)).join(', ');
      throw new Error(`"${value}" is not an option of ${String(element.type)} "${String(element.action_id)}" (options: ${offered})`);
    }
    return structuredClone(option);
  });
}

/** External selects load options from the app, so any value is accepted and labelled with itself. */
function externalOptions(values: string[]): Json[] {
  return values.map((value) => ({ text: { type: 'plain_text', text: value, emoji: true }, value }));
}

function richText(text: string | null): Json | null {
  if (text === null) return null;
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] };
}
