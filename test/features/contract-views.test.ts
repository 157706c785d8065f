import { describe, expect, it } from 'vitest';
import { type ContractError, type ContractTerms, validateContractInput } from '../../src/domain/contract.js';
import { sessionFile } from '../../src/features/contract/calendar.js';
import {
  type ContractForm,
  contractMessage,
  contractModal,
  contractStatusLines,
  facilitatorNotice,
  formErrors,
  levelsModal,
} from '../../src/features/contract/views.js';
import type { Locale } from '../../src/i18n/index.js';
import type { Contract } from '../../src/store/contracts.js';
import type { Participant } from '../../src/store/participants.js';
import { checkMessage, checkView } from '../../src/sandbox/block-kit-limits.js';

const person = (id: number, userId: string, role: 'junior' | 'senior', extra: Partial<Participant> = {}): Participant =>
  ({ id, userId, role, displayName: 'A'.repeat(80), timeZone: 'Europe/Paris', locale: 'en', format: 'either', ...extra }) as Participant;
const junior = person(1, 'U0J1', 'junior');
const senior = person(2, 'U0S1', 'senior');

const longest = (n: number) => `${n} ${'é'.repeat(148)}`;
const terms: ContractTerms = {
  seniorObjectives: [1, 2, 3, 4, 5].map(longest),
  juniorObjectives: [1, 2, 3, 4, 5].map(longest),
  cadence: 'triweekly',
  sessionMinutes: 90,
  means: '<!here> '.repeat(125),
  format: 'in_person',
  startDate: '2027-03-01',
  endDate: '2028-03-01',
  groundRulesAcknowledged: true,
  notes: 'ü'.repeat(1000),
};

function contract(status: Contract['status'], version = 3): Contract {
  return {
    id: 7,
    pairId: 4,
    version,
    status,
    terms,
    proposedBy: junior.id,
    proposedAt: '2027-03-01T09:00:00.000Z',
    inForceAt: status === 'in_force' ? '2027-03-02T09:00:00.000Z' : null,
    supersededAt: null,
    firstCheckinOn: status === 'in_force' ? '2027-03-22' : null,
    signatures: [
      { participantId: junior.id, signedAt: '2027-03-01T09:00:00.000Z', startLevels: null },
      ...(status === 'awaiting_signature' ? [] : [{ participantId: senior.id, signedAt: '2027-03-02T09:00:00.000Z', startLevels: [1, 2, 3, 4, 5] }]),
    ],
  };
}

const form: ContractForm = {
  pairId: 4,
  basedOn: 2,
  me: junior,
  partner: senior,
  junior,
  senior,
  values: { ...terms },
  amending: { version: 2, inForce: true },
};

