import type { Logger, LogLevel } from '@slack/bolt';
import { createLogger, hideInLogs } from './logger.js';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { registerContract } from './features/contract/listeners.js';
import { deliverCalendars } from './features/contract/calendar.js';
import { registerFollowup } from './features/followup/listeners.js';
import { registerEnrolment } from './features/enrolment/listeners.js';
import { registerEscalations } from './features/escalations/listeners.js';
import { registerHelp } from './features/help/listeners.js';
import { registerHome } from './features/home/listeners.js';
import { HomeRefresh, type HomeRefreshTiming } from './features/home/refresh.js';
import { registerMatching } from './features/matching/listeners.js';
import { registerSettings } from './features/settings/listeners.js';
import { registerPrivacy } from './features/privacy/listeners.js';
import { registerStats } from './features/stats/listeners.js';
import { registerWorkspace } from './features/workspace/listeners.js';
import { reportLostMessage } from './features/workspace/lost.js';
import { followPerson, REINSTALL_FIX, SLACK_LIFECYCLE_CAUSE } from './features/workspace/service.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { CommandRouter } from './slack/commands.js';
import { Interactions } from './slack/interactions.js';
import { storageFaultReply } from './slack/faults.js';
import { registerDeliveryDeduplication, registerFacilitatorChannelEvents } from './slack/events.js';
import { Facilitators } from './slack/facilitators.js';
import { Outbox, type OutboxOptions, type OutboxPacing } from './slack/outbox.js';
import { People } from './slack/people.js';
import { Modals } from './slack/modals.js';
import { outboundNetwork } from './slack/proxy.js';
import type { Store } from './store/database.js';
import { Readiness } from './health.js';
import { StorageWatch } from './store/faults.js';
import { watchDatabase } from './store/availability.js';

export interface TandemOptions {
  store: Store;
  logger: Logger;
  now?: () => Date;
  /** Tests shorten the Web API client's retries so that an injected failure cannot hang them. */
  retryConfig?: WebClientOptions['retryConfig'];
  /** Tests shorten the outbox's pacing; the defaults follow Slack's limits. */
  outboxPacing?: Partial<OutboxPacing>;
  /** Tests shorten how long a row stays reserved to this process (to see a killed one's taken over sooner), and how often the outbox looks for rows other processes queued. */
  outbox?: Pick<OutboxOptions, 'leaseMs' | 'pollMs'>;
  /** Tests shorten the Home tab refresh's delays; the defaults follow Slack's limits. */
  homeTiming?: Partial<HomeRefreshTiming>;
}

export interface Tandem {
  deps: Deps;
  slackApp: SlackApp;
}

/** Web API client options; the client gets a logger of its own because it renames and re-levels the one it is given. */
export function slackClientOptions(config: Config, retryConfig?: WebClientOptions['retryConfig']): WebClientOptions {
  const network = outboundNetwork(config.proxy);
  return {
    logger: createLogger(config.logLevel, 'slack-web-api'),
    logLevel: config.logLevel as LogLevel,
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl.endsWith('/') ? config.slackApiUrl : `${config.slackApiUrl}/` } : {}),
    // This client serves people waiting for an answer (Slack allows 3 s): one quick retry, then the
    // caller's fallback. Messages the bot sends on its own go through the outbox's patient client.
    retryConfig: retryConfig ?? { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 400 },
    // A 429 fails at once instead of sleeping out Retry-After past the trigger's 3 s: the person is
    // told Slack is busy, and one method's limit holds back no other (the outbox paces itself).
    rejectRateLimitedCalls: true,
    timeout: INTERACTIVE_TIMEOUT_MS,
    // Behind a corporate proxy, every client built from these options (Web API, Bolt's respond, the
    // outbox, Socket Mode's apps.connections.open) sends through it.
    ...(network ? { fetch: network.fetch as NonNullable<WebClientOptions['fetch']> } : {}),
  };
}

const INTERACTIVE_TIMEOUT_MS = 2500;

/** Builds the whole bot: one Web API client, the shared services, and every feature's listeners. */
export function createTandem(config: Config, options: TandemOptions): Tandem {
  const { store, logger } = options;
  hideInLogs(config.slackBotToken, config.slackSigningSecret, config.slackAppToken);
  const readiness = new Readiness();
  const now = options.now ?? (() => new Date());
  const clientOptions = slackClientOptions(config, options.retryConfig);
  const slack = new WebClient(config.slackBotToken, clientOptions);
  const deps: Deps = {
    config,
    store,
    slack,
    logger,
    now,
    modals: new Modals(slack, logger),
    readiness,
    storage: new StorageWatch(store.db, readiness, logger),
    people: new People(slack, { locale: config.defaultLocale, timeZone: config.tzDefault }, now, (person) => followPerson(deps, person)),
    facilitators: new Facilitators(slack, store.db, config.facilitatorChannelId, config.facilitatorUserIds, logger, now),
    outbox: new Outbox({
      db: store.db,
      token: config.slackBotToken,
      clientOptions,
      logger,
      onDead: (row) => reportLostMessage(deps, row),
      onHalt: (error, scope) => {
        if (scope === 'all') deps.readiness.set(SLACK_LIFECYCLE_CAUSE, { slack: error, fix: REINSTALL_FIX });
      },
      facilitatorChannelId: config.facilitatorChannelId,
      ...(options.outboxPacing ? { pacing: options.outboxPacing } : {}),
      ...options.outbox,
    }),
    home: new HomeRefresh({ db: store.db, token: config.slackBotToken, clientOptions, logger, ...(options.homeTiming ? { timing: options.homeTiming } : {}) }),
  };
  watchDatabase(store, deps.readiness);
  const slackApp = createSlackApp(deps, clientOptions, [() => deliverCalendars(deps)]);
  const router = new CommandRouter('/tandem');
  registerDeliveryDeduplication(slackApp.app, deps);
  registerHelp(router);
  const interactions = new Interactions(slackApp.app, storageFaultReply(deps));
  registerEnrolment(interactions, deps, router);
  registerHome(interactions, deps, router);
  registerMatching(interactions, deps, router);
  registerContract(interactions, deps, router);
  registerFollowup(interactions, deps, router);
  registerEscalations(interactions, deps, router);
  registerSettings(interactions, deps, router);
  registerPrivacy(interactions, deps, router);
  registerStats(interactions, deps, router);
  registerFacilitatorChannelEvents(interactions, deps);
  registerWorkspace(interactions, deps);
  router.register(slackApp.app, deps);
  interactions.register();
  return { deps, slackApp };
}
