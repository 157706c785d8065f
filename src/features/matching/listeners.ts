import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { sendCalendarFiles } from '../contract/calendar.js';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { type Locale, t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import { mention } from '../../slack/blocks.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { ViewState } from '../../slack/view-state.js';
import {
  answerIntroduction,
  approveAll,
  approveProposal,
  changeReasonText,
  type DecisionOutcome,
  type DirectOutcome,
  endPair,
  findUnpairTarget,
  mentionedUsers,
  proposeDirect,
  reasonAfterMention,
  rejectProposal,
  ruleDetails,
  runMatching,
  unpairConflict,
} from './service.js';
import { APPROVE, APPROVE_ALL, datesRefusalText, INTRO_ACCEPT, INTRO_DECLINE, REJECT, UNPAIR_CALLBACK, unpairModal } from './views.js';

const pairValue = z.object({ pairId: z.number().int().positive() });
const runValue = z.object({ runId: z.number().int().positive() });
const REASON_MAX = 500;

const tell = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });

function directText(locale: Locale, outcome: DirectOutcome, channel: string): string {
  switch (outcome.kind) {
    case 'outside_dates':
      return datesRefusalText(locale, outcome.refusal);
    case 'proposed':
      return t(locale, 'pair.proposed', { channel });
    case 'usage':
      return t(locale, 'pair.usage');
    case 'same':
      return t(locale, 'pair.same', { person: mention(outcome.userId) });
    case 'not_enrolled':
      return t(locale, 'pair.notEnrolled', { person: mention(outcome.userId) });
    case 'wrong_role':
      return t(locale, 'pair.wrongRole', { person: mention(outcome.userId), role: t(locale, `role.${outcome.role}.short`) });
    case 'unavailable':
      return t(locale, 'pair.unavailable', { person: mention(outcome.userId), status: t(locale, `status.${outcome.status}`) });
    case 'before':
      return t(locale, 'pair.before', { junior: mention(outcome.juniorUserId), senior: mention(outcome.seniorUserId) });
    case 'blocked':
      return t(locale, 'pair.blocked', ruleDetails(locale, outcome.rules));
    case 'conflict':
      return t(locale, outcome.key, outcome.vars);
  }
}

function decisionText(locale: Locale, outcome: DecisionOutcome): string | undefined {
  switch (outcome.kind) {
    case 'approved':
    case 'rejected':
      return undefined;
    case 'unknown':
      return t(locale, 'match.unknown');
    case 'already':
      return t(locale, 'match.already');
    case 'changed':
      return t(locale, 'match.changed', { reason: changeReasonText(locale, outcome.reason) });
    case 'conflict':
      return t(locale, outcome.key, outcome.vars);
  }
}

