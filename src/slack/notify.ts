import type { Deps } from '../deps.js';
import type { Message } from './blocks.js';

/** Posts to the facilitator channel; a failure is logged, never shown to the person who acted. */
export async function notifyFacilitators(deps: Deps, message: Message): Promise<void> {
  try {
    await deps.slack.chat.postMessage({ channel: deps.config.facilitatorChannelId, ...message });
  } catch (error) {
    deps.logger.error('Could not post to the facilitator channel', error);
  }
}

/** Sends a direct message (in the app's Messages tab). */
export async function sendDirect(deps: Deps, userId: string, message: Message): Promise<void> {
  try {
    await deps.slack.chat.postMessage({ channel: userId, ...message });
  } catch (error) {
    deps.logger.error(`Could not send a direct message to ${userId}`, error);
  }
}
