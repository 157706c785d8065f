import { existsSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { BOT_SCOPES } from '../../slack/scopes.js';
import { type Config, ConfigError, hasNoSlackSettings, loadConfig } from '../../config.js';
import { sql } from 'kysely';
import { openStore, schemaState } from '../../store/database.js';
import { describeDatabaseError, describeLocation, parseDatabaseUrl } from '../../store/engine.js';
import { slackClientOptions } from '../../tandem.js';
import { describeProxy } from '../../slack/proxy.js';
import { REINSTALL_FIX } from '../workspace/service.js';
import { countOf } from '../../i18n/index.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

type Probe = () => Promise<Omit<Check, 'name'>>;

const problem = (detail: string, fix: string): Omit<Check, 'name'> => ({ ok: false, detail, fix });
const fine = (detail: string): Omit<Check, 'name'> => ({ ok: true, detail });

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: string } }).data;
  return data?.error ?? (error instanceof Error ? error.message : String(error));
}

function tokenCheck(slack: WebClient, identity: { botUserId?: string }): Probe {
  return async () => {
    try {
      const res = await slack.auth.test();
      identity.botUserId = res.user_id;
      const granted = res.response_metadata?.scopes;
      const missing = granted ? BOT_SCOPES.filter((scope) => !granted.includes(scope)) : [];
      if (missing.length > 0) {
        return problem(`the app lacks the ${missing.length === 1 ? 'scope' : 'scopes'} ${missing.join(', ')}`, 'update the app from manifest.json (App Manifest page), then OAuth & Permissions, Reinstall to Workspace');
      }
      return fine(`connected to the workspace "${res.team}" as @${res.user}`);
    } catch (error) {
      const code = slackError(error);
      if (code === 'invalid_auth' || code === 'not_authed' || code === 'token_revoked' || code === 'account_inactive') {
        return problem(
          `Slack refused the bot token (${code}): the app was uninstalled, its token revoked, or the token was mistyped`,
          `copy the Bot User OAuth Token again from the app page, OAuth & Permissions, into SLACK_BOT_TOKEN; if the app was removed: ${REINSTALL_FIX}`,
        );
      }
      return problem(`Slack could not be reached (${code})`, 'check the network, and SLACK_API_URL if it is set');
    }
  };
}

function channelCheck(slack: WebClient, config: Config, identity: { botUserId?: string }): Probe {
  return async () => {
    const channel = config.facilitatorChannelId;
    try {
      const info = await slack.conversations.info({ channel });
      const name = info.channel?.name ? `#${info.channel.name}` : channel;
      if (info.channel?.is_private !== true) {
        return problem(`${name} is public: anyone could join it, so its members get no facilitator rights (only FACILITATOR_USER_IDS do)`, `make ${name} private or use a private channel (then set FACILITATOR_CHANNEL_ID to its id and /invite @Tandem there)`);
      }
      const members = await slack.conversations.members({ channel, limit: 1000 });
      const inChannel = info.channel?.is_member === true || (identity.botUserId !== undefined && (members.members ?? []).includes(identity.botUserId));
      if (!inChannel) return problem(`the bot is not a member of ${name}`, `in Slack, open ${name} and type /invite @Tandem`);
      const humans = (members.members ?? []).filter((m) => m !== identity.botUserId).length;
      return fine(`${name} is reachable and the bot is in it (${countOf(humans, 'facilitator', 'facilitators')} besides the bot)`);
    } catch (error) {
      const code = slackError(error);
      if (code === 'channel_not_found') {
        return problem(`channel ${channel} was not found`, 'check FACILITATOR_CHANNEL_ID (channel details, About tab); for a private channel, invite the bot first with /invite @Tandem');
      }
      if (code === 'missing_scope') return problem('the app lacks a scope to read the channel', 'reinstall the app from manifest.json so it has channels:read and groups:read');
      return problem(`the channel could not be checked (${code})`, 'run the doctor again; if it persists, check the token check above');
    }
  };
}

/** Thrown inside the probe's transaction so that it rolls back. */
class ProbeRollback extends Error {}

