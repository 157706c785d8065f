import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { Facilitators } from './slack/facilitators.js';
import type { People } from './slack/people.js';
import type { Store } from './store/database.js';

/** What every feature is given: built once at start, so tests can build it against a stand-in. */
export interface Deps {
  config: Config;
  store: Store;
  slack: WebClient;
  people: People;
  facilitators: Facilitators;
  logger: Logger;
  now: () => Date;
}
