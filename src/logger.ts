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

/** One line per entry on stderr, so stdout stays free for the CLI's own output. */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', name = 'tandem'): Logger {
  let current = level as LogLevel;
  const write = (at: LogLevel, parts: unknown[]) => {
    if (order[at] < order[current]) return;
    const text = parts.map((p) => (p instanceof Error ? p.stack ?? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
    process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${redact(text)}\n`);
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
