import type { AllMiddlewareArgs, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { noticeModal } from '../features/home/views.js';
import { t } from '../i18n/index.js';

export type FaultArgs =
  | { kind: 'button'; args: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs; acked: boolean }
  | { kind: 'modal'; args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs; acked: boolean }
  | { kind: 'event' };

/** Answers a request whose handling met a storage fault; false when `error` is no storage fault. */
export type FaultReply = (error: unknown, request: FaultArgs) => Promise<boolean>;

/**
 * "Try again", in the person's language, where they are: next to the modal's first field (what
 * they typed stays), as an ephemeral reply to a button in a conversation, or in a small modal for a
 * button of the Home tab. Nothing was written: the transaction that failed was rolled back whole.
 */
export function storageFaultReply(deps: Deps): FaultReply {
  return async (error, request) => {
    if (!deps.storage.report(error)) return false;
    if (request.kind === 'event') return true;
    const userId = request.args.body.user.id;
    const locale = (await deps.people.get(userId).catch(() => undefined))?.locale ?? deps.config.defaultLocale;
    const text = t(locale, 'storage.tryAgain');
    if (request.kind === 'modal') {
      if (request.acked) return true;
      const field = request.args.view.blocks.find((b) => b.type === 'input' && typeof b.block_id === 'string')?.block_id;
      await request.args.ack(field ? { response_action: 'errors', errors: { [field]: text } } : { response_action: 'update', view: noticeModal(locale, text) });
      return true;
    }
    const { args } = request;
    if (!request.acked) await args.ack();
    if (args.body.response_url) await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    else await deps.modals.open({ trigger_id: args.body.trigger_id, view: noticeModal(locale, text) });
    return true;
  };
}
