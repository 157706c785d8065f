import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { SettingsRawInput } from '../../domain/settings.js';
import { locales, t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import { ViewState } from '../../slack/view-state.js';
import { currentSettings, saveSettings } from './service.js';
import { ALLOW_GUESTS_OPTION, ALLOW_SAME_DEPARTMENT_OPTION, FIELD_BLOCKS, savedModal, SETTINGS_CALLBACK, settingsErrors, settingsModal } from './views.js';

// Network input: the version the form was opened at and its language, nothing else.
const formMeta = z.object({ version: z.number().int().min(0), locale: z.enum(locales) }).strict();

function readSettings(state: ViewState): SettingsRawInput {
  return {
    checkinHour: state.selected(FIELD_BLOCKS.checkinHour),
    defaultCadence: state.selected(FIELD_BLOCKS.defaultCadence),
    contractUnsignedDays: state.text(FIELD_BLOCKS.contractUnsignedDays),
    introductionUnansweredDays: state.text(FIELD_BLOCKS.introductionUnansweredDays),
    firstMeetingDays: state.text(FIELD_BLOCKS.firstMeetingDays),
    missedCadenceFactor: state.text(FIELD_BLOCKS.missedCadenceFactor),
    lowRating: state.text(FIELD_BLOCKS.lowRating),
    unansweredPromptsInARow: state.text(FIELD_BLOCKS.unansweredPromptsInARow),
    escalationReraiseWorkingDays: state.text(FIELD_BLOCKS.escalationReraiseWorkingDays),
    allowSameDepartment: state.selectedMany(FIELD_BLOCKS.allowSameDepartment).includes(ALLOW_SAME_DEPARTMENT_OPTION),
    complementarityWeight: state.text(FIELD_BLOCKS.complementarityWeight),
    formatWeight: state.text(FIELD_BLOCKS.formatWeight),
    cadenceWeight: state.text(FIELD_BLOCKS.cadenceWeight),
    timeZoneWeight: state.text(FIELD_BLOCKS.timeZoneWeight),
    startsOn: state.date(FIELD_BLOCKS.startsOn),
    endsOn: state.date(FIELD_BLOCKS.endsOn),
    retentionMonths: state.text(FIELD_BLOCKS.retentionMonths),
    allowGuests: state.selectedMany(FIELD_BLOCKS.allowGuests).includes(ALLOW_GUESTS_OPTION),
  };
}

export function registerSettings(app: Interactions, deps: Deps, router: CommandRouter): void {
  async function open(ctx: CommandContext): Promise<string | undefined> {
    const programme = await ctx.load(currentSettings(deps));
    try {
      await deps.modals.open({ trigger_id: ctx.triggerId, view: settingsModal(ctx.locale, programme) });
    } catch (error) {
      deps.logger.warn(`Could not open the settings modal for ${ctx.userId}`, error);
      return t(ctx.locale, 'error.slackBusy');
    }
    return undefined;
  }

  router.add({ name: 'program', usage: 'usage.program', facilitatorOnly: true, opensModal: true, run: open });

  app.view(SETTINGS_CALLBACK, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const meta = parseValue(formMeta, view.private_metadata);
    const locale = deps.people.peek(userId)?.locale ?? meta?.locale ?? deps.config.defaultLocale;
    const allowed = await deps.facilitators.isFacilitator(userId);
    // Only a facilitator could have opened the form, but a submission is checked on its own merits.
    if (!allowed) return void (await ack({ response_action: 'errors', errors: settingsErrors(locale, { kind: 'refused', key: 'error.facilitatorOnly' }) }));
    if (!meta) return void (await ack({ response_action: 'errors', errors: settingsErrors(locale, { kind: 'refused', key: 'error.badRequest' }) }));
    const outcome = await saveSettings(deps, userId, meta.version, readSettings(new ViewState(view.state.values)));
    if (outcome.kind === 'problem') return void (await ack({ response_action: 'errors', errors: settingsErrors(locale, outcome.problem) }));
    await ack({ response_action: 'update', view: savedModal(locale, outcome.changes) });
  });
}
