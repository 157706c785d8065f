import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import { findParticipantByUser } from '../../store/participants.js';
import { homeView, statusMessage } from './views.js';

export function registerHome(app: App, deps: Deps, router: CommandRouter): void {
  async function status(ctx: CommandContext) {
    const participant = await findParticipantByUser(deps.store.db, ctx.userId);
    return statusMessage(ctx.locale, participant);
  }
  router.add({ name: 'status', usage: 'usage.status', quick: true, run: status });

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, event.user);
  });
}

/** Renders the Home tab again, e.g. when the person's state changed. */
export async function publishHome(deps: Deps, userId: string): Promise<void> {
  const [person, isFacilitator, participant] = await Promise.all([
    deps.people.get(userId),
    deps.facilitators.isFacilitator(userId),
    findParticipantByUser(deps.store.db, userId),
  ]);
  await deps.slack.views.publish({ user_id: userId, view: homeView(person.locale, participant, isFacilitator) });
}
