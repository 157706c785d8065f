/**
 * Strings of the programme's rules about people: conflicts of interest of a facilitator who is
 * also a participant, what people gave being used (motivation, quotes, recognition), and what must
 * never be disclosed by accident.
 */
const en = {
  'conflict.pair.another': 'This is about your own pair, so you cannot act on it nor read what was confided. Another facilitator will handle it. Nothing was changed.',
  'conflict.pair.alone': 'This is about your own pair, so you cannot act on it or read what was confided. As you are the only facilitator, nobody can handle it yet. Add a facilitator: list them in FACILITATOR_USER_IDS, or invite them to the private facilitators’ channel {channel}. Nothing was changed.',
  'conflict.proposal.another': 'You are in this proposal, so you cannot decide on it. Another facilitator will approve or reject it. Nothing was changed.',
  'conflict.proposal.alone': 'You are in this proposal, so you cannot decide on it. As you are the only facilitator, nobody can approve it yet. Add a facilitator: list them in FACILITATOR_USER_IDS, or invite them to the private facilitators’ channel {channel}. Nothing was changed.',
  'conflict.approveAllOwn': 'Proposals that name you, left for another facilitator to decide: {count}.',
  'survey.reminder.text':
    '{partner} has answered the closing survey of your Tandem pair, and yours is still open until {date}. It takes five minutes: the objectives you reached, your level now, what you learned, and whether it may be quoted.',
  'survey.reminder.yourPartner': 'Your partner',
  'intro.motivations': '*Why each of you joined, in your own words*',
  'intro.motivation': '{person}: “{motivation}”',
  'recognition.title': 'Thank you: your Tandem pair is complete',
  'recognition.intro.junior':
    'You were chosen to share your digital practices with {partner}, and you did: the programme is better for what you brought. Here is what your pair achieved.',
  'recognition.intro.senior': 'You gave {partner} your business know-how, and took the time to learn in return. Here is what your pair achieved.',
  'recognition.taught': '*What you taught {partner}*',
  'recognition.learned': '*What you learned from {partner}*',
  'recognition.taughtItemReached': '• {objective}: {reached}, says your partner',
  'recognition.gain': 'Your learning gain: {gain, plural, one {{gainText} level} other {{gainText} levels}} on average.',
  'recognition.thanks': 'On behalf of the programme, thank you for the time and the trust you gave each other. You can enrol again any time with `/tandem join`.',
  'stats.quotes.title': '*What participants say* (quoted with both partners’ consent)',
  'stats.quotes.none': 'Nothing yet: what a completed pair learned appears here once both partners agreed to be quoted.',
  'stats.quotes.item': '>“{quote}”\n>— {who}, learning gain {gain, plural, one {{gainText} level} other {{gainText} levels}}',
  'stats.quotes.itemNoGain': '>“{quote}”\n>— {who}',
  'stats.quotes.by.junior': 'a junior',
  'stats.quotes.by.senior': 'a senior',
  'unmatched.noFit': 'Nobody waiting right now fits the programme’s rules for you. You stay enrolled: the facilitators know, and you will be considered at the next matching.',
};

const fr: Record<keyof typeof en, string> = {
  'conflict.pair.another': 'Il s’agit de votre propre binôme : vous ne pouvez ni agir ni lire ce qui a été confié. Un autre animateur s’en chargera. Rien n’a changé.',
  'conflict.pair.alone': 'Il s’agit de votre propre binôme : vous ne pouvez ni agir ni lire ce qui a été confié. Comme vous êtes le seul animateur, personne ne peut s’en charger pour l’instant. Ajoutez un animateur : indiquez-le dans FACILITATOR_USER_IDS, ou invitez-le dans le canal privé des animateurs {channel}. Rien n’a changé.',
  'conflict.proposal.another': 'Vous faites partie de cette proposition : vous ne pouvez pas en décider. Un autre animateur la validera ou la refusera. Rien n’a changé.',
  'conflict.proposal.alone': 'Vous faites partie de cette proposition : vous ne pouvez pas en décider. Comme vous êtes le seul animateur, personne ne peut la valider pour l’instant. Ajoutez un animateur : indiquez-le dans FACILITATOR_USER_IDS, ou invitez-le dans le canal privé des animateurs {channel}. Rien n’a changé.',
  'conflict.approveAllOwn': 'Propositions qui vous concernent, laissées à la décision d’un autre animateur : {count}.',
  'survey.reminder.text':
    '{partner} a répondu au bilan final de votre binôme Tandem, et le vôtre reste ouvert jusqu’au {date}. Il prend cinq minutes : les objectifs atteints, votre niveau aujourd’hui, ce que vous avez appris, et si vos mots peuvent être cités.',
  'survey.reminder.yourPartner': 'Votre partenaire',
  'intro.motivations': '*Pourquoi chacun de vous a rejoint le programme, avec ses mots*',
  'intro.motivation': '{person} : « {motivation} »',
  'recognition.title': 'Merci : votre binôme Tandem est terminé',
  'recognition.intro.junior':
    'Vous avez été choisi pour partager vos pratiques numériques avec {partner}, et vous l’avez fait : le programme s’est enrichi de ce que vous avez apporté. Voici ce que vous avez accompli ensemble.',
  'recognition.intro.senior': 'Vous avez transmis votre savoir-faire métier à {partner}, et pris le temps d’apprendre en retour. Voici ce que vous avez accompli ensemble.',
  'recognition.taught': '*Ce que vous avez transmis à {partner}*',
  'recognition.learned': '*Ce que vous avez appris de {partner}*',
  'recognition.taughtItemReached': '• {objective} : {reached}, selon votre partenaire',
  'recognition.gain': 'Votre progression : {gain, plural, one {{gainText} niveau} other {{gainText} niveaux}} en moyenne.',
  'recognition.thanks': 'Au nom du programme, merci pour le temps et la confiance que vous vous êtes accordés. Vous pouvez vous réinscrire à tout moment avec `/tandem join`.',
  'stats.quotes.title': '*Ce qu’en disent les participants* (cités avec l’accord des deux partenaires)',
  'stats.quotes.none': 'Rien pour l’instant : ce qu’un binôme terminé a appris apparaît ici dès que les deux partenaires ont accepté d’être cités.',
  'stats.quotes.item': '>« {quote} »\n>— {who}, progression de {gain, plural, one {{gainText} niveau} other {{gainText} niveaux}}',
  'stats.quotes.itemNoGain': '>« {quote} »\n>— {who}',
  'stats.quotes.by.junior': 'un junior',
  'stats.quotes.by.senior': 'un senior',
  'unmatched.noFit': 'Parmi les personnes en attente, aucune ne peut vous être associée selon les règles du programme. Vous restez inscrit : les animateurs sont au courant, et vous serez pris en compte au prochain appariement.',
};

export const peopleRules = { en, fr };
