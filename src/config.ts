import { z } from 'zod';
import { DatabaseUrlError, parseDatabaseUrl } from './store/engine.js';
import { isValidTimeZone } from './domain/time.js';
import { countOf, type Locale, locales } from './i18n/index.js';
import { type ProxySettings, readProxySettings } from './slack/proxy.js';

/** The environment, read once at start and validated, so a mistake stops the bot with every problem listed. */
export interface Config {
  slackBotToken: string;
  slackSigningSecret: string | undefined;
  slackAppToken: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  databaseUrl: string;
  facilitatorChannelId: string;
  facilitatorUserIds: string[];
  defaultLocale: Locale;
  tzDefault: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** `text` lines for people, or one JSON object a line for log platforms. */
  logFormat: 'text' | 'json';
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: every call to Slack goes through it (undefined: directly). */
  proxy?: ProxySettings | undefined;
}

/** Where the SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = './db/tandem.sqlite';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());


function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const slackId = /^[UWCGD][A-Z0-9]{2,}$/;

const schema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string({ error: 'is required: the bot token from the Slack app page, OAuth & Permissions (starts with xoxb-)' })
      .trim()
      .regex(/^xoxb-/, 'must start with xoxb-: use the Bot User OAuth Token, not a user or app token'),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^xapp-/, 'must start with xapp-: create an app-level token with connections:write (Basic Information page)')
        .optional(),
    ),
    SLACK_API_URL: z.preprocess(
      blankToUndefined,
      z.string().trim().refine(isHttpUrl, 'must be an http or https URL such as https://slack.com/api/').optional(),
    ),
    PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: 'must be a port number' })
        .int('must be a whole number')
        .min(0, 'must be between 0 and 65535')
        .max(65535, 'must be between 0 and 65535')
        .default(3000),
    ),
    DATABASE_URL: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .default(DEFAULT_DATABASE_URL)
        .superRefine((value, ctx) => {
          try {
            parseDatabaseUrl(value);
          } catch (error) {
            if (!(error instanceof DatabaseUrlError)) throw error;
            ctx.addIssue({ code: 'custom', message: error.message });
          }
        }),
    ),
    FACILITATOR_CHANNEL_ID: z
      .string({ error: 'is required: the id of the facilitators channel (channel details, bottom of the About tab, e.g. C0123ABCD)' })
      .trim()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123ABCD (not the channel name)'),
    FACILITATOR_USER_IDS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .optional()
        .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
        .refine((ids) => ids.every((id) => slackId.test(id)), 'must be Slack member ids separated by commas, such as U0123ABCD,U0456EFGH'),
    ),
    DEFAULT_LOCALE: z.preprocess(blankToUndefined, z.enum(locales, { error: `must be one of ${locales.join(', ')}` }).default('en')),
    TZ_DEFAULT: z.preprocess(
      blankToUndefined,
      z.string().trim().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris').default('Europe/Paris'),
    ),
    LOG_LEVEL: z.preprocess(
      blankToUndefined,
      z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).default('info'),
    ),
    LOG_FORMAT: z.preprocess(blankToUndefined, z.enum(['text', 'json'], { error: 'must be text or json' }).default('text')),
  });

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tandem cannot start: the configuration has ${countOf(problems.length, 'problem', 'problems')}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these in .env (see .env.example) or in the environment.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  // Checked apart from the schema so that it is reported together with every other problem.
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push(
      'SLACK_SIGNING_SECRET is required in HTTP mode: copy the Signing Secret from the Slack app page, Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  const proxy = readProxySettings(env);
  problems.push(...proxy.problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    slackBotToken: e.SLACK_BOT_TOKEN,
    slackSigningSecret: e.SLACK_SIGNING_SECRET,
    slackAppToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    facilitatorChannelId: e.FACILITATOR_CHANNEL_ID,
    facilitatorUserIds: e.FACILITATOR_USER_IDS,
    defaultLocale: e.DEFAULT_LOCALE,
    tzDefault: e.TZ_DEFAULT,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    proxy: proxy.settings,
  };
}

/** Reads `.env` from the working folder when there is one; the real environment wins. */
export function readDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The Slack settings whose total absence means "just trying it": `npm start` then runs the sandbox. */
export const SLACK_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'FACILITATOR_CHANNEL_ID'] as const;

/** True when none of SLACK_SETTINGS is set (blank counts as unset); one of them alone is a partial configuration. */
export function hasNoSlackSettings(env: NodeJS.ProcessEnv): boolean {
  return SLACK_SETTINGS.every((name) => !env[name]?.trim());
}
