import type { Deps } from '../deps.js';
import type { Message } from './blocks.js';
import type { OutboxRequest } from './outbox.js';

/**
 * Queues a notice to the facilitator channel under an idempotency key (the outbox sends it once,
 * at Slack's pace); a failure is logged, never shown to the person who acted.
 */
export async function notifyFacilitators(deps: Deps, key: string, message: Message): Promise<void> {
  await enqueue(deps, key, { kind: 'post', channel: deps.config.facilitatorChannelId, message });
}

/** Queues a direct message (in the app's Messages tab) under an idempotency key. */
export async function sendDirect(deps: Deps, key: string, userId: string, message: Message): Promise<void> {
  await enqueue(deps, key, { kind: 'post', channel: userId, message });
}

async function enqueue(deps: Deps, key: string, request: OutboxRequest): Promise<void> {
  try {
    await deps.outbox.enqueue(deps.store.db, key, request);
  } catch (error) {
    deps.logger.error(`Could not queue the message ${key}`, error);
  }
}
