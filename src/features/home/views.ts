import type { HomeView, KnownBlock } from '@slack/types';
import { formatList, type Locale, t } from '../../i18n/index.js';
import { actions, button, context, divider, escapeText, header, type Message, mention, section } from '../../slack/blocks.js';
import { cadenceLabel, dateLabel, formatLabel, languageLabel, roleLabel, skillList } from '../../slack/labels.js';
import type { Participant } from '../../store/participants.js';
import { type ContractStatusView, contractStatusLines } from '../contract/views.js';
import { JOIN_BUTTON } from '../enrolment/views.js';
import { type FollowupStatusView, followupStatusLines } from '../followup/views.js';

/** The partner of an open pair, as the participant sees them. */
export interface PartnerView {
  userId: string;
  pairStatus: 'proposed' | 'introduced' | 'accepted' | 'active' | 'completed';
  /** Once the pair may write its contract: the version in force and one awaiting signature. */
  contract?: ContractStatusView | undefined;
  /** Once the contract is in force: next check-in, pause, sessions logged, learning gain. */
  followup?: FollowupStatusView | undefined;
}

function partnerLine(locale: Locale, partner: PartnerView | undefined): string {
  if (!partner) return t(locale, 'statusView.partnerNone');
  return t(locale, `statusView.partner.${partner.pairStatus}`, { partner: mention(partner.userId) });
}

/** Where a participant stands: the same facts in `/tandem status` and on the Home tab. */
function summaryBlocks(locale: Locale, p: Participant, partner: PartnerView | undefined): KnownBlock[] {
  if (p.status === 'left') return [section(t(locale, 'statusView.left', { date: dateLabel(locale, p.leftAt ?? p.updatedAt, p.timeZone) }))];
  const languages = formatList(locale, p.languages.map((l) => languageLabel(locale, l)));
  return [
    section([t(locale, 'statusView.state', { status: t(locale, `status.${p.status}`) }), t(locale, 'statusView.role', { role: roleLabel(locale, p.role) })].join('\n')),
    section([t(locale, 'statusView.shares', { skills: skillList(locale, p.shares) }), t(locale, 'statusView.learns', { skills: skillList(locale, p.learns) })].join('\n')),
    context(
      t(locale, 'statusView.details', {
        department: escapeText(p.department),
        languages,
        format: formatLabel(locale, p.format),
        cadence: cadenceLabel(locale, p.cadence),
      }),
    ),
    divider(),
    section(
      [
        partnerLine(locale, partner),
        ...(partner?.contract ? contractStatusLines(locale, partner.contract) : [t(locale, 'statusView.contractNone')]),
        ...(partner?.followup ? followupStatusLines(locale, partner.followup) : [t(locale, 'statusView.checkinNone')]),
        t(locale, 'statusView.escalationNone'),
      ].join('\n'),
    ),
  ];
}

export function statusMessage(locale: Locale, participant: Participant | undefined, partner: PartnerView | undefined): Message {
  if (!participant) return { text: t(locale, 'statusView.notEnrolled') };
  return { text: t(locale, 'statusView.header'), blocks: [header(t(locale, 'statusView.header')), ...summaryBlocks(locale, participant, partner)] };
}

export function homeView(locale: Locale, participant: Participant | undefined, partner: PartnerView | undefined, isFacilitator: boolean): HomeView {
  const enrolled = participant !== undefined && participant.status !== 'left';
  const blocks: KnownBlock[] = [header(t(locale, 'home.header')), context(t(locale, 'app.tagline'))];
  if (!participant) blocks.push(section(t(locale, 'home.notEnrolled')));
  else blocks.push(...summaryBlocks(locale, participant, partner));
  blocks.push(
    actions('home_actions', button({ text: t(locale, enrolled ? 'home.editButton' : 'home.joinButton'), actionId: JOIN_BUTTON, style: enrolled ? undefined : 'primary' })),
  );
  if (isFacilitator) blocks.push(divider(), section(t(locale, 'home.facilitator')));
  return { type: 'home', blocks };
}
