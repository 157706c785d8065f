import type { RespondFn } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { noticeModal } from '../features/home/views.js';
import type { Locale } from '../i18n/index.js';

export interface Click {
  userId: string;
  /** Set while the click's trigger is unused: the answer can then open as a small modal. */
  triggerId?: string;
  /** Absent for a button on the Home tab. */
  responseUrl?: string;
  respond: RespondFn;
}

/**
 * Answers a button where its presser sees it: ephemerally in the conversation when the button was
 * in a message; from the Home tab (no response_url), in a small modal while the trigger lives, else
 * in the person's direct messages with Tandem.
 */
export async function answerClick(deps: Deps, click: Click, text: string, locale: Locale): Promise<void> {
  try {
    // A "Loading…" modal waits on the click's trigger: the answer fills it.
    if (click.triggerId && deps.modals.isHeld(click.triggerId)) return void (await deps.modals.settle(click.triggerId, locale, text));
    if (click.responseUrl) {
      await click.respond({ response_type: 'ephemeral', replace_original: false, text });
      return;
    }
    if (click.triggerId) {
      try {
        await deps.modals.open({ trigger_id: click.triggerId, view: noticeModal(locale, text) });
        return;
      } catch {
        // The trigger expired or Slack is busy: a direct message still reaches the person.
      }
    }
    await deps.slack.chat.postMessage({ channel: click.userId, text });
  } catch (error) {
    deps.logger.warn(`Could not answer a button of ${click.userId}`, error);
  }
}
