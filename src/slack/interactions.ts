import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { FaultArgs, FaultReply } from './faults.js';

type ActionHandler<A extends BlockAction> = (args: SlackActionMiddlewareArgs<A> & AllMiddlewareArgs) => Promise<unknown>;
type ViewHandler = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<unknown>;
type EventHandler<T extends string = string> = (args: SlackEventMiddlewareArgs<T> & AllMiddlewareArgs) => Promise<unknown>;

/**
 * Buttons, modals and events by id or type, routed by one global middleware. Bolt runs the matching
 * middleware of every listener on every request (a slash command went through the button, modal
 * and event listeners' too, each copying its middleware list and making its promises), so the
 * cost of each request grew with every listener; one router keeps it flat. What it does not route
 * (the slash command, see CommandRouter) goes on to the next middleware.
 */
export class Interactions {
  private readonly buttons = new Map<string, ActionHandler<BlockAction>>();
  private readonly modals = new Map<string, ViewHandler>();
  private readonly events = new Map<string, EventHandler>();

  /** `onFault` answers a request that failed on a storage fault (see src/slack/faults.ts). */
  constructor(
    private readonly app: App,
    private readonly onFault?: FaultReply,
  ) {}

  action<A extends BlockAction = BlockButtonAction>(actionId: string, handler: ActionHandler<A>): void {
    if (this.buttons.has(actionId)) throw new Error(`Two handlers for the action ${actionId}`);
    this.buttons.set(actionId, handler as unknown as ActionHandler<BlockAction>);
  }

  view(callbackId: string, handler: ViewHandler): void {
    if (this.modals.has(callbackId)) throw new Error(`Two handlers for the view ${callbackId}`);
    this.modals.set(callbackId, handler);
  }

  /** Events still need their subscription in the manifest; this only routes them. */
  event<T extends string>(type: T, handler: EventHandler<T>): void {
    if (this.events.has(type)) throw new Error(`Two handlers for the event ${type}`);
    this.events.set(type, handler as unknown as EventHandler);
  }

  /** A storage fault is answered "try again"; any other error goes on to Bolt, as before. */
  private async fault(error: unknown, request: FaultArgs): Promise<void> {
    if (this.onFault && (await this.onFault(error, request))) return;
    throw error;
  }

  /** Call once every feature has added its own; later middleware and listeners see only what is not routed here. */
  register(): void {
    this.app.use(async (args) => {
      const type = (args.body as { type?: unknown }).type;
      if (type === 'block_actions' && 'action' in args && args.action) {
        const actionArgs = args as SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
        const handler = this.buttons.get(actionArgs.action.action_id);
        // A button of an old message whose feature is gone: acknowledged, nothing done.
        if (!handler) return void (await actionArgs.ack());
        const acked = tracked(actionArgs.ack);
        await handler({ ...actionArgs, ack: acked.ack }).catch((error) => this.fault(error, { kind: 'button', args: actionArgs, acked: acked.done }));
        return;
      }
      if (type === 'view_submission' && 'view' in args) {
        const viewArgs = args as SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
        const handler = this.modals.get(viewArgs.view.callback_id);
        if (!handler) return void (await viewArgs.ack());
        const acked = tracked(viewArgs.ack);
        await handler({ ...viewArgs, ack: acked.ack }).catch((error) => this.fault(error, { kind: 'modal', args: viewArgs, acked: acked.done }));
        return;
      }
      const handler = 'event' in args && args.event ? this.events.get(args.event.type) : undefined;
      if (handler) await handler(args as SlackEventMiddlewareArgs & AllMiddlewareArgs).catch((error) => this.fault(error, { kind: 'event' }));
      else await args.next();
    });
  }
}

/** An ack that remembers it was called (read `done` when the handler has failed). */
function tracked<A extends (...args: never[]) => Promise<void>>(ack: A): { ack: A; readonly done: boolean } {
  let done = false;
  const wrapped = (async (...args: Parameters<A>) => {
    done = true;
    await ack(...args);
  }) as A;
  return {
    ack: wrapped,
    get done() {
      return done;
    },
  };
}