describe('contract views', () => {
  it('stay within Slack’s limits with the longest contract, in both languages', () => {
    for (const locale of ['en', 'fr'] as const) {
      expect(checkView(contractModal(locale, form))).toEqual([]);
      expect(checkView(contractModal(locale, { ...form, basedOn: 0, amending: null }))).toEqual([]);
      for (const mode of ['sign', 'rate'] as const) {
        const objectives = terms.seniorObjectives;
        expect(checkView(levelsModal(locale, { mode, contractId: 7, version: 3, partnerUserId: 'U0J1', objectives, initial: [1, null, 5, null, 2], justProposed: true }))).toEqual([]);
      }
      for (const status of ['awaiting_signature', 'in_force', 'superseded'] as const) expect(checkMessage(contractMessage(locale, contract(status), junior, senior))).toEqual([]);
    }
  });

  it('keep only ids in private_metadata', () => {
    expect(JSON.parse(contractModal('en', form).private_metadata ?? '')).toEqual({ pairId: 4, basedOn: 2 });
    const levels = levelsModal('en', { mode: 'sign', contractId: 7, version: 3, partnerUserId: 'U0J1', objectives: ['x'], initial: [null] });
    expect(JSON.parse(levels.private_metadata ?? '')).toEqual({ contractId: 7 });
  });

  it('make what people typed inert: no mention, @here or link comes out of it', () => {
    const text = JSON.stringify(contractMessage('en', contract('awaiting_signature'), junior, senior));
    expect(text).not.toContain('<!here>');
    expect(text).toContain('&lt;!here&gt;');
  });

  it('show Sign only while a signature is missing, and a superseded version without buttons', () => {
    const ids = (c: Contract) => JSON.stringify(contractMessage('en', c, junior, senior).blocks).match(/"action_id":"[a-z_]+"/g) ?? [];
    expect(ids(contract('awaiting_signature'))).toEqual(['"action_id":"contract_sign"', '"action_id":"contract_rate"']);
    expect(ids(contract('in_force'))).toEqual(['"action_id":"contract_open"', '"action_id":"contract_rate"']);
    expect(ids(contract('superseded'))).toEqual([]);
  });

  it('word the status, the facilitators’ notice and the message in each language', () => {
    const status = { inForce: { version: 1, cadence: 'biweekly' as const, sessionMinutes: 60, endDate: '2027-09-01' }, awaiting: { version: 2, waitingFor: ['U0J1'] } };
    expect(contractStatusLines('en', status)).toEqual([
      '*Contract:* version 1 in force: every two weeks, 60 minutes per session, until 1 September 2027.',
      '*Awaiting signature:* version 2, waiting for <@U0J1>.',
    ]);
    expect(contractStatusLines('fr', status)).toEqual([
      '*Contrat\u202f:* version 1 en vigueur\u202f: toutes les deux semaines, séances de 60\u202fmin, jusqu’au 1er septembre 2027.',
      '*En attente de signature\u202f:* version 2, signature attendue de <@U0J1>.',
    ]);
    expect(contractStatusLines('fr', { inForce: null, awaiting: null })).toEqual(['*Contrat\u202f:* pas encore. Rédigez-le avec votre partenaire\u202f: `/tandem contract`.']);
    expect(facilitatorNotice('fr', contract('in_force'), junior, senior).text).toBe(
      'Contrat en vigueur pour <@U0J1> et <@U0S1> (version 3)\u202f: toutes les trois semaines, séances de 90\u202fmin, du 1er mars 2027 au 1er mars 2028.',
    );
    const fr = JSON.stringify(contractMessage('fr', contract('in_force'), junior, senior));
    expect(fr).toContain('Contrat Tandem · version 3');
    // Slack shows the moment in each reader's own zone; the fallback is the date.
    expect(fr).toMatch(/\*En vigueur\* depuis le <!date\^\d+\^\{date_long\}\|2 mars 2027>/);
    expect(fr).toContain('Premier point d’étape\u202f: le 22 mars 2027.');
    expect(fr).toContain('Modifier le contrat');
  });
});

describe('contract errors', () => {
  const every: (ContractError | { code: 'no_session' })[] = [
    { code: 'required' },
    { code: 'objectives_count', min: 1, max: 5, count: 0 },
    { code: 'objectives_count', min: 1, max: 5, count: 7 },
    { code: 'objective_too_long', max: 150, line: 3, length: 160 },
    { code: 'objective_duplicate', line: 4, firstLine: 1 },
    { code: 'invalid_choice', allowed: ['a'] },
    { code: 'invalid_date' },
    { code: 'start_in_past', graceDays: 7, earliest: '2027-02-22' },
    { code: 'end_before_start' },
    { code: 'end_too_far', maxMonths: 12, latest: '2028-03-01' },
    { code: 'ground_rules_required' },
    { code: 'text_too_long', max: 1000, length: 1200 },
    { code: 'no_session' },
  ];

  it('have words for every code, in both languages, with nothing left to fill', () => {
    for (const locale of ['en', 'fr'] as Locale[]) {
      for (const error of every) {
        const shown = formErrors(locale, { kind: 'field', errors: { means: error } });
        expect(Object.keys(shown)).toEqual(['means']);
        expect(shown.means).not.toMatch(/\{\w+\}/);
        expect((shown.means ?? '').length).toBeGreaterThan(10);
      }
    }
    expect(formErrors('fr', { kind: 'field', errors: { seniorObjectives: { code: 'objective_duplicate', line: 4, firstLine: 1 } } })).toEqual({ senior_objectives: 'Supprimez la ligne 4\u202f: elle répète la ligne 1.' });
    expect(formErrors('fr', { kind: 'field', errors: { endDate: { code: 'end_too_far', maxMonths: 12, latest: '2028-03-01' } } })).toEqual({
      end_date: 'Choisissez une date de fin au plus tard le 1er mars 2028\u202f: un contrat dure 12 mois au plus.',
    });
    expect(formErrors('fr', { kind: 'refused', key: 'contract.refused.stale', vars: { version: 2 } }).senior_objectives).toContain('la version 2 est désormais la plus récente');
  });
});

