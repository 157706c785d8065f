import type { KnownBlock, ModalView } from '@slack/types';
import type { BlockedBy, Reason, UnmatchedReason } from '../../domain/matching/index.js';
import type { LanguageCode } from '../../domain/profile.js';
import type { MatchingRefusal } from '../../domain/programme-dates.js';
import { formatList, type Locale, t, numberFormat } from '../../i18n/index.js';
import { actions, button, context, escapeText, header, LIMITS, type Message, mention, plain, section, truncate } from '../../slack/blocks.js';
import { cadencePhrase, dateLabel, formatPhrase, languageInSentence, skillPhrase } from '../../slack/labels.js';
import type { Pair } from '../../store/pairs.js';
import type { Participant } from '../../store/participants.js';
import { CONTRACT_OPEN } from '../contract/views.js';

export const APPROVE = 'proposal_approve';
export const REJECT = 'proposal_reject';
export const APPROVE_ALL = 'proposals_approve_all';
export const INTRO_ACCEPT = 'introduction_accept';
export const INTRO_DECLINE = 'introduction_decline';
export const UNPAIR_CALLBACK = 'unpair';

/** Two blocks per proposal and a header: 24 proposals stay within a message's 50 blocks. */
export const PROPOSALS_PER_MESSAGE = 24;

export type People = ReadonlyMap<number, Participant>;

/** One reason of a proposal in words, e.g. "<@Ana> shares LinkedIn and generative AI, which <@Paul> wants to learn". */
export function reasonText(locale: Locale, reason: Reason, junior: string, senior: string): string {
  switch (reason.kind) {
    case 'junior_teaches':
      return t(locale, 'reason.juniorTeaches', { junior, senior, skills: skillPhrase(locale, reason.skills) });
    case 'senior_teaches':
      return t(locale, 'reason.seniorTeaches', { junior, senior, skills: skillPhrase(locale, reason.skills) });
    case 'no_skill_overlap':
      return t(locale, 'reason.noSkillOverlap');
    case 'shared_languages':
      return t(locale, 'reason.sharedLanguages', { languages: formatList(locale, reason.languages.map((l) => languageInSentence(locale, l as LanguageCode))) });
    case 'same_format':
      return t(locale, 'reason.sameFormat', { format: reason.format });
    case 'flexible_format':
      return t(locale, 'reason.flexibleFormat', { format: formatPhrase(locale, reason.format) });
    case 'format_mismatch':
      return t(locale, 'reason.formatMismatch', { junior: formatPhrase(locale, reason.junior), senior: formatPhrase(locale, reason.senior) });
    case 'same_cadence':
      return t(locale, 'reason.sameCadence', { cadence: cadencePhrase(locale, reason.cadence) });
    case 'close_cadence':
      return t(locale, 'reason.closeCadence', { junior: cadencePhrase(locale, reason.junior), senior: cadencePhrase(locale, reason.senior) });
    case 'cadence_mismatch':
      return t(locale, 'reason.cadenceMismatch', { junior: cadencePhrase(locale, reason.junior), senior: cadencePhrase(locale, reason.senior) });
    case 'time_zone_gap':
      return reason.hours === 0 ? t(locale, 'reason.sameTimeZone') : t(locale, 'reason.timeZoneGap', { hours: numberFormat(locale, { maximumFractionDigits: 1 }).format(reason.hours) });
    case 'same_department':
      return t(locale, 'reason.sameDepartment', { department: escapeText(reason.department) });
  }
}

export function reasonsText(locale: Locale, reasons: readonly Reason[], junior: string, senior: string): string {
  return reasons.map((r) => `• ${reasonText(locale, r, junior, senior)}`).join('\n');
}

/**
 * What ruled out the people waiting, as far as it names nobody: a language or a department is shared
 * by many. That one's manager or report enrolled, or a proposal they never saw, is not theirs to learn.
 */
function blockedDetails(locale: Locale, blocked: BlockedBy): string {
  const parts: string[] = [];
  if (blocked.language > 0) parts.push(t(locale, 'unmatched.blocked.language', { count: blocked.language }));
  if (blocked.department > 0) parts.push(t(locale, 'unmatched.blocked.department', { count: blocked.department }));
  return formatList(locale, parts);
}

