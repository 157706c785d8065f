/**
 * The mentoring contract: validating what the pair typed, the defaults the
 * form opens with, which version may be signed, and the learning gain.
 */
import { CADENCES, type Cadence, FORMATS, type Format } from './profile.js';
import { CONTRACT_MAX_MONTHS, contractDefaultEnd, contractLatestEnd } from './programme-dates.js';
import type { SessionSlot } from './calendar.js';
import { parseSessionTime, SESSION_WEEKDAYS, type SessionTimeError } from './session.js';
import { addDays, instantToZoned, isIsoDate, type IsoDate, type Weekday } from './time.js';

export const SESSION_MINUTES = [30, 45, 60, 90] as const;
export type SessionMinutes = (typeof SESSION_MINUTES)[number];



/**
 * What the contract form submits, before any checking. Text fields arrive as
 * typed (objectives one per line); absent and empty mean the same.
 */
export interface ContractRawInput {
  /** Digital skills the senior wants to learn, one per line. */
  seniorObjectives?: string | null;
  /** Business know-how the junior wants to learn, one per line. */
  juniorObjectives?: string | null;
  /** One of CADENCES; default `biweekly`. */
  cadence?: string | null;
  /** One of SESSION_MINUTES, as text or number; default 60. */
  sessionMinutes?: string | number | null;
  /** How they will work together (tools, places…). */
  means?: string | null;
  /** One of FORMATS. */
  format?: string | null;
  startDate?: string | null;
  /** Default: start + 6 months. */
  endDate?: string | null;
  groundRulesAcknowledged?: boolean | null;
  notes?: string | null;
  /** The sessions' weekday, 1 (Monday) to 5 (Friday), on the author's clock. */
  sessionDay?: string | null;
  /** The sessions' time of day, "HH:MM", on the author's clock. */
  sessionTime?: string | null;
}

export type ContractField = keyof ContractRawInput;

export type ContractError =
  | { code: 'required' }
  | { code: 'objectives_count'; min: number; max: number; count: number }
  | { code: 'objective_too_long'; max: number; line: number; length: number }
  | { code: 'objective_duplicate'; line: number; firstLine: number }
  | { code: 'invalid_choice'; allowed: readonly (string | number)[] }
  | { code: 'invalid_date' }
  | { code: 'start_in_past'; graceDays: number; earliest: IsoDate }
  | { code: 'end_before_start' }
  | { code: 'end_in_past' }
  | { code: 'end_too_far'; maxMonths: number; latest: IsoDate }
  | { code: 'after_programme_end'; endsOn: IsoDate }
  | { code: 'start_after_programme_end'; endsOn: IsoDate }
  | { code: 'ground_rules_required' }
  | { code: 'text_too_long'; max: number; length: number }
  | { code: 'invalid_time' }
  | SessionTimeError;

export interface ContractTerms {
  seniorObjectives: string[];
  juniorObjectives: string[];
  cadence: Cadence;
  sessionMinutes: SessionMinutes;
  means: string;
  format: Format;
  startDate: IsoDate;
  endDate: IsoDate;
  groundRulesAcknowledged: true;
  notes: string | null;
  /** When the pair meets, on the author's clock; null for a contract written before sessions had a time. */
  session?: SessionSlot | null;
}

export type ContractValidation =
  | { ok: true; value: ContractTerms }
  | { ok: false; errors: Partial<Record<ContractField, ContractError>> };

export interface ContractValidationContext {
  /** The submitter's zone: "today" is their today. */
  timeZone: string;
  /**
   * The start date of the version being amended: keeping it is always allowed, however far back,
   * since an amendment changes the terms of a contract under way, not when it began.
   */
  keptStartDate?: IsoDate | null;
  /** The programme's last day, if set: a contract ends by then (its default end too). */
  programmeEndsOn?: IsoDate | null;
  /** The form asks for the sessions' weekday and time: both are then required. */
  sessionRequired?: boolean;
}

