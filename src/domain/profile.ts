/** What a participant tells Tandem about themselves when they enrol, and the rules it must follow. */

export const ROLES = ['junior', 'senior'] as const;
export const FORMATS = ['in_person', 'video', 'either'] as const;
export const CADENCES = ['weekly', 'biweekly', 'triweekly', 'monthly'] as const;
export const LANGUAGES = ['en', 'fr', 'es', 'de', 'it', 'pt', 'nl', 'ar', 'zh', 'ja', 'hi', 'pl'] as const;

export const DIGITAL_SKILLS = [
  'social_media',
  'linkedin',
  'generative_ai',
  'prompting',
  'collaboration_tools',
  'video_content',
  'no_code',
  'data_visualisation',
  'cybersecurity',
  'remote_work',
  'mobile_apps',
  'online_communities',
] as const;

export const BUSINESS_SKILLS = [
  'strategy',
  'negotiation',
  'leadership',
  'decision_making',
  'company_culture',
  'client_relations',
  'public_speaking',
  'project_management',
  'finance',
  'networking',
  'career_paths',
  'managing_teams',
] as const;

export type Role = (typeof ROLES)[number];
export type Format = (typeof FORMATS)[number];
export type Cadence = (typeof CADENCES)[number];
export type LanguageCode = (typeof LANGUAGES)[number];
export type CatalogueSkill = (typeof DIGITAL_SKILLS)[number] | (typeof BUSINESS_SKILLS)[number];

export const LIMITS = {
  skills: 10,
  skillLength: 40,
  department: 80,
  motivation: 500,
} as const;

const catalogue: ReadonlySet<string> = new Set<string>([...DIGITAL_SKILLS, ...BUSINESS_SKILLS]);

export function isCatalogueSkill(skill: string): skill is CatalogueSkill {
  return catalogue.has(skill);
}

/** Folds case and accents so that "IA Générative" and "ia generative" are the same skill. */
export function skillKey(skill: string): string {
  return skill
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits free text ("Excel, storytelling; podcasts") into skills, dropping blanks and repeats. */
export function parseFreeSkills(text: string | null | undefined): string[] {
  return dedupeSkills((text ?? '').split(/[,;\n]/).map((s) => s.replace(/\s+/g, ' ').trim()));
}

export function dedupeSkills(skills: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const skill of skills) {
    const key = skillKey(skill);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(skill);
  }
  return out;
}

export interface ProfileInput {
  role: string | null;
  sharesChosen: string[];
  sharesOther: string | null;
  learnsChosen: string[];
  learnsOther: string | null;
  department: string | null;
  managerUserId: string | null;
  languages: string[];
  format: string | null;
  cadence: string | null;
  motivation: string | null;
  consent: boolean;
}

export interface Profile {
  role: Role;
  shares: string[];
  learns: string[];
  department: string;
  managerUserId: string | null;
  languages: LanguageCode[];
  format: Format;
  cadence: Cadence;
  motivation: string;
}

export type ProfileField =
  | 'role'
  | 'shares'
  | 'shares_other'
  | 'learns'
  | 'learns_other'
  | 'department'
  | 'manager'
  | 'languages'
  | 'format'
  | 'cadence'
  | 'motivation'
  | 'consent';

export type ProfileError =
  | { code: 'required' }
  | { code: 'unknown_option' }
  | { code: 'too_many'; max: number; count: number }
  | { code: 'too_long'; max: number; length: number; value?: string }
  | { code: 'self_manager' }
  | { code: 'role_locked' };

export type ProfileValidation = { ok: true; profile: Profile } | { ok: false; errors: Partial<Record<ProfileField, ProfileError>> };

const isOneOf = <T extends string>(values: readonly T[], v: string | null): v is T => v !== null && (values as readonly string[]).includes(v);

/**
 * Checks an enrolment. `userId` is who submits (they cannot be their own manager); `lockedRole` is set
 * while they are in a pair, when changing sides would break it.
 */
export function validateProfile(input: ProfileInput, userId: string, lockedRole: Role | null): ProfileValidation {
  const errors: Partial<Record<ProfileField, ProfileError>> = {};

  if (!isOneOf(ROLES, input.role)) errors.role = { code: input.role ? 'unknown_option' : 'required' };
  else if (lockedRole && input.role !== lockedRole) errors.role = { code: 'role_locked' };

  const shares = checkSkills(input.sharesChosen, input.sharesOther, 'shares', errors);
  const learns = checkSkills(input.learnsChosen, input.learnsOther, 'learns', errors);

  const department = (input.department ?? '').replace(/\s+/g, ' ').trim();
  if (department === '') errors.department = { code: 'required' };
  else if (department.length > LIMITS.department) errors.department = { code: 'too_long', max: LIMITS.department, length: department.length };

  if (input.managerUserId !== null && input.managerUserId === userId) errors.manager = { code: 'self_manager' };

  const languages = input.languages;
  if (languages.length === 0) errors.languages = { code: 'required' };
  else if (!languages.every((l) => isOneOf(LANGUAGES, l))) errors.languages = { code: 'unknown_option' };

  if (!isOneOf(FORMATS, input.format)) errors.format = { code: input.format ? 'unknown_option' : 'required' };
  if (!isOneOf(CADENCES, input.cadence)) errors.cadence = { code: input.cadence ? 'unknown_option' : 'required' };

  const motivation = (input.motivation ?? '').trim();
  if (motivation === '') errors.motivation = { code: 'required' };
  else if (motivation.length > LIMITS.motivation) errors.motivation = { code: 'too_long', max: LIMITS.motivation, length: motivation.length };

  if (!input.consent) errors.consent = { code: 'required' };

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    profile: {
      role: input.role as Role,
      shares,
      learns,
      department,
      managerUserId: input.managerUserId,
      languages: [...new Set(languages)] as LanguageCode[],
      format: input.format as Format,
      cadence: input.cadence as Cadence,
      motivation,
    },
  };
}

function checkSkills(
  chosen: readonly string[],
  other: string | null,
  field: 'shares' | 'learns',
  errors: Partial<Record<ProfileField, ProfileError>>,
): string[] {
  const otherField = field === 'shares' ? 'shares_other' : 'learns_other';
  if (!chosen.every(isCatalogueSkill)) {
    errors[field] = { code: 'unknown_option' };
    return [];
  }
  const free = parseFreeSkills(other);
  const tooLong = free.find((s) => s.length > LIMITS.skillLength);
  if (tooLong) errors[otherField] = { code: 'too_long', max: LIMITS.skillLength, length: tooLong.length, value: tooLong };
  const skills = dedupeSkills([...chosen, ...free]);
  if (skills.length === 0) errors[field] = { code: 'required' };
  else if (skills.length > LIMITS.skills) errors[free.length > 0 ? otherField : field] = { code: 'too_many', max: LIMITS.skills, count: skills.length };
  return skills;
}
