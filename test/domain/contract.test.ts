import { describe, expect, it } from 'vitest';
import {
  canSign,
  contractDefaults,
  learningGain,
  validateContractInput,
  versionInForce,
  type ContractRawInput,
  type ContractValidation,
} from '../../src/domain/contract.js';

// 2025-03-10 23:30 UTC: already Tuesday 11 March in Paris, still Monday in New York.
const NOW = new Date('2025-03-10T23:30:00Z');
const PARIS = { timeZone: 'Europe/Paris' };

function raw(overrides: ContractRawInput = {}): ContractRawInput {
  return {
    seniorObjectives: 'Use Slack channels well\nAutomate a spreadsheet',
    juniorObjectives: 'Read a P&L',
    cadence: 'biweekly',
    sessionMinutes: '60',
    means: 'Video calls, a shared doc',
    format: 'video',
    startDate: '2025-03-11',
    endDate: '2025-09-11',
    groundRulesAcknowledged: true,
    notes: '',
    ...overrides,
  };
}

function errorsOf(result: ContractValidation): Record<string, unknown> {
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('validateContractInput', () => {
  it('accepts a complete contract and normalises it', () => {
    const result = validateContractInput(raw({ notes: '  bring coffee  ' }), NOW, PARIS);
    expect(result).toEqual({
      ok: true,
      value: {
        seniorObjectives: ['Use Slack channels well', 'Automate a spreadsheet'],
        juniorObjectives: ['Read a P&L'],
        cadence: 'biweekly',
        sessionMinutes: 60,
        means: 'Video calls, a shared doc',
        format: 'video',
        startDate: '2025-03-11',
        endDate: '2025-09-11',
        groundRulesAcknowledged: true,
        notes: 'bring coffee',
      },
    });
  });

  it('fills in the defaults: biweekly, 60 minutes, end six months after start, no notes', () => {
    const result = validateContractInput(
      raw({ cadence: null, sessionMinutes: '', endDate: undefined, notes: null, startDate: '2025-08-31' }),
      NOW,
      PARIS,
    );
    expect(result.ok && result.value).toMatchObject({
      cadence: 'biweekly',
      sessionMinutes: 60,
      endDate: '2026-02-28',
      notes: null,
    });
  });

  it('accepts sessionMinutes as a number', () => {
    const result = validateContractInput(raw({ sessionMinutes: 90 }), NOW, PARIS);
    expect(result.ok && result.value.sessionMinutes).toBe(90);
  });

  describe('objectives', () => {
    it('drops blank lines and bullets', () => {
      const text = '\n- Slack\n* Notion\n• Excel macros\n1. Canva\n2) Figma\n   \n';
      const result = validateContractInput(raw({ seniorObjectives: text }), NOW, PARIS);
      expect(result.ok && result.value.seniorObjectives).toEqual(['Slack', 'Notion', 'Excel macros', 'Canva', 'Figma']);
    });

    it('keeps a hyphen that is part of the words', () => {
      const result = validateContractInput(raw({ juniorObjectives: 'Go-to-market basics\n-5% margin reading' }), NOW, PARIS);
      expect(result.ok && result.value.juniorObjectives).toEqual(['Go-to-market basics', '-5% margin reading']);
    });

    it('needs between 1 and 5', () => {
      expect(errorsOf(validateContractInput(raw({ seniorObjectives: '  \n - \n' }), NOW, PARIS)).seniorObjectives).toEqual({
        code: 'objectives_count',
        min: 1,
        max: 5,
        count: 0,
      });
      expect(errorsOf(validateContractInput(raw({ juniorObjectives: undefined }), NOW, PARIS)).juniorObjectives).toMatchObject({
        code: 'objectives_count',
      });
      const six = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
      expect(errorsOf(validateContractInput(raw({ juniorObjectives: six }), NOW, PARIS)).juniorObjectives).toMatchObject({
        code: 'objectives_count',
        count: 6,
      });
      const five = ['a', 'b', 'c', 'd', 'e'].join('\n');
      expect(validateContractInput(raw({ juniorObjectives: five }), NOW, PARIS).ok).toBe(true);
    });

    it('limits each to 150 characters and says which line', () => {
      const exactly = 'é'.repeat(150);
      expect(validateContractInput(raw({ seniorObjectives: `ok\n${exactly}` }), NOW, PARIS).ok).toBe(true);
      const text = `ok\n\n${'x'.repeat(151)}`;
      expect(errorsOf(validateContractInput(raw({ seniorObjectives: text }), NOW, PARIS)).seniorObjectives).toEqual({
        code: 'objective_too_long',
        max: 150,
        line: 3,
        length: 151,
      });
    });

    it('refuses duplicates, ignoring case, bullets and spacing', () => {
      const text = '- Use Notion\nExcel\n*  use   notion';
      expect(errorsOf(validateContractInput(raw({ seniorObjectives: text }), NOW, PARIS)).seniorObjectives).toEqual({
        code: 'objective_duplicate',
        line: 3,
        firstLine: 1,
      });
    });
  });

  it('refuses unknown choices and lists the allowed ones', () => {
    const errors = errorsOf(validateContractInput(raw({ cadence: 'daily', sessionMinutes: '50', format: 'phone' }), NOW, PARIS));
    expect(errors.cadence).toEqual({ code: 'invalid_choice', allowed: ['weekly', 'biweekly', 'triweekly', 'monthly'] });
    expect(errors.sessionMinutes).toEqual({ code: 'invalid_choice', allowed: [30, 45, 60, 90] });
    expect(errors.format).toEqual({ code: 'invalid_choice', allowed: ['in_person', 'video', 'either'] });
  });

  it('requires the means, the format and the ground rules', () => {
    const errors = errorsOf(
      validateContractInput(raw({ means: '   ', format: null, groundRulesAcknowledged: false }), NOW, PARIS),
    );
    expect(errors).toEqual({
      means: { code: 'required' },
      format: { code: 'required' },
      groundRulesAcknowledged: { code: 'ground_rules_required' },
    });
    expect(errorsOf(validateContractInput(raw({ groundRulesAcknowledged: null }), NOW, PARIS)).groundRulesAcknowledged).toEqual({
      code: 'ground_rules_required',
    });
  });

  it('limits means and notes to 1000 characters', () => {
    expect(validateContractInput(raw({ means: 'm'.repeat(1000), notes: 'n'.repeat(1000) }), NOW, PARIS).ok).toBe(true);
    const errors = errorsOf(validateContractInput(raw({ means: 'm'.repeat(1001), notes: 'n'.repeat(1200) }), NOW, PARIS));
    expect(errors.means).toEqual({ code: 'text_too_long', max: 1000, length: 1001 });
    expect(errors.notes).toEqual({ code: 'text_too_long', max: 1000, length: 1200 });
  });

  describe('dates', () => {
    it('allows a start up to 7 days before today in the user\'s zone', () => {
      // Today is 11 March in Paris: the earliest start is 4 March.
      expect(validateContractInput(raw({ startDate: '2025-03-04' }), NOW, PARIS).ok).toBe(true);
      expect(errorsOf(validateContractInput(raw({ startDate: '2025-03-03' }), NOW, PARIS)).startDate).toEqual({
        code: 'start_in_past',
        graceDays: 7,
        earliest: '2025-03-04',
      });
      // Still 10 March in New York, so 3 March is within the grace there.
      expect(validateContractInput(raw({ startDate: '2025-03-03' }), NOW, { timeZone: 'America/New_York' }).ok).toBe(true);
    });

    it('refuses malformed or impossible dates', () => {
      const errors = errorsOf(validateContractInput(raw({ startDate: '11/03/2025', endDate: '2025-02-30' }), NOW, PARIS));
      expect(errors.startDate).toEqual({ code: 'invalid_date' });
      expect(errors.endDate).toEqual({ code: 'invalid_date' });
      expect(errorsOf(validateContractInput(raw({ startDate: '' }), NOW, PARIS)).startDate).toEqual({ code: 'required' });
    });

    it('needs the end after the start', () => {
      expect(errorsOf(validateContractInput(raw({ endDate: '2025-03-11' }), NOW, PARIS)).endDate).toEqual({
        code: 'end_before_start',
      });
      expect(errorsOf(validateContractInput(raw({ endDate: '2025-03-01' }), NOW, PARIS)).endDate).toEqual({
        code: 'end_before_start',
      });
      expect(validateContractInput(raw({ endDate: '2025-03-12' }), NOW, PARIS).ok).toBe(true);
    });

    it('allows at most 12 months, clamped at month ends', () => {
      expect(validateContractInput(raw({ endDate: '2026-03-11' }), NOW, PARIS).ok).toBe(true);
      expect(errorsOf(validateContractInput(raw({ endDate: '2026-03-12' }), NOW, PARIS)).endDate).toEqual({
        code: 'end_too_far',
        maxMonths: 12,
        latest: '2026-03-11',
      });
      const leap = { startDate: '2025-03-31', endDate: '2026-03-31' };
      expect(validateContractInput(raw(leap), NOW, PARIS).ok).toBe(true);
    });
  });

  it('reports every field in error at once', () => {
    const errors = errorsOf(validateContractInput({}, NOW, PARIS));
    expect(Object.keys(errors).sort()).toEqual(
      ['format', 'groundRulesAcknowledged', 'juniorObjectives', 'means', 'seniorObjectives', 'startDate'].sort(),
    );
  });
});

describe('contractDefaults', () => {
  it('starts today for six months, biweekly, 60 minutes', () => {
    expect(contractDefaults('2025-08-31', [null, null])).toEqual({
      startDate: '2025-08-31',
      endDate: '2026-02-28',
      cadence: 'biweekly',
      sessionMinutes: 60,
      format: 'either',
    });
  });

  it('picks the format both accept, else either', () => {
    expect(contractDefaults('2025-03-11', ['video', 'video']).format).toBe('video');
    expect(contractDefaults('2025-03-11', ['in_person', 'either']).format).toBe('in_person');
    expect(contractDefaults('2025-03-11', [null, 'video']).format).toBe('video');
    expect(contractDefaults('2025-03-11', ['in_person', 'video']).format).toBe('either');
    expect(contractDefaults('2025-03-11', ['either', 'either']).format).toBe('either');
  });
});

describe('contract versions', () => {
  const v1 = { version: 1, partnerIds: ['U_SENIOR', 'U_JUNIOR'], signedBy: ['U_SENIOR', 'U_JUNIOR'] };
  const v2 = { version: 2, partnerIds: ['U_SENIOR', 'U_JUNIOR'], signedBy: ['U_JUNIOR'] };

  it('lets a partner sign the latest version once', () => {
    expect(canSign(v2, 2, 'U_SENIOR')).toEqual({ ok: true });
    expect(canSign(v2, 2, 'U_JUNIOR')).toEqual({ ok: false, reason: 'already_signed' });
    expect(canSign(v2, 2, 'U_FACILITATOR')).toEqual({ ok: false, reason: 'not_a_partner' });
    expect(canSign({ ...v1, signedBy: [] }, 2, 'U_SENIOR')).toEqual({ ok: false, reason: 'superseded' });
  });

  it('keeps the last version both signed in force while an amendment waits', () => {
    expect(versionInForce([v1, v2])).toBe(v1);
    const v2Signed = { ...v2, signedBy: ['U_JUNIOR', 'U_SENIOR'] };
    expect(versionInForce([v2Signed, v1])).toBe(v2Signed);
    expect(versionInForce([{ ...v1, signedBy: ['U_SENIOR'] }])).toBeNull();
    expect(versionInForce([])).toBeNull();
  });
});

describe('learningGain', () => {
  it('gives the gain per objective and the mean of the known ones', () => {
    expect(learningGain([1, 2, null, 3], [3, 2, 4, 5])).toEqual({ perObjective: [2, 0, null, 2], mean: 4 / 3 });
    expect(learningGain([4], [3])).toEqual({ perObjective: [-1], mean: -1 });
    expect(learningGain([null], [null])).toEqual({ perObjective: [null], mean: null });
  });

  it('needs the same objectives at both ends', () => {
    expect(() => learningGain([1, 2], [3])).toThrow(RangeError);
  });
});
