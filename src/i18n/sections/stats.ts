/** Strings of `/tandem stats`: the programme's health figures, what each means, and the activity chart. */
const en = {
  'usage.stats':
    '`/tandem stats`: programme health (people and pairs, contracts, check-ins, sessions, what was learned) and a chart of the activity',

  'stats.title': 'Programme health',
  'stats.text':
    'Programme health: {people, plural, one {# person} other {# people}} enrolled, {active, plural, one {# active pair} other {# active pairs}}.',
  'stats.asOf': 'Figures as of {date}.',

  'stats.people.title':
    '*People* · {total, number} enrolled since the start ({juniors, plural, one {# junior} other {# juniors}}, {seniors, plural, one {# senior} other {# seniors}})',
  'stats.people.enrolled': 'Waiting for a partner',
  'stats.people.matched': 'Partner proposed',
  'stats.people.paired': 'In a pair',
  'stats.people.paused': 'Paused',
  'stats.people.completed': 'Completed',
  'stats.people.left': 'Left',

  'stats.pairs.title': '*Pairs*',
  'stats.pairs.proposed': 'Awaiting approval',
  'stats.pairs.introduced': 'Being introduced',
  'stats.pairs.accepted': 'Writing their contract',
  'stats.pairs.active': 'Contract in force',
  'stats.pairs.completed': 'Completed',
  'stats.pairs.ended': 'Ended early',
  'stats.pairs.unformed':
    'Proposals that did not become a pair: {total, number} (rejected by a facilitator: {rejected, number}, declined by a partner: {declined, number}, withdrawn when someone left: {withdrawn, number})',

  'stats.followup.title': '*Contracts and follow-up*',
  'stats.contracts':
    'Contracts signed by both partners: *{pairs, plural, one {# pair} other {# pairs}}*, {versions, plural, one {# signed version} other {# signed versions}} counting amendments',
  'stats.escalations': 'Escalations to the facilitators: *{open, number}* open · {resolved, number} closed (see `/tandem escalations`)',
  'stats.responses': 'Check-in response rate: *{rate}* ({answered, number} of {sent, plural, one {# prompt} other {# prompts}} answered)',
  'stats.responses.none': 'Check-in response rate: *—* (no check-in prompt sent yet)',
  'stats.meetings':
    'Sessions logged: *{total, number}*, that is *{perPair}* per pair with a signed contract ({without, number} of {pairs, plural, one {# pair} other {# pairs}} without a session yet)',
  'stats.meetings.none': 'Sessions logged: *—* (no contract signed yet)',
  'stats.flow':
    'Knowledge flow, over {reports, plural, one {# session report} other {# session reports}}: the senior learned *{senior}* · the junior learned *{junior}* · both learned *{both}*',
  'stats.flow.none': 'Knowledge flow: *—* (no session logged yet)',

  'stats.outcomes.title': '*Outcomes* · {surveys, plural, one {# closing survey answered} other {# closing surveys answered}}',
  'stats.reached':
    'Objectives reached: *{rate}* ({reached, number} of {rated, number}; partly: {partly, number}, not reached: {not, number})',
  'stats.reached.none': 'Objectives reached: *—* (no closing survey answered yet)',
  'stats.gain':
    'Average learning gain: *{mean}* on the 1-to-5 scale, over {objectives, plural, one {# objective} other {# objectives}} · seniors’ digital skills: {senior} · juniors’ business know-how: {junior}',
  'stats.gain.none': 'Learning gain: *—* (no objective rated both when signing and in a closing survey yet)',

  'stats.define.responses':
    'Response rate: check-in prompts answered by at least one partner (“We met”, “Not yet” or “We need help”) ÷ check-in prompts sent. Prompts go only to active pairs that are not paused; closing surveys are not counted.',
  'stats.define.meetings':
    'Sessions: the distinct dates of the sessions a pair logged (a session logged by both partners counts once), divided by the pairs that have had a contract in force.',
  'stats.define.flow':
    'Knowledge flow: who learned, for each session a partner logged, read from that partner’s side of the pair: “I learned” from a senior, or “My partner learned” from a junior, means the senior learned.',
  'stats.define.outcomes':
    'Objectives and learning gain come from the closing surveys, each partner answering for their own objectives. Learning gain: level at the end − starting level given when signing (both from 1 to 5), averaged over the objectives rated both times.',

  'stats.chart.period': 'The activity chart covers {from} – {to}, month by month: sessions logged, check-ins answered and pairs formed.',
  'stats.chart.button': 'Post the activity chart to the facilitators’ channel',
  'stats.chart.title': 'Tandem programme activity, {from} – {to}',
  'stats.chart.series.meetings': 'Sessions logged',
  'stats.chart.series.answers': 'Check-ins answered',
  'stats.chart.series.pairsFormed': 'Pairs formed',
  'stats.chart.empty': 'No activity yet',
  'stats.chart.perMonth': 'per month',
  'stats.chart.comment': 'The programme’s activity, month by month, posted at the request of {by}.',
  'stats.chart.posted': 'The activity chart is posted in <#{channel}>.',
  'stats.chart.busy': 'The activity chart is already on its way to <#{channel}>: it is posted only once.',
  'stats.chart.recent': 'This activity chart was posted in <#{channel}> less than a minute ago: you will find it there.',
  'stats.chart.failed':
    'Slack did not take the chart just now, so nothing was posted in <#{channel}>. Press *Post the activity chart to the facilitators’ channel* again in a minute.',
} as const;

