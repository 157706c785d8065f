/**
 * Every time rule against the rhythms it meets (weekly, every two weeks, every three weeks,
 * monthly): the check-in schedule of `domain/calendar` feeds the stall rules, as the scheduled
 * passes do, and the rules are read day by day.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CADENCES, cadenceDays, type Cadence, type CheckinDue, type CheckinSchedule, nextCheckinDue, reminderInstant, sessionDates } from '../../src/domain/calendar.js';
import { DEFAULT_STALL_SETTINGS, detectStalls, type PairFacts, type PromptLog, type StallSettings } from '../../src/domain/stall.js';
import { addDays, addMonths, daysBetween, instantToZoned, type IsoDate, zonedDateTimeToInstant } from '../../src/domain/time.js';

const LONG_AGO = new Date('2000-01-01T00:00:00Z');
const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata', 'Pacific/Auckland'] as const;
const CHECKIN_HOUR = 9;

/** Every check-in (and the closing survey) of a contract, in order, as the passes send them. */
function dues(schedule: CheckinSchedule): CheckinDue[] {
  const all: CheckinDue[] = [];
  for (let lastDueDate: IsoDate | null = null; ; ) {
    const due = nextCheckinDue({ ...schedule, lastDueDate }, LONG_AGO, { checkinHour: CHECKIN_HOUR });
    if (!due) return all;
    all.push(due);
    lastDueDate = due.dueDate;
  }
}

interface Contract {
  cadence: Cadence;
  timeZone: string;
  startDate: IsoDate;
  endDate: IsoDate;
  /** Signed the day before it starts, at 17:00 where the pair is. */
  signedAt: Date;
  checkins: CheckinDue[];
}

function contract(cadence: Cadence, timeZone: string, startDate: IsoDate): Contract {
  const endDate = addMonths(startDate, 6);
  const schedule = { startDate, endDate, cadence, partners: [{ timeZone }, { timeZone }] };
  return {
    cadence,
    timeZone,
    startDate,
    endDate,
    signedAt: zonedDateTimeToInstant(addDays(startDate, -1), 17, 0, timeZone),
    checkins: dues(schedule).filter((due) => due.kind === 'checkin'),
  };
}

/** The pair's facts at `now`: the prompts sent by then, answered or not, reminded when due. */
function factsAt(c: Contract, now: Date, options: { answered: boolean; lastMeetingOn: IsoDate | null }): PairFacts {
  const prompts: PromptLog[] = c.checkins
    .filter((due) => due.instant <= now)
    .map((due, index) => {
      const remindAt = reminderInstant(due.instant, { timeZone: c.timeZone });
      return {
        id: `p${index}`,
        sentAt: due.instant,
        answeredAt: options.answered ? due.instant : null,
        remindedAt: !options.answered && remindAt <= now ? remindAt : null,
      };
    });
  return {
    status: 'active',
    timeZone: c.timeZone,
    introducedAt: null,
    introductionPending: [],
    acceptedAt: null,
    contractSignedAt: c.signedAt,
    cadence: c.cadence,
    paused: false,
    lastMeetingOn: options.lastMeetingOn,
    prompts,
    firstPromptAt: prompts[0]?.sentAt ?? null,
    startDate: c.startDate,
  };
}

