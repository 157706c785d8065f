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
    firstPromptAt: utc('2025-02-24T09:00:00Z'),
    startDate: '2025-02-10',
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
    const askedAt = utc('2025-02-24T09:00:00Z');
    const noMeetings = facts({ lastMeetingOn: null });

    it('is counted from the first check-in prompt: raised on its 14th day in the pair\'s zone, not the evening before', () => {
      // Asked on Monday 24 February: 23:59 on 9 March in Paris is still day 13.
      expect(detectStalls(noMeetings, settings, utc('2025-03-09T22:59:00Z'))).toEqual([]);
      // Midnight in Paris: 10 March, day 14.
      expect(detectStalls(noMeetings, settings, utc('2025-03-09T23:00:00Z'))).toEqual([
        {
          kind: 'no_first_meeting',
          key: 'no_first_meeting:2025-02-10T09:00:00.000Z',
          facts: { signedAt, askedAt, since: '2025-02-24', days: 14, thresholdDays: 14 },
        },
      ]);
      expect(detectStalls(noMeetings, settings, utc('2025-03-11T12:00:00Z'))[0]?.facts).toMatchObject({ days: 15 });
    });

    it('is never raised before Tandem has asked, however long ago the contract was signed', () => {
      const neverAsked = facts({ lastMeetingOn: null, firstPromptAt: null, prompts: [] });
      expect(detectStalls(neverAsked, settings, utc('2025-06-01T12:00:00Z'))).toEqual([]);
    });

    it('counts from the contract\'s start when that is later than the first prompt (an amendment moved it)', () => {
      const moved = facts({ lastMeetingOn: null, startDate: '2025-03-03' });
      expect(detectStalls(moved, settings, utc('2025-03-16T12:00:00Z'))).toEqual([]);
      expect(detectStalls(moved, settings, utc('2025-03-17T12:00:00Z'))[0]?.facts).toMatchObject({ since: '2025-03-03', days: 14 });
    });

    it('counts days in the pair\'s own zone', () => {
      // Asked 24 February 09:00 UTC is still 23 February in Honolulu (UTC−10).
      const honolulu = facts({ lastMeetingOn: null, timeZone: 'Pacific/Honolulu', startDate: '2025-02-09' });
      expect(detectStalls(honolulu, settings, utc('2025-03-09T10:00:00Z'))[0]?.facts).toMatchObject({ since: '2025-02-23', days: 14 });
    });

    it('is not raised once a meeting is logged, nor while the pair is paused', () => {
      expect(detectStalls(facts(), settings, utc('2025-03-20T12:00:00Z'))).toEqual([]);
      expect(detectStalls(facts({ lastMeetingOn: null, paused: true }), settings, utc('2025-03-20T12:00:00Z'))).toEqual([]);
    });

    it('follows the programme\'s threshold', () => {
      const patient = { ...settings, firstMeetingDays: 21 };
      expect(detectStalls(noMeetings, patient, utc('2025-03-16T12:00:00Z'))).toEqual([]);
      expect(kinds(detectStalls(noMeetings, patient, utc('2025-03-17T12:00:00Z')))).toEqual(['no_first_meeting']);
    });

    it('leaves a monthly pair alone at day 14 after signing: it has not even been asked yet', () => {
      // Signed and started on 10 February; a monthly pair is first asked four weeks later.
      const monthly = facts({ cadence: 'monthly', lastMeetingOn: null, firstPromptAt: null, prompts: [] });
      expect(detectStalls(monthly, settings, utc('2025-02-24T12:00:00Z'))).toEqual([]);
      const asked = { ...monthly, firstPromptAt: utc('2025-03-10T09:00:00Z') };
      expect(detectStalls(asked, settings, utc('2025-03-23T12:00:00Z'))).toEqual([]);
      expect(detectStalls(asked, settings, utc('2025-03-24T12:00:00Z'))[0]?.facts).toMatchObject({ since: '2025-03-10', days: 14 });
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

    it('waits while the pair is paused, and counts from the end of the pause', () => {
      expect(detectStalls({ ...accepted, paused: true }, settings, utc('2025-03-01T09:00:00Z'))).toEqual([]);
      const resumed = { ...accepted, resumedAt: utc('2025-02-20T08:00:00Z') };
      expect(detectStalls(resumed, settings, utc('2025-03-01T09:00:00Z'))).toEqual([]);
      expect(detectStalls(resumed, settings, utc('2025-03-02T09:00:00Z'))[0]).toMatchObject({ key: 'contract_unsigned:2025-02-03T09:00:00.000Z', facts: { days: 10 } });
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

  describe('after a resolution', () => {
    const noon = (date: string): Date => utc(`${date}T11:00:00Z`);
    // Last meeting 3 March (biweekly: over 28 days on 1 April); resolved on 2 April, still no meeting.
    const resolvedAt = utc('2025-04-02T14:00:00Z');
    const resolved = facts({ resolved: { no_meeting: resolvedAt } });

    it('counts again from the resolution, and raises a new episode once the threshold has passed again', () => {
      expect(detectStalls(resolved, settings, noon('2025-04-03'))).toEqual([]);
      expect(detectStalls(resolved, settings, noon('2025-04-30'))).toEqual([]);
      expect(detectStalls(resolved, settings, noon('2025-05-01'))).toEqual([
        {
          kind: 'no_meeting',
          key: 'no_meeting:2025-03-03@2025-04-02T14:00:00.000Z',
          facts: { since: '2025-03-03', days: 29, thresholdDays: 28, cadence: 'biweekly', cadenceDays: 14, resolvedAt },
        },
      ]);
    });

    it('keys each episode by its resolution, apart from the first one\'s', () => {
      const first = detectStalls(facts(), settings, noon('2025-04-01'))[0]?.key;
      const second = detectStalls(resolved, settings, noon('2025-05-01'))[0]?.key;
      const later = utc('2025-05-02T09:00:00Z');
      const third = detectStalls(facts({ resolved: { no_meeting: later } }), settings, noon('2025-05-31'))[0]?.key;
      expect(new Set([first, second, third]).size).toBe(3);
    });

    it('only restarts the rule whose escalation was resolved', () => {
      const other = facts({ resolved: { unanswered_prompts: resolvedAt } });
      expect(detectStalls(other, settings, noon('2025-04-03'))[0]).toMatchObject({ key: 'no_meeting:2025-03-03' });
    });

    it('counts no first meeting, an unsigned contract and an unanswered introduction from the resolution too', () => {
      const neverMet = facts({ lastMeetingOn: null, resolved: { no_first_meeting: utc('2025-03-12T10:00:00Z') } });
      expect(detectStalls(neverMet, settings, noon('2025-03-25'))).toEqual([]);
      expect(detectStalls(neverMet, settings, noon('2025-03-26'))[0]).toMatchObject({
        key: 'no_first_meeting:2025-02-10T09:00:00.000Z@2025-03-12T10:00:00.000Z',
        facts: { since: '2025-03-12', days: 14 },
      });
      const unsigned = facts({ status: 'accepted', contractSignedAt: null, lastMeetingOn: null, prompts: [], cadence: null, resolved: { contract_unsigned: utc('2025-02-14T10:00:00Z') } });
      expect(detectStalls(unsigned, settings, noon('2025-02-23'))).toEqual([]);
      expect(detectStalls(unsigned, settings, noon('2025-02-24'))[0]).toMatchObject({ key: 'contract_unsigned:2025-02-03T09:00:00.000Z@2025-02-14T10:00:00.000Z', facts: { days: 10 } });
      const silent = facts({ status: 'introduced', introductionPending: ['U_SENIOR'], acceptedAt: null, contractSignedAt: null, cadence: null, lastMeetingOn: null, prompts: [], resolved: { introduction_unanswered: utc('2025-02-07T10:00:00Z') } });
      expect(detectStalls(silent, settings, noon('2025-02-10'))).toEqual([]);
      expect(detectStalls(silent, settings, noon('2025-02-11'))[0]).toMatchObject({ kind: 'introduction_unanswered', facts: { days: 4 } });
    });

    it('counts only the prompts sent since the resolution as unanswered', () => {
      const reminded = (id: string, sentAt: string): PromptLog => ({ id, sentAt: utc(sentAt), answeredAt: null, remindedAt: utc(sentAt) });
      const run = [reminded('p2', '2025-03-17T09:00:00Z'), reminded('p3', '2025-03-31T09:00:00Z')];
      const pair = facts({ lastMeetingOn: '2025-04-10', prompts: run, resolved: { unanswered_prompts: utc('2025-04-02T10:00:00Z') } });
      expect(detectStalls(pair, settings, noon('2025-04-20'))).toEqual([]);
      const more = { ...pair, prompts: [...run, reminded('p4', '2025-04-14T09:00:00Z'), reminded('p5', '2025-04-28T09:00:00Z')] };
      expect(detectStalls(more, settings, noon('2025-05-01'))).toEqual([
        {
          kind: 'unanswered_prompts',
          key: 'unanswered_prompts:p4@2025-04-02T10:00:00.000Z',
          facts: { count: 2, firstSentAt: utc('2025-04-14T09:00:00Z'), lastSentAt: utc('2025-04-28T09:00:00Z'), resolvedAt: utc('2025-04-02T10:00:00Z') },
        },
      ]);
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
