import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import { helpMessage } from './views.js';

export function registerHelp(router: CommandRouter): void {
  router.add({
    name: 'help',
    usage: 'usage.help',
    quick: true,
    run: async (ctx: CommandContext) => {
      const mine = router.available(false);
      const theirs = ctx.isFacilitator ? router.available(true).filter((c) => c.facilitatorOnly) : [];
      return helpMessage(ctx.locale, mine, theirs, mine.some((c) => c.name === 'concern'));
    },
  });
}
