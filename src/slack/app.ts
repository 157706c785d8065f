import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPModuleFunctions, HTTPReceiver, type LogLevel, type Receiver, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { schemaState } from '../store/database.js';
import { DATABASE_CAUSE } from '../store/availability.js';
import { TandemSocketModeReceiver } from './socket-mode-receiver.js';
import { outboundNetwork } from './proxy.js';

export interface SlackApp {
  app: App;
  /**
   * Starts listening (HTTP on `port`, or Socket Mode plus the health routes on `port`), on every
   * interface unless `host` is given; returns the port bound. The background work (the outbox, the
   * Home tab refresh, the periodic tasks) starts at once, or once `migrated` resolves true: on a
   * database not migrated yet, it would only fail on missing tables.
   */
  start(port: number, host?: string, migrated?: Promise<boolean>): Promise<number>;
  stop(): Promise<void>;
  /** Resolves once the requests being handled (past their ack) are done: a test's point of calm. */
  settled(): Promise<void>;
}

type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

function healthRoutes(deps: Deps): Record<string, RouteHandler> {
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return {
    '/healthz': (_req, res) => answer(res, 200, { ok: true }),
    '/readyz': (_req, res) => {
      const { causes, details } = deps.readiness.report();
      // A database known to be out of reach is not asked again here: the answer must come quickly.
      if (deps.readiness.has(DATABASE_CAUSE)) {
        answer(res, 503, { ok: false, database: 'unavailable', causes, ...details });
        return;
      }
      schemaState(deps.store.db).then(
        (state) => {
          const ok = state === 'current' && causes.length === 0;
          const database = { current: 'ready', behind: 'not migrated', newer: 'migrated by a newer Tandem' }[state];
          answer(res, ok ? 200 : 503, { ok, database, ...(causes.length > 0 ? { causes } : {}), ...details });
        },
        () => answer(res, 503, { ok: false, database: 'unavailable', ...(causes.length > 0 ? { causes } : {}), ...details }),
      );
    },
  };
}

/**
 * Counts the requests still being handled after their ack, so that stopping waits for them
 * (a restart does not cut a reply or a notice in half).
 */
function trackInFlight(app: App): () => Promise<void> {
  const running = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const handling = next();
    running.add(handling);
    try {
      await handling;
    } finally {
      running.delete(handling);
    }
  });
  return async () => {
    const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([Promise.allSettled([...running]), deadline]);
  };
}

function everyMinute(deps: Deps, task: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch((error) => deps.logger.error('A periodic task failed', error))
      .finally(() => {
        running = false;
      });
  }, PERIODIC_MS);
  timer.unref();
  return timer;
}

interface Transport {
  receiver: Receiver;
  /** Starts receiving; returns the HTTP port bound (the health routes' port in Socket Mode). */
  listen(app: App, port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** Socket Mode: events arrive over a WebSocket; a small server on PORT answers the health checks. */
function socketModeTransport(deps: Deps, appToken: string, clientOptions: WebClientOptions, routes: Record<string, RouteHandler>): Transport {
  let server: Server | undefined;
  return {
    receiver: new TandemSocketModeReceiver(appToken, clientOptions, deps.logger, outboundNetwork(deps.config.proxy)),
    async listen(app, port, host) {
      const listening = createServer((req, res) => {
        const handler = req.method === 'GET' ? routes[(req.url ?? '').split('?')[0] ?? ''] : undefined;
        if (handler) handler(req, res);
        else res.writeHead(404).end();
      });
      server = listening;
      await new Promise<void>((resolve) => (host ? listening.listen(port, host, resolve) : listening.listen(port, resolve)));
      await app.start();
      return (listening.address() as AddressInfo).port;
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

/**
 * A request whose body Bolt itself cannot walk (a field of the wrong type: Bolt reads
 * `'id' in event.channel` even when channel is null) is the sender's mistake: 400 and a warning,
 * not a 500 that Slack would retry and an operator would be paged for.
 */
async function unreadableRequests(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const { error, response, logger } = args;
  if (!response.headersSent && error instanceof TypeError) {
    logger.warn(`Refused a request Tandem could not read (${error.message})`);
    response.writeHead(400);
    response.end();
    return true;
  }
  return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
}

/** HTTP: Slack posts to /slack/events, signed; the health routes share the server. */
function httpTransport(deps: Deps, routes: Record<string, RouteHandler>): Transport {
  return {
    receiver: new HTTPReceiver({
      signingSecret: deps.config.slackSigningSecret ?? '',
      endpoints: '/slack/events',
      processBeforeResponse: false,
      logger: deps.logger,
      logLevel: deps.config.logLevel as LogLevel,
      customRoutes: Object.entries(routes).map(([path, handler]) => ({ path, method: ['GET'], handler })),
      processEventErrorHandler: unreadableRequests,
    }),
    async listen(app, port, host) {
      const server = (await app.start(host ? { port, host } : port)) as Server;
      return (server.address() as AddressInfo).port;
    },
    close: async () => undefined,
  };
}

const PERIODIC_MS = 60_000;

/**
 * `periodic` tasks run every minute while the bot runs, never overlapping themselves: retries of
 * work that must not wait for the next request (e.g. calendar files Slack refused a moment ago).
 */
export function createSlackApp(deps: Deps, clientOptions: WebClientOptions, periodic: readonly (() => Promise<void>)[] = []): SlackApp {
  const { config, logger } = deps;
  const routes = healthRoutes(deps);
  const transport = config.slackAppToken ? socketModeTransport(deps, config.slackAppToken, clientOptions, routes) : httpTransport(deps, routes);
  // The token is handed over as is: Bolt need not call auth.test before each request.
  const authorize = async () => ({ botToken: config.slackBotToken });
  const app = new App({ receiver: transport.receiver, authorize, logger, logLevel: config.logLevel as LogLevel, clientOptions, convoStore: false });
  const drain = trackInFlight(app);
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  return {
    app,
    async start(port, host, migrated) {
      const bound = await transport.listen(app, port, host);
      const startWork = () => {
        if (stopped) return;
        deps.outbox.start();
        deps.home.start();
        for (const task of periodic) timers.push(everyMinute(deps, task));
      };
      if (migrated) void migrated.then((ok) => ok && startWork(), () => undefined);
      else startWork();
      return bound;
    },
    settled: drain,
    async stop() {
      stopped = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      await app.stop();
      await drain();
      // After the requests in flight: the notices they queued stay queued for the next start.
      await deps.outbox.stop();
      await deps.home.stop();
      await transport.close();
    },
  };
}
