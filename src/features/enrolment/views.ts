import type { KnownBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import {
  BUSINESS_SKILLS,
  CADENCES,
  DIGITAL_SKILLS,
  FORMATS,
  isCatalogueSkill,
  LANGUAGES,
  LIMITS,
  type ProfileError,
  type ProfileField,
  ROLES,
} from '../../domain/profile.js';
import { type Locale, type MessageKey, t, type Vars } from '../../i18n/index.js';
import { actions, button, context, LIMITS as SLACK, type Message, mrkdwnOption, plain, section, truncate } from '../../slack/blocks.js';
import { cadenceLabel, formatLabel, languageLabel, roleLabel, skillList } from '../../slack/labels.js';
import type { Participant } from '../../store/participants.js';

export const ENROLMENT_CALLBACK = 'enrolment';
export const LEAVE_CONFIRM = 'leave_confirm';
export const LEAVE_CANCEL = 'leave_cancel';
export const JOIN_BUTTON = 'open_enrolment';

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, SLACK.buttonText), value });

function skillOptions(locale: Locale) {
  return [
    { label: plain(t(locale, 'skillGroup.digital'), SLACK.buttonText), options: DIGITAL_SKILLS.map((s) => option(t(locale, `skill.${s}`), s)) },
    { label: plain(t(locale, 'skillGroup.business'), SLACK.buttonText), options: BUSINESS_SKILLS.map((s) => option(t(locale, `skill.${s}`), s)) },
  ];
}

function skillsBlocks(locale: Locale, field: 'shares' | 'learns', current: readonly string[] | undefined): KnownBlock[] {
  const chosen = (current ?? []).filter(isCatalogueSkill);
  const free = (current ?? []).filter((s) => !isCatalogueSkill(s));
  const other = field === 'shares' ? 'shares_other' : 'learns_other';
  return [
    {
      type: 'input',
      block_id: field,
      optional: true,
      label: plain(t(locale, field === 'shares' ? 'join.shares' : 'join.learns')),
      element: {
        type: 'multi_static_select',
        action_id: field,
        placeholder: plain(t(locale, 'join.skillsPlaceholder'), 150),
        option_groups: skillOptions(locale),
        max_selected_items: LIMITS.skills,
        ...(chosen.length > 0 ? { initial_options: chosen.map((s) => option(t(locale, `skill.${s}`), s)) } : {}),
      },
    },
    {
      type: 'input',
      block_id: other,
      optional: true,
      label: plain(t(locale, field === 'shares' ? 'join.sharesOther' : 'join.learnsOther')),
      hint: plain(t(locale, 'join.otherHint')),
      element: {
        type: 'plain_text_input',
        action_id: other,
        max_length: 500,
        ...(free.length > 0 ? { initial_value: free.join(', ') } : {}),
      },
    },
  ];
}