const OBJECTIVES = { min: 1, max: 5, maxLength: 150 } as const;
const MAX_TEXT_LENGTH = 1000;
/**
 * A start up to a week back is accepted: pairs often hold their first session
 * before writing the contract down and should be able to record the real
 * start; further back would schedule a run of check-ins already missed.
 */
const START_GRACE_DAYS = 7;

/** Field result: a value, or the one error shown under that field. */
type Checked<T> = { value: T } | { error: ContractError };

function blank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

function length(text: string): number {
  return [...text].length; // code points, so "é" or an emoji counts once
}

/** Leading "- ", "* ", "• ", "1. " or "1) " that people type before list items. */
const BULLET = /^(?:[-*•]|\d+[.)])(?:\s+|$)/; // a lone bullet is an empty line

function normaliseForComparison(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ');
}

/** Splits objectives one per line; `line` numbers refer to what the user typed. */
function checkObjectives(raw: string | null | undefined): Checked<string[]> {
  const items = (raw ?? '')
    .split(/\r\n|\r|\n/)
    .map((text, index) => ({ text: text.trim().replace(BULLET, '').trim(), line: index + 1 }))
    .filter((item) => item.text !== '');
  if (items.length < OBJECTIVES.min || items.length > OBJECTIVES.max) {
    return { error: { code: 'objectives_count', min: OBJECTIVES.min, max: OBJECTIVES.max, count: items.length } };
  }
  const tooLong = items.find((item) => length(item.text) > OBJECTIVES.maxLength);
  if (tooLong) return { error: { code: 'objective_too_long', max: OBJECTIVES.maxLength, line: tooLong.line, length: length(tooLong.text) } };
  const firstLines = new Map<string, number>();
  for (const item of items) {
    const key = normaliseForComparison(item.text);
    const firstLine = firstLines.get(key);
    if (firstLine !== undefined) return { error: { code: 'objective_duplicate', line: item.line, firstLine } };
    firstLines.set(key, item.line);
  }
  return { value: items.map((item) => item.text) };
}

function checkChoice<T extends string | number>(
  raw: string | number | null | undefined,
  allowed: readonly T[],
  fallback: T | null,
): Checked<T> {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  if (text === '') return fallback === null ? { error: { code: 'required' } } : { value: fallback };
  const match = allowed.find((option) => String(option) === text);
  return match === undefined ? { error: { code: 'invalid_choice', allowed } } : { value: match };
}

function checkText(raw: string | null | undefined): Checked<string | null> {
  if (blank(raw)) return { value: null };
  const text = raw.trim();
  const size = length(text);
  return size > MAX_TEXT_LENGTH ? { error: { code: 'text_too_long', max: MAX_TEXT_LENGTH, length: size } } : { value: text };
}

function checkRequiredText(raw: string | null | undefined): Checked<string> {
  const checked = checkText(raw);
  if ('error' in checked) return checked;
  return checked.value === null ? { error: { code: 'required' } } : { value: checked.value };
}

function checkStartDate(raw: string | null | undefined, today: IsoDate, kept: IsoDate | null, programmeEndsOn: IsoDate | null): Checked<IsoDate> {
  if (blank(raw)) return { error: { code: 'required' } };
  const date = raw.trim();
  if (!isIsoDate(date)) return { error: { code: 'invalid_date' } };
  // A contract needs at least a day inside the programme.
  if (programmeEndsOn !== null && date >= programmeEndsOn) return { error: { code: 'start_after_programme_end', endsOn: programmeEndsOn } };
  if (date === kept) return { value: date };
  const earliest = addDays(today, -START_GRACE_DAYS);
  return date < earliest ? { error: { code: 'start_in_past', graceDays: START_GRACE_DAYS, earliest } } : { value: date };
}