export function registerMatching(app: Interactions, deps: Deps, router: CommandRouter): void {
  async function match(ctx: CommandContext) {
    const outcome = await runMatching(deps, ctx.userId);
    if (outcome.kind === 'no_pool') return t(ctx.locale, 'match.noPool');
    if (outcome.kind === 'outside_dates') return datesRefusalText(ctx.locale, outcome.refusal);
    return t(ctx.locale, 'match.done', { proposals: outcome.proposals, unmatched: outcome.unmatched, channel: deps.config.facilitatorChannelId });
  }

  async function pair(ctx: CommandContext) {
    const users = mentionedUsers(ctx.args);
    if (users.length !== 2) return t(ctx.locale, 'pair.usage');
    const [junior, senior] = users as [string, string];
    const outcome = await proposeDirect(deps, ctx.userId, junior, senior);
    return directText(ctx.locale, outcome, deps.config.facilitatorChannelId);
  }

  async function unpair(ctx: CommandContext) {
    const target = await ctx.load(findUnpairTarget(deps, ctx.userId, ctx.args));
    if (target.kind === 'usage') return t(ctx.locale, 'unpair.usage');
    if (target.kind === 'conflict') return t(ctx.locale, target.key, target.vars);
    if (target.kind === 'no_pair') return t(ctx.locale, 'unpair.noPair', { person: mention(target.userId) });
    const reason = reasonAfterMention(ctx.args);
    if (reason !== '') {
      if (reason.length > REASON_MAX) return t(ctx.locale, 'unpair.reasonTooLong', { max: REASON_MAX, length: reason.length });
      return unpairDone(ctx.locale, await endPair(deps, ctx.userId, target.pair.id, reason));
    }
    await deps.modals.open({ trigger_id: ctx.triggerId, view: unpairModal(ctx.locale, target.pair.id, target.junior, target.senior) });
    return undefined;
  }

  const unpairDone = (locale: Locale, outcome: Awaited<ReturnType<typeof endPair>>) =>
    outcome.kind === 'gone' ? t(locale, 'unpair.gone') : t(locale, 'unpair.done', { junior: mention(outcome.junior.userId), senior: mention(outcome.senior.userId) });

  router.add(
    { name: 'match', usage: 'usage.match', facilitatorOnly: true, run: match },
    { name: 'pair', usage: 'usage.pair', facilitatorOnly: true, acceptsArguments: true, run: pair },
    { name: 'unpair', usage: 'usage.unpair', facilitatorOnly: true, acceptsArguments: true, opensModal: true, run: unpair },
  );

  /** Facilitator buttons: checked on the server for every click, whatever the message showed. */
  function facilitatorButton(actionId: string, handle: (userId: string, value: string | undefined, locale: Locale) => Promise<string | undefined>) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const userId = body.user.id;
      const [{ locale }, allowed] = await Promise.all([deps.people.get(userId), deps.facilitators.isFacilitator(userId)]);
      if (!allowed) return void (await tell(respond, t(locale, 'error.facilitatorOnly')));
      const answer = await handle(userId, action.value, locale);
      if (answer) await tell(respond, answer);
    });
  }

  facilitatorButton(APPROVE, async (userId, raw, locale) => {
    const value = parseValue(pairValue, raw);
    return value ? decisionText(locale, await approveProposal(deps, userId, value.pairId)) : t(locale, 'error.badRequest');
  });
  facilitatorButton(REJECT, async (userId, raw, locale) => {
    const value = parseValue(pairValue, raw);
    return value ? decisionText(locale, await rejectProposal(deps, userId, value.pairId)) : t(locale, 'error.badRequest');
  });
  facilitatorButton(APPROVE_ALL, async (userId, raw, locale) => {
    const value = parseValue(runValue, raw);
    if (!value) return t(locale, 'error.badRequest');
    const outcome = await approveAll(deps, userId, value.runId);
    if (outcome.kind === 'unknown') return t(locale, 'match.unknown');
    const done = t(locale, 'match.approvedAll', { count: outcome.approved, skipped: outcome.skipped });
    return outcome.own > 0 ? `${done} ${t(locale, 'conflict.approveAllOwn', { count: outcome.own })}` : done;
  });

  for (const [actionId, answer] of [[INTRO_ACCEPT, 'accepted'], [INTRO_DECLINE, 'declined']] as const) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const { locale } = await deps.people.get(body.user.id);
      const value = parseValue(pairValue, action.value);
      if (!value) return void (await tell(respond, t(locale, 'error.badRequest')));
      const outcome = await answerIntroduction(deps, body.user.id, value.pairId, answer);
      const text = {
        unknown: () => t(locale, 'match.unknown'),
        not_yours: () => t(locale, 'intro.notYours'),
        already_answered: () => t(locale, 'intro.alreadyAnswered'),
        closed: () => t(locale, 'intro.closed'),
        accepted: () => t(locale, 'intro.thanksAccept'),
        declined: () => t(locale, 'intro.thanksDecline'),
      }[outcome.kind]();
      await tell(respond, text);
    });
  }

  app.view(UNPAIR_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = (deps.people.peek(userId) ?? deps.people.fallback(userId)).locale;
    const reason = (new ViewState(view.state.values).text('reason') ?? '').trim();
    if (reason === '') return void (await ack({ response_action: 'errors', errors: { reason: t(locale, 'unpair.reasonRequired') } }));
    if (reason.length > REASON_MAX) return void (await ack({ response_action: 'errors', errors: { reason: t(locale, 'unpair.reasonTooLong', { max: REASON_MAX, length: reason.length }) } }));
    const value = parseValue(pairValue, view.private_metadata);
    const allowed = await deps.facilitators.isFacilitator(userId);
    if (!value || !allowed) {
      return void (await ack({ response_action: 'errors', errors: { reason: t(locale, value ? 'error.facilitatorOnly' : 'error.badRequest') } }));
    }
    const conflict = await unpairConflict(deps, userId, value.pairId);
    if (conflict) return void (await ack({ response_action: 'errors', errors: { reason: t(locale, conflict.key, conflict.vars) } }));
    await ack();
    // The facilitator channel hears of it from endPair's notice.
    await endPair(deps, userId, value.pairId, reason);
    // The partners' calendar cancellations, once their messages are out (else the periodic retry sends them).
    await sendCalendarFiles(deps);
  });
}
