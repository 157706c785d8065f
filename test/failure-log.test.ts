import { LogLevel, type Logger } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { failureLog } from '../src/logger.js';

function recording(): Logger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const at = (level: string) => (...parts: unknown[]) => void lines.push([level, parts.map(String).join(' ')]);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), setLevel: () => undefined, getLevel: () => LogLevel.DEBUG, setName: () => undefined };
}

describe('a loop that retries while the database is down', () => {
  it('logs the first failure in full, the next ones at debug only, and the recovery once', () => {
    const logger = recording();
    const log = failureLog(logger, 'error', 'The outbox could not read or update its queue');
    log.succeeded();
    expect(logger.lines).toEqual([]);
    for (let i = 0; i < 5; i += 1) log.failed(new Error('connect ECONNREFUSED'));
    expect(logger.lines.filter(([level]) => level === 'error')).toHaveLength(1);
    expect(logger.lines[0]?.[1]).toContain('The outbox could not read or update its queue; it tries again shortly');
    expect(logger.lines[0]?.[1]).toContain('ECONNREFUSED');
    expect(logger.lines.filter(([level]) => level === 'debug')).toHaveLength(4);
    log.succeeded();
    log.succeeded();
    expect(logger.lines.filter(([level]) => level === 'info')).toEqual([['info', 'The outbox works again']]);
    // A new outage is logged in full again.
    log.failed(new Error('password authentication failed'));
    expect(logger.lines.filter(([level]) => level === 'error')).toHaveLength(2);
  });
});
