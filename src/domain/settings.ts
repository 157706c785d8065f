/**
 * The programme's settings as facilitators edit them (`/tandem program`): what the form may hold,
 * how a submission is checked, and what changed between two versions. Pure: no Slack, no database.
 */
import type { MatchingWeights } from './matching/index.js';
import { CADENCES, type Cadence } from './profile.js';
import type { StallSettings } from './stall.js';
import { isIsoDate, type IsoDate } from './time.js';

/** Every setting; the stall rules read theirs straight from it. */
export interface ProgrammeSettings extends StallSettings {
  /** Hour of the day, 0–23, at which check-ins go out in each recipient's own time zone. */
  checkinHour: number;
  /** The rhythm a new contract starts from. */
  defaultCadence: Cadence;
  allowSameDepartment: boolean;
  /** Whether the workspace's guests may enrol (off unless a facilitator allows it). */
  allowGuests: boolean;
  weights: MatchingWeights;
  /** An escalation nobody handles is raised again after this many working days. */
  escalationReraiseWorkingDays: number;
  /** How long the data of a completed pair is kept. */
  retentionMonths: number;
  startsOn: IsoDate | null;
  endsOn: IsoDate | null;
}

/** What the settings form submits, before any checking; absent and empty mean the same. */
export interface SettingsRawInput {
  checkinHour: string | null;
  defaultCadence: string | null;
  contractUnsignedDays: string | null;
  introductionUnansweredDays: string | null;
  firstMeetingDays: string | null;
  missedCadenceFactor: string | null;
  lowRating: string | null;
  unansweredPromptsInARow: string | null;
  escalationReraiseWorkingDays: string | null;
  allowSameDepartment: boolean;
  allowGuests: boolean;
  complementarityWeight: string | null;
  formatWeight: string | null;
  cadenceWeight: string | null;
  timeZoneWeight: string | null;
  startsOn: string | null;
  endsOn: string | null;
  retentionMonths: string | null;
}

export type SettingsField = keyof SettingsRawInput;

/** The fields in the order the form shows them (and a change list reads). */
export const SETTINGS_FIELDS = [
  'checkinHour',
  'defaultCadence',
  'contractUnsignedDays',
  'introductionUnansweredDays',
  'firstMeetingDays',
  'missedCadenceFactor',
  'lowRating',
  'unansweredPromptsInARow',
  'escalationReraiseWorkingDays',
  'allowSameDepartment',
  'complementarityWeight',
  'formatWeight',
  'cadenceWeight',
  'timeZoneWeight',
  'startsOn',
  'endsOn',
  'retentionMonths',
  'allowGuests',
] as const satisfies readonly SettingsField[];

export interface Range {
  min: number;
  max: number;
}

/** The settings that are whole numbers, and the values a programme can sensibly use. */
export const WHOLE_NUMBER_RANGES = {
  checkinHour: { min: 0, max: 23 },
  contractUnsignedDays: { min: 1, max: 60 },
  introductionUnansweredDays: { min: 1, max: 60 },
  firstMeetingDays: { min: 1, max: 90 },
  missedCadenceFactor: { min: 1, max: 6 },
  // A rating at or below this escalates: 5 would escalate every meeting.
  lowRating: { min: 1, max: 4 },
  unansweredPromptsInARow: { min: 1, max: 10 },
  escalationReraiseWorkingDays: { min: 1, max: 20 },
  retentionMonths: { min: 1, max: 120 },
} as const satisfies Partial<Record<SettingsField, Range>>;

export type WholeNumberField = keyof typeof WHOLE_NUMBER_RANGES;

/** Matching weights: only their ratios matter; decimals are fine. */
export const WEIGHT_RANGE: Range = { min: 0, max: 10 };

export const WEIGHT_FIELDS = {
  complementarityWeight: 'complementarity',
  formatWeight: 'format',
  cadenceWeight: 'cadence',
  timeZoneWeight: 'timeZone',
} as const satisfies Partial<Record<SettingsField, keyof MatchingWeights>>;

export type WeightField = keyof typeof WEIGHT_FIELDS;

export type SettingsError =
  | { code: 'required' }
  | { code: 'invalid_choice' }
  | { code: 'not_a_number' }
  | { code: 'not_whole'; min: number; max: number }
  | { code: 'out_of_range'; min: number; max: number; decimals: boolean }
  | { code: 'weights_all_zero' }
  | { code: 'invalid_date' }
  | { code: 'end_not_after_start' };

export type SettingsValidation =
  | { ok: true; settings: ProgrammeSettings }
  | { ok: false; errors: Partial<Record<SettingsField, SettingsError>> };

const WHOLE = /^-?\d{1,9}$/;
// A comma is read as a decimal point, as French speakers write it.
const DECIMAL = /^-?\d{1,9}(?:[.,]\d{1,9})?$/;

type Parsed = { ok: true; value: number } | { ok: false; error: SettingsError };

