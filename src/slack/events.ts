import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { type DeliveryRules, DuplicateDelivery, handleOnce } from '../store/deliveries.js';
import type { Interactions } from './interactions.js';

/**
 * What names one delivery of a request, and how a repeat is treated: an event by its event id
 * (Slack's retries keep it); a command, click or form by its trigger id, dropped when it comes
 * again with X-Slack-Retry-Num (a repeat without it is refused by the feature, in words).
 */
function delivery(body: Record<string, unknown>, retryNum: unknown): { key: string; rules: DeliveryRules } | undefined {
  if (typeof body.event_id === 'string') return { key: body.event_id, rules: { dropIfSeen: true, keepWithoutEffect: true } };
  if (typeof body.trigger_id === 'string' && body.trigger_id !== '') {
    return { key: `trigger:${body.trigger_id}`, rules: { dropIfSeen: typeof retryNum === 'number' && retryNum > 0, keepWithoutEffect: false } };
  }
  return undefined;
}

/**
 * Slack delivers a request again (X-Slack-Retry-Num) when it thinks our answer was lost: the
 * delivery's key is recorded with the request's first effect, in the same transaction (see
 * src/store/deliveries.ts), so a request delivered again is acknowledged and dropped instead of
 * acting twice, and one whose handling died before its effect is handled in full.
 */
export function registerDeliveryDeduplication(app: App, deps: Deps): void {
  // Deliveries being handled by this instance: Slack's retry of a slow one waits for nothing.
  const inFlight = new Set<string>();
  app.use(async (args) => {
    const found = delivery(args.body as Record<string, unknown>, args.context.retryNum);
    if (found === undefined) return args.next();
    let handled = false;
    if (!(found.rules.dropIfSeen && inFlight.has(found.key))) {
      inFlight.add(found.key);
      try {
        handled = await handleOnce(deps.store.db, found.key, deps.now(), found.rules, () => args.next());
      } catch (error) {
        // The same delivery handled twice at the same moment: this one's change was undone (it had acknowledged already).
        if (error instanceof DuplicateDelivery) return deps.logger.debug(`${found.key} was handled by another delivery at the same time`);
        // The record itself could not be written (the storage failed once the request was answered): a retry will act.
        if (deps.storage.report(error)) return;
        throw error;
      } finally {
        inFlight.delete(found.key);
      }
    }
    if (handled) return;
    deps.logger.debug(`${found.key} was already handled; Slack's retry is ignored`);
    // Events are acknowledged by Bolt before any middleware; the others wait for ours.
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  });
}

/** Keeps the facilitator list right when people join or leave the facilitator channel. */
export function registerFacilitatorChannelEvents(app: Interactions, deps: Deps): void {
  const refresh = async ({ event }: { event: { channel: string } }) => {
    if (event.channel === deps.config.facilitatorChannelId) await deps.facilitators.invalidate();
  };
  app.event('member_joined_channel', refresh);
  app.event('member_left_channel', refresh);
}
