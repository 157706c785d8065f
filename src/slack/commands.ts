import type { App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { type Locale, type MessageKey, t } from '../i18n/index.js';
import type { Message } from './blocks.js';
import { loadWhileHolding } from './modals.js';
import { PATIENT_WAIT_MS } from './people.js';

export interface CommandContext {
  userId: string;
  channelId: string;
  triggerId: string;
  /** The text after the sub-command, trimmed. */
  args: string;
  locale: Locale;
  isFacilitator: boolean;
  /** Sends an ephemeral reply on the command's response URL (for answers that come later). */
  reply(message: Message | string): Promise<void>;
  /**
   * Waits for the data the sub-command's modal needs: for one that `opensModal`, the trigger is held
   * with "Loading…" once the request (who the caller is, then this) has waited HOLD_AFTER_MS in all.
   */
  load<T>(data: Promise<T>): Promise<T>;
}

export type Reply = Message | string | undefined;

export interface SubCommand {
  name: string;
  usage: MessageKey;
  facilitatorOnly?: boolean;
  /** Sub-commands without arguments refuse any, so a typo is not silently ignored. */
  acceptsArguments?: boolean;
  /**
   * Answers from local data alone (no Slack call, no modal): its reply can travel in the
   * acknowledgement itself, saving a round trip to the response URL.
   */
  quick?: boolean;
  /**
   * Opens a modal: when who the caller is must still be asked of Slack, a "Loading…" modal opens
   * at once on the trigger, and the modal the sub-command opens (or its answer) fills it.
   */
  opensModal?: boolean;
  /** The returned reply is sent to the person; a sub-command may also call `ctx.reply` itself. */
  run(ctx: CommandContext): Promise<Reply>;
}

interface Caller {
  locale: Locale;
  isFacilitator: boolean;
}

const toMessage = (reply: Message | string): Message => (typeof reply === 'string' ? { text: reply } : reply);

/** `/tandem <sub-command> [args]`: one entry point, each feature adds its sub-commands. */
export class CommandRouter {
  private readonly commands = new Map<string, SubCommand>();

  /** `slashCommand` is the one declared in manifest.json. */
  constructor(readonly slashCommand: string) {}

  add(...commands: SubCommand[]): void {
    for (const command of commands) this.commands.set(command.name, command);
  }

  /** The sub-commands this person may run, in the order they were added. */
  available(isFacilitator: boolean): SubCommand[] {
    return [...this.commands.values()].filter((c) => isFacilitator || !c.facilitatorOnly);
  }

  /**
   * A global middleware rather than a Bolt command listener, like Interactions: Bolt runs every
   * listener's middleware chain on each request, so Tandem registers no listener at all.
   */
  register(app: App, deps: Deps): void {
    const handle = async ({ ack, command, respond }: SlackCommandMiddlewareArgs) => {
      const startedAt = Date.now();
      const userId = command.user_id;
      const [first = '', ...rest] = command.text.trim().split(/\s+/);
      const name = first.toLowerCase() || 'help';
      const args = rest.join(' ');
      const sub = this.commands.get(name);
      const trigger = command.trigger_id;
      const load = <T>(data: Promise<T>): Promise<T> =>
        sub?.opensModal ? loadWhileHolding(deps.modals, trigger, () => deps.people.atOnce(userId).locale, data, startedAt) : data;
      const base = { userId, channelId: command.channel_id, triggerId: command.trigger_id, args, load };
      // While a loading modal holds the trigger, an answer fills it instead of a message.
      const replyIn = (locale: Locale) => async (message: Message | string) =>
        deps.modals.isHeld(trigger) ? deps.modals.settle(trigger, locale, toMessage(message).text) : ephemeral(respond, message);

      // With the caller already known, a quick answer goes back in the ack: no extra request.
      const known = await this.knownCaller(deps, userId);
      if (known && (sub === undefined || sub.quick || this.refusal(sub, args, known, name))) {
        const answer = await this.answer(deps, sub, name, { ...base, ...known, reply: replyIn(known.locale) }).catch((error) => this.failed(deps, name, userId, known, error));
        await ack({ response_type: 'ephemeral', ...toMessage(answer ?? t(known.locale, 'error.generic')) });
        return;
      }
      await ack();
      // Asking Slack who the caller is may be slow: a modal's trigger lives 3 s, so it is held meanwhile.
      const caller =
        known ??
        (sub?.opensModal
          ? await load(this.caller(deps, userId, PATIENT_WAIT_MS))
          : await this.caller(deps, userId));
      const reply = replyIn(caller.locale);
      const answer = await this.answer(deps, sub, name, { ...base, ...caller, reply }).catch((error) => this.failed(deps, name, userId, caller, error));
      if (answer !== undefined) await reply(answer).catch((error) => deps.logger.warn(`Could not reply to /tandem ${name}`, error));
      await deps.modals.settle(trigger, caller.locale, t(caller.locale, 'error.generic'));
    };
    app.use(async (args) => {
      if ('command' in args && args.command?.command === this.slashCommand) await handle(args as SlackCommandMiddlewareArgs);
      else await args.next();
    });
  }

  private async knownCaller(deps: Deps, userId: string): Promise<Caller | undefined> {
    const person = deps.people.peek(userId);
    const isFacilitator = person ? await deps.facilitators.peek(userId) : undefined;
    return person && isFacilitator !== undefined ? { locale: person.locale, isFacilitator } : undefined;
  }

  private async caller(deps: Deps, userId: string, waitMs?: number): Promise<Caller> {
    const [person, isFacilitator] = await Promise.all([deps.people.get(userId, waitMs), deps.facilitators.isFacilitator(userId)]);
    return { locale: person.locale, isFacilitator };
  }

  /** Why this sub-command cannot run for this caller, if it cannot. */
  private refusal(sub: SubCommand, args: string, caller: Caller, name: string): string | undefined {
    if (sub.facilitatorOnly && !caller.isFacilitator) return t(caller.locale, 'error.facilitatorOnly');
    if (!sub.acceptsArguments && args !== '') return t(caller.locale, 'usage.noArguments', { command: name, usage: t(caller.locale, sub.usage) });
    return undefined;
  }

  private async answer(deps: Deps, sub: SubCommand | undefined, name: string, ctx: CommandContext): Promise<Reply> {
    if (!sub) return this.usageText(ctx.locale, name, ctx.isFacilitator);
    return this.refusal(sub, ctx.args, ctx, name) ?? sub.run(ctx);
  }

  private failed(deps: Deps, name: string, userId: string, caller: Caller, error: unknown): string {
    if (deps.storage.report(error)) return t(caller.locale, 'storage.tryAgain');
    deps.logger.error(`/tandem ${name} failed for ${userId}`, error);
    return t(caller.locale, 'error.generic');
  }

  private usageText(locale: Locale, name: string, isFacilitator: boolean): string {
    const lines = this.available(isFacilitator).map((c) => `• ${t(locale, c.usage)}`);
    return [t(locale, 'usage.unknown', { command: name.slice(0, 50) }), ...lines].join('\n');
  }
}

async function ephemeral(respond: RespondFn, message: Message | string): Promise<void> {
  await respond({ response_type: 'ephemeral', ...toMessage(message) });
}
