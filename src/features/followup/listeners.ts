import type { ModalView } from '@slack/types';
import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { CheckinRawInput, SurveyRawInput } from '../../domain/checkin.js';
import { type Locale, t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { ViewState } from '../../slack/view-state.js';
import { answerClick } from '../../slack/answer.js';
import { personAndData } from '../../slack/modals.js';
import { dateLabel } from '../../slack/labels.js';
import { answerPrompt, openCheckin, openSurvey, pausePair, type Refusal, resumePair, submitCheckin, submitSurvey } from './service.js';
import {
  CHECKIN_BLOCKS,
  CHECKIN_CALLBACK,
  checkinModal,
  endLevelBlock,
  pausedText,
  PROMPT_HELP,
  PROMPT_MET,
  PROMPT_NOT_YET,
  PROMPT_SURVEY,
  resumedText,
  progressBlock,
  reachedBlock,
  SURVEY_BLOCKS,
  SURVEY_CALLBACK,
  surveyModal,
  thanksModal,
} from './views.js';

// Network input: ids only.
const promptValue = z.object({ promptId: z.number().int().positive() }).strict();
const checkinMeta = z.object({ pairId: z.number().int().positive(), contractId: z.number().int().positive(), promptId: z.number().int().positive().nullable() }).strict();
/** At most ten objectives (five a side), so at most ten progress fields. */
const MAX_OBJECTIVES = 10;

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
const refusalText = (locale: Locale, refusal: Refusal) => t(locale, refusal.key, refusal.vars);

function readCheckin(state: ViewState): CheckinRawInput {
  return {
    metOn: state.date(CHECKIN_BLOCKS.metOn),
    minutes: state.selected(CHECKIN_BLOCKS.minutes),
    topics: state.text(CHECKIN_BLOCKS.topics),
    progress: Array.from({ length: MAX_OBJECTIVES }, (_, i) => state.selected(progressBlock(i))),
    rating: state.selected(CHECKIN_BLOCKS.rating),
    flow: state.selected(CHECKIN_BLOCKS.flow),
    privateNote: state.text(CHECKIN_BLOCKS.privateNote),
  };
}

function readSurvey(state: ViewState): SurveyRawInput {
  return {
    reached: Array.from({ length: MAX_OBJECTIVES }, (_, i) => state.selected(reachedBlock(i))),
    endLevels: Array.from({ length: MAX_OBJECTIVES }, (_, i) => state.selected(endLevelBlock(i))),
    satisfaction: state.selected(SURVEY_BLOCKS.satisfaction),
    learned: state.text(SURVEY_BLOCKS.learned),
    mayQuote: state.selected(SURVEY_BLOCKS.mayQuote),
  };
}

/** A refusal of a submitted form shows on its first input block, so the person sees it. */
function firstInput(view: { blocks: readonly unknown[] }): string {
  const input = (view.blocks as { type?: string; block_id?: string }[]).find((b) => b.type === 'input');
  return input?.block_id ?? CHECKIN_BLOCKS.metOn;
}

export function registerFollowup(app: Interactions, deps: Deps, router: CommandRouter): void {
  const localeOf = async (userId: string): Promise<Locale> => (deps.people.peek(userId) ?? (await deps.people.get(userId))).locale;

  async function openModal(userId: string, triggerId: string, view: ModalView, locale: Locale): Promise<string | undefined> {
    try {
      await deps.modals.open({ trigger_id: triggerId, view });
      return undefined;
    } catch (error) {
      deps.logger.warn(`Could not open a follow-up modal for ${userId}`, error);
      return t(locale, 'error.slackBusy');
    }
  }

  async function checkin(ctx: CommandContext) {
    const outcome = await ctx.load(openCheckin(deps, ctx.userId, null));
    if (outcome.kind === 'refused') return refusalText(ctx.locale, outcome);
    return openModal(ctx.userId, ctx.triggerId, checkinModal(outcome.locale, outcome.form), outcome.locale);
  }

  async function pause(ctx: CommandContext) {
    const outcome = await pausePair(deps, ctx.userId, ctx.args === '' ? undefined : ctx.args);
    if (outcome.kind === 'refused') return refusalText(ctx.locale, outcome);
    if (outcome.kind !== 'paused') return undefined;
    return pausedText(ctx.locale, 'scope' in outcome ? outcome.scope : 'active', outcome.until);
  }

  async function resume(ctx: CommandContext) {
    const outcome = await resumePair(deps, ctx.userId);
    if (outcome.kind === 'refused') return refusalText(ctx.locale, outcome);
    return resumedText(ctx.locale, 'scope' in outcome ? outcome.scope : 'active');
  }

  router.add(
    { name: 'checkin', usage: 'usage.checkin', opensModal: true, run: checkin },
    { name: 'pause', usage: 'usage.pause', acceptsArguments: true, quick: true, run: pause },
    { name: 'resume', usage: 'usage.resume', quick: true, run: resume },
  );

  app.action<BlockButtonAction>(PROMPT_MET, async ({ ack, body, action, respond }) => {
    await ack();
    const userId = body.user.id;
    const click = { userId, triggerId: body.trigger_id, responseUrl: body.response_url, respond };
    const value = parseValue(promptValue, action.value);
    const [{ locale }, outcome] = await personAndData(deps, userId, body.trigger_id, value ? openCheckin(deps, userId, value.promptId) : Promise.resolve(undefined));
    if (!outcome) return void (await answerClick(deps, click, t(locale, 'error.badRequest'), locale));
    if (outcome.kind === 'refused') return void (await answerClick(deps, click, refusalText(locale, outcome), locale));
    const problem = await openModal(userId, body.trigger_id, checkinModal(outcome.locale, outcome.form), outcome.locale);
    if (problem) await tell(respond, problem);
  });

  for (const [actionId, answer] of [[PROMPT_NOT_YET, 'not_yet'], [PROMPT_HELP, 'help']] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const userId = body.user.id;
      const value = parseValue(promptValue, action.value);
      const [locale, outcome] = await Promise.all([localeOf(userId), value ? answerPrompt(deps, userId, value.promptId, answer) : undefined]);
      if (!outcome) return void (await tell(respond, t(locale, 'error.badRequest')));
      if (outcome.kind === 'refused') return void (await tell(respond, refusalText(locale, outcome)));
      await tell(respond, t(outcome.locale, answer === 'help' ? 'followup.help.thanks' : 'followup.notYet.thanks'));
    });
  }

  app.action<BlockButtonAction>(PROMPT_SURVEY, async ({ ack, body, action, respond }) => {
    await ack();
    const userId = body.user.id;
    const click = { userId, triggerId: body.trigger_id, responseUrl: body.response_url, respond };
    const value = parseValue(promptValue, action.value);
    const [{ locale }, outcome] = await personAndData(deps, userId, body.trigger_id, value ? openSurvey(deps, userId, value.promptId) : Promise.resolve(undefined));
    if (!outcome) return void (await answerClick(deps, click, t(locale, 'error.badRequest'), locale));
    if (outcome.kind === 'refused') return void (await answerClick(deps, click, refusalText(locale, outcome), locale));
    const problem = await openModal(userId, body.trigger_id, surveyModal(outcome.locale, outcome.form), outcome.locale);
    if (problem) await tell(respond, problem);
  });

  app.view(CHECKIN_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    // A form is acknowledged before any call to Slack: the language known already.
    const { locale } = deps.people.atOnce(userId);
    const meta = parseValue(checkinMeta, view.private_metadata);
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [firstInput(view)]: t(locale, 'error.badRequest') } }));
    const outcome = await submitCheckin(deps, userId, { ...meta, viewId: view.id }, readCheckin(new ViewState(view.state.values)));
    if (outcome.kind === 'invalid') return void (await ack({ response_action: 'errors', errors: outcome.errors }));
    if (outcome.kind === 'refused') return void (await ack({ response_action: 'errors', errors: { [firstInput(view)]: refusalText(locale, outcome) } }));
    await ack({ response_action: 'update', view: thanksModal(outcome.locale, 'followup.form.thanks') });
  });

  app.view(SURVEY_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const { locale } = deps.people.atOnce(userId);
    const meta = parseValue(promptValue, view.private_metadata);
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [firstInput(view)]: t(locale, 'error.badRequest') } }));
    const outcome = await submitSurvey(deps, userId, meta.promptId, readSurvey(new ViewState(view.state.values)));
    if (outcome.kind === 'invalid') return void (await ack({ response_action: 'errors', errors: outcome.errors }));
    if (outcome.kind === 'refused') return void (await ack({ response_action: 'errors', errors: { [firstInput(view)]: refusalText(locale, outcome) } }));
    await ack({ response_action: 'update', view: thanksModal(outcome.locale, 'followup.survey.thanks', 'followup.survey.title') });
  });
}
