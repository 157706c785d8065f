import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateContractInput } from '../../src/domain/contract.js';
import { contractDefaultEnd, contractLatestEnd, endingNoticeDue, matchingRefusal } from '../../src/domain/programme-dates.js';
import { addDays, addMonths } from '../../src/domain/time.js';

const dates = { startsOn: '2027-03-01', endsOn: '2027-12-15' };

describe('matching and the programme\'s dates', () => {
  it('is refused before the start and after the last day, allowed on both days themselves', () => {
    expect(matchingRefusal(dates, '2027-02-28')).toEqual({ code: 'not_started', startsOn: '2027-03-01' });
    expect(matchingRefusal(dates, '2027-03-01')).toBeNull();
    expect(matchingRefusal(dates, '2027-12-15')).toBeNull();
    expect(matchingRefusal(dates, '2027-12-16')).toEqual({ code: 'ended', endsOn: '2027-12-15' });
  });

  it('is always allowed in a programme without dates, or with only one of them', () => {
    expect(matchingRefusal({ startsOn: null, endsOn: null }, '1999-01-01')).toBeNull();
    expect(matchingRefusal({ startsOn: '2027-03-01', endsOn: null }, '2099-01-01')).toBeNull();
    expect(matchingRefusal({ startsOn: null, endsOn: '2027-12-15' }, '2000-01-01')).toBeNull();
  });
});

describe('a contract\'s end and the programme\'s', () => {
  it('defaults to six months, or the programme\'s end when sooner', () => {
    expect(contractDefaultEnd('2027-03-01', null)).toBe('2027-09-01');
    expect(contractDefaultEnd('2027-03-01', '2027-12-15')).toBe('2027-09-01');
    expect(contractDefaultEnd('2027-08-01', '2027-12-15')).toBe('2027-12-15');
  });

  it('may not go past the programme\'s end, nor past twelve months', () => {
    expect(contractLatestEnd('2027-08-01', '2027-12-15')).toEqual({ latest: '2027-12-15', byProgramme: true });
    expect(contractLatestEnd('2027-03-01', '2029-01-01')).toEqual({ latest: '2028-03-01', byProgramme: false });
  });

  it('is refused next to the field when after the programme\'s end, with the end to choose instead', () => {
    const now = new Date('2027-08-01T10:00:00Z');
    const raw = {
      seniorObjectives: 'Use Slack well',
      juniorObjectives: 'Read a P&L',
      means: 'Practice',
      format: 'video',
      startDate: '2027-08-02',
      groundRulesAcknowledged: true,
    };
    const context = { timeZone: 'Europe/Paris', programmeEndsOn: '2027-12-15' };
    expect(validateContractInput({ ...raw, endDate: '2027-12-16' }, now, context)).toEqual({ ok: false, errors: { endDate: { code: 'after_programme_end', endsOn: '2027-12-15' } } });
    expect(validateContractInput({ ...raw, endDate: '2027-12-15' }, now, context)).toMatchObject({ ok: true, value: { endDate: '2027-12-15' } });
    // Left empty: the programme's end, sooner than six months.
    expect(validateContractInput(raw, now, context)).toMatchObject({ ok: true, value: { endDate: '2027-12-15' } });
    // A start on or after the programme's last day leaves no day for the contract.
    expect(validateContractInput({ ...raw, startDate: '2027-12-15' }, now, context)).toMatchObject({ ok: false, errors: { startDate: { code: 'start_after_programme_end', endsOn: '2027-12-15' } } });
  });

  it('never lets a valid contract end after the programme, whatever the dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 500 }), fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }), (startIn, programmeLasts, endIn) => {
        const today = '2027-01-04';
        const startDate = addDays(today, startIn);
        const programmeEndsOn = addDays(today, programmeLasts);
        const raw = { seniorObjectives: 'A', juniorObjectives: 'B', means: 'C', format: 'video', startDate, endDate: endIn === null ? null : addDays(startDate, endIn), groundRulesAcknowledged: true };
        const result = validateContractInput(raw, new Date(`${today}T10:00:00Z`), { timeZone: 'UTC', programmeEndsOn });
        if (result.ok) {
          expect(result.value.endDate <= programmeEndsOn).toBe(true);
          expect(result.value.endDate <= addMonths(startDate, 12)).toBe(true);
        }
      }),
    );
  });
});

describe('the notice that the programme ends soon', () => {
  it('is due from a month before the end until the end itself', () => {
    expect(endingNoticeDue('2027-12-15', '2027-11-14')).toBe(false);
    expect(endingNoticeDue('2027-12-15', '2027-11-15')).toBe(true);
    expect(endingNoticeDue('2027-12-15', '2027-12-15')).toBe(true);
    expect(endingNoticeDue('2027-12-15', '2027-12-16')).toBe(false);
    expect(endingNoticeDue(null, '2027-11-20')).toBe(false);
  });
});
