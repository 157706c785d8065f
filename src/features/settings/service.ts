import type { Deps } from '../../deps.js';
import { type SettingChange, type SettingsRawInput, settingsChanges, validateSettings } from '../../domain/settings.js';
import { audit } from '../../store/audit.js';
import { resetFollowupTimes } from '../../store/followup.js';
import { getProgramme, type Programme, updateProgramme } from '../../store/programme.js';
import { type SettingsProblem, settingsNotice } from './views.js';

export function currentSettings(deps: Deps): Promise<Programme> {
  return getProgramme(deps.store.db);
}

export type SaveOutcome = { kind: 'problem'; problem: SettingsProblem } | { kind: 'saved'; changes: SettingChange[]; version: number };

/**
 * A facilitator saves the settings form they opened at version `basedOn`. The row, the audit entry
 * and the channel's notice are written in one transaction, and only if nobody saved in between:
 * a replayed or stale form is refused rather than silently undoing someone else's change.
 * The caller has checked that `by` is a facilitator.
 */
export async function saveSettings(deps: Deps, by: string, basedOn: number, raw: SettingsRawInput): Promise<SaveOutcome> {
  const checked = validateSettings(raw);
  if (!checked.ok) return { kind: 'problem', problem: { kind: 'fields', errors: checked.errors } };
  const now = deps.now();
  const stale = { kind: 'problem', problem: { kind: 'refused', key: 'settings.error.stale' } } as const;
  return deps.store.db.transaction().execute(async (trx): Promise<SaveOutcome> => {
    const before = await getProgramme(trx);
    if (before.version !== basedOn) return stale;
    const changes = settingsChanges(before, checked.settings);
    if (changes.length === 0) return { kind: 'saved', changes, version: before.version };
    const version = await updateProgramme(trx, checked.settings, basedOn, now);
    if (version === null) return stale;
    // Every pair's next prompt is looked at again at the next pass, at the new hour.
    if (before.checkinHour !== checked.settings.checkinHour) await resetFollowupTimes(trx);
    const details = { version, changes: Object.fromEntries(changes.map(({ field, from, to }) => [field, { from, to }])) };
    await audit(trx, { actorUserId: by, action: 'programme.settings', subject: 'programme', details }, now);
    // The channel is shared: it reads the programme's language.
    const notice = settingsNotice(deps.config.defaultLocale, by, changes);
    await deps.outbox.enqueue(trx, `programme:settings:${version}`, { kind: 'post', channel: deps.config.facilitatorChannelId, message: notice });
    return { kind: 'saved', changes, version };
  });
}