/** With no usable start date, only the end date's own format can be checked. */
function checkEndDate(raw: string | null | undefined, startDate: IsoDate | null, today: IsoDate, programmeEndsOn: IsoDate | null): Checked<IsoDate> | null {
  if (blank(raw)) return startDate === null ? null : { value: contractDefaultEnd(startDate, programmeEndsOn) };
  const date = raw.trim();
  if (!isIsoDate(date)) return { error: { code: 'invalid_date' } };
  if (startDate === null) return null;
  if (date <= startDate) return { error: { code: 'end_before_start' } };
  // An amendment may keep an old start; a contract that would already be over cannot come into force.
  if (date < today) return { error: { code: 'end_in_past' } };
  const { latest, byProgramme } = contractLatestEnd(startDate, programmeEndsOn);
  if (date <= latest) return { value: date };
  return { error: byProgramme ? { code: 'after_programme_end', endsOn: latest } : { code: 'end_too_far', maxMonths: CONTRACT_MAX_MONTHS, latest } };
}

function checkSessionDay(raw: string | null | undefined, required: boolean): Checked<Weekday | null> {
  if (blank(raw) && !required) return { value: null };
  return checkChoice<Weekday>(raw, SESSION_WEEKDAYS, null);
}

function checkSessionTime(raw: string | null | undefined, required: boolean): Checked<{ hour: number; minute: number } | null> {
  if (blank(raw)) return required ? { error: { code: 'required' } } : { value: null };
  const time = parseSessionTime(raw);
  return time ? { value: time } : { error: { code: 'invalid_time' } };
}

function checkGroundRules(raw: boolean | null | undefined): Checked<true> {
  return raw === true ? { value: true } : { error: { code: 'ground_rules_required' } };
}

export function validateContractInput(
  raw: ContractRawInput,
  now: Date,
  context: ContractValidationContext,
): ContractValidation {
  const today = instantToZoned(now, context.timeZone).date;
  const programmeEndsOn = context.programmeEndsOn ?? null;
  const start = checkStartDate(raw.startDate, today, context.keptStartDate ?? null, programmeEndsOn);
  const checks = {
    seniorObjectives: checkObjectives(raw.seniorObjectives),
    juniorObjectives: checkObjectives(raw.juniorObjectives),
    cadence: checkChoice<Cadence>(raw.cadence, CADENCES, 'biweekly'),
    sessionMinutes: checkChoice<SessionMinutes>(raw.sessionMinutes, SESSION_MINUTES, 60),
    means: checkRequiredText(raw.means),
    format: checkChoice<Format>(raw.format, FORMATS, null),
    startDate: start,
    endDate: checkEndDate(raw.endDate, 'value' in start ? start.value : null, today, programmeEndsOn),
    groundRulesAcknowledged: checkGroundRules(raw.groundRulesAcknowledged),
    notes: checkText(raw.notes),
    sessionDay: checkSessionDay(raw.sessionDay, context.sessionRequired ?? false),
    sessionTime: checkSessionTime(raw.sessionTime, context.sessionRequired ?? false),
  } satisfies Record<ContractField, Checked<unknown> | null>;

  const errors: Partial<Record<ContractField, ContractError>> = {};
  for (const [field, check] of Object.entries(checks) as [ContractField, Checked<unknown> | null][]) {
    if (check && 'error' in check) errors[field] = check.error;
  }
  // A missing end check means the start is unusable, which is itself an error.
  if (Object.keys(errors).length > 0 || checks.endDate === null) return { ok: false, errors };
  return {
    ok: true,
    value: {
      seniorObjectives: valueOf(checks.seniorObjectives),
      juniorObjectives: valueOf(checks.juniorObjectives),
      cadence: valueOf(checks.cadence),
      sessionMinutes: valueOf(checks.sessionMinutes),
      means: valueOf(checks.means),
      format: valueOf(checks.format),
      startDate: valueOf(checks.startDate),
      endDate: valueOf(checks.endDate),
      groundRulesAcknowledged: valueOf(checks.groundRulesAcknowledged),
      notes: valueOf(checks.notes),
      ...optionalSession(sessionSlot(valueOf(checks.sessionDay), valueOf(checks.sessionTime), context.timeZone)),
    },
  };
}

