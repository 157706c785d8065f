import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STALL_SETTINGS,
  detectStalls,
  type PairFacts,
  type StallReason,
  type StallSettings,
} from '../../src/domain/stall.js';

const utc = (iso: string): Date => new Date(iso);
const DAY = 86_400_000;
const after = (start: Date, days: number, extraMs = 0): Date => new Date(start.getTime() + days * DAY + extraMs);

const settings: StallSettings = { ...DEFAULT_STALL_SETTINGS, contractUnsignedDays: 10, introductionUnansweredDays: 4 };

/** An active biweekly pair with nothing wrong. */
function facts(overrides: Partial<PairFacts> = {}): PairFacts {
  return {
    status: 'active',
    timeZone: 'Europe/Paris',
    introducedAt: utc('2025-02-01T09:00:00Z'),
    introductionAnsweredByBoth: true,
    acceptedAt: utc('2025-02-03T09:00:00Z'),
    contractSignedAt: utc('2025-02-10T09:00:00Z'),
    cadence: 'biweekly',
    meetings: [{ id: 'm1', date: '2025-03-03', rating: 4 }],
    prompts: [{ id: 'p1', sentAt: utc('2025-02-24T09:00:00Z'), answeredAt: utc('2025-02-24T15:00:00Z') }],
    helpRequests: [],
    concerns: [],
    ...overrides,
  };
}

const kinds = (reasons: StallReason[]): string[] => reasons.map((reason) => reason.kind);

