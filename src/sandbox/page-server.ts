/**
 * The sandbox page's HTTP server, on 127.0.0.1 only: the page and its local assets (no CDN), a
 * small JSON API that turns the visitor's acts into SandboxSession calls, the files the bot
 * uploaded, and the health routes of the bot. A request for another Host, from another Origin, or
 * not sent by the page's own script (a forged form post) is refused before anything happens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@slack/bolt';
import { z } from 'zod';
import type { SlackStandIn } from './slack-stand-in.js';
import { FIRST_VISIT_PERSON } from './demo-company.js';
import { SandboxRefusal, type SandboxSession } from './session.js';

export interface PageServer {
  port: number;
  close(): Promise<void>;
}

export interface PageServerOptions {
  session: SandboxSession;
  standIn: SlackStandIn;
  port: number;
  host: string;
  /** The bot's own HTTP address, for its health routes. */
  botUrl: string;
  logger: Logger;
}

/** The header the page's script sends with every change; a form on another site cannot set it. */
export const SANDBOX_HEADER = 'x-tandem-sandbox';
const MAX_BODY = 256 * 1024;

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/assets/sandbox.css': 'sandbox.css',
  '/assets/sandbox.js': 'sandbox.js',
  '/assets/tandem.svg': 'tandem.svg',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The page's files sit in src/sandbox/page, whether this runs from src (tsx) or from dist. */
function pageDirectory(): string {
  const candidates = [new URL('./page/', import.meta.url), new URL('../../../src/sandbox/page/', import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((dir) => existsSync(`${dir}index.html`));
  if (!found) throw new Error('The sandbox page (src/sandbox/page) is missing from this installation.');
  return found;
}

const person = z.string().regex(/^U[A-Z0-9]{2,20}$/, 'must be a member id such as U0AMELIE');
const fieldValue = z.union([z.string().max(3000), z.array(z.string().max(3000)).max(100), z.null()]);
const values = z.record(z.string().max(600), fieldValue);
const id = z.string().min(1).max(255);
const schemas = {
  command: z.object({ as: person, channel: id.optional(), text: z.string().max(4000) }),
  action: z.object({
    as: person,
    where: z.union([z.object({ channel: id, ts: id }), z.object({ view: id })]),
    actionId: id,
    blockId: id,
    value: fieldValue.optional(),
    values: values.optional(),
  }),
  submit: z.object({ as: person, view: id, values }),
  close: z.object({ as: person, view: id }),
  home: z.object({ as: person }),
  clock: z.object({ as: person, step: z.enum(['checkin', 'day', 'week']) }),
};

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Everything the page needs is served from here: nothing else may load.
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'none'",
    ...extra,
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Refused(413, 'The request is too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refused(400, 'The request body is not JSON.');
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Refused(400, `The request is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}.`);
  return parsed.data;
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const { session, standIn, logger } = options;
  const dir = pageDirectory();
  let port = options.port;
  const allowedHosts = () => new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
  const allowedOrigins = () => new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`]);

  /** Only this machine's own page: another Host (DNS rebinding) or Origin is refused. */
  function checkOrigin(req: IncomingMessage, changes: boolean): void {
    if (!allowedHosts().has(req.headers.host ?? '')) throw new Refused(403, `This sandbox answers only at http://localhost:${port}.`);
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) throw new Refused(403, `Requests from ${origin} are refused: only the sandbox page itself may act.`);
    if (!changes) return;
    if (!(req.headers['content-type'] ?? '').startsWith('application/json') || req.headers[SANDBOX_HEADER] !== '1') {
      throw new Refused(403, 'Only the sandbox page may act: this request did not come from it.');
    }
  }

  async function api(req: IncomingMessage, url: URL): Promise<unknown> {
    const route = url.pathname.slice('/api/'.length);
    if (req.method === 'GET' && route === 'snapshot') {
      const open = url.searchParams.get('open');
      const as = url.searchParams.get('as');
      // A first visit names nobody: it starts as a newcomer of the demo company.
      return session.snapshot(as === null || as === '' ? FIRST_VISIT_PERSON : parse(person, as), open ?? undefined);
    }
    if (req.method !== 'POST') throw new Refused(405, 'Use POST to act.');
    checkOrigin(req, true);
    const body = await readJson(req);
    switch (route) {
      case 'command': {
        const b = parse(schemas.command, body);
        await session.command(b.as, b.text, b.channel);
        return { ok: true };
      }
      case 'action': {
        const b = parse(schemas.action, body);
        await session.action(b.as, b.where, b.actionId, b.blockId, b.value, b.values);
        return { ok: true };
      }
      case 'submit': {
        const b = parse(schemas.submit, body);
        return { ok: true, ...(await session.submit(b.as, b.view, b.values)) };
      }
      case 'close': {
        const b = parse(schemas.close, body);
        await session.close(b.as, b.view);
        return { ok: true };
      }
      case 'home': {
        const b = parse(schemas.home, body);
        await session.openHome(b.as);
        return { ok: true };
      }
      case 'clock': {
        const b = parse(schemas.clock, body);
        session.person(b.as);
        return { ok: true, ...(await session.advance(b.step)) };
      }
      default:
        throw new Refused(404, `There is no sandbox action "${route}".`);
    }
  }

  /** A file the bot shared, only to someone who can see a message carrying it. */
  function file(url: URL, res: ServerResponse): void {
    const fileId = decodeURIComponent(url.pathname.slice('/files/'.length));
    const viewer = parse(person, url.searchParams.get('as'));
    const seen = session.snapshotFiles(viewer).has(fileId);
    const stored = seen ? standIn.file(fileId) : undefined;
    if (!stored) throw new Refused(404, `There is no file "${fileId}" that this person can see.`);
    const download = url.searchParams.get('download') === '1';
    const safeName = stored.name.replace(/[^\w.\- ]/g, '_');
    send(res, 200, stored.bytes, stored.contentType, download ? { 'content-disposition': `attachment; filename="${safeName}"` } : { 'content-disposition': `inline; filename="${safeName}"` });
  }

  async function health(path: string, res: ServerResponse): Promise<void> {
    const answer = await fetch(`${options.botUrl}${path}`);
    send(res, answer.status, await answer.text(), answer.headers.get('content-type') ?? 'application/json');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      checkOrigin(req, false);
      if (url.pathname.startsWith('/api/')) return json(res, 200, await api(req, url));
      if (req.method !== 'GET') throw new Refused(405, 'Only the page API accepts POST.');
      if (url.pathname === '/healthz' || url.pathname === '/readyz') return health(url.pathname, res);
      if (url.pathname.startsWith('/files/')) return file(url, res);
      const asset = ASSETS[url.pathname];
      if (!asset) throw new Refused(404, `There is no page at ${url.pathname}.`);
      send(res, 200, readFileSync(`${dir}${asset}`), CONTENT_TYPES[asset.split('.').pop() ?? ''] ?? 'application/octet-stream');
    };
    handle().catch((error: unknown) => {
      if (error instanceof Refused || error instanceof SandboxRefusal) return json(res, error.status, { ok: false, error: error.message });
      logger.error('The sandbox page failed to answer', error);
      json(res, 500, { ok: false, error: 'The sandbox failed to answer; see the terminal for details.' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
