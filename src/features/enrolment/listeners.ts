import type { BlockButtonAction } from '@slack/bolt';
import { sendCalendarFiles } from '../contract/calendar.js';
import { z } from 'zod';
import type { Deps } from '../../deps.js';
import type { ProfileInput } from '../../domain/profile.js';
import { t } from '../../i18n/index.js';
import { parseValue } from '../../slack/actions.js';
import type { CommandContext, CommandRouter } from '../../slack/commands.js';
import type { Interactions } from '../../slack/interactions.js';
import type { Person } from '../../slack/people.js';
import { ViewState } from '../../slack/view-state.js';
import { holding, patientPerson } from '../../slack/modals.js';
import { updateIdentity } from '../../store/participants.js';
import { getProgramme } from '../../store/programme.js';
import { guestRefused } from '../workspace/service.js';
import { announceEnrolment, confirmLeave, openEnrolment, requestLeave, submitEnrolment } from './service.js';
import { ENROLMENT_CALLBACK, enrolmentErrors, JOIN_BUTTON, LEAVE_CANCEL, LEAVE_CONFIRM, leaveConfirmation } from './views.js';

const leaveValue = z.object({ participantId: z.number().int().positive() });

function readProfile(state: ViewState): ProfileInput {
  return {
    role: state.selected('role'),
    sharesChosen: state.selectedMany('shares'),
    sharesOther: state.text('shares_other'),
    learnsChosen: state.selectedMany('learns'),
    learnsOther: state.text('learns_other'),
    department: state.text('department'),
    managerUserId: state.user('manager'),
    languages: state.selectedMany('languages'),
    format: state.selected('format'),
    cadence: state.selected('cadence'),
    motivation: state.text('motivation'),
    consent: state.selectedMany('consent').includes('yes'),
  };
}

/** After a submission answered with defaults (Slack not asked in time), saves who the person really is. */
async function refreshIdentity(deps: Deps, userId: string): Promise<Person> {
  const person = await deps.people.get(userId);
  if (person.known) {
    await updateIdentity(deps.store.db, { userId, timeZone: person.timeZone, locale: person.locale, displayName: person.name }, deps.now());
  }
  return person;
}

export function registerEnrolment(app: Interactions, deps: Deps, router: CommandRouter): void {
  async function join(ctx: CommandContext) {
    const person = await deps.people.get(ctx.userId);
    if (await guestRefused(deps, person)) return t(person.locale, 'workspace.guest.refused');
    return (await openEnrolment(deps, person, ctx.triggerId, ctx.load)) ? undefined : t(ctx.locale, 'error.slackBusy');
  }

  async function leave(ctx: CommandContext) {
    const request = await requestLeave(deps, ctx.userId);
    if (request.kind === 'not_enrolled') return t(ctx.locale, 'error.notEnrolled');
    if (request.kind === 'already_left') return t(ctx.locale, 'leave.already');
    return leaveConfirmation(ctx.locale, request.participantId);
  }

  router.add({ name: 'join', usage: 'usage.join', opensModal: true, run: join });
  router.add({ name: 'leave', usage: 'usage.leave', quick: true, run: leave });

  app.view(ENROLMENT_CALLBACK, async ({ ack, body }) => {
    const userId = body.user.id;
    // Within Slack's 3 seconds: use what is known of the person now, refresh it after.
    const person = deps.people.peek(userId) ?? deps.people.fallback(userId);
    if (await guestRefused(deps, person)) {
      await ack({ response_action: 'errors', errors: { role: t(person.locale, 'workspace.guest.refused') } });
      return;
    }
    const result = await submitEnrolment(deps, person, readProfile(new ViewState(body.view.state.values)));
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: enrolmentErrors(person.locale, result.errors) });
      return;
    }
    await ack();
    const known = person.known ? person : await refreshIdentity(deps, userId);
    await announceEnrolment(deps, known, result.enrolled === true);
  });

  app.action<BlockButtonAction>(JOIN_BUTTON, async ({ ack, body }) => {
    await ack();
    const hold = holding(deps, body.user.id, body.trigger_id);
    const person = await hold(patientPerson(deps.people, body.user.id));
    if (!(await openEnrolment(deps, person, body.trigger_id, hold))) await deps.modals.settle(body.trigger_id, person.locale, t(person.locale, 'error.slackBusy'));
  });

  app.action<BlockButtonAction>(LEAVE_CONFIRM, async ({ ack, body, action, respond }) => {
    await ack();
    const { locale } = await deps.people.get(body.user.id);
    const value = parseValue(leaveValue, action.value);
    if (!value) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: t(locale, 'error.badRequest') });
      return;
    }
    const outcome = await confirmLeave(deps, body.user.id, value.participantId);
    if (outcome === 'not_yours') {
      await respond({ response_type: 'ephemeral', replace_original: false, text: t(locale, 'error.notYourButton') });
      return;
    }
    const text = outcome === 'left' ? t(locale, 'leave.done', { months: (await getProgramme(deps.store.db)).retentionMonths }) : t(locale, 'leave.already');
    await respond({ response_type: 'ephemeral', replace_original: true, text });
    if (outcome === 'left') await sendCalendarFiles(deps);
  });

  app.action<BlockButtonAction>(LEAVE_CANCEL, async ({ ack, body, respond }) => {
    await ack();
    const { locale } = await deps.people.get(body.user.id);
    await respond({ response_type: 'ephemeral', replace_original: true, text: t(locale, 'leave.cancelled') });
  });
}
