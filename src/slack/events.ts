import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { Interactions } from './interactions.js';

/**
 * Slack re-sends an event when it thinks our answer was lost; the event id is recorded in the same
 * database as the effects, so a re-sent event is dropped instead of acting twice.
 */
export function registerEventDeduplication(app: App, deps: Deps): void {
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string') return next();
    const inserted = await deps.store.db
      .insertInto('processed_event')
      .values({ event_id: eventId.slice(0, 100), processed_at: deps.now().toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) {
      deps.logger.debug(`Event ${eventId} was already handled; Slack's retry is ignored`);
      return;
    }
    await next();
  });
}

/** Keeps the facilitator list right when people join or leave the facilitator channel. */
export function registerFacilitatorChannelEvents(app: Interactions, deps: Deps): void {
  const refresh = async ({ event }: { event: { channel: string } }) => {
    if (event.channel === deps.config.facilitatorChannelId) deps.facilitators.invalidate();
  };
  app.event('member_joined_channel', refresh);
  app.event('member_left_channel', refresh);
}
