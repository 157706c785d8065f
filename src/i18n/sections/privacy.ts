/** Strings of people's control of their own data: export, forget, leaving with a pair, retention. */
const en = {
  'privacy.usage.export': '`/tandem export`: receive by direct message a file of every record Tandem holds about you',
  'privacy.usage.forget': '`/tandem forget`: erase your personal data from Tandem (you will be asked to confirm)',

  'privacy.export.preparing': 'Preparing your export… It will arrive in your direct messages with Tandem in a moment.',
  'privacy.export.nothing': 'Tandem holds no profile for you, so there is nothing to export. (If you erased your data with `/tandem forget`, it is gone.)',
  'privacy.export.message': 'Here is every record Tandem holds about you, as you asked with `/tandem export`: your profile, your pairs, their contracts, the sessions you logged and your closing survey, the escalations about you that you may know of, the facilitators’ actions that concern you, and the messages Tandem sent you. Notes that other people wrote privately to the facilitators are not included.',
  'privacy.export.title': 'Your Tandem data',
  'privacy.export.done': 'Your export is in your direct messages with Tandem.',
  'privacy.export.failed': 'Slack did not accept the file just now, so your export was not sent. Nothing has changed: please run `/tandem export` again in a few minutes.',

  'privacy.forget.confirm':
    '*Erase your personal data from Tandem?*\nYour profile (skills, department, manager, languages, motivation, name and time zone), the objectives and notes you wrote, and your Slack identity in our records are erased for good. The programme keeps only anonymous counts, and your partner keeps their own side of your shared records.',
  'privacy.forget.confirmPair': 'You are in a pair: it ends first, as with `/tandem leave`. Your partner and the facilitators are told kindly, without your name.',
  'privacy.forget.exportFirst': 'Tip: run `/tandem export` first if you would like a copy of your data.',
  'privacy.forget.confirmButton': 'Erase my data',
  'privacy.forget.cancelButton': 'Keep my data',
  'privacy.forget.confirmTitle': 'Erase your data?',
  'privacy.forget.confirmDialog': 'This cannot be undone. You can enrol again later, as a new participant.',
  'privacy.forget.done': 'Your personal data has been erased from Tandem. Thank you for taking part. You can enrol again at any time with `/tandem join`, as a new participant.',
  'privacy.forget.already': 'Your data had already been erased, so nothing changed.',
  'privacy.forget.cancelled': 'Nothing was erased: your data is as it was.',
  'privacy.forget.nothing': 'Tandem holds no profile for you, so there is nothing to erase.',
  'privacy.forget.endReason': 'A partner left the programme and asked for their data to be erased',
  'privacy.forget.calendarCancelled': 'As you asked, your pair ends and your data is being erased from Tandem. The calendar file below removes your Tandem sessions from your calendar (open it as you did the first one). Thank you for the time you gave to the programme.',
  'privacy.forget.partnerNotice': 'Your partner has left Tandem, so your pair has ended. Thank you for the time you shared. You are back in the pool and may be proposed a new partner.',
  'privacy.forget.facilitatorNotice': 'A participant left the programme and asked for their personal data to be erased. It was erased; only anonymous counts remain.',
  'privacy.forget.facilitatorNoticePair': 'A participant left the programme and asked for their personal data to be erased, so their pair with {partner} has ended; {partner} was told kindly. Their data was erased; only anonymous counts remain.',
  'privacy.formerParticipant': 'a former participant',

  'privacy.leave.facilitatorNoticePair': '{user} left the programme (status: {status}), so their pair with {partner} has ended; {partner} was told kindly.',
} as const;

