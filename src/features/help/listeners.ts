import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import { helpMessage } from './views.js';

export function registerHelp(router: CommandRouter): void {
  router.add({
    name: 'help',
    usage: 'usage.help',
    run: async (ctx: CommandContext) => {
      const mine = router.available(false);
      const theirs = ctx.isFacilitator ? router.available(true).filter((c) => c.facilitatorOnly) : [];
      await ctx.reply(helpMessage(ctx.locale, mine, theirs, mine.some((c) => c.name === 'concern')));
    },
  });
}
