import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CADENCES } from '../../src/domain/profile.js';
import {
  type ProgrammeSettings,
  type SettingsRawInput,
  settingsByField,
  settingsChanges,
  validateSettings,
  WHOLE_NUMBER_RANGES,
} from '../../src/domain/settings.js';
import { DEFAULT_STALL_SETTINGS } from '../../src/domain/stall.js';

const DEFAULTS: ProgrammeSettings = {
  ...DEFAULT_STALL_SETTINGS,
  checkinHour: 10,
  defaultCadence: 'biweekly',
  allowSameDepartment: false,
  allowGuests: false,
  weights: { complementarity: 0.6, format: 0.15, cadence: 0.1, timeZone: 0.15 },
  escalationReraiseWorkingDays: 2,
  retentionMonths: 24,
  startsOn: null,
  endsOn: null,
};

/** What the form submits for these settings: numbers as typed, dates as picked. */
function rawOf(settings: ProgrammeSettings): SettingsRawInput {
  const byField = settingsByField(settings);
  const text = (value: unknown) => (value === null ? null : String(value));
  return {
    checkinHour: text(byField.checkinHour),
    defaultCadence: text(byField.defaultCadence),
    contractUnsignedDays: text(byField.contractUnsignedDays),
    introductionUnansweredDays: text(byField.introductionUnansweredDays),
    firstMeetingDays: text(byField.firstMeetingDays),
    missedCadenceFactor: text(byField.missedCadenceFactor),
    lowRating: text(byField.lowRating),
    unansweredPromptsInARow: text(byField.unansweredPromptsInARow),
    escalationReraiseWorkingDays: text(byField.escalationReraiseWorkingDays),
    allowSameDepartment: settings.allowSameDepartment,
    allowGuests: settings.allowGuests,
    complementarityWeight: text(byField.complementarityWeight),
    formatWeight: text(byField.formatWeight),
    cadenceWeight: text(byField.cadenceWeight),
    timeZoneWeight: text(byField.timeZoneWeight),
    startsOn: text(byField.startsOn),
    endsOn: text(byField.endsOn),
    retentionMonths: text(byField.retentionMonths),
  };
}

const errorsOf = (overrides: Partial<SettingsRawInput>) => {
  const result = validateSettings({ ...rawOf(DEFAULTS), ...overrides });
  return result.ok ? {} : result.errors;
};

