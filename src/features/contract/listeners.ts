import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { ContractRawInput } from '../../domain/contract.js';
import { type Locale, t, personLocale } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { ViewState } from '../../slack/view-state.js';
import { answerClick } from '../../slack/answer.js';
import { type Hold, holding, patientPerson, personAndData } from '../../slack/modals.js';
import { findParticipantByUser } from '../../store/participants.js';
import { sendCalendarFiles } from './calendar.js';
import { type LevelsCheck, type LevelsOutcome, type OpenOutcome, openContractForm, rateStartingLevels, ratingForm, signContract, signingForm, submitContract } from './service.js';
import {
  CONTRACT_CALLBACK,
  CONTRACT_OPEN,
  CONTRACT_RATE,
  CONTRACT_SIGN,
  contractModal,
  doneModal,
  FIELD_BLOCKS,
  FIRST_BLOCK,
  formErrors,
  GROUND_RULES_OPTION,
  LEVELS,
  levelBlock,
  levelsModal,
  RATE_CALLBACK,
  SIGN_CALLBACK,
} from './views.js';

// Network input: ids only, nothing else accepted.
const pairValue = z.object({ pairId: z.number().int().positive() }).strict();
const contractValue = z.object({ contractId: z.number().int().positive() }).strict();
const formMeta = z.object({ pairId: z.number().int().positive(), basedOn: z.number().int().min(0) }).strict();

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });

function readContract(state: ViewState): ContractRawInput {
  return {
    seniorObjectives: state.text(FIELD_BLOCKS.seniorObjectives),
    juniorObjectives: state.text(FIELD_BLOCKS.juniorObjectives),
    cadence: state.selected(FIELD_BLOCKS.cadence),
    sessionMinutes: state.selected(FIELD_BLOCKS.sessionMinutes),
    means: state.text(FIELD_BLOCKS.means),
    format: state.selected(FIELD_BLOCKS.format),
    startDate: state.date(FIELD_BLOCKS.startDate),
    endDate: state.date(FIELD_BLOCKS.endDate),
    groundRulesAcknowledged: state.selectedMany(FIELD_BLOCKS.groundRulesAcknowledged).includes(GROUND_RULES_OPTION),
    notes: state.text(FIELD_BLOCKS.notes),
    sessionDay: state.selected(FIELD_BLOCKS.sessionDay),
    sessionTime: state.time(FIELD_BLOCKS.sessionTime),
  };
}

const readLevels = (state: ViewState) => LEVELS.map((_, index) => state.selected(levelBlock(index)));

export function openRefusal(locale: Locale, outcome: Exclude<OpenOutcome, { kind: 'form' }>): string {
  switch (outcome.kind) {
    case 'not_enrolled':
      return t(locale, 'error.notEnrolled');
    case 'no_pair':
      return t(locale, 'contract.open.noPair');
    case 'not_yet':
      return t(locale, 'contract.open.notYet');
    case 'not_yours':
      return t(locale, 'contract.open.notYours');
    case 'closed':
      return t(locale, 'contract.refused.closed');
  }
}

/** Errors of a levels modal, kept to the inputs the submitted view really has. */
function levelErrors(locale: Locale, view: { blocks: readonly unknown[] }, outcome: Extract<LevelsOutcome, { kind: 'refused' | 'invalid' }>): Record<string, string> {
  const present = new Set((view.blocks as { block_id?: string }[]).map((b) => b.block_id));
  if (outcome.kind === 'refused') return { [levelBlock(0)]: t(locale, outcome.key, outcome.vars) };
  const errors = Object.fromEntries(outcome.missing.map((i) => [levelBlock(i), t(locale, 'contract.level.required')]).filter(([block]) => present.has(block)));
  return Object.keys(errors).length > 0 ? errors : { [levelBlock(0)]: t(locale, 'error.badRequest') };
}