describe('an amendment may keep the start date agreed before', () => {
  const now = new Date('2027-06-01T09:00:00Z');
  const raw = { seniorObjectives: 'Slack', juniorObjectives: 'P&L', means: 'Calls', format: 'video', startDate: '2027-03-01', endDate: '2027-09-01', groundRulesAcknowledged: true };

  it('however far back, and only that date', () => {
    expect(validateContractInput(raw, now, { timeZone: 'Europe/Paris' }).ok).toBe(false);
    expect(validateContractInput(raw, now, { timeZone: 'Europe/Paris', keptStartDate: '2027-03-01' }).ok).toBe(true);
    const other = validateContractInput({ ...raw, startDate: '2027-03-02' }, now, { timeZone: 'Europe/Paris', keptStartDate: '2027-03-01' });
    expect(!other.ok && other.errors.startDate?.code).toBe('start_in_past');
  });

  it('but not with an end that has already passed: that contract could never run', () => {
    const over = validateContractInput({ ...raw, endDate: '2027-05-20' }, now, { timeZone: 'Europe/Paris', keptStartDate: '2027-03-01' });
    expect(!over.ok && over.errors.endDate?.code).toBe('end_in_past');
    expect(formErrors('en', { kind: 'field', errors: { endDate: { code: 'end_in_past' } } }).end_date).toContain('already passed');
  });
});

describe('the calendar file', () => {
  const base = { contract: contract('in_force', 2), uid: 'tandem-pair-4-participant-1@tandem', summary: 'Tandem', description: 'Sessions', now: new Date('2027-03-02T09:00:00Z') };
  const line = (content: string, name: string) => content.split('\r\n').find((l) => l.startsWith(name));

  it('is written in each partner’s zone when both zones change their clocks together', () => {
    const zones = ['Europe/London', 'Europe/Paris'] as const;
    const london = sessionFile({ ...base, timeZone: 'Europe/London', zones });
    const paris = sessionFile({ ...base, timeZone: 'Europe/Paris', zones });
    expect(line(london.content, 'DTSTART;')).toBe('DTSTART;TZID=Europe/London:20270301T140000');
    expect(line(paris.content, 'DTSTART;')).toBe('DTSTART;TZID=Europe/Paris:20270301T150000');
    expect([london.localTime, paris.localTime]).toEqual(['14:00', '15:00']);
    expect(line(paris.content, 'SEQUENCE')).toBe('SEQUENCE:2');
    expect(line(paris.content, 'RRULE')).toMatch(/^RRULE:FREQ=WEEKLY;INTERVAL=3;UNTIL=/);
  });

  it('keeps both calendars on the same moments when the zones change their clocks on different dates', () => {
    const zones = ['America/New_York', 'Europe/Paris'] as const;
    const newYork = sessionFile({ ...base, timeZone: 'America/New_York', zones });
    const paris = sessionFile({ ...base, timeZone: 'Europe/Paris', zones });
    // Inside both working days: 11:00 in New York is 17:00 in Paris on 1 March.
    expect(line(newYork.content, 'DTSTART;')).toBe('DTSTART;TZID=America/New_York:20270301T110000');
    expect(line(newYork.content, 'RRULE:')).toContain('FREQ=WEEKLY;INTERVAL=3');
    // Each file is in its recipient's own zone: Paris lists its sessions, since New York moves its
    // clocks two weeks before Paris and the 22 March session is at 16:00 there, not 17:00.
    expect(line(paris.content, 'DTSTART;')).toBe('DTSTART;TZID=Europe/Paris:20270301T170000');
    const rdate = line(paris.content.replace(/\r\n /g, ''), 'RDATE;') ?? '';
    // Every session listed, the first (DTSTART) too: ical.js expands only the listed dates.
    expect(rdate).toMatch(/^RDATE;TZID=Europe\/Paris:20270301T170000,20270322T160000,20270412T170000,/);
    expect(line(paris.content, 'RRULE:')).toBeUndefined();
    expect(paris.localTime).toBe('17:00');
  });
});
