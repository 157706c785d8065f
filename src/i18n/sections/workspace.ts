/** Strings of Tandem's life in a real workspace: deactivated people, guests, Slack being busy, lost messages. */
const en = {
  'workspace.deactivated.partnerNotice':
    '{person} is no longer in this Slack workspace, so your pair has ended. Thank you for the time you shared. You are back in the pool and may be proposed a new partner.',
  'workspace.deactivated.facilitatorNotice': '{user} was deactivated in Slack and has left the programme (was {status}).',
  'workspace.deactivated.facilitatorNoticePair': '{user} was deactivated in Slack and has left the programme (was {status}). Their pair with {partner} has ended, and {partner} has been told.',
  'workspace.deactivated.reason': '{person} was deactivated in Slack',
  'workspace.guest.refused': 'Guests cannot join this programme. If you think you should, ask a facilitator.',
  'settings.field.allowGuests': 'Guests',
  'settings.allowGuests.option': 'Let the workspace’s guests (multi- and single-channel) enrol',
};

const fr: Record<keyof typeof en, string> = {
  'workspace.deactivated.partnerNotice':
    '{person} ne fait plus partie de cet espace Slack : votre binôme prend donc fin. Merci pour le temps partagé. Vous êtes de retour dans le vivier et pourrez recevoir une nouvelle proposition.',
  'workspace.deactivated.facilitatorNotice': 'Le compte Slack de {user} a été désactivé : cette personne quitte le programme (état : {status}).',
  'workspace.deactivated.facilitatorNoticePair': 'Le compte Slack de {user} a été désactivé : cette personne quitte le programme (état : {status}). Son binôme avec {partner} prend fin ; un message a prévenu {partner}.',
  'workspace.deactivated.reason': 'le compte Slack de {person} a été désactivé',
  'workspace.guest.refused': 'Les invités ne peuvent pas rejoindre ce programme. Si vous pensez le devoir, demandez à un animateur.',
  'settings.field.allowGuests': 'Invités',
  'settings.allowGuests.option': 'Permettre aux invités de l’espace de travail (multicanaux et canal unique) de s’inscrire',
};

export const workspace = { en, fr };