const fr: Record<keyof typeof en, string> = {
  'privacy.usage.export': '`/tandem export` : recevoir en message direct un fichier de toutes les données que Tandem détient sur vous',
  'privacy.usage.forget': '`/tandem forget` : effacer vos données personnelles de Tandem (une confirmation vous sera demandée)',

  'privacy.export.preparing': 'Préparation de votre export… Il arrivera dans un instant dans vos messages directs avec Tandem.',
  'privacy.export.nothing': 'Tandem ne détient aucun profil à votre nom : il n’y a rien à exporter. (Si vous avez effacé vos données avec `/tandem forget`, elles n’existent plus.)',
  'privacy.export.message': 'Voici toutes les données que Tandem détient sur vous, comme demandé avec `/tandem export` : votre profil, vos binômes, leurs contrats, les séances que vous avez consignées et votre bilan final, les signalements vous concernant dont vous pouvez avoir connaissance, les actions des animateurs qui vous concernent et les messages que Tandem vous a envoyés. Les notes que d’autres personnes ont écrites en privé aux animateurs n’y figurent pas.',
  'privacy.export.title': 'Vos données Tandem',
  'privacy.export.done': 'Votre export est dans vos messages directs avec Tandem.',
  'privacy.export.failed': 'Slack n’a pas accepté le fichier pour le moment : votre export n’a pas été envoyé. Rien n’a changé : relancez `/tandem export` dans quelques minutes.',

  'privacy.forget.confirm':
    '*Effacer vos données personnelles de Tandem ?*\nVotre profil (compétences, service, manager, langues, motivation, nom et fuseau horaire), les objectifs et notes que vous avez écrits, et votre identité Slack dans nos registres sont effacés définitivement. Le programme ne garde que des décomptes anonymes, et votre partenaire garde sa part de vos données communes.',
  'privacy.forget.confirmPair':
    'Vous êtes en binôme : ce binôme prend d’abord fin, comme avec `/tandem leave`. Votre partenaire et les animateurs sont prévenus avec tact, sans votre nom.',
  'privacy.forget.exportFirst': 'Conseil : lancez d’abord `/tandem export` si vous souhaitez une copie de vos données.',
  'privacy.forget.confirmButton': 'Effacer mes données',
  'privacy.forget.cancelButton': 'Garder mes données',
  'privacy.forget.confirmTitle': 'Effacer vos données ?',
  'privacy.forget.confirmDialog': 'C’est définitif. Vous pourrez vous réinscrire plus tard, comme nouveau participant.',
  'privacy.forget.done': 'Vos données personnelles ont été effacées de Tandem. Merci d’avoir participé. Vous pouvez vous réinscrire à tout moment avec `/tandem join`, comme nouveau participant.',
  'privacy.forget.already': 'Vos données avaient déjà été effacées : rien n’a changé.',
  'privacy.forget.cancelled': 'Rien n’a été effacé : vos données sont intactes.',
  'privacy.forget.nothing': 'Tandem ne détient aucun profil à votre nom : il n’y a rien à effacer.',
  'privacy.forget.endReason': 'Un partenaire a quitté le programme et demandé l’effacement de ses données',
  'privacy.forget.calendarCancelled': 'Comme vous l’avez demandé, votre binôme prend fin et vos données sont en cours d’effacement de Tandem. Le fichier agenda ci-dessous retire vos séances Tandem de votre agenda (ouvrez-le comme le premier). Merci pour le temps que vous avez consacré au programme.',
  'privacy.forget.partnerNotice': 'Votre partenaire a quitté Tandem : votre binôme prend donc fin. Merci pour le temps partagé. Vous êtes de retour dans le vivier et pourrez recevoir une nouvelle proposition.',
  'privacy.forget.facilitatorNotice': 'Un participant a quitté le programme et demandé l’effacement de ses données personnelles. Elles ont été effacées ; seuls des décomptes anonymes subsistent.',
  'privacy.forget.facilitatorNoticePair': 'Un participant a quitté le programme et demandé l’effacement de ses données personnelles : son binôme avec {partner} prend donc fin, et {partner} a été prévenu avec tact. Ses données ont été effacées ; seuls des décomptes anonymes subsistent.',
  'privacy.formerParticipant': 'un ancien participant',

  'privacy.leave.facilitatorNoticePair': '{user} a quitté le programme (état : {status}) : son binôme avec {partner} prend donc fin, et {partner} a été prévenu avec tact.',
};

export const privacy = { en, fr };
