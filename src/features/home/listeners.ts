import type { BlockButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { type Locale, type MessageKey, t, type Vars } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import type { Person } from '../../slack/people.js';
import { ViewState } from '../../slack/view-state.js';
import { type Hold, holding, patientPerson } from '../../slack/modals.js';
import { dateLabel } from '../../slack/labels.js';
import { openRefusal } from '../contract/listeners.js';
import { openContractForm } from '../contract/service.js';
import { contractModal } from '../contract/views.js';
import { openCheckin, type PauseOutcome } from '../followup/service.js';
import { checkinModal } from '../followup/views.js';
import { runMatching } from '../matching/service.js';
import { datesRefusalText } from '../matching/views.js';
import { ownActivePair, participantHome, pauseFromHome, renderHome, resumeFromHome, turnPage } from './service.js';
import {
  HOME_CHECKIN,
  HOME_CONTRACT,
  HOME_PAGE_NEXT,
  HOME_PAGE_PREVIOUS,
  HOME_PAUSE,
  HOME_RESUME,
  HOME_RUN_MATCHING,
  noticeModal,
  PAUSE_BLOCK,
  PAUSE_CALLBACK,
  pauseModal,
  statusMessage,
} from './views.js';

// Network input: ids and a page number only, nothing else accepted.
const pairValue = z.object({ pairId: z.number().int().positive() }).strict();
/** Far beyond any programme (ten people a page): a larger page is a forged one. */
const MAX_PAGE = 10_000;
const pageValue = z.object({ page: z.number().int().min(0).max(MAX_PAGE) }).strict();

const HomeOpened = z.object({ user: z.string().regex(/^[UW][A-Z0-9]{2,20}$/), tab: z.string() });

/** `hold`: for a button that opens a modal, waits for its data with the trigger held by "Loading…" once the click has waited long. */
type ButtonArgs = { userId: string; triggerId: string; value: string | undefined; person: Person; locale: Locale; hold: Hold };

export function registerHome(app: Interactions, deps: Deps, router: CommandRouter): void {
  deps.home.renderWith((userId, page) => renderHome(deps, userId, page));

  async function status(ctx: CommandContext) {
    const { participant, partner } = await participantHome(deps, ctx.userId);
    return statusMessage(ctx.locale, participant, partner);
  }
  router.add({ name: 'status', usage: 'usage.status', quick: true, run: status });

  app.event('app_home_opened', async ({ event }) => {
    // An event is network input too: a user that is not a Slack id is ignored.
    const opened = HomeOpened.safeParse(event);
    if (!opened.success || opened.data.tab !== 'home') return;
    const userId = opened.data.user;
    await deps.home.opened(userId, await deps.facilitators.isFacilitator(userId));
  });

  /** Opens a modal on the Home tab; false when Slack would not (the trigger expired, Slack busy). */
  async function open(userId: string, triggerId: string, view: ModalView): Promise<string | undefined> {
    try {
      const opened = await deps.modals.open({ trigger_id: triggerId, view });
      return opened.view?.id;
    } catch (error) {
      deps.logger.warn(`Could not open a modal from the Home tab for ${userId}`, error);
      return undefined;
    }
  }

  /** A Home tab has no conversation: a refusal or an answer shows in a small modal. */
  const tell = (args: ButtonArgs, key: MessageKey, vars?: Vars) => open(args.userId, args.triggerId, noticeModal(args.locale, t(args.locale, key, vars)));

  /**
   * A Home button: acknowledged at once, answered in the clicker's language. One that opens a modal
   * holds its trigger with a "Loading…" modal while Slack is asked who the person is and the database read.
   */
  function homeButton(actionId: string, handle: (args: ButtonArgs) => Promise<void>, opensModal = false) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }) => {
      await ack();
      const userId = body.user.id;
      const triggerId = body.trigger_id;
      const hold: Hold = opensModal ? holding(deps, userId, triggerId) : (load) => load;
      const person = opensModal ? await hold(patientPerson(deps.people, userId)) : await deps.people.get(userId);
      await handle({ userId, triggerId, value: action.value, person, locale: person.locale, hold });
      await deps.modals.settle(triggerId, person.locale, t(person.locale, 'error.generic'));
    });
  }

  /** A facilitator's Home button: checked on the server for every click, whatever the tab showed. */
  function facilitatorButton(actionId: string, handle: (args: ButtonArgs) => Promise<void>, opensModal = false) {
    homeButton(
      actionId,
      async (args) => {
        if (!(await deps.facilitators.isFacilitator(args.userId))) return void (await tell(args, 'error.facilitatorOnly'));
        await handle(args);
      },
      opensModal,
    );
  }

  homeButton(HOME_CONTRACT, async (args) => {
    const value = parseValue(pairValue, args.value);
    if (!value) return void (await tell(args, 'error.badRequest'));
    const outcome = await args.hold(openContractForm(deps, args.userId, args.person.known ? args.person.timeZone : undefined, value.pairId));
    if (outcome.kind !== 'form') return void (await open(args.userId, args.triggerId, noticeModal(args.locale, openRefusal(args.locale, outcome))));
    await open(args.userId, args.triggerId, contractModal(args.locale, outcome.form));
  }, true);

  homeButton(HOME_CHECKIN, async (args) => {
    const value = parseValue(pairValue, args.value);
    if (!value) return void (await tell(args, 'error.badRequest'));
    const own = await args.hold(ownActivePair(deps, args.userId, value.pairId));
    if (own.kind === 'refused') return void (await tell(args, own.key, own.vars));
    const outcome = await args.hold(openCheckin(deps, args.userId, null, own.pairId));
    if (outcome.kind === 'refused') return void (await tell(args, outcome.key, outcome.vars));
    await open(args.userId, args.triggerId, checkinModal(outcome.locale, outcome.form));
  }, true);

  homeButton(HOME_PAUSE, async (args) => {
    const value = parseValue(pairValue, args.value);
    if (!value) return void (await tell(args, 'error.badRequest'));
    const own = await args.hold(ownActivePair(deps, args.userId, value.pairId));
    if (own.kind === 'refused') return void (await tell(args, own.key, own.vars));
    await open(args.userId, args.triggerId, pauseModal(args.locale, own.pairId));
  }, true);

  homeButton(HOME_RESUME, async (args) => {
    const value = parseValue(pairValue, args.value);
    if (!value) return void (await tell(args, 'error.badRequest'));
    const outcome = await resumeFromHome(deps, args.userId, value.pairId);
    if (outcome.kind === 'refused') return void (await tell(args, outcome.key, outcome.vars));
    await deps.home.publishNow(args.userId);
  });

  app.view(PAUSE_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const { locale } = deps.people.atOnce(userId);
    const meta = parseValue(pairValue, view.private_metadata);
    const date = new ViewState(view.state.values).date(PAUSE_BLOCK);
    const outcome: PauseOutcome = meta ? await pauseFromHome(deps, userId, meta.pairId, date) : { kind: 'refused', key: 'error.badRequest' };
    if (outcome.kind === 'refused') return void (await ack({ response_action: 'errors', errors: { [PAUSE_BLOCK]: t(locale, outcome.key, outcome.vars) } }));
    const text =
      outcome.kind === 'paused' && outcome.until ? t(locale, 'followup.pause.doneUntil', { date: dateLabel(locale, outcome.until) }) : t(locale, 'followup.pause.done');
    await ack({ response_action: 'update', view: noticeModal(locale, text, t(locale, 'home.pause.title')) });
    await deps.home.publishNow(userId);
  });

  facilitatorButton(HOME_RUN_MATCHING, async (args) => {
    // Matching a large pool outlasts the trigger's few seconds: the modal opens first, then shows the outcome.
    const viewId = await open(args.userId, args.triggerId, noticeModal(args.locale, t(args.locale, 'home.matching.running'), t(args.locale, 'home.matching.title')));
    const outcome = await runMatching(deps, args.userId);
    const text =
      outcome.kind === 'no_pool'
        ? t(args.locale, 'match.noPool')
        : outcome.kind === 'outside_dates'
          ? datesRefusalText(args.locale, outcome.refusal)
          : t(args.locale, 'match.done', { proposals: outcome.proposals, unmatched: outcome.unmatched, channel: deps.config.facilitatorChannelId });
    if (viewId) {
      await deps.slack.views
        .update({ view_id: viewId, view: noticeModal(args.locale, text, t(args.locale, 'home.matching.title')) })
        .catch((error) => deps.logger.warn(`Could not show the matching outcome to ${args.userId}`, error));
    }
    await deps.home.publishNow(args.userId);
  }, true);

  for (const actionId of [HOME_PAGE_NEXT, HOME_PAGE_PREVIOUS]) {
    facilitatorButton(actionId, async (args) => {
      const value = parseValue(pageValue, args.value);
      if (!value) return void (await tell(args, 'error.badRequest'));
      await turnPage(deps, args.userId, value.page);
    });
  }
}
