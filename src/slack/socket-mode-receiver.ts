import { type AckFn, type App, type Logger, LogLevel, type Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { WebClientOptions } from '@slack/web-api';
import { createLogger } from '../logger.js';
import type { Network } from './proxy.js';

/**
 * Socket Mode for Bolt, built on SocketModeClient directly because Bolt's own receiver does not pass
 * client options on: ours sends `apps.connections.open` to SLACK_API_URL like every other call.
 */
export class TandemSocketModeReceiver implements Receiver {
  private app: App | undefined;
  readonly client: SocketModeClient;

  constructor(appToken: string, clientOptions: WebClientOptions, private readonly logger: Logger, network?: Network) {
    const { logger: _unused, logLevel, ...options } = clientOptions;
    // The client renames and re-levels the logger it is given, so it gets one of its own.
    const level = logLevel ?? LogLevel.INFO;
    // Behind a proxy the WebSocket goes through it too (the options' fetch carries apps.connections.open).
    this.client = new SocketModeClient({
      appToken,
      clientOptions: options,
      logger: createLogger(level, 'socket-mode'),
      logLevel: level,
      ...(network ? { dispatcher: network.dispatcher } : {}),
    });
    this.client.on('slack_event', async ({ ack, body, retry_num, retry_reason }) => {
      let acked = false;
      const once: AckFn<unknown> = async (response) => {
        if (acked) return;
        acked = true;
        await ack(response);
      };
      try {
        await this.app?.processEvent({ body, ack: once, retryNum: retry_num, retryReason: retry_reason });
      } catch (error) {
        this.logger.error('A Socket Mode event failed', error);
        await once();
      }
    });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<unknown> {
    return this.client.start();
  }

  async stop(): Promise<unknown> {
    return this.client.disconnect();
  }
}
