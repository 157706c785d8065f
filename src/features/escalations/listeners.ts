import type { BlockButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { answerClick } from '../../slack/answer.js';
import { type Locale, t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { type Hold, holding, patientPerson } from '../../slack/modals.js';
import { PATIENT_WAIT_MS } from '../../slack/people.js';
import { ViewState } from '../../slack/view-state.js';
import {
  type ActionOutcome,
  assign,
  details,
  endFromEscalation,
  type FormOpening,
  type FormOutcome,
  listEscalations,
  nudge,
  openConcern,
  openEnd,
  openResolve,
  readNote,
  type Refusal,
  resolve,
  submitConcern,
  talk,
} from './service.js';
import {
  CONCERN_CALLBACK,
  CONCERN_OPEN,
  CONCERN_TEXT,
  END_CALLBACK,
  END_REASON,
  ESCALATION_ASSIGN,
  ESCALATION_DETAILS,
  ESCALATION_END,
  ESCALATION_NUDGE,
  ESCALATION_RESOLVE,
  ESCALATION_TALK,
  NOTE_READ,
  RESOLVE_CALLBACK,
  RESOLVE_NOTE,
  thanksModal,
} from './views.js';

// Network input: ids only, and for a take-over the assignee the clicker saw.
const escalationValue = z.object({ escalationId: z.number().int().positive() }).strict();
const assignValue = z.object({ escalationId: z.number().int().positive(), from: z.string().regex(/^[UW][A-Z0-9]{1,20}$/).nullable() }).strict();
const noteValue = z.object({ checkinId: z.number().int().positive() }).strict();
const formId = z.string().min(1).max(64);

const refusalText = (locale: Locale, refusal: Refusal) => t(locale, refusal.key, refusal.vars);

export function registerEscalations(app: Interactions, deps: Deps, router: CommandRouter): void {
  const localeOf = async (userId: string): Promise<Locale> => (deps.people.peek(userId) ?? (await deps.people.get(userId))).locale;
  const isFacilitator = async (userId: string): Promise<boolean> => await deps.facilitators.isFacilitator(userId);

  async function openModal(userId: string, triggerId: string, view: ModalView, locale: Locale): Promise<string | undefined> {
    try {
      await deps.modals.open({ trigger_id: triggerId, view });
      return undefined;
    } catch (error) {
      deps.logger.warn(`Could not open an escalation modal for ${userId}`, error);
      return t(locale, 'error.slackBusy');
    }
  }

  async function concern(ctx: CommandContext) {
    const outcome = await ctx.load(openConcern(deps, ctx.userId, ctx.locale));
    if (outcome.kind === 'refused') return refusalText(ctx.locale, outcome);
    return openModal(ctx.userId, ctx.triggerId, outcome.view, ctx.locale);
  }

  router.add(
    { name: 'concern', usage: 'usage.concern', opensModal: true, run: concern },
    { name: 'escalations', usage: 'usage.escalations', facilitatorOnly: true, quick: true, run: (ctx) => listEscalations(deps, ctx.locale) },
  );

  app.action<BlockButtonAction>(CONCERN_OPEN, async ({ ack, body, respond }) => {
    await ack();
    const userId = body.user.id;
    // Who the person is (their language), then whether they may raise a concern: held together with "Loading…" when slow.
    const { locale, outcome } = await holding(deps, userId, body.trigger_id)(
      (async () => {
        const { locale } = await patientPerson(deps.people, userId);
        return { locale, outcome: await openConcern(deps, userId, locale) };
      })(),
    );
    if (outcome.kind === 'refused') return void (await answerClick(deps, { userId, triggerId: body.trigger_id, responseUrl: body.response_url, respond }, refusalText(locale, outcome), locale));
    const problem = await openModal(userId, body.trigger_id, outcome.view, locale);
    // The trigger is spent or Slack is busy: the answer goes where the person can see it.
    if (problem) await answerClick(deps, { userId, responseUrl: body.response_url, respond }, problem, locale);
  });

  /**
   * A facilitator button: checked on the server for every click, whatever the message showed; the
   * value is parsed, and the service checks the escalation's state in its transaction.
   */
  function facilitatorButton<T extends z.ZodType>(
    actionId: string,
    schema: T,
    handle: (userId: string, value: z.infer<T>, triggerId: string, locale: Locale, hold: Hold) => Promise<string | undefined>,
    opensModal = false,
  ) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const userId = body.user.id;
      const click = { userId, triggerId: body.trigger_id, responseUrl: body.response_url, respond };
      // One that opens a modal holds its trigger with a "Loading…" modal while Slack or the database is slow to answer.
      const hold = holding(deps, userId, body.trigger_id);
      const locale = async () => (deps.people.peek(userId) ?? (await deps.people.get(userId, opensModal ? PATIENT_WAIT_MS : undefined))).locale;
      const lookups = Promise.all([locale(), isFacilitator(userId)]);
      const [known, allowed] = opensModal ? await hold(lookups) : await lookups;
      const answer = !allowed
        ? t(known, 'error.facilitatorOnly')
        : await (async () => {
            const value = parseValue(schema, action.value);
            return value ? handle(userId, value, body.trigger_id, known, hold) : t(known, 'error.badRequest');
          })();
      if (answer) await answerClick(deps, click, answer, known);
    });
  }

  const actionText = (locale: Locale, outcome: ActionOutcome) => (outcome.kind === 'refused' ? refusalText(locale, outcome) : t(locale, outcome.key));
  const opened = async (userId: string, triggerId: string, locale: Locale, outcome: FormOpening) =>
    outcome.kind === 'refused' ? refusalText(locale, outcome) : openModal(userId, triggerId, outcome.view, locale);

  facilitatorButton(ESCALATION_ASSIGN, assignValue, async (userId, value, _trigger, locale) => actionText(locale, await assign(deps, userId, value.escalationId, value.from)));
  facilitatorButton(ESCALATION_NUDGE, escalationValue, async (userId, value, _trigger, locale) => actionText(locale, await nudge(deps, userId, value.escalationId)));
  facilitatorButton(ESCALATION_TALK, escalationValue, async (userId, value, _trigger, locale) => actionText(locale, await talk(deps, userId, value.escalationId)));
  facilitatorButton(ESCALATION_RESOLVE, escalationValue, async (userId, value, trigger, locale, hold) => opened(userId, trigger, locale, await hold(openResolve(deps, userId, value.escalationId))), true);
  facilitatorButton(ESCALATION_END, escalationValue, async (userId, value, trigger, locale, hold) => opened(userId, trigger, locale, await hold(openEnd(deps, userId, value.escalationId))), true);
  facilitatorButton(ESCALATION_DETAILS, escalationValue, async (userId, value, trigger, locale, hold) => opened(userId, trigger, locale, await hold(details(deps, userId, value.escalationId))), true);
  facilitatorButton(NOTE_READ, noteValue, async (userId, value, trigger, locale) => opened(userId, trigger, locale, await readNote(deps, userId, value.checkinId)), true);

  /** A facilitator form with one text field: every refusal shows next to that field. */
  function facilitatorForm(callbackId: string, field: string, submit: (userId: string, escalationId: number, text: string | null) => Promise<FormOutcome>) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const userId = body.user.id;
      // Acknowledged before any call to Slack: the language known already; the facilitator list is
      // the cached one (the form was opened from it moments ago) unless none is held at all.
      const { locale } = deps.people.atOnce(userId);
      const allowed = await isFacilitator(userId);
      const error = (text: string) => ack({ response_action: 'errors', errors: { [field]: text } });
      if (!allowed) return void (await error(t(locale, 'error.facilitatorOnly')));
      const meta = parseValue(escalationValue, view.private_metadata);
      if (!meta) return void (await error(t(locale, 'error.badRequest')));
      const outcome = await submit(userId, meta.escalationId, new ViewState(view.state.values).text(field));
      if (outcome.kind === 'done') return void (await ack());
      await error(t(locale, outcome.key, outcome.vars));
    });
  }

  facilitatorForm(RESOLVE_CALLBACK, RESOLVE_NOTE, (userId, id, text) => resolve(deps, userId, id, text));
  facilitatorForm(END_CALLBACK, END_REASON, (userId, id, text) => endFromEscalation(deps, userId, id, text));

  app.view(CONCERN_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const { locale } = deps.people.atOnce(userId);
    const id = formId.safeParse(view.id);
    if (!id.success) return void (await ack({ response_action: 'errors', errors: { [CONCERN_TEXT]: t(locale, 'error.badRequest') } }));
    const outcome = await submitConcern(deps, userId, id.data, new ViewState(view.state.values).text(CONCERN_TEXT));
    if (outcome.kind !== 'sent') return void (await ack({ response_action: 'errors', errors: { [CONCERN_TEXT]: t(locale, outcome.key, outcome.vars) } }));
    await ack({ response_action: 'update', view: thanksModal(locale, 'escalations.concern.thanks') });
  });
}
