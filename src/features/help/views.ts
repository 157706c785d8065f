import type { KnownBlock } from '@slack/types';
import { type Locale, t } from '../../i18n/index.js';
import { context, header, type Message, section } from '../../slack/blocks.js';
import type { SubCommand } from '../../slack/commands.js';

export function helpMessage(locale: Locale, mine: SubCommand[], facilitators: SubCommand[], hasConcern: boolean): Message {
  const list = (commands: SubCommand[]) => commands.map((c) => `• ${t(locale, c.usage)}`).join('\n');
  const blocks: KnownBlock[] = [header(t(locale, 'help.title')), section(t(locale, 'help.intro')), section(`${t(locale, 'help.commands')}\n${list(mine)}`)];
  if (facilitators.length > 0) blocks.push(section(`${t(locale, 'help.facilitatorCommands')}\n${list(facilitators)}`));
  blocks.push(context(t(locale, hasConcern ? 'help.footer' : 'help.footerNoConcern')));
  return { text: t(locale, 'help.title'), blocks };
}