const fr: Record<keyof typeof en, string> = {
  'usage.stats':
    '`/tandem stats` : santé du programme (personnes et binômes, contrats, points d’étape, séances, apprentissages) et graphique de l’activité',

  'stats.title': 'Santé du programme',
  'stats.text':
    'Santé du programme : {people, plural, one {# personne inscrite} other {# personnes inscrites}}, {active, plural, one {# binôme actif} other {# binômes actifs}}.',
  'stats.asOf': 'Chiffres au {date}.',

  'stats.people.title':
    '*Personnes* · {total, plural, one {# inscrite} other {# inscrites}} depuis le début ({juniors, plural, one {# junior} other {# juniors}}, {seniors, plural, one {# senior} other {# seniors}})',
  'stats.people.enrolled': 'En attente d’un partenaire',
  'stats.people.matched': 'Partenaire proposé',
  'stats.people.paired': 'En binôme',
  'stats.people.paused': 'En pause',
  'stats.people.completed': 'Programme terminé',
  'stats.people.left': 'Ont quitté le programme',

  'stats.pairs.title': '*Binômes*',
  'stats.pairs.proposed': 'À valider',
  'stats.pairs.introduced': 'En cours de présentation',
  'stats.pairs.accepted': 'Contrat en rédaction',
  'stats.pairs.active': 'Contrat en vigueur',
  'stats.pairs.completed': 'Terminés',
  'stats.pairs.ended': 'Arrêtés avant terme',
  'stats.pairs.unformed':
    'Propositions qui n’ont pas donné de binôme : {total, number} (refusées par un animateur : {rejected, number}, déclinées par un partenaire : {declined, number}, retirées après un départ : {withdrawn, number})',

  'stats.followup.title': '*Contrats et suivi*',
  'stats.contracts':
    'Contrats signés par les deux partenaires : *{pairs, plural, one {# binôme} other {# binômes}}*, {versions, plural, one {# version signée} other {# versions signées}} en comptant les avenants',
  'stats.escalations':
    'Signalements aux animateurs : *{open, plural, one {# ouvert} other {# ouverts}}* · {resolved, number} clos (voir `/tandem escalations`)',
  'stats.responses':
    'Taux de réponse aux points d’étape : *{rate}* ({answered, plural, one {# demande sur {sent, number} a reçu} other {# demandes sur {sent, number} ont reçu}} une réponse)',
  'stats.responses.none': 'Taux de réponse aux points d’étape : *—* (aucune demande de point d’étape envoyée pour l’instant)',
  'stats.meetings':
    'Séances consignées : *{total, number}*, soit *{perPair}* par binôme au contrat signé ({without, plural, one {# binôme} other {# binômes}} sur {pairs, number} sans séance pour l’instant)',
  'stats.meetings.none': 'Séances consignées : *—* (aucun contrat signé pour l’instant)',
  'stats.flow':
    'Sens des apprentissages, sur {reports, plural, one {# compte rendu de séance} other {# comptes rendus de séance}} : le senior a appris *{senior}* · le junior a appris *{junior}* · les deux ont appris *{both}*',
  'stats.flow.none': 'Sens des apprentissages : *—* (aucune séance consignée pour l’instant)',

  'stats.outcomes.title': '*Résultats* · {surveys, plural, one {# bilan final rempli} other {# bilans finaux remplis}}',
  'stats.reached':
    'Objectifs atteints : *{rate}* ({reached, number} sur {rated, number} ; en partie : {partly, number}, non atteints : {not, number})',
  'stats.reached.none': 'Objectifs atteints : *—* (aucun bilan final rempli pour l’instant)',
  'stats.gain':
    'Progression moyenne : *{mean}* sur l’échelle de 1 à 5, sur {objectives, plural, one {# objectif} other {# objectifs}} · compétences numériques des seniors : {senior} · savoir-faire métier des juniors : {junior}',
  'stats.gain.none': 'Progression : *—* (aucun objectif évalué à la signature et dans un bilan final pour l’instant)',

  'stats.define.responses':
    'Taux de réponse : demandes de point d’étape auxquelles au moins un partenaire a répondu (« On s’est vus », « Pas encore » ou « Besoin d’aide ») ÷ demandes envoyées. Les demandes ne partent qu’aux binômes actifs hors pause ; les bilans finaux ne sont pas comptés.',
  'stats.define.meetings':
    'Séances : les dates distinctes des séances consignées par un binôme (une séance consignée par les deux partenaires compte une fois), divisées par le nombre de binômes qui ont eu un contrat en vigueur.',
  'stats.define.flow':
    'Sens des apprentissages : qui a appris, pour chaque séance consignée par un partenaire, selon son rôle dans le binôme : « J’ai appris » d’un senior, ou « Mon partenaire a appris » d’un junior, signifie que le senior a appris.',
  'stats.define.outcomes':
    'Objectifs et progression viennent des bilans finaux, où chaque partenaire répond pour ses propres objectifs. Progression : niveau final − niveau de départ donné à la signature (tous deux de 1 à 5), en moyenne sur les objectifs évalués les deux fois.',

  'stats.chart.period': 'Le graphique d’activité couvre la période {from} – {to}, mois par mois : séances consignées, réponses aux points d’étape et binômes formés.',
  'stats.chart.button': 'Publier le graphique d’activité dans le canal des animateurs',
  'stats.chart.title': 'Activité du programme Tandem, {from} – {to}',
  'stats.chart.series.meetings': 'Séances consignées',
  'stats.chart.series.answers': 'Réponses aux points d’étape',
  'stats.chart.series.pairsFormed': 'Binômes formés',
  'stats.chart.empty': 'Pas encore d’activité',
  'stats.chart.perMonth': 'par mois',
  'stats.chart.comment': 'L’activité du programme, mois par mois, publiée à la demande de {by}.',
  'stats.chart.posted': 'Le graphique d’activité est publié dans <#{channel}>.',
  'stats.chart.busy': 'Le graphique d’activité est déjà en route vers <#{channel}> : il n’est publié qu’une fois.',
  'stats.chart.recent': 'Ce graphique d’activité a été publié dans <#{channel}> il y a moins d’une minute : vous l’y trouverez.',
  'stats.chart.failed':
    'Slack n’a pas accepté le graphique pour l’instant : rien n’a été publié dans <#{channel}>. Appuyez de nouveau sur *Publier le graphique d’activité dans le canal des animateurs* dans une minute.',
};

export const stats = { en, fr };