const optionalSession = (session: SessionSlot | null): { session?: SessionSlot } => (session ? { session } : {});

function sessionSlot(weekday: Weekday | null, time: { hour: number; minute: number } | null, timeZone: string): SessionSlot | null {
  return weekday === null || time === null ? null : { weekday, hour: time.hour, minute: time.minute, timeZone };
}

/** Only called once every field is known to hold a value. */
function valueOf<T>(checked: Checked<T>): T {
  if ('error' in checked) throw new Error(`Field error after validation: ${checked.error.code}`);
  return checked.value;
}

export interface ContractDefaults {
  startDate: IsoDate;
  endDate: IsoDate;
  cadence: Cadence;
  sessionMinutes: SessionMinutes;
  format: Format;
}

/** A preference of `either` (or none) accepts both concrete formats. */
function acceptedFormats(preference: Format | null): Format[] {
  return preference === null || preference === 'either' ? ['in_person', 'video'] : [preference];
}

/**
 * What the contract form opens with. The format is the one every partner
 * accepts when exactly one fits (video + either → video); otherwise `either`.
 */
export function contractDefaults(today: IsoDate, preferredFormats: readonly (Format | null)[], programmeEndsOn: IsoDate | null = null): ContractDefaults {
  const common = preferredFormats
    .map(acceptedFormats)
    .reduce((shared, accepted) => shared.filter((format) => accepted.includes(format)), acceptedFormats(null));
  return {
    startDate: today,
    endDate: contractDefaultEnd(today, programmeEndsOn),
    cadence: 'biweekly',
    sessionMinutes: 60,
    format: common.length === 1 && common[0] ? common[0] : 'either',
  };
}

/** One version of a pair's contract and who has signed it. */
export interface ContractVersion {
  version: number;
  partnerIds: readonly string[];
  signedBy: readonly string[];
}

export type SignCheck = { ok: true } | { ok: false; reason: 'not_a_partner' | 'already_signed' | 'superseded' };

/**
 * Only the latest version can be signed: an amendment asks both partners to
 * agree again, and signing an older text would revive terms already replaced.
 */
export function canSign(contract: ContractVersion, latestVersion: number, userId: string): SignCheck {
  if (!contract.partnerIds.includes(userId)) return { ok: false, reason: 'not_a_partner' };
  if (contract.version < latestVersion) return { ok: false, reason: 'superseded' };
  if (contract.signedBy.includes(userId)) return { ok: false, reason: 'already_signed' };
  return { ok: true };
}

/**
 * The version in force is the newest one every partner signed; while an
 * amendment awaits signatures the previous signed version still applies.
 */
export function versionInForce<T extends ContractVersion>(versions: readonly T[]): T | null {
  const signed = versions.filter((v) => v.partnerIds.length > 0 && v.partnerIds.every((id) => v.signedBy.includes(id)));
  return signed.reduce<T | null>((best, v) => (best === null || v.version > best.version ? v : best), null);
}

export interface LearningGain {
  /** end − start per objective; null when either level is missing. */
  perObjective: (number | null)[];
  /** Mean of the known gains; null when none is known. */
  mean: number | null;
}

/** Self-assessed levels per objective, same order at start and end; null = not rated. */
export function learningGain(
  startLevels: readonly (number | null)[],
  endLevels: readonly (number | null)[],
): LearningGain {
  if (startLevels.length !== endLevels.length) {
    throw new RangeError(`Level lists differ in length: ${startLevels.length} vs ${endLevels.length}`);
  }
  const perObjective = startLevels.map((start, i) => {
    const end = endLevels[i];
    return start === null || end === null || end === undefined ? null : end - start;
  });
  const known = perObjective.filter((gain): gain is number => gain !== null);
  const mean = known.length === 0 ? null : known.reduce((sum, gain) => sum + gain, 0) / known.length;
  return { perObjective, mean };
}
