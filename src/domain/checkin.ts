/**
 * What a partner may log about a session, and what they answer in the closing survey: checked
 * here, with no Slack and no database, so every rule has a unit test.
 */
import { isIsoDate, type IsoDate } from './time.js';

export const CHECKIN_MINUTES = [15, 30, 45, 60, 90, 120] as const;
export const PROGRESS_LEVELS = ['not_started', 'started', 'good', 'reached'] as const;
export type Progress = (typeof PROGRESS_LEVELS)[number];
export const FLOWS = ['i_learned', 'partner_learned', 'both'] as const;
export type Flow = (typeof FLOWS)[number];
export const REACHED = ['reached', 'partly', 'not'] as const;
export type Reached = (typeof REACHED)[number];

export const MAX_TOPICS_LENGTH = 1000;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_LEARNED_LENGTH = 1500;

export interface CheckinRawInput {
  metOn: string | null;
  minutes: string | null;
  topics: string | null;
  /** One raw choice per objective of the contract, in its order. */
  progress: readonly (string | null)[];
  rating: string | null;
  flow: string | null;
  privateNote: string | null;
}

export interface CheckinInput {
  metOn: IsoDate;
  minutes: number;
  topics: string;
  progress: Progress[];
  rating: number;
  flow: Flow;
  privateNote: string | null;
}

export type CheckinField = 'metOn' | 'minutes' | 'topics' | 'rating' | 'flow' | 'privateNote' | `progress.${number}`;

export type FieldError =
  | { code: 'required' }
  | { code: 'invalid_choice' }
  | { code: 'invalid_date' }
  | { code: 'date_in_future'; today: IsoDate }
  | { code: 'date_before_contract'; start: IsoDate }
  | { code: 'date_after_contract'; end: IsoDate }
  | { code: 'text_too_long'; max: number; length: number };

export type Validation<T, F extends string> = { ok: true; value: T } | { ok: false; errors: Partial<Record<F, FieldError>> };

export interface CheckinContext {
  /** Today in the partner's own zone: a session cannot be logged in the future. */
  today: IsoDate;
  contractStart: IsoDate;
  contractEnd: IsoDate;
}

const length = (text: string): number => [...text].length;

function choice<T extends string | number>(raw: string | null, allowed: readonly T[]): T | FieldError {
  if (raw === null || raw.trim() === '') return { code: 'required' };
  const found = allowed.find((option) => String(option) === raw.trim());
  return found === undefined ? { code: 'invalid_choice' } : found;
}

function text(raw: string | null, max: number, required: boolean): string | null | FieldError {
  const value = (raw ?? '').trim();
  if (value === '') return required ? { code: 'required' } : null;
  return length(value) > max ? { code: 'text_too_long', max, length: length(value) } : value;
}

const isError = (value: unknown): value is FieldError => typeof value === 'object' && value !== null && 'code' in value;

function meetingDate(raw: string | null, context: CheckinContext): IsoDate | FieldError {
  if (raw === null || raw.trim() === '') return { code: 'required' };
  if (!isIsoDate(raw)) return { code: 'invalid_date' };
  if (raw > context.today) return { code: 'date_in_future', today: context.today };
  if (raw < context.contractStart) return { code: 'date_before_contract', start: context.contractStart };
  if (raw > context.contractEnd) return { code: 'date_after_contract', end: context.contractEnd };
  return raw;
}

