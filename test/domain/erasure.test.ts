import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankObjectives, holdsName, holdsUserId, replaceName, replaceUserId, retentionCutoff, withoutText } from '../../src/domain/erasure.js';

const slackId = fc.stringMatching(/^U[A-Z0-9]{4,10}$/);
const words = fc.array(fc.constantFrom('hello', ' ', '<@', '>', '|', 'U0', 'ana', ',', '"', 'users:', '\n'), { maxLength: 12 }).map((parts) => parts.join(''));

describe('finding and replacing a Slack id', () => {
  it('finds the id as a mention, in a list or bare, never inside a longer id', () => {
    expect(holdsUserId('<@U0ANA> left', 'U0ANA')).toBe(true);
    expect(holdsUserId('users:U0ANA,U0BOB', 'U0ANA')).toBe(true);
    expect(holdsUserId('{"channel":"U0ANA"}', 'U0ANA')).toBe(true);
    expect(holdsUserId('<@U0ANAB> left', 'U0ANA')).toBe(false);
    expect(holdsUserId('XU0ANA', 'U0ANA')).toBe(false);
  });

  it('turns mentions into the label and bare ids into the anonymous id', () => {
    expect(replaceUserId('<@U0ANA> and <@U0ANA|ana> left; channel U0ANA; <@U0ANAB> stays', 'U0ANA', 'anon-1', 'a former participant')).toBe(
      'a former participant and a former participant left; channel anon-1; <@U0ANAB> stays',
    );
    expect(replaceUserId('<@U0ANA> left', 'U0ANA', 'anon-1')).toBe('anon-1 left');
  });

  it('leaves no trace of the id, changes nothing else, and is idempotent', () => {
    fc.assert(
      fc.property(slackId, fc.array(fc.oneof(words, slackId.map((id) => `<@${id}>`)), { maxLength: 8 }), (id, parts) => {
        const text = parts.join(' ') + ` <@${id}> ${id}`;
        const once = replaceUserId(text, id, 'anon-x', 'someone');
        expect(holdsUserId(once, id)).toBe(false);
        expect(replaceUserId(once, id, 'anon-x', 'someone')).toBe(once);
        expect(replaceUserId(parts.join(' ').replaceAll(id, ''), id, 'anon-x')).toBe(parts.join(' ').replaceAll(id, ''));
      }),
    );
  });
});

describe('finding and replacing a display name', () => {
  it('never finds a name inside a longer word, whatever its case or script', () => {
    expect(holdsName('Leonard said hi', 'Leon')).toBe(false);
    expect(holdsName('ask Dana', 'Dan')).toBe(false);
    expect(replaceName('Annabelle met Anna', 'Anna', 'X')).toBe('Annabelle met X');
    expect(holdsName('Élodie2 est là', 'Élodie')).toBe(false);
    expect(holdsName('« Élodie » est là', 'Élodie')).toBe(true);
  });

  it('matches whole words only, and ignores names too short to be told apart', () => {
    expect(holdsName('Tandem with Ana Lopez', 'Ana Lopez')).toBe(true);
    expect(holdsName('Banana split', 'Ana')).toBe(false);
    expect(holdsName('Tandem with Jo', 'Jo')).toBe(false);
    expect(replaceName('Sessions with Ana Lopez, from Monday', 'Ana Lopez', 'a former participant')).toBe('Sessions with a former participant, from Monday');
    expect(replaceName('Élodie et Élodiane', 'Élodie', 'X')).toBe('X et Élodiane');
  });
});

describe('blanking objectives', () => {
  it('keeps the list’s length, so that levels still line up', () => {
    expect(blankObjectives('["Read a P&L","Negotiate"]')).toBe('["",""]');
    expect(blankObjectives('[]')).toBe('[]');
    expect(blankObjectives('{"not":"a list"}')).toBe('[]');
  });
});

describe('details shown to someone other than their author', () => {
  it('keeps ids, versions and flags, never words', () => {
    expect(withoutText({ contractId: 3, version: 2, reason: 'Bob told me in confidence', done: true, at: null })).toEqual({ contractId: 3, version: 2, done: true, at: null });
  });
});

describe('retention cut-off', () => {
  it('goes back whole calendar months, clamping to the month’s end', () => {
    expect(retentionCutoff(new Date('2028-03-31T10:00:00.000Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(retentionCutoff(new Date('2028-04-01T00:00:00.000Z'), 12).toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(retentionCutoff(new Date('2028-01-15T23:59:59.999Z'), 25).toISOString()).toBe('2025-12-15T23:59:59.999Z');
  });

  it('refuses a period that is not a whole number of months of at least one', () => {
    for (const months of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => retentionCutoff(new Date(), months)).toThrow(RangeError);
  });

  it('is always before now, and later for a shorter period', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 120 }), (now, months) => {
        const cutoff = retentionCutoff(now, months);
        expect(cutoff.getTime()).toBeLessThan(now.getTime());
        if (months > 1) expect(retentionCutoff(now, months - 1).getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
      }),
    );
  });
});
