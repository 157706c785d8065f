/** Strings of storage faults: what a person reads when Tandem cannot save for a moment. */
const en = {
  'storage.tryAgain': 'Tandem cannot save anything just now (its storage is busy or full), so nothing was changed. Please try again in a few minutes.',
};

const fr: Record<keyof typeof en, string> = {
  'storage.tryAgain': 'Tandem ne peut rien enregistrer pour l’instant (son stockage est occupé ou plein) : rien n’a donc été modifié. Réessayez dans quelques minutes.',
};

export const storage = { en, fr };
