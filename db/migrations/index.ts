import type { Migration } from 'kysely';
import * as foundation from './001_foundation.js';
import * as outbox from './002_outbox.js';
import * as matching from './003_matching.js';
import * as contract from './004_contract.js';
import * as followup from './005_followup.js';
import * as programmeSettings from './006_programme_settings.js';
import * as privacy from './007_privacy.js';
import * as homeTab from './009_home_tab.js';
import * as escalations from './008_escalations.js';
import * as timingRules from './011_timing_rules.js';
import * as workspace from './012_workspace.js';
import * as lostNotice from './012b_lost_notice.js';
import * as fleet from './015_fleet.js';
import * as sessionTime from './016_session_time.js';
import * as outboxPruneIndex from './017_outbox_prune_index.js';

/** Every migration, in order, listed by hand so they run the same from source and from compiled code. */
export const migrations: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_outbox': outbox,
  '003_matching': matching,
  '004_contract': contract,
  '005_followup': followup,
  '006_programme_settings': programmeSettings,
  '007_privacy': privacy,
  '008_escalations': escalations,
  '009_home_tab': homeTab,
  '011_timing_rules': timingRules,
  '012_workspace': workspace,
  '012b_lost_notice': lostNotice,
  '015_fleet': fleet,
  '016_session_time': sessionTime,
  '017_outbox_prune_index': outboxPruneIndex,
};
