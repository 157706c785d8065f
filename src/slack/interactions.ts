import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type ActionHandler<A extends BlockAction> = (args: SlackActionMiddlewareArgs<A> & AllMiddlewareArgs) => Promise<unknown>;
type ViewHandler = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<unknown>;

/**
 * Buttons and modals by id, behind one Bolt listener per kind. Bolt runs every listener's matching
 * middleware on every request, so a listener per button would make each request cost more with
 * every button a feature adds; one dispatcher keeps it flat.
 */
export class Interactions {
  private readonly buttons = new Map<string, ActionHandler<BlockAction>>();
  private readonly modals = new Map<string, ViewHandler>();
  readonly event: App['event'];

  constructor(private readonly app: App) {
    // Events are few and each needs its own subscription: they stay plain Bolt listeners.
    this.event = app.event.bind(app);
  }

  action<A extends BlockAction = BlockButtonAction>(actionId: string, handler: ActionHandler<A>): void {
    if (this.buttons.has(actionId)) throw new Error(`Two handlers for the action ${actionId}`);
    this.buttons.set(actionId, handler as unknown as ActionHandler<BlockAction>);
  }

  view(callbackId: string, handler: ViewHandler): void {
    if (this.modals.has(callbackId)) throw new Error(`Two handlers for the view ${callbackId}`);
    this.modals.set(callbackId, handler);
  }

  register(): void {
    this.app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const handler = this.buttons.get(args.action.action_id);
      // A button of an old message whose feature is gone: acknowledged, nothing done.
      if (handler) await handler(args);
      else await args.ack();
    });
    this.app.view<ViewSubmitAction>({ type: 'view_submission' }, async (args) => {
      const handler = this.modals.get(args.view.callback_id);
      if (handler) await handler(args);
      else await args.ack();
    });
  }
}