/** The direct message to someone a matching run could not pair, saying why. */
export function unmatchedMessage(locale: Locale, person: Participant, reason: UnmatchedReason): Message {
  const otherRole = t(locale, person.role === 'junior' ? 'role.senior.short' : 'role.junior.short');
  let text: string;
  switch (reason.kind) {
    case 'no_one_in_other_role':
    case 'unavailable':
      text = t(locale, 'unmatched.noOneInOtherRole', { role: otherRole });
      break;
    case 'no_compatible_partner': {
      const details = blockedDetails(locale, reason.blockedBy);
      text = details === '' ? t(locale, 'unmatched.noFit') : t(locale, 'unmatched.noCompatiblePartner', { details });
      break;
    }
    case 'partners_taken':
      text = t(locale, 'unmatched.partnersTaken', { count: reason.compatiblePartners });
      break;
  }
  return { text, blocks: [header(t(locale, 'unmatched.title')), section(text)] };
}

function pairState(locale: Locale, pair: Pair): string | undefined {
  const by = pair.decidedBy ? mention(pair.decidedBy) : '';
  switch (pair.status) {
    case 'proposed':
      return undefined;
    case 'introduced':
      return t(locale, 'match.state.approved', { by });
    case 'rejected':
      return t(locale, 'match.state.rejected', { by });
    case 'withdrawn':
      return t(locale, 'match.state.withdrawn', { reason: pair.endReason ?? '' });
    case 'accepted':
    case 'active':
    case 'completed':
      return t(locale, 'match.state.accepted');
    case 'declined':
      return t(locale, 'match.state.declined');
    case 'ended':
      return t(locale, 'match.state.ended');
  }
}

/** A proposal: who, why, and Approve / Reject while it waits (its state once decided). */
export function proposalBlocks(locale: Locale, pair: Pair, people: People): KnownBlock[] {
  const junior = people.get(pair.juniorId);
  const senior = people.get(pair.seniorId);
  const j = junior ? mention(junior.userId) : '?';
  const s = senior ? mention(senior.userId) : '?';
  const score = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(pair.score);
  const title = t(locale, 'match.proposal', { junior: j, senior: s, juniorDepartment: escapeText(junior?.department ?? ''), seniorDepartment: escapeText(senior?.department ?? ''), score });
  const value = JSON.stringify({ pairId: pair.id });
  const state = pairState(locale, pair);
  return [
    section(`${title}\n${reasonsText(locale, pair.reasons, j, s)}`),
    state
      ? context(state)
      : actions(
          `proposal:${pair.id}`,
          button({ text: t(locale, 'match.approve'), actionId: APPROVE, value, style: 'primary' }),
          button({
            text: t(locale, 'match.reject'),
            actionId: REJECT,
            value,
            style: 'danger',
            // Final: a rejected pair is never proposed again, so a slip of the mouse must not do it.
            confirm: {
              title: t(locale, 'workspace.reject.title'),
              text: t(locale, 'workspace.reject.confirm', { junior: junior?.displayName ?? '?', senior: senior?.displayName ?? '?' }),
              confirm: t(locale, 'match.reject'),
              deny: t(locale, 'match.cancel'),
            },
          }),
        ),
  ];
}

export function batchMessage(locale: Locale, pairs: readonly Pair[], people: People, position: { from: number; total: number }): Message {
  const heading = t(locale, 'match.batchHeader', { from: position.from, to: position.from + pairs.length - 1, total: position.total });
  return { text: heading, blocks: [context(heading), ...pairs.flatMap((p) => proposalBlocks(locale, p, people))] };
}

export function directProposalMessage(locale: Locale, pair: Pair, people: People): Message {
  const by = t(locale, 'match.direct', { by: mention(pair.proposedBy) });
  return { text: by, blocks: [context(by), ...proposalBlocks(locale, pair, people)] };
}

export interface RunSummary {
  runId: number;
  by: string;
  juniors: number;
  seniors: number;
  proposals: number;
  unmatched: number;
  approvedAllBy?: string | undefined;
  waiting: number;
}

export function summaryMessage(locale: Locale, run: RunSummary): Message {
  const text = t(locale, 'match.summary', { by: mention(run.by), juniors: run.juniors, seniors: run.seniors, proposals: run.proposals, unmatched: run.unmatched });
  const blocks: KnownBlock[] = [header(t(locale, 'match.summaryTitle')), section(run.proposals > 0 ? text : `${text}\n${t(locale, 'match.summaryNone')}`)];
  if (run.approvedAllBy) blocks.push(context(t(locale, 'match.allApproved', { by: mention(run.approvedAllBy) })));
  else if (run.waiting > 0) {
    blocks.push(
      actions(
        `run:${run.runId}`,
        button({
          text: t(locale, 'match.approveAll'),
          actionId: APPROVE_ALL,
          value: JSON.stringify({ runId: run.runId }),
          style: 'primary',
          confirm: { title: t(locale, 'match.approveAll'), text: t(locale, 'match.approveAllConfirm'), confirm: t(locale, 'match.confirm'), deny: t(locale, 'match.cancel') },
        }),
      ),
    );
  }
  return { text, blocks };
}