function wholeNumber(raw: string | null, range: Range): Parsed {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, error: { code: 'required' } };
  if (!WHOLE.test(text)) {
    return { ok: false, error: DECIMAL.test(text) ? { code: 'not_whole', ...range } : { code: 'not_a_number' } };
  }
  const value = Number(text);
  if (value < range.min || value > range.max) return { ok: false, error: { code: 'out_of_range', ...range, decimals: false } };
  return { ok: true, value };
}

function decimalNumber(raw: string | null, range: Range): Parsed {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, error: { code: 'required' } };
  if (!DECIMAL.test(text)) return { ok: false, error: { code: 'not_a_number' } };
  const value = Number(text.replace(',', '.'));
  if (value < range.min || value > range.max) return { ok: false, error: { code: 'out_of_range', ...range, decimals: true } };
  return { ok: true, value };
}

function optionalDate(raw: string | null): { ok: true; value: IsoDate | null } | { ok: false; error: SettingsError } {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, value: null };
  return isIsoDate(text) ? { ok: true, value: text } : { ok: false, error: { code: 'invalid_date' } };
}

const isCadence = (value: string | null): value is Cadence => value !== null && (CADENCES as readonly string[]).includes(value);

/** Checks a submitted form field by field; every problem is reported at once, next to its field. */
export function validateSettings(input: SettingsRawInput): SettingsValidation {
  const errors: Partial<Record<SettingsField, SettingsError>> = {};

  const whole = {} as Record<WholeNumberField, number>;
  for (const [field, range] of Object.entries(WHOLE_NUMBER_RANGES) as [WholeNumberField, Range][]) {
    // The hour comes from a list: anything that is not one of its values was not picked there.
    const parsed = wholeNumber(input[field], range);
    if (parsed.ok) whole[field] = parsed.value;
    else errors[field] = field === 'checkinHour' && parsed.error.code !== 'required' ? { code: 'invalid_choice' } : parsed.error;
  }

  if (!isCadence(input.defaultCadence)) errors.defaultCadence = { code: input.defaultCadence ? 'invalid_choice' : 'required' };

  const weights = {} as MatchingWeights;
  for (const [field, key] of Object.entries(WEIGHT_FIELDS) as [WeightField, keyof MatchingWeights][]) {
    const parsed = decimalNumber(input[field], WEIGHT_RANGE);
    if (parsed.ok) weights[key] = parsed.value;
    else errors[field] = parsed.error;
  }
  const allWeightsRead = Object.values(WEIGHT_FIELDS).every((key) => weights[key] !== undefined);
  if (allWeightsRead && Object.values(weights).every((w) => w === 0)) errors.complementarityWeight = { code: 'weights_all_zero' };

  const startsOn = optionalDate(input.startsOn);
  const endsOn = optionalDate(input.endsOn);
  if (!startsOn.ok) errors.startsOn = startsOn.error;
  if (!endsOn.ok) errors.endsOn = endsOn.error;
  else if (startsOn.ok && startsOn.value !== null && endsOn.value !== null && endsOn.value <= startsOn.value) {
    errors.endsOn = { code: 'end_not_after_start' };
  }

  if (Object.keys(errors).length > 0 || !startsOn.ok || !endsOn.ok) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      ...whole,
      defaultCadence: input.defaultCadence as Cadence,
      allowSameDepartment: input.allowSameDepartment,
      allowGuests: input.allowGuests,
      weights,
      startsOn: startsOn.value,
      endsOn: endsOn.value,
    },
  };
}

export type SettingValue = number | string | boolean | null;

/** The settings one field per form input, as change lists and the audit log show them. */
export function settingsByField(settings: ProgrammeSettings): Record<SettingsField, SettingValue> {
  return {
    checkinHour: settings.checkinHour,
    defaultCadence: settings.defaultCadence,
    contractUnsignedDays: settings.contractUnsignedDays,
    introductionUnansweredDays: settings.introductionUnansweredDays,
    firstMeetingDays: settings.firstMeetingDays,
    missedCadenceFactor: settings.missedCadenceFactor,
    lowRating: settings.lowRating,
    unansweredPromptsInARow: settings.unansweredPromptsInARow,
    escalationReraiseWorkingDays: settings.escalationReraiseWorkingDays,
    allowSameDepartment: settings.allowSameDepartment,
    complementarityWeight: settings.weights.complementarity,
    formatWeight: settings.weights.format,
    cadenceWeight: settings.weights.cadence,
    timeZoneWeight: settings.weights.timeZone,
    startsOn: settings.startsOn,
    endsOn: settings.endsOn,
    retentionMonths: settings.retentionMonths,
    allowGuests: settings.allowGuests,
  };
}

export interface SettingChange {
  field: SettingsField;
  from: SettingValue;
  to: SettingValue;
}

/** The fields whose value differs, in the form's order. */
export function settingsChanges(before: ProgrammeSettings, after: ProgrammeSettings): SettingChange[] {
  const from = settingsByField(before);
  const to = settingsByField(after);
  return SETTINGS_FIELDS.filter((field) => from[field] !== to[field]).map((field) => ({ field, from: from[field], to: to[field] }));
}
