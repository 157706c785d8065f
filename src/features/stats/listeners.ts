import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { isAcceptablePeriod } from '../../domain/stats.js';
import { t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { ChartRequests, postActivityChart } from './chart.js';
import { programmeFigures } from './service.js';
import { POST_CHART, statsMessage } from './views.js';

// Network input: the two months the reply announced, nothing else.
const periodValue = z.object({ from: z.string().max(7), to: z.string().max(7) }).strict();

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });

export function registerStats(app: Interactions, deps: Deps, router: CommandRouter): void {
  const requests = new ChartRequests();

  router.add({
    name: 'stats',
    usage: 'usage.stats',
    facilitatorOnly: true,
    // Read from the database alone: the reply can travel in the acknowledgement.
    quick: true,
    run: async (ctx) => statsMessage(ctx.locale, await programmeFigures(deps), deps.config.tzDefault),
  });

  /** Facilitators only, checked on the server for every click, whatever the message showed. */
  app.action<BlockButtonAction>(POST_CHART, async ({ ack, body, action, respond }) => {
    await ack();
    const userId = body.user.id;
    const [{ locale }, allowed] = await Promise.all([deps.people.get(userId), deps.facilitators.isFacilitator(userId)]);
    if (!allowed) return void (await tell(respond, t(locale, 'error.facilitatorOnly')));
    const period = parseValue(periodValue, action.value);
    if (!period || !isAcceptablePeriod(period, deps.now(), deps.config.tzDefault)) return void (await tell(respond, t(locale, 'error.badRequest')));
    const outcome = await postActivityChart(deps, requests, userId, period).catch((error: unknown) => {
      deps.logger.error(`The activity chart failed for ${userId}`, error);
      return undefined;
    });
    const text = outcome ? t(locale, `stats.chart.${outcome.kind}`, { channel: deps.config.facilitatorChannelId }) : t(locale, 'error.generic');
    await tell(respond, text);
  });
}