/** What each wrote at enrolment about why they joined: the enrolment form promises the partner sees it. */
function motivationBlocks(locale: Locale, people: readonly [string, string][]): KnownBlock[] {
  const lines = people.filter(([, motivation]) => motivation.trim() !== '').map(([person, motivation]) => t(locale, 'intro.motivation', { person, motivation: escapeText(truncate(motivation.trim(), 600)) }));
  return lines.length === 0 ? [] : [section([t(locale, 'intro.motivations'), ...lines].join('\n'))];
}

/** The introduction in the pair's group DM: why, the roles, a guide for the first session, and each one's answer. */
export function introductionMessage(locale: Locale, pair: Pair, junior: Participant, senior: Participant): Message {
  const j = mention(junior.userId);
  const s = mention(senior.userId);
  const value = JSON.stringify({ pairId: pair.id });
  const answerLine = (person: string, answer: Pair['juniorAnswer']) =>
    t(locale, answer === 'accepted' ? 'intro.accepted' : answer === 'declined' ? 'intro.declined' : 'intro.waiting', { person });
  const blocks: KnownBlock[] = [
    header(t(locale, 'intro.title')),
    section(`${t(locale, 'intro.why', { junior: j, senior: s })}\n${reasonsText(locale, pair.reasons, j, s)}`),
    section(t(locale, 'intro.roles', { junior: j, senior: s, juniorSkills: skillPhrase(locale, junior.shares), seniorSkills: skillPhrase(locale, senior.shares) })),
    ...motivationBlocks(locale, [
      [j, junior.motivation],
      [s, senior.motivation],
    ]),
    section(`${t(locale, 'intro.guideTitle')}\n${t(locale, 'intro.agenda')}`),
    section(t(locale, 'intro.questions')),
    context(answerLine(j, pair.juniorAnswer), answerLine(s, pair.seniorAnswer)),
  ];
  if (pair.status === 'introduced') {
    blocks.push(
      section(t(locale, 'intro.answerPrompt', { junior: j, senior: s })),
      actions(
        `introduction:${pair.id}`,
        button({ text: t(locale, 'intro.accept'), actionId: INTRO_ACCEPT, value, style: 'primary' }),
        button({
          text: t(locale, 'intro.decline'),
          actionId: INTRO_DECLINE,
          value,
          style: 'danger',
          confirm: { title: t(locale, 'intro.decline'), text: t(locale, 'intro.declineConfirm'), confirm: t(locale, 'intro.decline'), deny: t(locale, 'match.cancel') },
        }),
      ),
    );
  } else if (pair.status === 'declined') {
    blocks.push(section(t(locale, 'intro.wasDeclined', { junior: j, senior: s })));
  } else if (pair.status === 'accepted' || pair.status === 'active') {
    blocks.push(
      section(t(locale, 'intro.bothAccepted', { junior: j, senior: s })),
      actions(`introduction:${pair.id}:contract`, button({ text: t(locale, 'contract.writeButton'), actionId: CONTRACT_OPEN, value, style: 'primary' })),
    );
  }
  // The notification names both partners and what each is asked to do, not only a greeting.
  const text = t(locale, 'workspace.intro.notification', { junior: j, senior: s, accept: t(locale, 'intro.accept'), decline: t(locale, 'intro.decline') });
  return { text, blocks };
}

export function unpairModal(locale: Locale, pairId: number, junior: Participant, senior: Participant): ModalView {
  return {
    type: 'modal',
    callback_id: UNPAIR_CALLBACK,
    private_metadata: JSON.stringify({ pairId }),
    title: plain(t(locale, 'unpair.title'), LIMITS.modalTitle),
    submit: plain(t(locale, 'unpair.submit'), LIMITS.modalTitle),
    close: plain(t(locale, 'match.cancel'), LIMITS.modalTitle),
    blocks: [
      section(t(locale, 'unpair.intro', { junior: mention(junior.userId), senior: mention(senior.userId) })),
      {
        type: 'input',
        block_id: 'reason',
        label: plain(t(locale, 'unpair.reason')),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 },
      },
    ],
  };
}

/** Matching refused by the programme's dates: when it opens (or closed), and where to change them. */
export function datesRefusalText(locale: Locale, refusal: MatchingRefusal): string {
  return refusal.code === 'not_started'
    ? t(locale, 'timing.matching.notStarted', { start: dateLabel(locale, refusal.startsOn) })
    : t(locale, 'timing.matching.ended', { end: dateLabel(locale, refusal.endsOn) });
}