function databaseCheck(config: Config): Probe {
  return async () => {
    const location = parseDatabaseUrl(config.databaseUrl);
    const where = describeLocation(location);
    // Opening would create a missing file: a mistyped path must show as missing, not as an empty database.
    if (location.engine === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
      return problem(`there is no database at ${where}`, 'check DATABASE_URL; a new install creates it at the first npm start (or npx tandem migrate)');
    }
    let store;
    try {
      store = openStore(config.databaseUrl, { poolSize: 1, connectRetryMs: 0 });
      // A write inside a transaction that is rolled back proves the database is writable without changing it.
      await store.db
        .transaction()
        .execute(async (trx) => {
          await sql`create table doctor_probe (x integer)`.execute(trx);
          throw new ProbeRollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof ProbeRollback)) throw error;
        });
      const state = await schemaState(store.db);
      if (state === 'newer') return problem(`${where} was migrated by a newer version of Tandem`, 'run that newer version of Tandem, or restore the backup taken before the upgrade');
      if (state === 'behind') return problem(`${where} is writable but not migrated`, 'run npx tandem migrate (npm start also does it)');
      return fine(`${where} is writable and migrated`);
    } catch (error) {
      if (location.engine === 'postgres') {
        return problem(`${where} cannot be used: ${describeDatabaseError(error)}`, 'check DATABASE_URL (user, password, host, port, database) and that the PostgreSQL server runs and accepts this host');
      }
      return problem(`${where} cannot be used (${error instanceof Error ? error.message : String(error)})`, 'check DATABASE_URL and that the folder exists and is writable by this user');
    } finally {
      await store?.close();
    }
  };
}

function socketModeCheck(config: Config, clientOptions: ConstructorParameters<typeof WebClient>[1]): Probe {
  return async () => {
    try {
      await new WebClient(config.slackAppToken, clientOptions).apps.connections.open();
      return fine('the app-level token can open a Socket Mode connection');
    } catch (error) {
      return problem(`Socket Mode is refused (${slackError(error)})`, 'enable Socket Mode on the app page and create an app-level token with connections:write for SLACK_APP_TOKEN');
    }
  };
}

/** Runs every check and prints each one; returns the exit code (0 only when all are ok). */
export async function runDoctor(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    print(`${check.ok ? 'ok     ' : 'PROBLEM'} ${check.name}: ${check.detail}`);
    if (check.fix) print(`        fix: ${check.fix}`);
  };

  // With no Slack setting, npm start serves the sandbox: fine for a try, never for a deployment.
  if (hasNoSlackSettings(env)) {
    report({
      name: 'configuration',
      ok: false,
      detail: 'no Slack setting is set, so npm start runs the sandbox (a demo company on this machine), not Tandem in your Slack',
      fix: 'create the Slack app from manifest.json, then set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) and FACILITATOR_CHANNEL_ID in .env: see "Connect Tandem to your Slack" in the README',
    });
    print('The other checks need a Slack configuration.');
    return 1;
  }

  let config: Config;
  try {
    config = loadConfig(env);
    report({ name: 'configuration', ok: true, detail: config.slackAppToken ? 'complete (Socket Mode)' : 'complete (HTTP mode)' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report({ name: 'configuration', ok: false, detail: error.problems.join('; '), fix: 'set these in .env (see .env.example), then run the doctor again' });
    print('The other checks need a valid configuration.');
    return 1;
  }

  if (config.proxy) {
    const { httpsProxy, httpProxy, noProxy } = config.proxy;
    const through = httpProxy && httpProxy !== httpsProxy ? `${describeProxy(httpsProxy)} (https) and ${describeProxy(httpProxy)} (http)` : describeProxy(httpsProxy);
    report({ name: 'network', ok: true, detail: `Slack is reached through the proxy ${through}${noProxy ? `, except for the hosts in NO_PROXY (${noProxy})` : ''}` });
  }

  const clientOptions = { ...slackClientOptions({ ...config, logLevel: 'error' }, { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 }), timeout: 10_000, rejectRateLimitedCalls: true };
  const slack = new WebClient(config.slackBotToken, clientOptions);
  const identity: { botUserId?: string } = {};
  const probes: [string, Probe][] = [
    ['bot token', tokenCheck(slack, identity)],
    ['facilitator channel', channelCheck(slack, config, identity)],
    ['database', databaseCheck(config)],
  ];
  if (config.slackAppToken) probes.push(['socket mode', socketModeCheck(config, clientOptions)]);
  for (const [name, probe] of probes) report({ name, ...(await probe()) });

  const failed = checks.filter((c) => !c.ok).length;
  print(failed === 0 ? 'All checks passed: Tandem is ready.' : `${countOf(failed, 'problem', 'problems')} found.`);
  return failed === 0 ? 0 : 1;
}
