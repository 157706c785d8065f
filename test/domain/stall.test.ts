import { describe, expect, it } from 'vitest';
import {
  concernRaised,
  DEFAULT_STALL_SETTINGS,
  detectStalls,
  helpRequested,
  lowRating,
  type PairFacts,
  type PromptLog,
  type StallReason,
  type StallSettings,
} from '../../src/domain/stall.js';

const utc = (iso: string): Date => new Date(iso);

const settings: StallSettings = { ...DEFAULT_STALL_SETTINGS, contractUnsignedDays: 10, introductionUnansweredDays: 4 };

/** An active biweekly pair in Paris with nothing wrong. */
function facts(overrides: Partial<PairFacts> = {}): PairFacts {
  return {
    status: 'active',
    timeZone: 'Europe/Paris',
    introducedAt: utc('2025-02-01T09:00:00Z'),
    introductionPending: [],
    acceptedAt: utc('2025-02-03T09:00:00Z'),
    contractSignedAt: utc('2025-02-10T09:00:00Z'),
    cadence: 'biweekly',
    paused: false,
    lastMeetingOn: '2025-03-03',
    prompts: [{ id: 'p1', sentAt: utc('2025-02-24T09:00:00Z'), answeredAt: utc('2025-02-24T15:00:00Z'), remindedAt: null }],
    ...overrides,
  };
}

const kinds = (reasons: StallReason[]): string[] => reasons.map((reason) => reason.kind);

describe('event reasons', () => {
  it('key a help request by the press, with who, when and which check-in', () => {
    expect(helpRequested('12.3', 'U_JUNIOR', utc('2025-03-05T10:00:00Z'), '2025-03-03')).toEqual({
      kind: 'help_requested',
      key: 'help_requested:12.3',
      facts: { requestedBy: 'U_JUNIOR', requestedAt: utc('2025-03-05T10:00:00Z'), checkinOf: '2025-03-03' },
    });
  });

  it('key a concern by its id, and keep its text out of the facts', () => {
    expect(concernRaised('c7', 'U_SENIOR', utc('2025-03-06T10:00:00Z'))).toEqual({
      kind: 'concern',
      key: 'concern:c7',
      facts: { raisedBy: 'U_SENIOR', raisedAt: utc('2025-03-06T10:00:00Z') },
    });
  });

  it('raise a rating at the threshold or below, with who rated which session', () => {
    const meeting = (rating: number) => ({ id: 'ci9', date: '2025-03-07', rating, ratedBy: 'U_SENIOR' });
    expect(lowRating(meeting(2), settings)).toEqual({
      kind: 'low_rating',
      key: 'low_rating:ci9',
      facts: { meetingId: 'ci9', date: '2025-03-07', rating: 2, threshold: 2, ratedBy: 'U_SENIOR' },
    });
    expect(lowRating(meeting(1), settings)?.kind).toBe('low_rating');
    expect(lowRating(meeting(3), settings)).toBeNull();
    // The programme's threshold, whatever it is.
    expect(lowRating(meeting(3), { lowRating: 3 })?.facts).toMatchObject({ threshold: 3 });
  });
});

