import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type LogLevel } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { isMigrated } from '../store/database.js';
import { TandemSocketModeReceiver } from './socket-mode-receiver.js';

export interface SlackApp {
  app: App;
  /** Starts listening (HTTP on `port`, or Socket Mode plus the health routes on `port`); returns the port bound. */
  start(port: number): Promise<number>;
  stop(): Promise<void>;
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
      isMigrated(deps.store.db).then(
        (migrated) => answer(res, migrated ? 200 : 503, { ok: migrated, database: migrated ? 'ready' : 'not migrated' }),
        () => answer(res, 503, { ok: false, database: 'unavailable' }),
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

export function createSlackApp(deps: Deps, clientOptions: WebClientOptions): SlackApp {
  const { config, logger } = deps;
  const routes = healthRoutes(deps);
  // The token is handed over as is: Bolt need not call auth.test before each request.
  const authorize = async () => ({ botToken: config.slackBotToken });

  if (config.slackAppToken) {
    const receiver = new TandemSocketModeReceiver(config.slackAppToken, clientOptions, logger);
    const app = new App({ receiver, authorize, logger, logLevel: config.logLevel as LogLevel, clientOptions, convoStore: false });
    const drain = trackInFlight(app);
    let server: Server | undefined;
    return {
      app,
      async start(port) {
        server = createServer((req, res) => {
          const handler = req.method === 'GET' ? routes[(req.url ?? '').split('?')[0] ?? ''] : undefined;
          if (handler) handler(req, res);
          else res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server?.listen(port, resolve));
        await app.start();
        deps.outbox.start();
        return (server.address() as AddressInfo).port;
      },
      async stop() {
        await app.stop();
        await drain();
        await deps.outbox.stop();
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      },
    };
  }

  const receiver = new HTTPReceiver({
    signingSecret: config.slackSigningSecret ?? '',
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logger,
    logLevel: config.logLevel as LogLevel,
    customRoutes: Object.entries(routes).map(([path, handler]) => ({ path, method: ['GET'], handler })),
  });
  const app = new App({ receiver, authorize, logger, logLevel: config.logLevel as LogLevel, clientOptions, convoStore: false });
  const drain = trackInFlight(app);
  return {
    app,
    async start(port) {
      const server = (await app.start(port)) as Server;
      deps.outbox.start();
      return (server.address() as AddressInfo).port;
    },
    async stop() {
      await app.stop();
      await drain();
      // After the requests in flight: the notices they queued stay queued for the next start.
      await deps.outbox.stop();
    },
  };
}
