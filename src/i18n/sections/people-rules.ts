/**
 * Strings of the programme's rules about people: conflicts of interest of a facilitator who is
 * also a participant, what people gave being used (motivation, quotes, recognition), and what must
 * never be disclosed by accident.
 */
const en = {
  'conflict.pair.another': 'This is about your own pair, so you cannot act on it nor read what was confided. Another facilitator will handle it. Nothing was changed.',
  'conflict.pair.alone':
    'This is about your own pair, so you cannot act on it nor read what was confided, and you are the only facilitator: nobody can handle it yet. Add a facilitator: list them in FACILITATOR_USER_IDS, or invite them to the private facilitators’ channel {channel}. Nothing was changed.',
  'conflict.proposal.another': 'You are in this proposal, so you cannot decide on it. Another facilitator will approve or reject it. Nothing was changed.',
  'conflict.proposal.alone':
    'You are in this proposal, so you cannot decide on it, and you are the only facilitator: nobody can approve it yet. Add a facilitator: list them in FACILITATOR_USER_IDS, or invite them to the private facilitators’ channel {channel}. Nothing was changed.',
  'conflict.approveAllOwn': 'Proposals that name you, left for another facilitator to decide: {count}.',
  'survey.reminder.text':
    '{partner} has answered the closing survey of your Tandem pair, and yours is still open until {date}. It takes five minutes: the objectives you reached, your level now, what you learned, and whether it may be quoted.',
  'survey.reminder.yourPartner': 'Your partner',
  'unmatched.noFit': 'Nobody waiting right now fits the programme’s rules for you. You stay enrolled: the facilitators know, and you will be considered at the next matching.',
};

const fr: Record<keyof typeof en, string> = {
  'conflict.pair.another': 'Il s’agit de votre propre binôme : vous ne pouvez ni agir ni lire ce qui a été confié. Un autre animateur s’en chargera. Rien n’a changé.',
  'conflict.pair.alone':
    'Il s’agit de votre propre binôme : vous ne pouvez ni agir ni lire ce qui a été confié, et vous êtes le seul animateur : personne ne peut s’en charger pour l’instant. Ajoutez un animateur : indiquez-le dans FACILITATOR_USER_IDS, ou invitez-le dans le canal privé des animateurs {channel}. Rien n’a changé.',
  'conflict.proposal.another': 'Vous faites partie de cette proposition : vous ne pouvez pas en décider. Un autre animateur l’approuvera ou la refusera. Rien n’a changé.',
  'conflict.proposal.alone':
    'Vous faites partie de cette proposition : vous ne pouvez pas en décider, et vous êtes le seul animateur : personne ne peut l’approuver pour l’instant. Ajoutez un animateur : indiquez-le dans FACILITATOR_USER_IDS, ou invitez-le dans le canal privé des animateurs {channel}. Rien n’a changé.',
  'conflict.approveAllOwn': 'Propositions qui vous concernent, laissées à la décision d’un autre animateur : {count}.',
  'survey.reminder.text':
    '{partner} a répondu au questionnaire de fin de votre binôme Tandem, et le vôtre reste ouvert jusqu’au {date}. Cela prend cinq minutes : les objectifs atteints, votre niveau aujourd’hui, ce que vous avez appris, et si vos mots peuvent être cités.',
  'survey.reminder.yourPartner': 'Votre binôme',
  'unmatched.noFit': 'Personne parmi les inscrits en attente ne respecte les règles du programme pour vous. Vous restez inscrit : les animateurs sont au courant, et vous serez pris en compte au prochain appariement.',
};

export const peopleRules = { en, fr };
