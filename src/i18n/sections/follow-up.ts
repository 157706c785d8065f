/** Strings of the follow-up: check-in prompts, the check-in modal, pause and resume, the closing survey. */
const en = {
  'usage.checkin': '`/tandem checkin`: log a session with your partner',
} as const;

const fr: Record<keyof typeof en, string> = {
  'usage.checkin': '`/tandem checkin` : consigner une séance avec votre binôme',
};

export const followUp = { en, fr };
