/**
 * The programme's dates (`/tandem program`): when matching may run, how far a contract may go, and
 * when the facilitators are told that the end is near. Pure: dates in, answers out.
 */
import { addMonths, type IsoDate } from './time.js';

export interface ProgrammeDates {
  startsOn: IsoDate | null;
  endsOn: IsoDate | null;
}

export type MatchingRefusal = { code: 'not_started'; startsOn: IsoDate } | { code: 'ended'; endsOn: IsoDate };

/**
 * Why no pair may be proposed on `today`, if none may: before the programme starts, or after its
 * last day (the end date itself is still inside it). A programme without dates is always open.
 */
export function matchingRefusal(dates: ProgrammeDates, today: IsoDate): MatchingRefusal | null {
  if (dates.startsOn !== null && today < dates.startsOn) return { code: 'not_started', startsOn: dates.startsOn };
  if (dates.endsOn !== null && today > dates.endsOn) return { code: 'ended', endsOn: dates.endsOn };
  return null;
}

/** How long a contract runs when its end date is left empty, and at most. */
export const CONTRACT_DEFAULT_MONTHS = 6;
export const CONTRACT_MAX_MONTHS = 12;

/** A contract ends with the programme at the latest: the date past which it may not run. */
export function contractLatestEnd(startDate: IsoDate, programmeEndsOn: IsoDate | null): { latest: IsoDate; byProgramme: boolean } {
  const ownLimit = addMonths(startDate, CONTRACT_MAX_MONTHS);
  return programmeEndsOn !== null && programmeEndsOn < ownLimit ? { latest: programmeEndsOn, byProgramme: true } : { latest: ownLimit, byProgramme: false };
}

/** The end a contract gets when none is written: six months on, or the programme's end when sooner. */
export function contractDefaultEnd(startDate: IsoDate, programmeEndsOn: IsoDate | null): IsoDate {
  const sixMonths = addMonths(startDate, CONTRACT_DEFAULT_MONTHS);
  return programmeEndsOn !== null && programmeEndsOn < sixMonths ? programmeEndsOn : sixMonths;
}

/**
 * Whether the facilitators are to be told, on `today`, that the programme ends in a month: from a
 * calendar month before its end until the end itself (a pass missed on the day still tells them).
 */
export function endingNoticeDue(endsOn: IsoDate | null, today: IsoDate): boolean {
  return endsOn !== null && today >= addMonths(endsOn, -1) && today <= endsOn;
}