/** The enrolment modal, pre-filled with the person's profile when they already have one. */
export function enrolmentModal(locale: Locale, current: Participant | undefined, defaultLanguage: string): ModalView {
  const roleOptions = ROLES.map((r) => option(t(locale, `role.${r}`), r));
  const formatOptions = FORMATS.map((f) => option(formatLabel(locale, f), f));
  const cadenceOptions = CADENCES.map((c) => option(cadenceLabel(locale, c), c));
  const languageOptions = LANGUAGES.map((l) => option(languageLabel(locale, l), l));
  const initialLanguages = current?.languages ?? LANGUAGES.filter((l) => l === defaultLanguage);
  const consentOption: Option = mrkdwnOption(t(locale, 'join.consentOption'), 'yes');
  // After leaving or completing, saving enrols the person anew (a welcome, a fresh consent): the form
  // says so, rather than reading as an edit of the profile.
  const editing = current !== undefined && current.status !== 'left' && current.status !== 'completed';

  const blocks: KnownBlock[] = [
    section(t(locale, 'join.intro')),
    {
      type: 'input',
      block_id: 'role',
      label: plain(t(locale, 'join.role')),
      element: {
        type: 'radio_buttons',
        action_id: 'role',
        options: roleOptions,
        ...(current ? { initial_option: roleOptions.find((o) => o.value === current.role) } : {}),
      },
    },
    ...skillsBlocks(locale, 'shares', current?.shares),
    ...skillsBlocks(locale, 'learns', current?.learns),
    {
      type: 'input',
      block_id: 'department',
      label: plain(t(locale, 'join.department')),
      element: {
        type: 'plain_text_input',
        action_id: 'department',
        max_length: LIMITS.department,
        placeholder: plain(t(locale, 'join.departmentPlaceholder'), 150),
        ...(current ? { initial_value: current.department } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'manager',
      optional: true,
      label: plain(t(locale, 'join.manager')),
      hint: plain(t(locale, 'join.managerHint')),
      element: { type: 'users_select', action_id: 'manager', ...(current?.managerUserId ? { initial_user: current.managerUserId } : {}) },
    },
    {
      type: 'input',
      block_id: 'languages',
      label: plain(t(locale, 'join.languages')),
      element: {
        type: 'multi_static_select',
        action_id: 'languages',
        options: languageOptions,
        ...(initialLanguages.length > 0 ? { initial_options: languageOptions.filter((o) => initialLanguages.includes(o.value as never)) } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'format',
      label: plain(t(locale, 'join.format')),
      element: {
        type: 'radio_buttons',
        action_id: 'format',
        options: formatOptions,
        initial_option: formatOptions.find((o) => o.value === (current?.format ?? 'either')),
      },
    },
    {
      type: 'input',
      block_id: 'cadence',
      label: plain(t(locale, 'join.cadence')),
      element: {
        type: 'static_select',
        action_id: 'cadence',
        options: cadenceOptions,
        initial_option: cadenceOptions.find((o) => o.value === (current?.cadence ?? 'biweekly')),
      },
    },
    {
      type: 'input',
      block_id: 'motivation',
      label: plain(t(locale, 'join.motivation')),
      element: {
        type: 'plain_text_input',
        action_id: 'motivation',
        multiline: true,
        max_length: LIMITS.motivation,
        placeholder: plain(t(locale, 'join.motivationPlaceholder'), 150),
        ...(current ? { initial_value: current.motivation } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'consent',
      label: plain(t(locale, 'join.consent')),
      hint: plain(t(locale, 'join.consentHint')),
      element: {
        type: 'checkboxes',
        action_id: 'consent',
        options: [consentOption],
        ...(editing ? { initial_options: [consentOption] } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: ENROLMENT_CALLBACK,
    title: plain(t(locale, editing ? 'join.titleEdit' : 'join.title'), SLACK.modalTitle),
    submit: plain(t(locale, 'join.submit'), SLACK.modalTitle),
    close: plain(t(locale, 'join.close'), SLACK.modalTitle),
    blocks,
  };
}

const errorKeys: Record<ProfileField, Partial<Record<ProfileError['code'], MessageKey>>> = {
  role: { required: 'join.error.roleRequired', unknown_option: 'join.error.unknownOption', role_locked: 'join.error.roleLocked' },
  shares: { required: 'join.error.sharesRequired', unknown_option: 'join.error.unknownOption', too_many: 'join.error.tooManySkills' },
  shares_other: { too_long: 'join.error.skillTooLong', too_many: 'join.error.tooManySkills' },
  learns: { required: 'join.error.learnsRequired', unknown_option: 'join.error.unknownOption', too_many: 'join.error.tooManySkills' },
  learns_other: { too_long: 'join.error.skillTooLong', too_many: 'join.error.tooManySkills' },
  department: { required: 'join.error.departmentRequired', too_long: 'join.error.departmentTooLong' },
  manager: { self_manager: 'join.error.managerSelf' },
  languages: { required: 'join.error.languagesRequired', unknown_option: 'join.error.unknownOption' },
  format: { required: 'join.error.formatRequired', unknown_option: 'join.error.unknownOption' },
  cadence: { required: 'join.error.cadenceRequired', unknown_option: 'join.error.unknownOption' },
  motivation: { required: 'join.error.motivationRequired', too_long: 'join.error.motivationTooLong' },
  consent: { required: 'join.error.consentRequired' },
};

/** Field errors as Slack shows them under each input (the block ids are the field names). */
export function enrolmentErrors(locale: Locale, errors: Partial<Record<ProfileField, ProfileError>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, error] of Object.entries(errors) as [ProfileField, ProfileError][]) {
    const key = errorKeys[field][error.code] ?? 'join.error.unknownOption';
    const vars: Vars = {
      max: 'max' in error ? error.max : 0,
      length: 'length' in error ? error.length : 0,
      count: 'count' in error ? error.count : 0,
      skill: 'value' in error && error.value ? truncate(error.value, 60) : '',
    };
    out[field] = t(locale, key, vars);
  }
  return out;
}

export function welcomeMessage(locale: Locale, name: string, participant: Participant): Message {
  const text = t(locale, 'join.welcome', { name, role: roleLabel(locale, participant.role) });
  return { text, blocks: [section(text), context(`${t(locale, 'statusView.shares', { skills: skillList(locale, participant.shares) })}`)] };
}

export function leaveConfirmation(locale: Locale, participantId: number): Message {
  const value = JSON.stringify({ participantId });
  return {
    text: t(locale, 'leave.confirm'),
    blocks: [
      section(t(locale, 'leave.confirm')),
      actions(
        'leave',
        button({
          text: t(locale, 'leave.confirmButton'),
          actionId: LEAVE_CONFIRM,
          value,
          style: 'danger',
          confirm: { title: t(locale, 'leave.confirmTitle'), text: t(locale, 'leave.confirmDialog'), confirm: t(locale, 'leave.confirmButton'), deny: t(locale, 'leave.cancelButton') },
        }),
        button({ text: t(locale, 'leave.cancelButton'), actionId: LEAVE_CANCEL, value }),
      ),
    ],
  };
}

