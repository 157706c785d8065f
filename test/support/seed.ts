import type { Profile } from '../../src/domain/profile.js';
import { findParticipantByUser, type Participant, saveProfile } from '../../src/store/participants.js';
import type { Harness } from './tandem-harness.js';

export interface PersonSpec extends Partial<Profile> {
  userId: string;
  locale?: 'en' | 'fr';
  timeZone?: string;
}

/** Enrols people straight through the repository, for tests about what comes after enrolment. */
export async function seed(h: Harness, ...people: PersonSpec[]): Promise<Participant[]> {
  const out: Participant[] = [];
  for (const spec of people) {
    const { userId, locale = 'en', timeZone = 'Europe/Paris', ...profile } = spec;
    h.standIn.setUser(userId, { locale: locale === 'fr' ? 'fr-FR' : 'en-US', tz: timeZone, name: userId.toLowerCase() });
    await saveProfile(
      h.store.db,
      { userId, timeZone, locale, displayName: userId.toLowerCase() },
      {
        role: 'junior',
        shares: ['generative_ai'],
        learns: ['negotiation'],
        department: `Dept ${userId}`,
        managerUserId: null,
        languages: ['en'],
        format: 'either',
        cadence: 'biweekly',
        motivation: 'To learn',
        ...profile,
      },
      h.clock.now,
    );
    out.push((await findParticipantByUser(h.store.db, userId)) as Participant);
  }
  return out;
}

export const junior = (userId: string, extra: Partial<PersonSpec> = {}): PersonSpec => ({ userId, role: 'junior', shares: ['generative_ai', 'linkedin'], learns: ['negotiation'], ...extra });
export const senior = (userId: string, extra: Partial<PersonSpec> = {}): PersonSpec => ({ userId, role: 'senior', shares: ['negotiation', 'strategy'], learns: ['generative_ai'], ...extra });
