import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { CADENCES, type Cadence } from '../../domain/profile.js';
import {
  type Range,
  type SettingChange,
  type SettingsError,
  type SettingsField,
  type SettingValue,
  WEIGHT_RANGE,
  WHOLE_NUMBER_RANGES,
  type WholeNumberField,
} from '../../domain/settings.js';
import { type Locale, type MessageKey, t, numberFormat } from '../../i18n/index.js';
import { LIMITS, type Message, mention, plain, section } from '../../slack/blocks.js';
import { cadenceLabel, dateLabel } from '../../slack/labels.js';
import type { Programme } from '../../store/programme.js';

export const SETTINGS_CALLBACK = 'programme_settings';

/** The block (and action) id of each field of the settings modal. */
export const FIELD_BLOCKS = {
  checkinHour: 'checkin_hour',
  defaultCadence: 'default_cadence',
  contractUnsignedDays: 'contract_unsigned_days',
  introductionUnansweredDays: 'introduction_unanswered_days',
  firstMeetingDays: 'first_meeting_days',
  missedCadenceFactor: 'missed_cadence_factor',
  lowRating: 'low_rating',
  unansweredPromptsInARow: 'unanswered_prompts_in_a_row',
  escalationReraiseWorkingDays: 'escalation_reraise_working_days',
  allowSameDepartment: 'allow_same_department',
  complementarityWeight: 'weight_complementarity',
  formatWeight: 'weight_format',
  cadenceWeight: 'weight_cadence',
  timeZoneWeight: 'weight_time_zone',
  startsOn: 'starts_on',
  endsOn: 'ends_on',
  retentionMonths: 'retention_months',
  allowGuests: 'allow_guests',
} as const satisfies Record<SettingsField, string>;

/** The first input of the modal: where a refusal that concerns the whole form is shown. */
export const FIRST_BLOCK = FIELD_BLOCKS.checkinHour;
export const ALLOW_SAME_DEPARTMENT_OPTION = 'allowed';
export const ALLOW_GUESTS_OPTION = 'allowed';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/**
 * The version the form shows, and the language it is written in (for its errors, without asking
 * Slack again within the 3 seconds of a submission). The values are read again from the database.
 */
export const settingsMetadata = (version: number, locale: Locale): string => JSON.stringify({ version, locale });

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text, LIMITS.optionText), value });
const label = (locale: Locale, field: SettingsField) => t(locale, `settings.field.${field}`);

/** "09:00" / "9 h": each catalogue writes the hour its way. */
const hourLabel = (locale: Locale, hour: number) => t(locale, 'settings.hour', { hour });

function selectInput(block: string, text: string, hint: string, options: PlainTextOption[], initial: string): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(text),
    hint: plain(hint),
    element: { type: 'static_select', action_id: block, options, initial_option: options.find((o) => o.value === initial) ?? options[0] },
  };
}

function numberInput(block: string, text: string, hint: string, value: number, range: Range, decimals: boolean): KnownBlock {
  return {
    type: 'input',
    block_id: block,
    label: plain(text),
    hint: plain(hint),
    element: {
      type: 'number_input',
      action_id: block,
      is_decimal_allowed: decimals,
      min_value: String(range.min),
      max_value: String(range.max),
      initial_value: String(value),
    },
  };
}

function dateInput(locale: Locale, field: 'startsOn' | 'endsOn', value: string | null): KnownBlock {
  const block = FIELD_BLOCKS[field];
  return {
    type: 'input',
    block_id: block,
    optional: true,
    label: plain(label(locale, field)),
    hint: plain(t(locale, 'settings.hint.dates')),
    element: { type: 'datepicker', action_id: block, ...(value ? { initial_date: value } : {}) },
  };
}

