/**
 * The sandbox's fictional company: a dozen people (names, departments, a manager relation, English
 * and French speakers, time zones from Montréal to Tokyo), two facilitators and the private
 * facilitators' channel. Nothing in it is real. Six of them enrol on the first start, through the
 * real enrolment modal, so that matching has a pool; the others are left for the visitor.
 */
import type { ViewValues } from './payloads.js';

export interface DemoPerson {
  id: string;
  name: string;
  title: string;
  department: string;
  /** Slack locale, as users.info reports it. */
  locale: 'en-US' | 'en-GB' | 'fr-FR' | 'fr-CA';
  tz: string;
  managerId?: string;
  facilitator?: boolean;
  /** What the person fills in the enrolment modal on the first start; none: left for the visitor. */
  enrolment?: ViewValues;
}

export const DEMO_COMPANY = 'Northwind & Co. (demo)';
export const FACILITATORS_CHANNEL = { id: 'G0FACILITATORS', name: 'tandem-facilitators' };
export const GENERAL_CHANNEL = { id: 'C0GENERAL', name: 'general' };

const enrolment = (values: ViewValues): ViewValues => ({
  shares_other: '',
  learns_other: '',
  manager: null,
  format: 'either',
  cadence: 'biweekly',
  consent: ['yes'],
  ...values,
});

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { id: 'U0CAMILLE', name: 'Camille Roy', title: 'Head of People', department: 'People', locale: 'fr-FR', tz: 'Europe/Paris', facilitator: true },
  { id: 'U0DAVID', name: 'David Okafor', title: 'Learning & Development lead', department: 'People', locale: 'en-GB', tz: 'Europe/London', managerId: 'U0CAMILLE', facilitator: true },
  { id: 'U0AMELIE', name: 'Amélie Tremblay', title: 'Marketing analyst', department: 'Marketing', locale: 'fr-CA', tz: 'America/Toronto', managerId: 'U0SOFIA' },
  { id: 'U0HENRI', name: 'Henri Lefèvre', title: 'Sales director', department: 'Sales', locale: 'fr-FR', tz: 'Europe/Paris', managerId: 'U0MARC' },
  { id: 'U0SOFIA', name: 'Sofia Almeida', title: 'Head of Marketing', department: 'Marketing', locale: 'en-GB', tz: 'Europe/Lisbon', managerId: 'U0MARC' },
  { id: 'U0MARC', name: 'Marc Dubois', title: 'Chief Financial Officer', department: 'Finance', locale: 'fr-FR', tz: 'Europe/Paris' },
  {
    id: 'U0PRIYA',
    name: 'Priya Raman',
    title: 'Data engineer',
    department: 'Engineering',
    locale: 'en-US',
    tz: 'Asia/Kolkata',
    managerId: 'U0KENJI',
    enrolment: enrolment({ role: 'junior', shares: ['generative_ai', 'data_visualisation'], learns: ['strategy', 'public_speaking'], department: 'Engineering', manager: 'U0KENJI', languages: ['en'], format: 'video', motivation: 'I would like to understand how the leadership team decides.' }),
  },
  {
    id: 'U0KENJI',
    name: 'Kenji Watanabe',
    title: 'VP Operations',
    department: 'Operations',
    locale: 'en-US',
    tz: 'Asia/Tokyo',
    enrolment: enrolment({ role: 'senior', shares: ['strategy', 'managing_teams'], learns: ['generative_ai', 'collaboration_tools'], department: 'Operations', languages: ['en'], format: 'video', motivation: 'Our teams use tools I have never tried.' }),
  },
  {
    id: 'U0LEA',
    name: 'Léa Martin',
    title: 'Product designer',
    department: 'Product',
    locale: 'fr-FR',
    tz: 'Europe/Paris',
    enrolment: enrolment({ role: 'junior', shares: ['social_media', 'no_code'], learns: ['negotiation', 'client_relations'], department: 'Product', languages: ['fr', 'en'], format: 'in_person', motivation: 'Je veux comprendre comment se négocie un grand contrat.' }),
  },
  {
    id: 'U0JAMES',
    name: 'James Carter',
    title: 'General Counsel',
    department: 'Legal',
    locale: 'en-US',
    tz: 'America/New_York',
    enrolment: enrolment({ role: 'senior', shares: ['negotiation', 'decision_making'], learns: ['social_media', 'linkedin'], department: 'Legal', languages: ['en'], format: 'either', motivation: 'I keep hearing about LinkedIn and never post.' }),
  },
  {
    id: 'U0NOOR',
    name: 'Noor Haddad',
    title: 'Software developer',
    department: 'Engineering',
    locale: 'en-GB',
    tz: 'Asia/Dubai',
    managerId: 'U0KENJI',
    enrolment: enrolment({ role: 'junior', shares: ['prompting', 'cybersecurity'], learns: ['career_paths', 'leadership'], department: 'Engineering', manager: 'U0KENJI', languages: ['en'], format: 'video', motivation: 'I want to grow into a lead role.' }),
  },
  {
    id: 'U0GRACE',
    name: 'Grace Lin',
    title: 'Chief Customer Officer',
    department: 'Customer Success',
    locale: 'en-US',
    tz: 'Asia/Singapore',
    enrolment: enrolment({ role: 'senior', shares: ['client_relations', 'leadership'], learns: ['prompting', 'video_content'], department: 'Customer Success', languages: ['en'], format: 'video', motivation: 'Customers talk to us through new channels every year.' }),
  },
];

/** Who the page acts as on a first visit: a newcomer, not yet enrolled. */
export const FIRST_VISIT_PERSON = 'U0AMELIE';

export function demoPerson(id: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.id === id);
}

/** Slack user name: lower-case first name, as a workspace often has. */
export function handle(person: DemoPerson): string {
  return person.name.split(' ')[0]?.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() ?? person.id.toLowerCase();
}
