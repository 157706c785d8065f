import { type Locale, t } from '../../../i18n/index.js';
import type { PersonalDataProvider } from '../registry.js';
import { auditData } from './audit.js';
import { contractData } from './contracts.js';
import { escalationData } from '../../escalations/privacy.js';
import { followupData } from './followup.js';
import { messageData } from './messages.js';
import { pairData } from './pairs.js';
import { profileData } from './profile.js';

/**
 * Every part of Tandem that holds personal data, in the order the export file shows them. A feature
 * that stores something about people (check-ins, escalations…) adds its provider here.
 * `locale` is the programme's language, used to name a forgotten person in messages still to be sent.
 */
export function personalDataProviders(locale: Locale): PersonalDataProvider[] {
  return [profileData, pairData, contractData, followupData, escalationData, auditData, messageData(t(locale, 'privacy.formerParticipant'))];
}
