/** Strings of Tandem's life in a real workspace: deactivated people, guests, Slack being busy, lost messages. */
const en = {
  'workspace.deactivated.partnerNotice':
    '{person} is no longer in this Slack workspace, so your pair has ended. Thank you for the time you shared. You are back in the pool and may be proposed a new partner.',
  'workspace.deactivated.facilitatorNotice': '{user} was deactivated in Slack and has left the programme (status: {status}).',
  'workspace.deactivated.facilitatorNoticePair': '{user} was deactivated in Slack and has left the programme (status: {status}). Their pair with {partner} has ended, and {partner} has been told.',
  'workspace.deactivated.reason': '{person} was deactivated in Slack',
  'workspace.guest.refused': 'Guests cannot join this programme. If you think you should be able to, ask a facilitator.',
  'settings.field.allowGuests': 'Guests',
  'workspace.reject.title': 'Reject this pair?',
  'workspace.reject.confirm': '{junior} and {senior} will never be proposed together again. Both go back to the pool for the next matching.',
  'workspace.intro.notification': '{junior} and {senior}, Tandem proposes that you pair up: read the introduction, then each of you press {accept} or {decline}.',
  'workspace.chart.alt':
    'Bar chart of the programme’s activity from {from} to {to}, month by month over {months, plural, one {# month} other {# months}}: {meetings, plural, one {# session logged} other {# sessions logged}}, {answers, plural, one {# check-in answered} other {# check-ins answered}} and {pairs, plural, one {# pair formed} other {# pairs formed}} in all.',
  'workspace.lost.summary':
    'Slack could not be reached for a long time, and Tandem stopped trying to deliver {count, plural, one {# message} other {# messages}}. The people concerned may be waiting: please check on them, and run `npx tandem doctor`.',
  'workspace.lost.category.matching': '{count, plural, one {# matching proposal or summary} other {# matching proposals or summaries}}',
  'workspace.lost.category.introduction': '{count, plural, one {# introduction of a pair} other {# introductions of pairs}}',
  'workspace.lost.category.contract': '{count, plural, one {# contract message} other {# contract messages}}',
  'workspace.lost.category.checkin': '{count, plural, one {# check-in prompt or reminder} other {# check-in prompts or reminders}}',
  'workspace.lost.category.escalation': '{count, plural, one {# escalation notice} other {# escalation notices}}',
  'workspace.lost.category.pair': '{count, plural, one {# message about a pair} other {# messages about pairs}}',
  'workspace.lost.category.left': '{count, plural, one {# notice that someone left} other {# notices that people left}}',
  'workspace.lost.category.pause': '{count, plural, one {# pause or resume notice} other {# pause or resume notices}}',
  'workspace.lost.category.settings': '{count, plural, one {# notice of a settings change} other {# notices of settings changes}}',
  'workspace.lost.category.other': '{count, plural, one {# other message} other {# other messages}}',
  'workspace.lost.for': 'for {recipients}',
  'workspace.lost.others': '{count, plural, one {# other} other {# others}}',
  'workspace.lost.thisChannel': 'this channel',
  'workspace.lost.aConversation': 'a pair’s conversation',
  'settings.allowGuests.option': 'Let the workspace’s guests (multi- and single-channel) enrol',
};

const fr: Record<keyof typeof en, string> = {
  'workspace.deactivated.partnerNotice':
    '{person} ne fait plus partie de cet espace Slack : votre binôme prend donc fin. Merci pour le temps partagé. Vous êtes de retour dans le vivier et pourrez recevoir une nouvelle proposition.',
  'workspace.deactivated.facilitatorNotice': 'Le compte Slack de {user} a été désactivé : cette personne quitte le programme (état : {status}).',
  'workspace.deactivated.facilitatorNoticePair': 'Le compte Slack de {user} a été désactivé : cette personne quitte le programme (état : {status}). Son binôme avec {partner} prend fin, et {partner} a été prévenu.',
  'workspace.deactivated.reason': 'le compte Slack de {person} a été désactivé',
  'workspace.guest.refused': 'Les invités ne peuvent pas rejoindre ce programme. Si vous pensez y avoir droit, adressez-vous à un animateur.',
  'settings.field.allowGuests': 'Invités',
  'workspace.reject.title': 'Refuser ce binôme ?',
  'workspace.reject.confirm': '{junior} et {senior} ne seront plus jamais proposés ensemble. Tous deux retournent dans le vivier pour le prochain appariement.',
  'workspace.intro.notification': '{junior} et {senior}, Tandem vous propose de former un binôme : lisez la présentation, puis appuyez chacun sur « {accept} » ou « {decline} ».',
  'workspace.chart.alt':
    'Graphique en barres de l’activité du programme de {from} à {to}, mois par mois sur {months, plural, one {# mois} other {# mois}} : {meetings, plural, one {# séance consignée} other {# séances consignées}}, {answers, plural, one {# réponse à un point d’étape} other {# réponses aux points d’étape}} et {pairs, plural, one {# binôme formé} other {# binômes formés}} au total.',
  'workspace.lost.summary':
    'Slack est resté injoignable longtemps, et Tandem a cessé d’essayer de remettre {count, plural, one {# message} other {# messages}}. Les personnes concernées attendent peut-être : vérifiez auprès d’elles, et lancez `npx tandem doctor`.',
  'workspace.lost.category.matching': '{count, plural, one {# proposition ou récapitulatif d’appariement} other {# propositions ou récapitulatifs d’appariement}}',
  'workspace.lost.category.introduction': '{count, plural, one {# présentation d’un binôme} other {# présentations de binômes}}',
  'workspace.lost.category.contract': '{count, plural, one {# message de contrat} other {# messages de contrat}}',
  'workspace.lost.category.checkin': '{count, plural, one {# demande ou rappel de point d’étape} other {# demandes ou rappels de point d’étape}}',
  'workspace.lost.category.escalation': '{count, plural, one {# signalement} other {# signalements}}',
  'workspace.lost.category.pair': '{count, plural, one {# message sur un binôme} other {# messages sur des binômes}}',
  'workspace.lost.category.left': '{count, plural, one {# avis de départ} other {# avis de départ}}',
  'workspace.lost.category.pause': '{count, plural, one {# avis de pause ou de reprise} other {# avis de pause ou de reprise}}',
  'workspace.lost.category.settings': '{count, plural, one {# avis de changement de réglages} other {# avis de changement de réglages}}',
  'workspace.lost.category.other': '{count, plural, one {# autre message} other {# autres messages}}',
  'workspace.lost.for': 'pour {recipients}',
  'workspace.lost.others': '{count, plural, one {# autre} other {# autres}}',
  'workspace.lost.thisChannel': 'ce canal',
  'workspace.lost.aConversation': 'la conversation d’un binôme',
  'settings.allowGuests.option': 'Permettre aux invités (multicanaux ou canal unique) de s’inscrire',
};

export const workspace = { en, fr };
