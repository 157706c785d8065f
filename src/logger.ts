import type { Logger } from '@slack/bolt';
import { LogLevel } from '@slack/bolt';

const order: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** One line per entry on stderr, so stdout stays free for the CLI's own output. */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', name = 'tandem'): Logger {
  let current = level as LogLevel;
  const write = (at: LogLevel, parts: unknown[]) => {
    if (order[at] < order[current]) return;
    const text = parts.map((p) => (p instanceof Error ? p.stack ?? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
    process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${text}\n`);
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