describe('detectStalls', () => {
  it('finds nothing for a pair on track', () => {
    expect(detectStalls(facts(), settings, utc('2025-03-10T12:00:00Z'))).toEqual([]);
  });

  describe('no first meeting', () => {
    const signedAt = utc('2025-02-10T09:00:00Z');
    const noMeetings = facts({ lastMeetingOn: null });

    it('is raised on the 14th day after signing in the pair\'s zone, not the evening before', () => {
      // 23:59 on 23 February in Paris is still day 13.
      expect(detectStalls(noMeetings, settings, utc('2025-02-23T22:59:00Z'))).toEqual([]);
      // Midnight in Paris: 24 February, day 14.
      expect(detectStalls(noMeetings, settings, utc('2025-02-23T23:00:00Z'))).toEqual([
        {
          kind: 'no_first_meeting',
          key: 'no_first_meeting:2025-02-10T09:00:00.000Z',
          facts: { signedAt, days: 14, thresholdDays: 14 },
        },
      ]);
      expect(detectStalls(noMeetings, settings, utc('2025-02-25T12:00:00Z'))[0]?.facts).toMatchObject({ days: 15 });
    });

    it('counts days in the pair\'s own zone', () => {
      // Signed 10 February 09:00 UTC is still 9 February in Honolulu (UTC−10).
      const honolulu = facts({ lastMeetingOn: null, timeZone: 'Pacific/Honolulu' });
      expect(detectStalls(honolulu, settings, utc('2025-02-23T10:00:00Z'))[0]?.facts).toMatchObject({ days: 14 });
    });

    it('is not raised once a meeting is logged, nor while the pair is paused', () => {
      expect(detectStalls(facts(), settings, utc('2025-03-02T12:00:00Z'))).toEqual([]);
      expect(detectStalls(facts({ lastMeetingOn: null, paused: true }), settings, utc('2025-03-02T12:00:00Z'))).toEqual([]);
    });

    it('follows the programme\'s threshold', () => {
      const patient = { ...settings, firstMeetingDays: 21 };
      expect(detectStalls(noMeetings, patient, utc('2025-03-02T12:00:00Z'))).toEqual([]);
      expect(kinds(detectStalls(noMeetings, patient, utc('2025-03-03T12:00:00Z')))).toEqual(['no_first_meeting']);
    });
  });

  describe('no meeting for more than twice the cadence', () => {
    // Last meeting Monday 3 March; biweekly → 28 days is still fine, 29 is not.
    const noon = (date: string): Date => utc(`${date}T11:00:00Z`);

    it('is not raised at exactly twice the cadence', () => {
      expect(detectStalls(facts(), settings, noon('2025-03-31'))).toEqual([]);
    });

    it('is raised the day after, with the facts a facilitator reads', () => {
      expect(detectStalls(facts(), settings, noon('2025-04-01'))).toEqual([
        {
          kind: 'no_meeting',
          key: 'no_meeting:2025-03-03',
          facts: { since: '2025-03-03', days: 29, thresholdDays: 28, cadence: 'biweekly', cadenceDays: 14 },
        },
      ]);
      expect(detectStalls(facts(), settings, noon('2025-04-08'))[0]?.facts).toMatchObject({ days: 36 });
    });

    it('counts days in the pair\'s zone, across a change to summer time', () => {
      // 22:30 UTC on 31 March is already 1 April in Paris (summer time since 30 March).
      expect(kinds(detectStalls(facts(), settings, utc('2025-03-31T22:30:00Z')))).toEqual(['no_meeting']);
      expect(detectStalls(facts(), settings, utc('2025-03-31T21:59:00Z'))).toEqual([]);
    });

    it('counts from the end of a pause when that is later than the last meeting', () => {
      // Paused from 10 March, resumed on 20 April: the time away does not count against the pair.
      const resumed = facts({ resumedAt: utc('2025-04-20T08:00:00Z') });
      expect(detectStalls(resumed, settings, noon('2025-04-21'))).toEqual([]);
      expect(detectStalls(resumed, settings, noon('2025-05-18'))).toEqual([]);
      expect(detectStalls(resumed, settings, noon('2025-05-19'))[0]?.facts).toMatchObject({ since: '2025-03-03', days: 29 });
      // No first meeting either: counted from the resume.
      const neverMet = facts({ lastMeetingOn: null, resumedAt: utc('2025-03-20T08:00:00Z') });
      expect(detectStalls(neverMet, settings, noon('2025-03-21'))).toEqual([]);
    });

    it('scales with the cadence and the factor', () => {
      const monthly = facts({ cadence: 'monthly' });
      expect(detectStalls(monthly, settings, noon('2025-04-28'))).toEqual([]);
      expect(kinds(detectStalls(monthly, settings, noon('2025-04-29')))).toEqual(['no_meeting']);
      const strict = { ...settings, missedCadenceFactor: 1 };
      expect(detectStalls(facts(), strict, noon('2025-03-18'))[0]?.facts).toMatchObject({ days: 15, thresholdDays: 14 });
    });

    it('is not raised while the pair is paused', () => {
      expect(detectStalls(facts({ paused: true }), settings, noon('2025-04-08'))).toEqual([]);
    });
  });

  describe('unanswered prompts in a row', () => {
    const now = utc('2025-04-01T12:00:00Z');
    const prompt = (id: string, sentAt: string, state: 'answered' | 'reminded' | 'fresh'): PromptLog => ({
      id,
      sentAt: utc(sentAt),
      answeredAt: state === 'answered' ? utc(sentAt) : null,
      remindedAt: state === 'fresh' ? null : utc(sentAt),
    });
    const withPrompts = (...prompts: PromptLog[]): PairFacts => facts({ lastMeetingOn: '2025-03-28', prompts });

    it('is not raised for one unanswered prompt', () => {
      const pair = withPrompts(prompt('p1', '2025-03-03T09:00:00Z', 'answered'), prompt('p2', '2025-03-17T09:00:00Z', 'reminded'));
      expect(detectStalls(pair, settings, now)).toEqual([]);
    });

    it('is raised at two in a row, keyed by the first of the run', () => {
      const pair = withPrompts(
        prompt('p1', '2025-03-03T09:00:00Z', 'answered'),
        prompt('p2', '2025-03-17T09:00:00Z', 'reminded'),
        prompt('p3', '2025-03-31T09:00:00Z', 'reminded'),
      );
      expect(detectStalls(pair, settings, now)).toEqual([
        {
          kind: 'unanswered_prompts',
          key: 'unanswered_prompts:p2',
          facts: { count: 2, firstSentAt: utc('2025-03-17T09:00:00Z'), lastSentAt: utc('2025-03-31T09:00:00Z') },
        },
      ]);
    });

    it('waits for the latest prompt\'s reminder: a prompt just sent is not unanswered yet', () => {
      const pair = withPrompts(prompt('p1', '2025-03-03T09:00:00Z', 'answered'), prompt('p2', '2025-03-17T09:00:00Z', 'reminded'), prompt('p3', '2025-03-31T09:00:00Z', 'fresh'));
      expect(detectStalls(pair, settings, now)).toEqual([]);
    });

    it('keeps the same key when the run grows to three', () => {
      const pair = withPrompts(
        prompt('p2', '2025-03-17T09:00:00Z', 'reminded'),
        prompt('p3', '2025-03-31T09:00:00Z', 'reminded'),
        prompt('p4', '2025-04-14T09:00:00Z', 'reminded'),
      );
      expect(detectStalls(pair, settings, now)[0]).toMatchObject({ key: 'unanswered_prompts:p2', facts: { count: 3 } });
    });

    it('is not raised when the latest prompt was answered, nor while paused', () => {
      const answered = withPrompts(
        prompt('p1', '2025-03-03T09:00:00Z', 'reminded'),
        prompt('p2', '2025-03-17T09:00:00Z', 'reminded'),
        prompt('p3', '2025-03-31T09:00:00Z', 'answered'),
      );
      expect(detectStalls(answered, settings, now)).toEqual([]);
      const paused = { ...withPrompts(prompt('p2', '2025-03-17T09:00:00Z', 'reminded'), prompt('p3', '2025-03-31T09:00:00Z', 'reminded')), paused: true };
      expect(detectStalls(paused, settings, now)).toEqual([]);
    });

    it('follows the programme\'s count', () => {
      const pair = withPrompts(prompt('p2', '2025-03-17T09:00:00Z', 'reminded'), prompt('p3', '2025-03-31T09:00:00Z', 'reminded'));
      expect(detectStalls(pair, { ...settings, unansweredPromptsInARow: 3 }, now)).toEqual([]);
      expect(kinds(detectStalls(pair, { ...settings, unansweredPromptsInARow: 1 }, now))).toEqual(['unanswered_prompts']);
    });
  });

  describe('contract unsigned', () => {
    const acceptedAt = utc('2025-02-03T09:00:00Z');
    const accepted = facts({ status: 'accepted', contractSignedAt: null, lastMeetingOn: null, prompts: [], cadence: null });

    it('is raised on the Nth day after the pair accepted, not the day before', () => {
      expect(detectStalls(accepted, settings, utc('2025-02-12T22:59:00Z'))).toEqual([]);
      expect(detectStalls(accepted, settings, utc('2025-02-12T23:00:00Z'))).toEqual([
        {
          kind: 'contract_unsigned',
          key: 'contract_unsigned:2025-02-03T09:00:00.000Z',
          facts: { acceptedAt, days: 10, thresholdDays: 10 },
        },
      ]);
      expect(detectStalls(accepted, settings, utc('2025-02-14T09:00:00Z'))[0]?.facts).toMatchObject({ days: 11 });
    });
  });

  describe('introduction unanswered', () => {
    const introducedAt = utc('2025-02-01T09:00:00Z');
    const introduced = facts({
      status: 'introduced',
      introductionPending: ['U_SENIOR'],
      acceptedAt: null,
      contractSignedAt: null,
      cadence: null,
      lastMeetingOn: null,
      prompts: [],
    });

    it('is raised on the Nth day after the introduction, naming who has not answered', () => {
      expect(detectStalls(introduced, settings, utc('2025-02-04T22:59:00Z'))).toEqual([]);
      expect(detectStalls(introduced, settings, utc('2025-02-04T23:00:00Z'))).toEqual([
        {
          kind: 'introduction_unanswered',
          key: 'introduction_unanswered:2025-02-01T09:00:00.000Z',
          facts: { introducedAt, days: 4, thresholdDays: 4, waitingFor: ['U_SENIOR'] },
        },
      ]);
      expect(detectStalls(introduced, settings, utc('2025-02-06T09:00:00Z'))[0]?.facts).toMatchObject({ days: 5 });
    });

    it('is not raised once both answered', () => {
      expect(detectStalls({ ...introduced, introductionPending: [] }, settings, utc('2025-02-10T09:00:00Z'))).toEqual([]);
    });
  });

  it('applies time rules only in their status', () => {
    const closed = facts({ status: 'closed', lastMeetingOn: null });
    expect(detectStalls(closed, settings, utc('2025-06-01T12:00:00Z'))).toEqual([]);
    const activeNeverIntroduced = facts({ introducedAt: utc('2025-01-01T09:00:00Z'), introductionPending: ['U_X'] });
    expect(detectStalls(activeNeverIntroduced, settings, utc('2025-03-10T12:00:00Z'))).toEqual([]);
  });

  it('gives the same reasons, in the same order, for the same facts', () => {
    const busy = facts({
      lastMeetingOn: '2025-03-03',
      prompts: [
        { id: 'p1', sentAt: utc('2025-03-17T09:00:00Z'), answeredAt: null, remindedAt: utc('2025-03-19T09:00:00Z') },
        { id: 'p2', sentAt: utc('2025-03-31T09:00:00Z'), answeredAt: null, remindedAt: utc('2025-04-02T09:00:00Z') },
      ],
    });
    const now = utc('2025-04-08T12:00:00Z');
    const first = detectStalls(busy, settings, now);
    expect(kinds(first)).toEqual(['no_meeting', 'unanswered_prompts']);
    expect(detectStalls(busy, settings, now)).toEqual(first);
    expect(new Set(first.map((reason) => reason.key)).size).toBe(first.length);
  });
});
