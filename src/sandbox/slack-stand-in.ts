/**
 * A loopback stand-in for Slack's Web API. The app's real WebClient talks to it over HTTP
 * (`slackApiUrl: standIn.apiUrl`), so integration tests exercise the real serialisation, retries
 * and error handling, while the stand-in records every call, checks Block Kit limits, keeps a small
 * fake workspace, and can be told to fail the way Slack fails.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  formatViolation,
  isRecord,
  messageViolations,
  prefixed,
  viewSubmissionAckViolations,
  viewViolations,
  type Violation,
} from './block-kit-limits.js';
import { LOADING_CALLBACK } from '../features/home/views.js';
import { countOf } from '../i18n/index.js';
import {
  FakeWorkspace,
  SlackApiError,
  TEAM_ID,
  type ChannelSpec,
  type ResponseContext,
  type UserSpec,
} from './fake-workspace.js';

export interface RecordedCall {
  /** Web API method, or 'response_url' / 'file_upload' for posts to those URLs. */
  method: string;
  /** Arguments as the app meant them: JSON-encoded fields (blocks, view, …) are parsed back. Scalars stay strings, as on the wire. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status answered; undefined while the call is in flight (e.g. a `slow` failure). */
  status?: number;
  /** JSON body answered, when there was one. */
  response?: Record<string, unknown>;
}

export type Failure =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'error'; error: string };

export type AnswerHandler = (args: Record<string, unknown>, call: RecordedCall) => Record<string, unknown>;

/** What the stand-in needs from a Socket Mode server to answer `apps.connections.open`. */
export interface SocketModeEndpoint {
  newConnectionUrl(): string;
}

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  json?: Json;
  text?: string;
  headers?: Record<string, string>;
}

/** Form fields the WebClient JSON-encodes because their value is an object or array. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'unfurls', 'metadata', 'files', 'user_auth_blocks', 'profile']);
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage']);
/** View methods and the view type each accepts (views.update serves modals and Home tabs alike). */
const VIEW_METHODS = new Map<string, 'modal' | 'home' | 'any'>([
  ['views.open', 'modal'],
  ['views.push', 'modal'],
  ['views.update', 'any'],
  ['views.publish', 'home'],
]);

