import { describe, expect, it } from 'vitest';
import { isPrivate, nextStallCheck, opensEscalation, privateNote, REASON_KINDS, reraiseAt, STALL_CHECK_SLOTS, visibleTo } from '../../src/domain/escalation.js';
import { instantToZoned } from '../../src/domain/time.js';

const utc = (iso: string): Date => new Date(iso);
const PARIS = 'Europe/Paris';

describe('reraiseAt', () => {
  it('is two working days later at the same time, a weekday', () => {
    // Monday 10:00 in Paris (winter, UTC+1) → Wednesday 10:00.
    expect(reraiseAt(utc('2026-01-12T09:00:00Z'), 2, PARIS)).toEqual(utc('2026-01-14T09:00:00Z'));
  });

  it('skips the weekend: Friday → Tuesday, and one opened on Saturday counts from Monday', () => {
    expect(reraiseAt(utc('2026-01-16T14:30:00Z'), 2, PARIS)).toEqual(utc('2026-01-20T14:30:00Z'));
    expect(reraiseAt(utc('2026-01-17T09:00:00Z'), 2, PARIS)).toEqual(utc('2026-01-20T09:00:00Z'));
    expect(reraiseAt(utc('2026-01-18T09:00:00Z'), 1, PARIS)).toEqual(utc('2026-01-19T09:00:00Z'));
  });

  it('keeps the wall-clock time across a change to summer time', () => {
    // Friday 27 March 2026, 10:00 in Paris (UTC+1); clocks go forward on Sunday 29 March.
    // Tuesday 31 March, 10:00 in Paris is 08:00 UTC: an hour earlier in UTC, the same hour there.
    expect(reraiseAt(utc('2026-03-27T09:00:00Z'), 2, PARIS)).toEqual(utc('2026-03-31T08:00:00Z'));
  });

  it('keeps the wall-clock time across a change back to winter time', () => {
    // Friday 23 October 2026, 18:00 in Paris (UTC+2); clocks go back on Sunday 25 October.
    expect(reraiseAt(utc('2026-10-23T16:00:00Z'), 2, PARIS)).toEqual(utc('2026-10-27T17:00:00Z'));
  });

  it('reads the weekday in the facilitators\' zone, not in UTC', () => {
    // Friday 23:30 UTC is already Saturday 00:30 in Paris: counted from Monday, so Tuesday 00:30.
    expect(reraiseAt(utc('2026-01-16T23:30:00Z'), 2, PARIS)).toEqual(utc('2026-01-19T23:30:00Z'));
    // …while in New York it is still Friday 18:30: Tuesday 18:30 there.
    expect(reraiseAt(utc('2026-01-16T23:30:00Z'), 2, 'America/New_York')).toEqual(utc('2026-01-20T23:30:00Z'));
  });

  it('follows the programme\'s number of working days', () => {
    expect(reraiseAt(utc('2026-01-12T09:00:00Z'), 5, PARIS)).toEqual(utc('2026-01-19T09:00:00Z'));
  });
});

describe('nextStallCheck', () => {
  it('falls early on the next local day, spread by the pair\'s slot', () => {
    const at = utc('2026-01-12T15:00:00Z');
    const first = nextStallCheck(at, PARIS, STALL_CHECK_SLOTS);
    expect(first).toEqual(utc('2026-01-12T23:00:00Z')); // 00:00 on the 13th in Paris
    expect(nextStallCheck(at, PARIS, 13)).toEqual(utc('2026-01-13T00:05:00Z')); // 01:05
    const zoned = instantToZoned(nextStallCheck(at, PARIS, STALL_CHECK_SLOTS - 1), PARIS);
    expect(zoned).toMatchObject({ date: '2026-01-13', hour: 1, minute: 55 });
  });

  it('is the next day where the pair is, whatever the UTC date', () => {
    // 23:30 UTC on the 12th is already the 13th in Tokyo: next check on the 14th there.
    expect(instantToZoned(nextStallCheck(utc('2026-01-12T23:30:00Z'), 'Asia/Tokyo', 0), 'Asia/Tokyo')).toMatchObject({ date: '2026-01-14', hour: 0, minute: 0 });
  });

  it('is always in the future, and always on the next local date, across daylight-saving changes', () => {
    for (const at of ['2026-03-28T23:30:00Z', '2026-03-29T00:30:00Z', '2026-10-24T23:30:00Z', '2026-10-25T01:30:00Z']) {
      for (let slot = 0; slot < STALL_CHECK_SLOTS; slot++) {
        const next = nextStallCheck(utc(at), PARIS, slot);
        expect(next.getTime()).toBeGreaterThan(utc(at).getTime());
        const today = instantToZoned(utc(at), PARIS).date;
        expect(instantToZoned(next, PARIS).date > today).toBe(true);
      }
    }
  });
});

describe('who may know of an escalation', () => {
  it('keeps concerns, ratings and private notes private; the rest is shared', () => {
    expect(REASON_KINDS.filter(isPrivate)).toEqual(['concern', 'low_rating', 'private_note']);
  });

  it('never opens an escalation for a private note alone', () => {
    expect(REASON_KINDS.filter((kind) => !opensEscalation(kind))).toEqual(['private_note']);
    expect(privateNote('41', 'U_J', '2026-01-12')).toEqual({ kind: 'private_note', key: 'private_note:41', facts: { checkinId: '41', writtenBy: 'U_J', date: '2026-01-12' } });
  });

  it('shows a partner only what they know already or confided themselves', () => {
    const concern = { kind: 'concern', raisedBy: 'U_J' } as const;
    const rating = { kind: 'low_rating', raisedBy: 'U_S' } as const;
    const help = { kind: 'help_requested', raisedBy: 'U_S' } as const;
    const stall = { kind: 'no_meeting', raisedBy: null } as const;
    expect(visibleTo([concern], 'U_J')).toBe(true);
    expect(visibleTo([concern], 'U_S')).toBe(false);
    expect(visibleTo([concern, rating], 'U_S')).toBe(true);
    expect(visibleTo([concern, rating], 'U_OTHER')).toBe(false);
    expect(visibleTo([concern, help], 'U_J')).toBe(true);
    expect(visibleTo([stall], 'U_S')).toBe(true);
    expect(visibleTo([], 'U_S')).toBe(false);
  });
});