/** The settings modal, pre-filled with the values in force, grouped as a facilitator thinks of them. */
export function settingsModal(locale: Locale, programme: Programme): ModalView {
  const threshold = (field: Exclude<WholeNumberField, 'checkinHour' | 'retentionMonths'>) =>
    numberInput(FIELD_BLOCKS[field], label(locale, field), t(locale, `settings.hint.${field}`, WHOLE_NUMBER_RANGES[field]), programme[field], WHOLE_NUMBER_RANGES[field], false);
  const weight = (field: 'complementarityWeight' | 'formatWeight' | 'cadenceWeight' | 'timeZoneWeight', value: number) =>
    numberInput(FIELD_BLOCKS[field], label(locale, field), t(locale, 'settings.hint.weights', { ...WEIGHT_RANGE }), value, WEIGHT_RANGE, true);
  const sameDepartment = option(t(locale, 'settings.allowSameDepartment.option'), ALLOW_SAME_DEPARTMENT_OPTION);
  const guests = option(t(locale, 'settings.allowGuests.option'), ALLOW_GUESTS_OPTION);
  const blocks: KnownBlock[] = [
    section(t(locale, 'settings.intro')),
    section(t(locale, 'settings.section.checkins')),
    selectInput(
      FIELD_BLOCKS.checkinHour,
      label(locale, 'checkinHour'),
      t(locale, 'settings.hint.checkinHour'),
      HOURS.map((hour) => option(hourLabel(locale, hour), String(hour))),
      String(programme.checkinHour),
    ),
    selectInput(
      FIELD_BLOCKS.defaultCadence,
      label(locale, 'defaultCadence'),
      t(locale, 'settings.hint.defaultCadence'),
      CADENCES.map((cadence) => option(cadenceLabel(locale, cadence), cadence)),
      programme.defaultCadence,
    ),
    section(t(locale, 'settings.section.stalls')),
    threshold('contractUnsignedDays'),
    threshold('introductionUnansweredDays'),
    threshold('firstMeetingDays'),
    threshold('missedCadenceFactor'),
    threshold('lowRating'),
    threshold('unansweredPromptsInARow'),
    threshold('escalationReraiseWorkingDays'),
    section(t(locale, 'settings.section.matching')),
    {
      type: 'input',
      block_id: FIELD_BLOCKS.allowSameDepartment,
      // A checkbox left unticked is an answer ("not allowed"), so the input cannot be required.
      optional: true,
      label: plain(label(locale, 'allowSameDepartment')),
      element: {
        type: 'checkboxes',
        action_id: FIELD_BLOCKS.allowSameDepartment,
        options: [sameDepartment],
        ...(programme.allowSameDepartment ? { initial_options: [sameDepartment] } : {}),
      },
    },
    weight('complementarityWeight', programme.weights.complementarity),
    weight('formatWeight', programme.weights.format),
    weight('cadenceWeight', programme.weights.cadence),
    weight('timeZoneWeight', programme.weights.timeZone),
    section(t(locale, 'settings.section.programme')),
    dateInput(locale, 'startsOn', programme.startsOn),
    dateInput(locale, 'endsOn', programme.endsOn),
    numberInput(
      FIELD_BLOCKS.retentionMonths,
      label(locale, 'retentionMonths'),
      t(locale, 'settings.hint.retentionMonths', WHOLE_NUMBER_RANGES.retentionMonths),
      programme.retentionMonths,
      WHOLE_NUMBER_RANGES.retentionMonths,
      false,
    ),
    {
      type: 'input',
      block_id: FIELD_BLOCKS.allowGuests,
      optional: true,
      label: plain(label(locale, 'allowGuests')),
      element: {
        type: 'checkboxes',
        action_id: FIELD_BLOCKS.allowGuests,
        options: [guests],
        ...(programme.allowGuests ? { initial_options: [guests] } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: SETTINGS_CALLBACK,
    private_metadata: settingsMetadata(programme.version, locale),
    title: plain(t(locale, 'settings.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'settings.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'settings.cancel'), LIMITS.modalTitle),
    blocks,
  };
}

function errorText(locale: Locale, error: SettingsError): string {
  switch (error.code) {
    case 'required':
      return t(locale, 'settings.error.required');
    case 'invalid_choice':
      return t(locale, 'settings.error.invalidChoice');
    case 'not_a_number':
      return t(locale, 'settings.error.notANumber');
    case 'not_whole':
      return t(locale, 'settings.error.notWhole', { min: error.min, max: error.max });
    case 'out_of_range':
      return t(locale, error.decimals ? 'settings.error.outOfRangeDecimal' : 'settings.error.outOfRange', { min: error.min, max: error.max });
    case 'weights_all_zero':
      return t(locale, 'settings.error.weightsAllZero');
    case 'invalid_date':
      return t(locale, 'settings.error.invalidDate');
    case 'end_not_after_start':
      return t(locale, 'settings.error.endNotAfterStart');
  }
}

/** A refusal of the whole form (shown at its first field), or errors field by field. */
export type SettingsProblem = { kind: 'fields'; errors: Partial<Record<SettingsField, SettingsError>> } | { kind: 'refused'; key: MessageKey };

/** The errors as Slack shows them, under each field of the modal. */
export function settingsErrors(locale: Locale, problem: SettingsProblem): Record<string, string> {
  if (problem.kind === 'refused') return { [FIRST_BLOCK]: t(locale, problem.key) };
  const out: Record<string, string> = {};
  for (const [field, error] of Object.entries(problem.errors) as [SettingsField, SettingsError][]) out[FIELD_BLOCKS[field]] = errorText(locale, error);
  return out;
}

/** A setting's value as a person reads it. */
function valueText(locale: Locale, field: SettingsField, value: SettingValue): string {
  if (value === null) return t(locale, 'settings.value.none');
  if (typeof value === 'boolean') return t(locale, value ? 'settings.value.allowed' : 'settings.value.notAllowed');
  if (field === 'checkinHour' && typeof value === 'number') return hourLabel(locale, value);
  if (field === 'defaultCadence') return cadenceLabel(locale, value as Cadence);
  if (field === 'startsOn' || field === 'endsOn') return dateLabel(locale, String(value));
  return typeof value === 'number' ? numberFormat(locale, { maximumFractionDigits: 9 }).format(value) : String(value);
}

const changeLines = (locale: Locale, changes: readonly SettingChange[]) =>
  changes
    .map(({ field, from, to }) => `• ${t(locale, 'settings.change', { field: label(locale, field), from: valueText(locale, field, from), to: valueText(locale, field, to) })}`)
    .join('\n');

/** What the modal turns into once the facilitator saved. */
export function savedModal(locale: Locale, changes: readonly SettingChange[]): ModalView {
  const text = changes.length === 0 ? t(locale, 'settings.unchanged') : `${t(locale, 'settings.saved')}\n${changeLines(locale, changes)}`;
  return {
    type: 'modal',
    title: plain(t(locale, 'settings.title'), LIMITS.modalTitle),
    close: plain(t(locale, 'settings.close'), LIMITS.modalTitle),
    blocks: [section(text)],
  };
}

/** The facilitators' channel hears who changed what, each change with its value before and after. */
export function settingsNotice(locale: Locale, by: string, changes: readonly SettingChange[]): Message {
  const headline = t(locale, 'settings.notice', { by: mention(by) });
  return { text: headline, blocks: [section(`${headline}\n${changeLines(locale, changes)}`)] };
}

/** A month before the programme ends: how many pairs are still under way, and what happens next. */
export function endingNotice(locale: Locale, endsOn: string, activePairs: number, startingPairs: number): Message {
  const text = t(locale, 'timing.ending.notice', { end: dateLabel(locale, endsOn), active: activePairs, starting: startingPairs });
  return { text, blocks: [section(text)] };
}
