import type { Deps } from '../../deps.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { lastCompletedPairOf, openPairOf } from '../../store/pairs.js';
import { findParticipant, findParticipantByUser, type Participant } from '../../store/participants.js';
import { pairContractStatus } from '../contract/service.js';
import { followupStatus } from '../followup/service.js';
import { homeView, type PartnerView, statusMessage } from './views.js';

export function registerHome(app: Interactions, deps: Deps, router: CommandRouter): void {
  async function status(ctx: CommandContext) {
    const participant = await findParticipantByUser(deps.store.db, ctx.userId);
    return statusMessage(ctx.locale, participant, participant && (await partnerOf(deps, participant)));
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
  const partner = participant && (await partnerOf(deps, participant));
  await deps.slack.views.publish({ user_id: userId, view: homeView(person.locale, participant, partner, isFacilitator) });
}

async function partnerOf(deps: Deps, participant: Participant): Promise<PartnerView | undefined> {
  // A completed programme still shows its partner and what was learned.
  const pair = (await openPairOf(deps.store.db, participant.id)) ?? (participant.status === 'completed' ? await lastCompletedPairOf(deps.store.db, participant.id) : undefined);
  if (!pair) return undefined;
  const otherId = pair.juniorId === participant.id ? pair.seniorId : pair.juniorId;
  const [other, contract, followup] = await Promise.all([
    findParticipant(deps.store.db, otherId),
    pairContractStatus(deps.store.db, pair),
    followupStatus(deps.store.db, pair, participant.id),
  ]);
  return other && { userId: other.userId, pairStatus: pair.status as PartnerView['pairStatus'], contract, followup };
}
