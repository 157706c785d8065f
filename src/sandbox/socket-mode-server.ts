/**
 * A loopback Socket Mode endpoint. The stand-in's `apps.connections.open` hands out a ticketed
 * ws:// URL to it; on connection it greets the client with the `hello` @slack/socket-mode waits
 * for before `start()` resolves, then delivers envelopes and returns the client's acks.
 * Client pings are answered by `ws` (autoPong), as Slack's servers answer them.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isRecord } from './block-kit-limits.js';
import { APP_ID } from './fake-workspace.js';
import type { SlackStandIn, SocketModeEndpoint } from './slack-stand-in.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SendEnvelopeOptions {
  acceptsResponsePayload?: boolean;
  /** events_api redeliveries: Slack counts attempts and says why (e.g. 'timeout'). */
  retryAttempt?: number;
  retryReason?: string;
  /** Slack waits 3 s for an ack before it retries or reports an error to the user. */
  timeoutMs?: number;
}

export interface SocketModeServerOptions {
  /** Attaches the server so the stand-in's apps.connections.open returns its URL, and checks acks. */
  standIn?: SlackStandIn;
  appId?: string;
}

interface PendingAck {
  resolve: (ack: EnvelopeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const ACK_TIMEOUT_MS = 3000;
const CLOSE_GRACE_MS = 500;
const HOST = 'applink-stand-in';

/** Interactive payloads whose ack body Slack uses (response_action, options). */
const RESPONDING_INTERACTIONS = new Set(['view_submission', 'block_suggestion']);

/** The envelope Slack wraps every Socket Mode delivery in. */
export function buildSocketEnvelope(type: EnvelopeType, payload: Record<string, unknown>, opts: SendEnvelopeOptions = {}): Record<string, unknown> {
  const acceptsDefault = type === 'slash_commands' || (type === 'interactive' && RESPONDING_INTERACTIONS.has(String(payload.type)));
  return {
    envelope_id: randomUUID(),
    type,
    payload,
    accepts_response_payload: opts.acceptsResponsePayload ?? acceptsDefault,
    ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
  };
}

export class SocketModeServer implements SocketModeEndpoint {
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly connections = new EventEmitter();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    /** ws://127.0.0.1:PORT */
    readonly url: string,
    private readonly appId: string,
    private readonly standIn: SlackStandIn | undefined,
  ) {
    wss.on('connection', (socket, req) => this.accept(socket, req));
  }

  static async start(options: SocketModeServerOptions = {}): Promise<SocketModeServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', resolve);
    });
    const { port } = http.address() as AddressInfo;
    const server = new SocketModeServer(http, wss, `ws://127.0.0.1:${port}`, options.appId ?? APP_ID, options.standIn);
    options.standIn?.attachSocketMode(server);
    return server;
  }

  /** A single-use URL, as apps.connections.open returns. */
  newConnectionUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.url}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /**
   * Resolves once a client holds a connection (already, or when one arrives) and has been sent
   * `hello`; the client may still be processing it, so wait for its own 'connected' event when
   * that matters.
   */
  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnect = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connections.off('connect', onConnect);
        reject(new Error(`No Socket Mode client connected within ${timeoutMs} ms (did the app call apps.connections.open on the stand-in?)`));
      }, timeoutMs);
      this.connections.once('connect', onConnect);
    });
  }

  /** Delivers an envelope to the newest connection and resolves with the client's ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, opts: SendEnvelopeOptions = {}): Promise<EnvelopeAck> {
    const socket = [...this.sockets].at(-1);
    if (!socket) return Promise.reject(new Error('No Socket Mode client is connected'));
    const envelope = buildSocketEnvelope(type, payload, opts);
    const envelopeId = String(envelope.envelope_id);
    const timeoutMs = opts.timeoutMs ?? ACK_TIMEOUT_MS;
    const acked = new Promise<EnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`No ack for the ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { resolve, reject, timer });
    });
    socket.send(JSON.stringify(envelope));
    return acked.then((ack) => this.checkAck(type, payload, ack));
  }

  /** Asks connected clients to reconnect, as Slack does before recycling a server. */
  disconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: HOST } }));
  }

  async close(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`Socket Mode server closed before envelope ${id} was acked`));
    }
    this.pending.clear();
    await this.closeSockets();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /**
   * Closes connections with a close handshake first: cutting them off makes the client log a
   * WebSocket error (e.g. when an app's stop() is still finishing its own handshake).
   */
  private async closeSockets(): Promise<void> {
    const closed = [...this.sockets].map((socket) => new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1001, 'server closing');
    }));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(closed), timeout]);
    for (const socket of this.sockets) socket.terminate();
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    const ticket = new URL(req.url ?? '/', this.url).searchParams.get('ticket') ?? '';
    // Tickets are single-use, like Slack's: a client must call apps.connections.open for each connection.
    if (!this.tickets.delete(ticket)) {
      socket.close(4001, 'invalid or used ticket');
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.send(JSON.stringify(this.hello()));
    this.connections.emit('connect');
  }

  private hello(): Record<string, unknown> {
    return {
      type: 'hello',
      num_connections: this.sockets.size,
      debug_info: { host: HOST, build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    };
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
    const pending = this.pending.get(message.envelope_id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(message.envelope_id);
    pending.resolve({ envelope_id: message.envelope_id, ...(isRecord(message.payload) ? { payload: message.payload } : {}) });
  }

  /** view_submission acks carry response_action: check and apply them like the HTTP path does. */
  private checkAck(type: EnvelopeType, payload: Record<string, unknown>, ack: EnvelopeAck): EnvelopeAck {
    if (this.standIn && type === 'interactive' && payload.type === 'view_submission') {
      this.standIn.handleViewSubmissionAck(ack.payload, payload.view, 'view_submission ack (socket mode)');
    }
    return ack;
  }
}