describe('validateSettings', () => {
  it('accepts the defaults as the form shows them', () => {
    expect(validateSettings(rawOf(DEFAULTS))).toEqual({ ok: true, settings: DEFAULTS });
  });

  it('reads what people type: spaces around a number, a decimal comma, dates left empty', () => {
    const result = validateSettings({ ...rawOf(DEFAULTS), firstMeetingDays: ' 21 ', formatWeight: '0,25', startsOn: '', endsOn: null });
    expect(result).toEqual({ ok: true, settings: { ...DEFAULTS, firstMeetingDays: 21, weights: { ...DEFAULTS.weights, format: 0.25 } } });
  });

  it('refuses each whole-number setting outside its range, not whole, or not a number', () => {
    for (const [field, range] of Object.entries(WHOLE_NUMBER_RANGES)) {
      if (field === 'checkinHour') continue;
      expect(errorsOf({ [field]: String(range.min - 1) })).toEqual({ [field]: { code: 'out_of_range', ...range, decimals: false } });
      expect(errorsOf({ [field]: String(range.max + 1) })).toEqual({ [field]: { code: 'out_of_range', ...range, decimals: false } });
      expect(errorsOf({ [field]: '2.5' })).toEqual({ [field]: { code: 'not_whole', ...range } });
      expect(errorsOf({ [field]: 'seven' })).toEqual({ [field]: { code: 'not_a_number' } });
      expect(errorsOf({ [field]: '  ' })).toEqual({ [field]: { code: 'required' } });
      expect(validateSettings({ ...rawOf(DEFAULTS), [field]: String(range.max) }).ok).toBe(true);
      expect(validateSettings({ ...rawOf(DEFAULTS), [field]: String(range.min) }).ok).toBe(true);
    }
  });

  it('takes the hour and the rhythm only from their lists', () => {
    expect(errorsOf({ checkinHour: '24' })).toEqual({ checkinHour: { code: 'invalid_choice' } });
    expect(errorsOf({ checkinHour: '9am' })).toEqual({ checkinHour: { code: 'invalid_choice' } });
    expect(errorsOf({ checkinHour: null })).toEqual({ checkinHour: { code: 'required' } });
    expect(validateSettings({ ...rawOf(DEFAULTS), checkinHour: '0' }).ok).toBe(true);
    expect(errorsOf({ defaultCadence: 'daily' })).toEqual({ defaultCadence: { code: 'invalid_choice' } });
    expect(errorsOf({ defaultCadence: null })).toEqual({ defaultCadence: { code: 'required' } });
  });

  it('keeps weights between 0 and 10, and not all at 0', () => {
    expect(errorsOf({ formatWeight: '10.5' })).toEqual({ formatWeight: { code: 'out_of_range', min: 0, max: 10, decimals: true } });
    expect(errorsOf({ cadenceWeight: '-0.1' })).toEqual({ cadenceWeight: { code: 'out_of_range', min: 0, max: 10, decimals: true } });
    expect(errorsOf({ timeZoneWeight: '1e3' })).toEqual({ timeZoneWeight: { code: 'not_a_number' } });
    expect(errorsOf({ complementarityWeight: '0', formatWeight: '0', cadenceWeight: '0', timeZoneWeight: '0' })).toEqual({
      complementarityWeight: { code: 'weights_all_zero' },
    });
    expect(validateSettings({ ...rawOf(DEFAULTS), complementarityWeight: '0', formatWeight: '0', cadenceWeight: '0', timeZoneWeight: '10' }).ok).toBe(true);
  });

  it('wants real dates, the end after the start', () => {
    expect(errorsOf({ startsOn: '2027-02-30' })).toEqual({ startsOn: { code: 'invalid_date' } });
    expect(errorsOf({ startsOn: '2027-09-01', endsOn: '2027-09-01' })).toEqual({ endsOn: { code: 'end_not_after_start' } });
    expect(errorsOf({ startsOn: '2027-09-01', endsOn: '2027-08-31' })).toEqual({ endsOn: { code: 'end_not_after_start' } });
    // Either date alone is fine: a programme may be open-ended.
    expect(validateSettings({ ...rawOf(DEFAULTS), endsOn: '2027-08-31' }).ok).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(Object.keys(errorsOf({ lowRating: '0', retentionMonths: '', formatWeight: 'x', endsOn: 'soon' })).sort()).toEqual([
      'endsOn',
      'formatWeight',
      'lowRating',
      'retentionMonths',
    ]);
  });

  it('gives back any valid settings it is shown (property)', () => {
    const whole = (field: keyof typeof WHOLE_NUMBER_RANGES) => fc.integer(WHOLE_NUMBER_RANGES[field]);
    const weight = fc.integer({ min: 0, max: 1000 }).map((n) => n / 100);
    const date = fc.date({ min: new Date('2020-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const settings = fc
      .record({
        checkinHour: whole('checkinHour'),
        defaultCadence: fc.constantFrom(...CADENCES),
        contractUnsignedDays: whole('contractUnsignedDays'),
        introductionUnansweredDays: whole('introductionUnansweredDays'),
        firstMeetingDays: whole('firstMeetingDays'),
        missedCadenceFactor: whole('missedCadenceFactor'),
        lowRating: whole('lowRating'),
        unansweredPromptsInARow: whole('unansweredPromptsInARow'),
        escalationReraiseWorkingDays: whole('escalationReraiseWorkingDays'),
        retentionMonths: whole('retentionMonths'),
        allowSameDepartment: fc.boolean(),
        allowGuests: fc.boolean(),
        weights: fc.record({ complementarity: weight, format: weight, cadence: weight, timeZone: weight }),
        startsOn: fc.option(date, { nil: null }),
        endsOn: fc.option(date, { nil: null }),
      })
      .filter((s) => Object.values(s.weights).some((w) => w > 0))
      .filter((s) => s.startsOn === null || s.endsOn === null || s.endsOn > s.startsOn);
    fc.assert(
      fc.property(settings, (s) => {
        expect(validateSettings(rawOf(s))).toEqual({ ok: true, settings: s });
      }),
    );
  });
});

describe('settingsChanges', () => {
  it('lists only what changed, before and after, in the form’s order', () => {
    const after: ProgrammeSettings = { ...DEFAULTS, retentionMonths: 36, checkinHour: 9, weights: { ...DEFAULTS.weights, format: 0.3 }, startsOn: '2027-04-01' };
    expect(settingsChanges(DEFAULTS, after)).toEqual([
      { field: 'checkinHour', from: 10, to: 9 },
      { field: 'formatWeight', from: 0.15, to: 0.3 },
      { field: 'startsOn', from: null, to: '2027-04-01' },
      { field: 'retentionMonths', from: 24, to: 36 },
    ]);
    expect(settingsChanges(DEFAULTS, { ...DEFAULTS })).toEqual([]);
  });
});
