import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

const order: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** Slack's token shapes (bot, user, app-level, refresh…): never written out, whoever logs them. */
const TOKEN_SHAPE = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
/** This process's own secrets (the signing secret has no shape of its own). */
const secrets = new Set<string>();

/** Registers values that no log line may show (the token, the signing secret); set once the configuration is read. */
export function hideInLogs(...values: (string | undefined)[]): void {
  for (const value of values) if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text.replace(TOKEN_SHAPE, (_, kind: string) => `${kind}-[redacted]`);
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

export type LogFormat = 'text' | 'json';

/**
 * How every logger of the process writes: set once at start from the configuration. `idKey` keys
 * the hash that stands for a Slack user id, so logs hold no id that outlives `/tandem forget`; by
 * default a key drawn at start (hashes then match within one run only).
 */
const settings: { format: LogFormat; idKey: string } = { format: 'text', idKey: randomBytes(32).toString('hex') };

export function configureLogs(options: { format?: LogFormat; idKey?: string }): void {
  if (options.format) settings.format = options.format;
  if (options.idKey) settings.idKey = options.idKey;
}

/** Slack member ids (U… or W…, with a digit: ids, not words like UTC). */
const USER_ID = /\b[UW](?=[A-Z0-9]*\d)[A-Z0-9]{4,}\b/g;
/**
 * Where the Slack libraries print what went over the wire (request and response bodies, WebSocket
 * messages, ack bodies): what people wrote, concerns and private notes included. The line keeps
 * its words up to there; the contents are left out.
 */
const CONTENTS = /^(.*?\b(?:body|payload|data|result|headers|message)\b[^:{]*:)[\s\S]*$/i;

/** A log line as it may be kept: no tokens, no Slack user ids, no message contents. */
export function scrub(text: string): string {
  const withoutContents = CONTENTS.test(text) ? text.replace(CONTENTS, '$1 [left out]') : text;
  return redact(withoutContents).replace(USER_ID, (id) => `user:${createHmac('sha256', settings.idKey).update(id).digest('hex').slice(0, 10)}`);
}

function render(part: unknown): string {
  if (part instanceof Error) return part.stack ?? part.message;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/**
 * One line per entry on stderr, so stdout stays free for the CLI's own output; text by default,
 * or one JSON object a line for log platforms (LOG_FORMAT=json). Every line is scrubbed (see scrub),
 * at every level: the Web API client's and Bolt's own debug output go through here too.
 */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', name = 'tandem'): Logger {
  let current = level as LogLevel;
  const write = (at: LogLevel, parts: unknown[]) => {
    if (order[at] < order[current]) return;
    const text = scrub(parts.map(render).join(' '));
    const time = new Date().toISOString();
    process.stderr.write(settings.format === 'json' ? `${JSON.stringify({ time, level: at, name, msg: text })}\n` : `${time} ${at.toUpperCase()} [${name}] ${text}\n`);
  };
  return {
    debug: (...m) => write(LogLevel.DEBUG, m),
    info: (...m) => write(LogLevel.INFO, m),
    warn: (...m) => write(LogLevel.WARN, m),
    error: (...m) => write(LogLevel.ERROR, m),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      name = n;
    },
  };
}

/**
 * For a loop that retries what failed: the first failure is logged in full, the same failure again
 * and again (a database down for minutes) only at debug level, and the return to normal once.
 */
export function failureLog(logger: Logger, level: 'warn' | 'error', what: string) {
  let failing = false;
  return {
    failed(error: unknown): void {
      if (failing) {
        logger.debug(`${what} (still failing)`, error);
        return;
      }
      failing = true;
      logger[level](`${what}; it tries again shortly, and says so here once it works again`, error);
    },
    succeeded(): void {
      if (!failing) return;
      failing = false;
      logger.info(`${what.split(' could not ')[0] ?? what} works again`);
    },
  };
}
