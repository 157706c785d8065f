/**
 * One word for one idea, in each language: the word Tandem uses, and the words it does not use for
 * that idea (a reader who meets two words looks for two things). test/i18n/glossary.test.ts checks
 * every catalogue against it, outside code spans, links and arguments. A translator adding a
 * language adds its column here.
 */
export interface Term {
  idea: string;
  /** The word used, per language (for people reading this file and for translators). */
  use: Readonly<Record<string, string>>;
  /** Words or phrases that must not appear for this idea, per language (case-insensitive, whole words, unless written as a RegExp). */
  avoid: Readonly<Record<string, readonly (string | RegExp)[]>>;
}

export const glossary: readonly Term[] = [
  {
    idea: 'the two people working together',
    use: { en: 'pair', fr: 'binôme' },
    // Lower-case "tandem" would be the pair; capitalised, it is the product's name.
    avoid: { en: [/(?<!\/)\btandem\b/, 'duo', 'couple'], fr: [/(?<!\/)\btandem\b/, 'duo', 'paire', 'couple'] },
  },
  {
    idea: 'the other person of one’s pair',
    use: { en: 'partner', fr: 'partenaire' },
    // French "binôme" names the pair; said of one person ("votre binôme a accepté") it blurs the two.
    avoid: {
      en: ['mentor', 'mentee', 'buddy', 'counterpart'],
      fr: ['mentor', 'mentoré', 'filleul', 'parrain', /\b(?:mon|votre|son|leur|futur) binôme (?:a|vous|verra|sera|la|le|voit|apprend)\b/i, /\bavec votre binôme\b/i, /\bà votre binôme\b/i],
    },
  },
  {
    idea: 'a time the pair meets',
    use: { en: 'session', fr: 'séance' },
    avoid: { en: ['meeting', 'meetings'], fr: ['réunion', 'réunions', 'rencontre', 'rencontres', 'session', 'sessions', 'rendez-vous'] },
  },
  {
    idea: 'Tandem asking how the pair is doing',
    use: { en: 'check-in', fr: 'point d’étape' },
    avoid: { en: ['checkin', 'follow-up point'], fr: ['check-in', 'point de suivi', 'points de suivi'] },
  },
  {
    idea: 'the person who runs the programme',
    use: { en: 'facilitator', fr: 'animateur' },
    avoid: { en: ['moderator', 'coordinator', 'administrator', 'admin'], fr: ['facilitateur', 'modérateur', 'coordinateur', 'administrateur'] },
  },
  {
    idea: 'the private channel where facilitators work',
    use: { en: 'facilitators’ channel', fr: 'canal des animateurs' },
    avoid: { en: ['facilitator channel', 'facilitators channel'], fr: ['canal animateurs', 'canal d’animation'] },
  },
  {
    idea: 'proposing pairs from the people waiting',
    use: { en: 'matching', fr: 'appariement' },
    avoid: { en: ['pairing run'], fr: ['mise en relation', 'mises en relation'] },
  },
  {
    idea: 'a facilitator agreeing to a proposed pair',
    use: { en: 'approve', fr: 'valider' },
    avoid: { en: ['validate', 'validated'], fr: ['approuver', 'approuvé', 'approuvée', 'approuvera', 'approuvés', /\ba approuvé\b/] },
  },
  {
    idea: 'a pair brought to the facilitators’ attention',
    use: { en: 'escalation', fr: 'signalement' },
    avoid: { en: ['alert', 'alerts', 'incident'], fr: ['escalade', 'alerte', 'alertes', 'incident'] },
  },
  {
    idea: 'stopping a pair’s check-ins for a while, and starting them again',
    use: { en: 'pause / resume', fr: 'suspendre / reprendre' },
    avoid: { en: ['restart', 'restarts', 'restarted', 'restarting'], fr: ['mettre en pause', 'redémarrer', 'redémarrent', 'redémarrage'] },
  },
  {
    idea: 'a facilitator taking an escalation from another',
    use: { en: 'take over', fr: 'prendre le relais' },
    // "Reprendre" is resuming check-ins; a facilitator sees both buttons.
    avoid: { en: ['take on', 'reassign'], fr: ['reprendre le suivi', /\breprendre (?:ce|le) signalement\b/i] },
  },
  {
    idea: 'what one wants to learn',
    use: { en: 'objective', fr: 'objectif' },
    avoid: { en: ['goal', 'goals', 'target'], fr: ['but', 'buts', 'cible'] },
  },
  {
    idea: 'the survey at the end of a contract',
    use: { en: 'closing survey', fr: 'bilan final' },
    avoid: { en: ['final survey', 'end survey', 'questionnaire'], fr: ['questionnaire', 'enquête', 'bilan de fin'] },
  },
  {
    idea: 'something worrying told privately to the facilitators',
    use: { en: 'concern', fr: 'inquiétude' },
    avoid: { en: ['complaint', 'worry'], fr: ['préoccupation', 'plainte', 'difficulté signalée'] },
  },
  {
    idea: 'the whole mentoring scheme',
    use: { en: 'programme', fr: 'programme' },
    avoid: { en: ['program', 'scheme'], fr: [] },
  },
  {
    idea: 'taking part, by one’s own choice',
    use: { en: 'enrol', fr: 's’inscrire' },
    avoid: { en: ['enroll', 'enrolls', 'enrolled in the program', 'sign up', 'signed up', 'register', 'registered'], fr: ['s’enregistrer', 'adhérer'] },
  },
];
