import type { KnownBlock } from '@slack/types';
import { type Locale, t } from '../../i18n/index.js';
import { actions, button, context, type Message, section } from '../../slack/blocks.js';

export const FORGET_CONFIRM = 'privacy_forget_confirm';
export const FORGET_CANCEL = 'privacy_forget_cancel';

/** What the forget buttons carry: the participant row, and the one person it belongs to. */
export interface ForgetValue {
  participantId: number;
  userId: string;
}

/** The ephemeral confirmation of `/tandem forget`: what goes, what stays, and a way out. */
export function forgetConfirmation(locale: Locale, value: ForgetValue, inPair: boolean): Message {
  const json = JSON.stringify(value);
  const blocks: KnownBlock[] = [section(t(locale, 'privacy.forget.confirm'))];
  if (inPair) blocks.push(section(t(locale, 'privacy.forget.confirmPair')));
  blocks.push(
    context(t(locale, 'privacy.forget.exportFirst')),
    actions(
      'privacy_forget',
      button({
        text: t(locale, 'privacy.forget.confirmButton'),
        actionId: FORGET_CONFIRM,
        value: json,
        style: 'danger',
        confirm: {
          title: t(locale, 'privacy.forget.confirmTitle'),
          text: t(locale, 'privacy.forget.confirmDialog'),
          confirm: t(locale, 'privacy.forget.confirmButton'),
          deny: t(locale, 'privacy.forget.cancelButton'),
        },
      }),
      button({ text: t(locale, 'privacy.forget.cancelButton'), actionId: FORGET_CANCEL, value: json }),
    ),
  );
  return { text: t(locale, 'privacy.forget.confirmTitle'), blocks };
}

/** The export file: every provider's section, with when it was made. */
export function exportDocument(sections: Record<string, unknown>, now: Date): string {
  return `${JSON.stringify({ format: 'tandem-personal-data/1', exportedAt: now.toISOString(), ...sections }, null, 2)}\n`;
}

export const exportFilename = (now: Date) => `tandem-data-${now.toISOString().slice(0, 10)}.json`;
