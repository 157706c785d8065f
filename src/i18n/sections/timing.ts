/**
 * Strings of the programme's timing rules: when a stall is raised (and raised again after a
 * resolution), programme dates, pauses before a pair meets, and the sessions' day and time.
 */
const en = {
  'timing.reason.no_first_meeting': '⏳ No session logged {days, plural, one {# day} other {# days}} after Tandem first asked, on {asked} (expected within {threshold, plural, one {# day} other {# days}}).',
  'timing.reason.again': 'Still the case after the escalation was resolved on {date}; counted again from that date.',
  'timing.talk.no_first_meeting': '• No session logged yet, {days, plural, one {# day} other {# days}} after Tandem first asked how your sessions were going.',

  'timing.contract.endHint': 'The programme ends on {end}: the contract ends then at the latest (by default six months after the start, or the programme’s end if sooner).',
  'timing.contract.afterProgrammeEnd': 'The programme ends on {end}: choose that date or an earlier one.',
  'timing.contract.startAfterProgrammeEnd': 'The programme ends on {end}: start before that date.',

  'timing.matching.notStarted': 'The programme starts on {start}: no pair can be proposed before then. To start earlier, change its dates with `/tandem program`.',
  'timing.matching.ended': 'The programme ended on {end}: no new pair can be proposed. To run another round, change its dates with `/tandem program`.',

  'timing.pause.waiting.done': 'You are left out of matching until you run `/tandem resume`: no partner will be proposed to you meanwhile.',
  'timing.pause.waiting.doneUntil': 'You are left out of matching until {date}; you are back in the pool automatically then.',
  'timing.pause.accepted.done': 'Your pair is paused until one of you runs `/tandem resume`: Tandem will not chase the contract meanwhile. Your partner has been told.',
  'timing.pause.accepted.doneUntil': 'Your pair is paused until {date}: Tandem will not chase the contract until then. Your partner has been told.',
  'timing.pause.accepted.told': '{junior} and {senior}, {user} paused your pair: Tandem will not ask for your contract until one of you runs `/tandem resume`.',
  'timing.pause.accepted.toldUntil': '{junior} and {senior}, {user} paused your pair until {date}: Tandem will not ask for your contract until then.',
  'timing.pause.already': 'Your pause is already set this way. Use `/tandem resume` to end it now.',
  'timing.pause.afterProgrammeEnd': 'The programme ends on {end}: choose a date before then.',
  'timing.resume.waiting.done': 'You are back in the pool: the next matching can propose you a partner.',
  'timing.resume.accepted.done': 'Your pair is back: write and sign your contract with `/tandem contract`. Your partner has been told.',
  'timing.resume.accepted.told': '{junior} and {senior}, {user} ended your pair’s pause: your next step is your contract, with `/tandem contract`.',

  'timing.ending.notice':
    '📅 The programme ends on {end}, in a month. {active, plural, =0 {No pair is} one {# pair is} other {# pairs are}} still under way, and {starting, plural, =0 {none is} one {# is} other {# are}} still getting started. Their contracts end by then, and each pair gets its closing survey.',
};

const fr: Record<keyof typeof en, string> = {
  'timing.reason.no_first_meeting': '⏳ Aucune séance consignée {days, plural, one {# jour} other {# jours}} après la première question de Tandem, le {asked} (attendue sous {threshold, plural, one {# jour} other {# jours}}).',
  'timing.reason.again': 'Toujours le cas après la résolution du signalement le {date} ; compté de nouveau à partir de cette date.',
  'timing.talk.no_first_meeting': '• Aucune séance consignée pour l’instant, {days, plural, one {# jour} other {# jours}} après la première question de Tandem sur vos séances.',

  'timing.contract.endHint': 'Le programme se termine le {end} : le contrat prend fin à cette date au plus tard (par défaut six mois après le début, ou la fin du programme si elle vient avant).',
  'timing.contract.afterProgrammeEnd': 'Le programme se termine le {end} : choisissez cette date ou une date antérieure.',
  'timing.contract.startAfterProgrammeEnd': 'Le programme se termine le {end} : commencez avant cette date.',

  'timing.matching.notStarted': 'Le programme commence le {start} : aucun binôme ne peut être proposé avant. Pour commencer plus tôt, changez ses dates avec `/tandem program`.',
  'timing.matching.ended': 'Le programme s’est terminé le {end} : aucun nouveau binôme ne peut être proposé. Pour un nouveau tour, changez ses dates avec `/tandem program`.',

  'timing.pause.waiting.done': 'Vous ne participez plus aux appariements jusqu’à ce que vous lanciez `/tandem resume` : aucun partenaire ne vous sera proposé d’ici là.',
  'timing.pause.waiting.doneUntil': 'Vous ne participez plus aux appariements jusqu’au {date} ; vous reviendrez alors automatiquement dans le vivier.',
  'timing.pause.accepted.done': 'Votre binôme est en pause jusqu’à ce que l’un de vous lance `/tandem resume` : Tandem ne vous demandera pas votre contrat d’ici là. Votre partenaire a été prévenu.',
  'timing.pause.accepted.doneUntil': 'Votre binôme est en pause jusqu’au {date} : Tandem ne vous demandera pas votre contrat d’ici là. Votre partenaire a été prévenu.',
  'timing.pause.accepted.told': '{junior} et {senior}, {user} a suspendu votre binôme : Tandem ne vous demandera pas votre contrat tant que l’un de vous n’aura pas lancé `/tandem resume`.',
  'timing.pause.accepted.toldUntil': '{junior} et {senior}, {user} a suspendu votre binôme jusqu’au {date} : Tandem ne vous demandera pas votre contrat d’ici là.',
  'timing.pause.already': 'Votre pause est déjà réglée ainsi. Lancez `/tandem resume` pour y mettre fin dès maintenant.',
  'timing.pause.afterProgrammeEnd': 'Le programme se termine le {end} : choisissez une date antérieure.',
  'timing.resume.waiting.done': 'Vous revoilà dans le vivier : le prochain appariement pourra vous proposer un partenaire.',
  'timing.resume.accepted.done':
    'Votre binôme reprend : rédigez et signez votre contrat avec `/tandem contract`. Votre partenaire a été prévenu.',
  'timing.resume.accepted.told': '{junior} et {senior}, {user} a mis fin à la pause de votre binôme : votre prochaine étape est votre contrat, avec `/tandem contract`.',

  'timing.ending.notice':
    '📅 Le programme se termine le {end}, dans un mois. {active, plural, =0 {Aucun binôme n’est} one {# binôme est} other {# binômes sont}} encore en cours, et {starting, plural, =0 {aucun ne démarre} one {# démarre} other {# démarrent}} tout juste. Leurs contrats prennent fin d’ici là, et chaque binôme recevra son bilan final.',
};

export const timing = { en, fr };
