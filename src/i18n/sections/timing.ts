/**
 * Strings of the programme's timing rules: when a stall is raised (and raised again after a
 * resolution), programme dates, pauses before a pair meets, and the sessions' day and time.
 */
const en = {
  'timing.reason.no_first_meeting': '⏳ No session logged {days} days after Tandem first asked, on {asked} (expected within {threshold} days).',
  'timing.reason.again': 'Still so after the escalation was resolved on {date}: counted again from then.',
  'timing.talk.no_first_meeting': '• No session logged yet, {days} days after Tandem first asked how your sessions were going.',
};

const fr: Record<keyof typeof en, string> = {
  'timing.reason.no_first_meeting': '⏳ Aucune séance consignée {days} jours après la première question de Tandem, le {asked} (attendue sous {threshold} jours).',
  'timing.reason.again': 'Toujours le cas après la résolution du signalement le {date} : compté de nouveau depuis.',
  'timing.talk.no_first_meeting': '• Aucune séance consignée pour l’instant, {days} jours après la première question de Tandem sur vos séances.',
};

export const timing = { en, fr };