/** Early morning of each local day from `from` to `to`, where the stall rules look at the pair. */
function mornings(from: IsoDate, to: IsoDate, timeZone: string): Date[] {
  const days: Date[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(zonedDateTimeToInstant(day, 1, 0, timeZone));
  return days;
}

const localDate = (at: Date, timeZone: string): IsoDate => instantToZoned(at, timeZone).date;

const contracts = fc.record({
  cadence: fc.constantFrom(...CADENCES),
  timeZone: fc.constantFrom(...ZONES),
  startDate: fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2025-01-01', n)),
});

const kindsAt = (facts: PairFacts, settings: StallSettings, now: Date) => detectStalls(facts, settings, now).map((reason) => reason.kind);

describe.each(CADENCES)('the stall rules for a %s pair', (cadence) => {
  it('never raise "no first meeting" before Tandem has asked, and raise it on the threshold day after the first check-in', () => {
    fc.assert(
      fc.property(contracts, fc.integer({ min: 1, max: 90 }), ({ timeZone, startDate }, firstMeetingDays) => {
        const c = contract(cadence, timeZone, startDate);
        const settings = { ...DEFAULT_STALL_SETTINGS, firstMeetingDays };
        const [first] = c.checkins;
        if (!first) return;
        const askedOn = localDate(first.instant, timeZone);
        const dueOn = addDays(askedOn, firstMeetingDays);
        for (const now of mornings(localDate(c.signedAt, timeZone), addDays(dueOn, 1), timeZone)) {
          const raised = kindsAt(factsAt(c, now, { answered: true, lastMeetingOn: null }), settings, now).includes('no_first_meeting');
          expect(raised).toBe(localDate(now, timeZone) >= dueOn);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('raise "no meeting" the day after factor × the rhythm without a session, not before', () => {
    fc.assert(
      fc.property(contracts, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 60 }), ({ timeZone, startDate }, missedCadenceFactor, metAfter) => {
        const c = contract(cadence, timeZone, startDate);
        const settings = { ...DEFAULT_STALL_SETTINGS, missedCadenceFactor };
        const lastMeetingOn = addDays(startDate, metAfter);
        const threshold = missedCadenceFactor * cadenceDays(cadence);
        for (const now of mornings(addDays(lastMeetingOn, threshold - 1), addDays(lastMeetingOn, threshold + 2), timeZone)) {
          const raised = kindsAt(factsAt(c, now, { answered: true, lastMeetingOn }), settings, now).includes('no_meeting');
          expect(raised).toBe(daysBetween(lastMeetingOn, localDate(now, timeZone)) > threshold);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('never escalate a pair that meets at its rhythm and answers its check-ins, over the whole contract', () => {
    fc.assert(
      fc.property(contracts, ({ timeZone, startDate }) => {
        const c = contract(cadence, timeZone, startDate);
        const sessions = sessionDates(c);
        for (const now of mornings(localDate(c.signedAt, timeZone), c.endDate, timeZone)) {
          const today = localDate(now, timeZone);
          const lastMeetingOn = sessions.filter((date) => date < today).at(-1) ?? null;
          expect(detectStalls(factsAt(c, now, { answered: true, lastMeetingOn }), DEFAULT_STALL_SETTINGS, now)).toEqual([]);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('raise unanswered check-ins once the programme\'s count of prompts went unanswered after their reminder', () => {
    fc.assert(
      fc.property(contracts, fc.integer({ min: 1, max: 4 }), ({ timeZone, startDate }, unansweredPromptsInARow) => {
        const c = contract(cadence, timeZone, startDate);
        const settings = { ...DEFAULT_STALL_SETTINGS, unansweredPromptsInARow };
        for (const now of mornings(startDate, c.endDate, timeZone)) {
          const facts = factsAt(c, now, { answered: false, lastMeetingOn: startDate });
          const reminded = facts.prompts.filter((prompt) => prompt.remindedAt !== null).length;
          expect(kindsAt(facts, settings, now).includes('unanswered_prompts')).toBe(reminded >= unansweredPromptsInARow);
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('a monthly pair', () => {
  it('is not escalated at day 14 after signing, nor at day 27: it has not been asked yet', () => {
    const c = contract('monthly', 'Europe/Paris', '2027-03-01');
    for (const day of [14, 27]) {
      const now = zonedDateTimeToInstant(addDays('2027-02-28', day), 10, 0, 'Europe/Paris');
      expect(detectStalls(factsAt(c, now, { answered: true, lastMeetingOn: null }), DEFAULT_STALL_SETTINGS, now)).toEqual([]);
    }
  });
});
