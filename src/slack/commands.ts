import type { App, RespondFn } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { type Locale, type MessageKey, t } from '../i18n/index.js';
import type { Message } from './blocks.js';

export interface CommandContext {
  userId: string;
  channelId: string;
  triggerId: string;
  /** The text after the sub-command, trimmed. */
  args: string;
  locale: Locale;
  isFacilitator: boolean;
  reply(message: Message | string): Promise<void>;
}

export interface SubCommand {
  name: string;
  usage: MessageKey;
  facilitatorOnly?: boolean;
  /** Sub-commands without arguments refuse any, so a typo is not silently ignored. */
  acceptsArguments?: boolean;
  run(ctx: CommandContext): Promise<void>;
}

/** `/tandem <sub-command> [args]`: one entry point, each feature adds its sub-commands. */
export class CommandRouter {
  private readonly commands = new Map<string, SubCommand>();

  add(...commands: SubCommand[]): void {
    for (const command of commands) this.commands.set(command.name, command);
  }

  /** The sub-commands this person may run, in the order they were added. */
  available(isFacilitator: boolean): SubCommand[] {
    return [...this.commands.values()].filter((c) => isFacilitator || !c.facilitatorOnly);
  }

  register(app: App, deps: Deps): void {
    app.command('/tandem', async ({ ack, command, respond }) => {
      await ack();
      const userId = command.user_id;
      const [first = '', ...rest] = command.text.trim().split(/\s+/);
      const name = first.toLowerCase() || 'help';
      const args = rest.join(' ');
      const [person, isFacilitator] = await Promise.all([deps.people.get(userId), deps.facilitators.isFacilitator(userId)]);
      const locale = person.locale;
      const reply = (message: Message | string) => ephemeral(respond, message);
      const sub = this.commands.get(name);
      if (!sub || (sub.facilitatorOnly && !isFacilitator)) {
        const known = sub !== undefined;
        await reply(known ? t(locale, 'error.facilitatorOnly') : this.usageText(locale, name, isFacilitator));
        return;
      }
      if (!sub.acceptsArguments && args !== '') {
        await reply(t(locale, 'usage.noArguments', { command: name, usage: t(locale, sub.usage) }));
        return;
      }
      try {
        await sub.run({ userId, channelId: command.channel_id, triggerId: command.trigger_id, args, locale, isFacilitator, reply });
      } catch (error) {
        deps.logger.error(`/tandem ${name} failed for ${userId}`, error);
        await reply(t(locale, 'error.generic')).catch(() => undefined);
      }
    });
  }

  private usageText(locale: Locale, name: string, isFacilitator: boolean): string {
    const lines = this.available(isFacilitator).map((c) => `• ${t(locale, c.usage)}`);
    return [t(locale, 'usage.unknown', { command: name.slice(0, 50) }), ...lines].join('\n');
  }
}

async function ephemeral(respond: RespondFn, message: Message | string): Promise<void> {
  const body = typeof message === 'string' ? { text: message } : message;
  await respond({ response_type: 'ephemeral', ...body });
}