export function registerContract(app: Interactions, deps: Deps, router: CommandRouter): void {
  /** Language and zone within Slack's 3 seconds: what is known now, else what the person enrolled with. */
  async function whoIs(userId: string): Promise<{ locale: Locale; timeZone: string | undefined }> {
    const known = deps.people.peek(userId);
    if (known) return { locale: known.locale, timeZone: known.timeZone };
    const participant = await findParticipantByUser(deps.store.db, userId);
    return { locale: personLocale(deps, participant), timeZone: undefined };
  }

  /** A failed calendar upload is tried again at the next contract event; never in the way of a reply. */
  const retryCalendars = () => sendCalendarFiles(deps);

  async function openForm(userId: string, triggerId: string, hold: Hold, pairId?: number): Promise<string | undefined> {
    // Who the person is (their zone), then the pair and its contract: held together with "Loading…" when slow.
    const { person, outcome } = await hold(
      (async () => {
        const person = await patientPerson(deps.people, userId);
        return { person, outcome: await openContractForm(deps, userId, person.known ? person.timeZone : undefined, pairId) };
      })(),
    );
    if (outcome.kind !== 'form') return openRefusal(person.locale, outcome);
    try {
      await deps.modals.open({ trigger_id: triggerId, view: contractModal(person.locale, outcome.form) });
    } catch (error) {
      deps.logger.warn(`Could not open the contract modal for ${userId}`, error);
      return t(person.locale, 'error.slackBusy');
    }
    await retryCalendars();
    return undefined;
  }

  router.add({ name: 'contract', usage: 'contract.usage', opensModal: true, run: (ctx: CommandContext) => openForm(ctx.userId, ctx.triggerId, ctx.load) });

  app.action<BlockButtonAction>(CONTRACT_OPEN, async ({ ack, body, action, respond }) => {
    await ack();
    const hold = holding(deps, body.user.id, body.trigger_id);
    const value = parseValue(pairValue, action.value);
    if (!value) return void (await tell(respond, t((await deps.people.get(body.user.id)).locale, 'error.badRequest')));
    const refusal = await openForm(body.user.id, body.trigger_id, hold, value.pairId);
    if (refusal) await answerClick(deps, { userId: body.user.id, triggerId: body.trigger_id, responseUrl: body.response_url, respond }, refusal, deps.people.atOnce(body.user.id).locale);
  });

  app.view(CONTRACT_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const who = await whoIs(userId);
    const meta = parseValue(formMeta, view.private_metadata);
    if (!meta) return void (await ack({ response_action: 'errors', errors: { [FIRST_BLOCK]: t(who.locale, 'error.badRequest') } }));
    const outcome = await submitContract(deps, userId, meta, readContract(new ViewState(view.state.values)), who.timeZone);
    if (outcome.kind === 'problem') return void (await ack({ response_action: 'errors', errors: formErrors(who.locale, outcome.problem) }));
    // The proposer signed by sending; the modal turns into their own starting levels, while the
    // objectives are fresh in mind (a button on the contract keeps this open for later).
    await ack({ response_action: 'update', view: levelsModal(who.locale, outcome.rating) });
    await retryCalendars();
  });

  /** A button on the contract message that opens a levels modal, for the partner it is meant for. */
  function levelsButton(actionId: string, check: (userId: string, contractId: number) => Promise<LevelsCheck>) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const userId = body.user.id;
      const click = { userId, triggerId: body.trigger_id, responseUrl: body.response_url, respond };
      const value = parseValue(contractValue, action.value);
      const [{ locale }, outcome] = await personAndData(deps, userId, body.trigger_id, value ? check(userId, value.contractId) : Promise.resolve(undefined));
      if (!outcome) return void (await answerClick(deps, click, t(locale, 'error.badRequest'), locale));
      if (outcome.kind === 'refused') return void (await answerClick(deps, click, t(locale, outcome.key, outcome.vars), locale));
      try {
        await deps.modals.open({ trigger_id: body.trigger_id, view: levelsModal(locale, outcome.form) });
      } catch (error) {
        deps.logger.warn(`Could not open the levels modal for ${userId}`, error);
        await tell(respond, t(locale, 'error.slackBusy'));
      }
    });
  }

  levelsButton(CONTRACT_SIGN, (userId, contractId) => signingForm(deps, userId, contractId));
  levelsButton(CONTRACT_RATE, (userId, contractId) => ratingForm(deps, userId, contractId));

  /** The submission of a levels modal: signing, or rating after proposing. */
  function levelsSubmission(callbackId: string, submit: (userId: string, contractId: number, levels: (string | null)[]) => Promise<LevelsOutcome>) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const userId = body.user.id;
      const { locale } = await whoIs(userId);
      const meta = parseValue(contractValue, view.private_metadata);
      const outcome: LevelsOutcome = meta ? await submit(userId, meta.contractId, readLevels(new ViewState(view.state.values))) : { kind: 'refused', key: 'error.badRequest' };
      if (outcome.kind === 'refused' || outcome.kind === 'invalid') {
        return void (await ack({ response_action: 'errors', errors: levelErrors(locale, view, outcome) }));
      }
      const done = outcome.kind === 'rated' ? 'contract.rate.done' : outcome.inForce ? 'contract.sign.doneInForce' : 'contract.sign.done';
      await ack({ response_action: 'update', view: doneModal(locale, done) });
      await retryCalendars();
    });
  }

  levelsSubmission(SIGN_CALLBACK, (userId, contractId, levels) => signContract(deps, userId, contractId, levels));
  levelsSubmission(RATE_CALLBACK, (userId, contractId, levels) => rateStartingLevels(deps, userId, contractId, levels));
}
