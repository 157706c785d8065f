import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { HomeRefresh } from './features/home/refresh.js';
import type { Readiness } from './health.js';
import type { Facilitators } from './slack/facilitators.js';
import type { Outbox } from './slack/outbox.js';
import type { Modals } from './slack/modals.js';
import type { People } from './slack/people.js';
import type { Store } from './store/database.js';
import type { StorageWatch } from './store/faults.js';

/** What every feature is given: built once at start, so tests can build it against a stand-in. */
export interface Deps {
  config: Config;
  store: Store;
  slack: WebClient;
  people: People;
  facilitators: Facilitators;
  /** Every message the bot sends on its own initiative goes through it (see src/slack/outbox.ts). */
  outbox: Outbox;
  /** Every change of a person's state tells it, in the change's transaction (see src/features/home/refresh.ts). */
  home: HomeRefresh;
  /** Causes that make `/readyz` answer 503 (see src/health.ts). */
  readiness: Readiness;
  /** Told of errors: a storage fault (read-only, full, locked) makes requests answer "try again" until it ends. */
  storage: StorageWatch;
  /** Modals that open at once and are filled when their data comes (see src/slack/modals.ts). */
  modals: Modals;
  logger: Logger;
  now: () => Date;
}
