import type { BlockButtonAction, RespondFn } from '@slack/bolt';
import { sendCalendarFiles } from '../contract/calendar.js';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { t } from '../../i18n/index.js';
import { homeView } from '../home/views.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { confirmForget, dataSubjectOf, requestForget, sendExport } from './service.js';
import { FORGET_CANCEL, FORGET_CONFIRM, forgetConfirmation } from './views.js';

// Network input: a participant id and the Slack user it was shown to, nothing else.
const forgetValue = z.object({ participantId: z.number().int().positive(), userId: z.string().regex(/^[UW][A-Z0-9]{2,20}$/) }).strict();

const tell = (respond: RespondFn, text: string, replace = false) => respond({ response_type: 'ephemeral', replace_original: replace, text });

export function registerPrivacy(app: Interactions, deps: Deps, router: CommandRouter): void {
  async function exportData(ctx: CommandContext) {
    const subject = await dataSubjectOf(deps, ctx.userId);
    if (!subject) return t(ctx.locale, 'privacy.export.nothing');
    // Reading every record and uploading the file may take a while: the person knows it is coming.
    await ctx.reply(t(ctx.locale, 'privacy.export.preparing')).catch((error) => deps.logger.warn('Could not say the export is being prepared', error));
    const outcome = await sendExport(deps, subject, ctx.locale);
    return t(ctx.locale, outcome === 'sent' ? 'privacy.export.done' : 'privacy.export.failed');
  }

  async function forget(ctx: CommandContext) {
    const request = await requestForget(deps, ctx.userId);
    if (request.kind === 'nothing') return t(ctx.locale, 'privacy.forget.nothing');
    return forgetConfirmation(ctx.locale, request.value, request.inPair);
  }

  router.add({ name: 'export', usage: 'privacy.usage.export', run: exportData });
  router.add({ name: 'forget', usage: 'privacy.usage.forget', quick: true, run: forget });

  app.action<BlockButtonAction>(FORGET_CONFIRM, async ({ ack, body, action, respond }) => {
    await ack();
    const { locale } = await deps.people.get(body.user.id);
    const value = parseValue(forgetValue, action.value);
    if (!value) return void (await tell(respond, t(locale, 'error.badRequest')));
    const outcome = await confirmForget(deps, body.user.id, value);
    if (outcome === 'not_yours') return void (await tell(respond, t(locale, 'error.notYourButton')));
    await tell(respond, t(locale, outcome === 'forgotten' ? 'privacy.forget.done' : 'privacy.forget.already'), true);
    // The Home tab Slack still shows would keep their profile on screen: it is replaced at once.
    if (outcome === 'forgotten') {
      await deps.slack.views
        .publish({ user_id: body.user.id, view: homeView(locale, { participant: undefined, partner: undefined }, undefined) })
        .catch((error) => deps.logger.warn('Could not clear the Home tab after a forget', error));
      // The partner's calendar cancellation.
      await sendCalendarFiles(deps);
    }
  });

  app.action<BlockButtonAction>(FORGET_CANCEL, async ({ ack, body, action, respond }) => {
    await ack();
    const { locale } = await deps.people.get(body.user.id);
    const value = parseValue(forgetValue, action.value);
    if (!value) return void (await tell(respond, t(locale, 'error.badRequest')));
    if (value.userId !== body.user.id) return void (await tell(respond, t(locale, 'error.notYourButton')));
    await tell(respond, t(locale, 'privacy.forget.cancelled'), true);
  });
}