describe('detectStalls', () => {
  it('finds nothing for a pair on track', () => {
    expect(detectStalls(facts(), settings, utc('2025-03-10T12:00:00Z'))).toEqual([]);
  });

  describe('help requests and concerns', () => {
    it('raises each help request and each concern, keyed by id, without the concern text', () => {
      const reasons = detectStalls(
        facts({
          helpRequests: [{ id: 'h1', requestedBy: 'U_JUNIOR', requestedAt: utc('2025-03-05T10:00:00Z') }],
          concerns: [{ id: 'c7', raisedBy: 'U_SENIOR', raisedAt: utc('2025-03-06T10:00:00Z') }],
        }),
        settings,
        utc('2025-03-10T12:00:00Z'),
      );
      expect(reasons).toEqual([
        {
          kind: 'help_requested',
          key: 'help_requested:h1',
          facts: { requestedBy: 'U_JUNIOR', requestedAt: utc('2025-03-05T10:00:00Z') },
        },
        { kind: 'concern', key: 'concern:c7', facts: { raisedBy: 'U_SENIOR', raisedAt: utc('2025-03-06T10:00:00Z') } },
      ]);
    });

    it('still raises a concern after the pair closed', () => {
      const closed = facts({ status: 'closed', concerns: [{ id: 'c1', raisedBy: 'U_SENIOR', raisedAt: utc('2025-09-01T10:00:00Z') }] });
      expect(kinds(detectStalls(closed, settings, utc('2025-09-02T10:00:00Z')))).toEqual(['concern']);
    });
  });

  describe('low rating', () => {
    const now = utc('2025-03-10T12:00:00Z');
    const rated = (rating: number | null): PairFacts => facts({ meetings: [{ id: 'ci9', date: '2025-03-07', rating }] });

    it('raises a rating at the threshold or below', () => {
      expect(detectStalls(rated(2), settings, now)).toEqual([
        { kind: 'low_rating', key: 'low_rating:ci9', facts: { meetingId: 'ci9', date: '2025-03-07', rating: 2, threshold: 2 } },
      ]);
      expect(kinds(detectStalls(rated(1), settings, now))).toEqual(['low_rating']);
    });

    it('ignores a rating just above, or none', () => {
      expect(detectStalls(rated(3), settings, now)).toEqual([]);
      expect(detectStalls(rated(null), settings, now)).toEqual([]);
    });
  });

  describe('no first meeting', () => {
    const signedAt = utc('2025-02-10T09:00:00Z');
    const noMeetings = facts({ meetings: [] });

    it('is raised 14 days after signing, not a second before', () => {
      expect(detectStalls(noMeetings, settings, after(signedAt, 14, -1000))).toEqual([]);
      expect(detectStalls(noMeetings, settings, after(signedAt, 14))).toEqual([
        {
          kind: 'no_first_meeting',
          key: 'no_first_meeting:2025-02-10T09:00:00.000Z',
          facts: { signedAt, days: 14, thresholdDays: 14 },
        },
      ]);
      expect(detectStalls(noMeetings, settings, after(signedAt, 15))[0]?.facts).toMatchObject({ days: 15 });
    });

    it('is not raised once a meeting is logged', () => {
      expect(detectStalls(facts(), settings, after(signedAt, 20))).toEqual([]);
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

    it('counts days in the pair\'s zone and from the latest meeting', () => {
      // 22:30 UTC on 31 March is already 1 April in Paris.
      expect(kinds(detectStalls(facts(), settings, utc('2025-03-31T22:30:00Z')))).toEqual(['no_meeting']);
      const twoMeetings = facts({ meetings: [{ id: 'm2', date: '2025-03-17', rating: 5 }, ...facts().meetings] });
      expect(detectStalls(twoMeetings, settings, noon('2025-04-01'))).toEqual([]);
    });

    it('scales with the cadence: monthly allows 56 days', () => {
      const monthly = facts({ cadence: 'monthly' });
      expect(detectStalls(monthly, settings, noon('2025-04-28'))).toEqual([]);
      expect(kinds(detectStalls(monthly, settings, noon('2025-04-29')))).toEqual(['no_meeting']);
    });
  });

  describe('unanswered prompts in a row', () => {
    const now = utc('2025-04-01T12:00:00Z');
    const prompt = (id: string, sentAt: string, answered: boolean) => ({
      id,
      sentAt: utc(sentAt),
      answeredAt: answered ? utc(sentAt) : null,
    });
    const withPrompts = (...prompts: ReturnType<typeof prompt>[]): PairFacts =>
      facts({ meetings: [{ id: 'm1', date: '2025-03-28', rating: 4 }], prompts });

    it('is not raised for one unanswered prompt', () => {
      const pair = withPrompts(prompt('p1', '2025-03-03T09:00:00Z', true), prompt('p2', '2025-03-17T09:00:00Z', false));
      expect(detectStalls(pair, settings, now)).toEqual([]);
    });

    it('is raised at two in a row, keyed by the first of the run', () => {
      const pair = withPrompts(
        prompt('p1', '2025-03-03T09:00:00Z', true),
        prompt('p2', '2025-03-17T09:00:00Z', false),
        prompt('p3', '2025-03-31T09:00:00Z', false),
      );
      expect(detectStalls(pair, settings, now)).toEqual([
        {
          kind: 'unanswered_prompts',
          key: 'unanswered_prompts:p2',
          facts: { count: 2, firstSentAt: utc('2025-03-17T09:00:00Z'), lastSentAt: utc('2025-03-31T09:00:00Z') },
        },
      ]);
    });

    it('keeps the same key when the run grows to three', () => {
      const pair = withPrompts(
        prompt('p2', '2025-03-17T09:00:00Z', false),
        prompt('p3', '2025-03-31T09:00:00Z', false),
        prompt('p4', '2025-04-14T09:00:00Z', false),
      );
      expect(detectStalls(pair, settings, now)[0]).toMatchObject({ key: 'unanswered_prompts:p2', facts: { count: 3 } });
    });

    it('is not raised when the latest prompt was answered', () => {
      const pair = withPrompts(
        prompt('p1', '2025-03-03T09:00:00Z', false),
        prompt('p2', '2025-03-17T09:00:00Z', false),
        prompt('p3', '2025-03-31T09:00:00Z', true),
      );
      expect(detectStalls(pair, settings, now)).toEqual([]);
    });
  });

  describe('contract unsigned', () => {
    const acceptedAt = utc('2025-02-03T09:00:00Z');
    const accepted = facts({ status: 'accepted', contractSignedAt: null, meetings: [], prompts: [], cadence: null });

    it('is raised N days after the pair accepted, not before', () => {
      expect(detectStalls(accepted, settings, after(acceptedAt, 10, -1000))).toEqual([]);
      expect(detectStalls(accepted, settings, after(acceptedAt, 10))).toEqual([
        {
          kind: 'contract_unsigned',
          key: 'contract_unsigned:2025-02-03T09:00:00.000Z',
          facts: { acceptedAt, days: 10, thresholdDays: 10 },
        },
      ]);
      expect(detectStalls(accepted, settings, after(acceptedAt, 11))[0]?.facts).toMatchObject({ days: 11 });
    });
  });

  describe('introduction unanswered', () => {
    const introducedAt = utc('2025-02-01T09:00:00Z');
    const introduced = facts({
      status: 'introduced',
      introductionAnsweredByBoth: false,
      acceptedAt: null,
      contractSignedAt: null,
      cadence: null,
      meetings: [],
      prompts: [],
    });

    it('is raised N days after the introduction, not before', () => {
      expect(detectStalls(introduced, settings, after(introducedAt, 4, -1000))).toEqual([]);
      expect(detectStalls(introduced, settings, after(introducedAt, 4))).toEqual([
        {
          kind: 'introduction_unanswered',
          key: 'introduction_unanswered:2025-02-01T09:00:00.000Z',
          facts: { introducedAt, days: 4, thresholdDays: 4 },
        },
      ]);
      expect(detectStalls(introduced, settings, after(introducedAt, 5))[0]?.facts).toMatchObject({ days: 5 });
    });

    it('is not raised once both answered', () => {
      expect(detectStalls({ ...introduced, introductionAnsweredByBoth: true }, settings, after(introducedAt, 9))).toEqual([]);
    });
  });

  it('applies time rules only in their status', () => {
    const closed = facts({ status: 'closed', meetings: [] });
    expect(detectStalls(closed, settings, utc('2025-06-01T12:00:00Z'))).toEqual([]);
  });

  it('gives the same reasons, in the same order, for the same facts', () => {
    const busy = facts({
      meetings: [{ id: 'm1', date: '2025-03-03', rating: 1 }],
      prompts: [
        { id: 'p1', sentAt: utc('2025-03-17T09:00:00Z'), answeredAt: null },
        { id: 'p2', sentAt: utc('2025-03-31T09:00:00Z'), answeredAt: null },
      ],
      helpRequests: [{ id: 'h1', requestedBy: 'U_JUNIOR', requestedAt: utc('2025-04-02T10:00:00Z') }],
    });
    const now = utc('2025-04-08T12:00:00Z');
    const first = detectStalls(busy, settings, now);
    expect(kinds(first)).toEqual(['help_requested', 'low_rating', 'no_meeting', 'unanswered_prompts']);
    expect(detectStalls(busy, settings, now)).toEqual(first);
    expect(new Set(first.map((reason) => reason.key)).size).toBe(first.length);
  });
});