export function validateCheckin(raw: CheckinRawInput, objectiveCount: number, context: CheckinContext): Validation<CheckinInput, CheckinField> {
  const errors: Partial<Record<CheckinField, FieldError>> = {};
  const metOn = meetingDate(raw.metOn, context);
  const minutes = choice(raw.minutes, CHECKIN_MINUTES);
  const topics = text(raw.topics, MAX_TOPICS_LENGTH, true);
  const rating = choice(raw.rating, [1, 2, 3, 4, 5] as const);
  const flow = choice(raw.flow, FLOWS);
  const privateNote = text(raw.privateNote, MAX_NOTE_LENGTH, false);
  const progress: Progress[] = [];
  for (let i = 0; i < objectiveCount; i += 1) {
    const level = choice(raw.progress[i] ?? null, PROGRESS_LEVELS);
    if (isError(level)) errors[`progress.${i}`] = level;
    else progress.push(level);
  }
  if (isError(metOn)) errors.metOn = metOn;
  if (isError(minutes)) errors.minutes = minutes;
  if (isError(topics)) errors.topics = topics;
  if (isError(rating)) errors.rating = rating;
  if (isError(flow)) errors.flow = flow;
  if (isError(privateNote)) errors.privateNote = privateNote;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { metOn: metOn as IsoDate, minutes: minutes as number, topics: topics as string, progress, rating: rating as number, flow: flow as Flow, privateNote: privateNote as string | null },
  };
}

export interface SurveyRawInput {
  /** Per own objective. */
  reached: readonly (string | null)[];
  endLevels: readonly (string | null)[];
  satisfaction: string | null;
  learned: string | null;
  mayQuote: string | null;
}

export interface SurveyInput {
  reached: Reached[];
  endLevels: number[];
  satisfaction: number;
  learned: string;
  mayQuote: boolean;
}

export type SurveyField = 'satisfaction' | 'learned' | 'mayQuote' | `reached.${number}` | `endLevel.${number}`;

export function validateSurvey(raw: SurveyRawInput, objectiveCount: number): Validation<SurveyInput, SurveyField> {
  const errors: Partial<Record<SurveyField, FieldError>> = {};
  const reached: Reached[] = [];
  const endLevels: number[] = [];
  for (let i = 0; i < objectiveCount; i += 1) {
    const r = choice(raw.reached[i] ?? null, REACHED);
    if (isError(r)) errors[`reached.${i}`] = r;
    else reached.push(r);
    const level = choice(raw.endLevels[i] ?? null, [1, 2, 3, 4, 5] as const);
    if (isError(level)) errors[`endLevel.${i}`] = level;
    else endLevels.push(level);
  }
  const satisfaction = choice(raw.satisfaction, [1, 2, 3, 4, 5] as const);
  const learned = text(raw.learned, MAX_LEARNED_LENGTH, true);
  const mayQuote = choice(raw.mayQuote, ['yes', 'no'] as const);
  if (isError(satisfaction)) errors.satisfaction = satisfaction;
  if (isError(learned)) errors.learned = learned;
  if (isError(mayQuote)) errors.mayQuote = mayQuote;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { reached, endLevels, satisfaction: satisfaction as number, learned: learned as string, mayQuote: mayQuote === 'yes' } };
}

/** Start → end level on each objective, and the mean gain, once both are known. */
export interface LearningGain {
  objectives: { objective: string; start: number; end: number }[];
  meanGain: number;
}

export function learningGain(objectives: readonly string[], start: readonly number[] | null, end: readonly number[] | null): LearningGain | null {
  if (!start || !end || objectives.length === 0 || start.length !== objectives.length || end.length !== objectives.length) return null;
  const rows = objectives.map((objective, i) => ({ objective, start: start[i] as number, end: end[i] as number }));
  const meanGain = rows.reduce((sum, row) => sum + (row.end - row.start), 0) / rows.length;
  return { objectives: rows, meanGain: Math.round(meanGain * 10) / 10 };
}

/** A pause date: a real date, after today, and no further than the end of the contract. */
export type PauseDateError = { code: 'invalid_date' } | { code: 'not_after_today' } | { code: 'after_contract_end'; end: IsoDate };

export function validatePauseUntil(raw: string, today: IsoDate, contractEnd: IsoDate): { ok: true; value: IsoDate } | { ok: false; error: PauseDateError } {
  if (!isIsoDate(raw)) return { ok: false, error: { code: 'invalid_date' } };
  if (raw <= today) return { ok: false, error: { code: 'not_after_today' } };
  if (raw > contractEnd) return { ok: false, error: { code: 'after_contract_end', end: contractEnd } };
  return { ok: true, value: raw };
}