export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  /** Block Kit limit violations seen so far, each prefixed with the method that carried it. */
  readonly violations: string[] = [];
  /** Users, conversations, messages and views; see FakeWorkspace for the rules. */
  readonly workspace = new FakeWorkspace();
  /** Give this to the WebClient as `slackApiUrl`. */
  readonly apiUrl: string;
  /** When set, every Web API answer carries them in `x-oauth-scopes`, as Slack's do. */
  grantedScopes: string[] | undefined;

  private readonly failures = new Map<string, Failure[]>();
  private readonly answers = new Map<string, AnswerHandler>();
  private readonly responseContexts = new Map<string, ResponseContext>();
  private readonly uploads = new Map<string, string>();
  private readonly fileBytes = new Map<string, { bytes: Buffer; contentType: string }>();
  private readonly answered = new EventEmitter();
  private socketMode: SocketModeEndpoint | undefined;
  private urlCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {
    this.apiUrl = `${baseUrl}/api/`;
  }

  static async start(): Promise<SlackStandIn> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const standIn = new SlackStandIn(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void standIn.route(req, res));
    return standIn;
  }

  attachSocketMode(endpoint: SocketModeEndpoint): void {
    this.socketMode = endpoint;
  }

  setUser(id: string, spec: UserSpec = {}): void {
    this.workspace.setUser(id, spec);
  }

  setChannelMembers(channelId: string, userIds: readonly string[], spec?: ChannelSpec): void {
    this.workspace.setChannelMembers(channelId, userIds, spec);
  }

  /** A fresh response_url; `context` says which conversation (and message) posts to it land in. */
  responseUrl(context: ResponseContext = {}): string {
    this.urlCounter += 1;
    const id = `${this.urlCounter}${Math.random().toString(36).slice(2, 10)}`;
    this.responseContexts.set(id, context);
    return `${this.baseUrl}/response/${TEAM_ID}/${id}`;
  }

  /** The next `times` calls to `method` ('*' = any method) fail with `failure`. */
  fail(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Overrides the default result of `method`; the handler's object is merged into `{ ok: true }`. */
  answer(method: string, handler: AnswerHandler): void {
    this.answers.set(method, handler);
  }

  /** The bytes uploaded for a file, as the app sent them. */
  file(id: string): { name: string; bytes: Buffer; contentType: string } | undefined {
    const stored = this.fileBytes.get(id);
    const name = this.uploads.get(id);
    return stored && name !== undefined ? { name, ...stored } : undefined;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The first answered call to `method` matching `predicate`, already recorded or still to come. */
  /**
   * The modal opened with this trigger as the person ends up seeing it: when the app first opened
   * a "Loading…" modal (its data was slow), the views.update that filled it.
   */
  async waitForModal(triggerId: string, timeoutMs = 10_000): Promise<RecordedCall> {
    const opened = await this.waitFor('views.open', (c) => c.args.trigger_id === triggerId, timeoutMs);
    return this.filledModal(opened, timeoutMs);
  }

  /** The views.update that filled a "Loading…" modal; any other views.open call as it is. */
  async filledModal(opened: RecordedCall, timeoutMs = 10_000): Promise<RecordedCall> {
    const view = opened.response?.view as { id?: string; callback_id?: string } | undefined;
    if (view?.callback_id !== LOADING_CALLBACK || !view.id) return opened;
    return this.waitFor('views.update', (c) => c.args.view_id === view.id && c.args.hash !== undefined, timeoutMs);
  }

  waitFor(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const matches = (c: RecordedCall): boolean => c.method === method && c.status !== undefined && safeTest(predicate, c);
    const found = this.calls.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall): void => {
        if (!matches(call)) return;
        stop();
        resolve(call);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(this.describeTimeout(method, predicate !== undefined, timeoutMs)));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.answered.off('call', onCall);
      };
      this.answered.on('call', onCall);
    });
  }

  /**
   * Checks (and records as violations) the body an app acked a view_submission with, then applies
   * it to the workspace the way Slack would (update/push/clear the modal).
   */
  handleViewSubmissionAck(ack: unknown, submittedView: unknown, source = 'view_submission ack'): string[] {
    const found = this.record(source, viewSubmissionAckViolations(ack, submittedView));
    if (found.length === 0 && isRecord(ack) && isRecord(submittedView) && typeof submittedView.id === 'string') {
      this.workspace.applySubmissionAck(ack, submittedView.id);
    }
    return found;
  }

  assertNoViolations(): void {
    assertNoViolations(this);
  }

  /** Clears calls, violations, failures and custom answers; `all` also forgets users and channels. */
  reset(options: { all?: boolean } = {}): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.failures.clear();
    this.answers.clear();
    this.responseContexts.clear();
    this.uploads.clear();
    this.fileBytes.clear();
    this.workspace.reset(options.all ?? false);
  }

  /**
   * A slash command acknowledged with a message body: Slack shows it as if it had been posted to
   * the command's response URL, so it is checked and stored the same way (method 'command_ack').
   */
  recordCommandAck(responseUrl: string, body: Record<string, unknown>): RecordedCall {
    const id = new URL(responseUrl).pathname.split('/').at(-1) ?? '';
    const call: RecordedCall = { method: 'command_ack', args: { ...body, url: responseUrl }, token: undefined, at: Date.now() };
    this.calls.push(call);
    const reply = this.answerResponseUrl(id, call);
    call.status = reply.status;
    if (reply.json) call.response = reply.json;
    this.answered.emit('call', call);
    return call;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', this.baseUrl);
      const [, kind, ...rest] = url.pathname.split('/');
      if (req.method !== 'POST') return write(res, { status: 405, text: 'method_not_allowed' });
      if (kind === 'api') return await this.serveApi(decodeURIComponent(rest.join('/')), req, raw, res);
      if (kind === 'response') return await this.serveResponseUrl(url, rest.at(-1) ?? '', raw, res);
      if (kind === 'upload') return await this.serveUpload(url, rest.at(-1) ?? '', req, raw, res);
      write(res, { status: 404, text: 'not_found' });
    } catch (error) {
      write(res, { status: 500, json: { ok: false, error: 'stand_in_failure', detail: String(error) } });
    }
  }

  private async serveApi(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const args = await parseArgs(req.headers['content-type'] ?? '', raw);
    const call: RecordedCall = { method, args, token: bearerToken(req) ?? takeToken(args), at: Date.now() };
    await this.serve(call, res, () => this.answerApi(call));
  }

  private async serveResponseUrl(url: URL, id: string, raw: Buffer, res: ServerResponse): Promise<void> {
    const body: unknown = JSON.parse(raw.toString('utf8') || '{}');
    const args = { ...(isRecord(body) ? body : {}), url: url.toString() };
    const call: RecordedCall = { method: 'response_url', args, token: undefined, at: Date.now() };
    await this.serve(call, res, () => this.answerResponseUrl(id, call));
  }

  private async serveUpload(url: URL, fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const content = await uploadedContent(req.headers['content-type'] ?? '', raw);
    // `bytes` keeps a binary file (an image) intact, where `content` reads it as UTF-8 text.
    const args = { url: url.toString(), file_id: fileId, filename: this.uploads.get(fileId), content, bytes: raw };
    if (this.uploads.has(fileId)) this.fileBytes.set(fileId, { bytes: raw, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
    const call: RecordedCall = { method: 'file_upload', args, token: bearerToken(req), at: Date.now() };
    await this.serve(call, res, () => ({ status: 200, text: `OK - ${raw.length}` }));
  }

  /** Records the call, applies any queued failure, answers, then wakes waitFor(). */
  private async serve(call: RecordedCall, res: ServerResponse, answer: () => Reply): Promise<void> {
    this.calls.push(call);
    const failure = this.takeFailure(call.method);
    if (failure?.kind === 'slow') await delay(failure.delayMs);
    const reply = failure && failure.kind !== 'slow' ? failureReply(failure, call.method) : safeAnswer(answer);
    // Like Slack, say which scopes the token holds (the client surfaces them as response_metadata.scopes).
    if (this.grantedScopes && call.method !== 'response_url') reply.headers = { ...reply.headers, 'x-oauth-scopes': this.grantedScopes.join(',') };
    write(res, reply);
    call.status = reply.status;
    if (reply.json) call.response = reply.json;
    this.answered.emit('call', call);
  }

  private takeFailure(method: string): Failure | undefined {
    for (const key of [method, '*']) {
      const queue = this.failures.get(key);
      if (queue && queue.length > 0) return queue.shift();
    }
    return undefined;
  }

  private answerApi(call: RecordedCall): Reply {
    const violations = this.limitViolations(call.method, call.args);
    this.record(call.method, violations);
    if (violations.length > 0) return { status: 200, json: invalidPayloadBody(call.method, violations) };
    try {
      const custom = this.answers.get(call.method);
      const result = custom ? custom(call.args, call) : this.defaultResult(call.method, call.args);
      return { status: 200, json: { ok: true, ...result } };
    } catch (error) {
      if (error instanceof SlackApiError) return { status: 200, json: { ok: false, error: error.error } };
      throw error;
    }
  }

  /** Slack answers response_url posts like incoming webhooks: plain-text errors with 4xx statuses. */
  private answerResponseUrl(id: string, call: RecordedCall): Reply {
    const context = this.responseContexts.get(id);
    if (!context) return { status: 404, text: 'expired_url' };
    const { url: _url, ...body } = call.args;
    if (this.record('response_url', messageViolations(body)).length > 0) return { status: 400, text: 'invalid_blocks' };
    try {
      this.workspace.respond(id, context, body);
      return { status: 200, json: { ok: true } };
    } catch (error) {
      if (error instanceof SlackApiError) return { status: 404, text: error.error };
      throw error;
    }
  }

  private defaultResult(method: string, args: Json): Json {
    switch (method) {
      case 'apps.connections.open':
        return this.socketMode ? { url: this.socketMode.newConnectionUrl() } : {};
      case 'files.getUploadURLExternal': {
        const fileId = `F${Date.now().toString(36).toUpperCase()}${this.uploads.size}`;
        this.uploads.set(fileId, typeof args.filename === 'string' ? args.filename : 'Untitled');
        return { upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = this.completedFiles(args.files);
        const channel = typeof args.channel_id === 'string' ? args.channel_id : undefined;
        if (channel) this.workspace.shareFiles(channel, files, typeof args.initial_comment === 'string' ? args.initial_comment : undefined);
        return { files };
      }
      default:
        return this.workspace.handle(method, args);
    }
  }

  private completedFiles(files: unknown): Json[] {
    if (!Array.isArray(files)) throw new SlackApiError('invalid_arguments');
    return files.filter(isRecord).map((f) => {
      const id = String(f.id);
      if (!this.uploads.has(id)) throw new SlackApiError('file_not_found');
      return { id, title: f.title ?? this.uploads.get(id), name: this.uploads.get(id), mimetype: this.fileBytes.get(id)?.contentType, size: this.fileBytes.get(id)?.bytes.length };
    });
  }

  private limitViolations(method: string, args: Json): Violation[] {
    if (MESSAGE_METHODS.has(method)) return messageViolations(args);
    const expectedType = VIEW_METHODS.get(method);
    if (expectedType === undefined) return [];
    const found = prefixed('/view', viewViolations(args.view));
    const type = isRecord(args.view) ? args.view.type : undefined;
    if (expectedType !== 'any' && type !== expectedType && found.length === 0) {
      found.push({ path: '/view/type', rule: `${method} needs a ${expectedType} view` });
    }
    return found;
  }

  private record(source: string, violations: Violation[]): string[] {
    const lines = violations.map((v) => `${source} ${formatViolation(v)}`);
    this.violations.push(...lines);
    return lines;
  }

  private describeTimeout(method: string, withPredicate: boolean, timeoutMs: number): string {
    const counts = new Map<string, number>();
    for (const c of this.calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
    const seen = [...counts].map(([m, n]) => (n > 1 ? `${m} ×${n}` : m)).join(', ') || 'none';
    const what = withPredicate ? `a ${method} call matching the predicate` : `a call to ${method}`;
    return `Timed out after ${timeoutMs} ms waiting for ${what}. Calls seen: ${seen}.`;
  }
}

/** Throws listing every Block Kit violation the stand-in saw; call it in afterEach. */
export function assertNoViolations(standIn: SlackStandIn): void {
  if (standIn.violations.length === 0) return;
  throw new Error(`Slack would have rejected ${countOf(standIn.violations.length, 'payload problem', 'payload problems')}:\n  ${standIn.violations.join('\n  ')}`);
}

/** A bug in a handler (e.g. a custom answer) still answers, so the call is not left in flight. */
function safeAnswer(answer: () => Reply): Reply {
  try {
    return answer();
  } catch (error) {
    return { status: 500, json: { ok: false, error: 'stand_in_failure', detail: String(error) } };
  }
}

function safeTest(predicate: ((c: RecordedCall) => boolean) | undefined, call: RecordedCall): boolean {
  if (!predicate) return true;
  try {
    return predicate(call);
  } catch {
    // A predicate that trips over a call of another shape simply does not match it.
    return false;
  }
}

/** Slack's answer to a payload breaking Block Kit limits, with json-pointers like the real one. */
function invalidPayloadBody(method: string, violations: Violation[]): Json {
  const error = VIEW_METHODS.has(method) ? 'invalid_arguments' : violations.every((v) => v.path === '/text') ? 'msg_too_long' : 'invalid_blocks';
  return { ok: false, error, response_metadata: { messages: violations.map((v) => `[ERROR] ${v.rule} [json-pointer:${v.path}]`) } };
}

function failureReply(failure: Exclude<Failure, { kind: 'slow' }>, method: string): Reply {
  switch (failure.kind) {
    case 'rate_limited':
      return { status: 429, headers: { 'Retry-After': String(failure.retryAfterSeconds) }, json: { ok: false, error: 'ratelimited' } };
    case 'server_error':
      return { status: failure.status ?? 500, text: 'Internal Server Error' };
    case 'error':
      // response_url and upload URLs are plain HTTP endpoints: their errors are 4xx with a text body.
      return method === 'response_url' || method === 'file_upload'
        ? { status: 404, text: failure.error }
        : { status: 200, json: { ok: false, error: failure.error } };
  }
}

function write(res: ServerResponse, reply: Reply): void {
  const body = reply.json ? JSON.stringify(reply.json) : (reply.text ?? '');
  const contentType = reply.json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
  res.writeHead(reply.status, { 'Content-Type': contentType, ...reply.headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Legacy clients send the token as a form field; it is not a method argument. */
function takeToken(args: Json): string | undefined {
  const token = args.token;
  delete args.token;
  return typeof token === 'string' ? token : undefined;
}

async function parseArgs(contentType: string, raw: Buffer): Promise<Json> {
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8') || '{}');
    return isRecord(parsed) ? parsed : {};
  }
  if (contentType.startsWith('multipart/form-data')) return decodeJsonFields(await multipartFields(contentType, raw));
  return decodeJsonFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
}

/** Multipart fields; file parts become `{ filename, content }` with the bytes as UTF-8 text. */
async function multipartFields(contentType: string, raw: Buffer): Promise<Json> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields: Json = {};
  for (const [key, value] of form) {
    fields[key] = typeof value === 'string' ? value : { filename: value.name, content: await value.text() };
  }
  return fields;
}

async function uploadedContent(contentType: string, raw: Buffer): Promise<string> {
  if (!contentType.startsWith('multipart/form-data')) return raw.toString('utf8');
  const file = Object.values(await multipartFields(contentType, raw)).find(isRecord);
  return file && typeof file.content === 'string' ? file.content : '';
}

function decodeJsonFields(fields: Json): Json {
  for (const [key, value] of Object.entries(fields)) {
    if (!JSON_FIELDS.has(key) || typeof value !== 'string') continue;
    try {
      fields[key] = JSON.parse(value);
    } catch {
      // Left as a string: the Block Kit checks then report it the way Slack reports bad JSON.
    }
  }
  return fields;
}
