import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, describeLocation, parseDatabaseUrl } from '../src/store/engine.js';

describe('DATABASE_URL', () => {
  it('names SQLite by a path or sqlite:, and PostgreSQL by postgres:// or postgresql://', () => {
    expect(parseDatabaseUrl('./db/tandem.sqlite')).toEqual({ engine: 'sqlite', path: './db/tandem.sqlite' });
    expect(parseDatabaseUrl(' /var/lib/tandem.sqlite ')).toEqual({ engine: 'sqlite', path: '/var/lib/tandem.sqlite' });
    expect(parseDatabaseUrl('sqlite:./db/t.sqlite')).toEqual({ engine: 'sqlite', path: './db/t.sqlite' });
    expect(parseDatabaseUrl('sqlite:///var/lib/t.sqlite')).toEqual({ engine: 'sqlite', path: '/var/lib/t.sqlite' });
    expect(parseDatabaseUrl('C:\\tandem\\db.sqlite')).toEqual({ engine: 'sqlite', path: 'C:\\tandem\\db.sqlite' });
    expect(parseDatabaseUrl('postgres://u:p@db:5432/tandem')).toEqual({ engine: 'postgres', url: 'postgres://u:p@db:5432/tandem' });
    expect(parseDatabaseUrl('POSTGRESQL://u@db/tandem').engine).toBe('postgres');
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['postgres://x@[bad', 'is not a valid PostgreSQL URL'],
    ['postgres:///tandem', 'names no server'],
    ['postgres://u@db:99999/tandem', 'is not a valid PostgreSQL URL'],
    ['postgres://u@db:0/tandem', 'has an invalid port "0"'],
    ['mysql://u@db/tandem', 'uses "mysql", which Tandem does not speak'],
    ['postgre://u@db/tandem', 'uses "postgre"'],
    ['sqlite:', 'names no file'],
  ])('refuses %j, saying how to write it', (value, message) => {
    expect(() => parseDatabaseUrl(value)).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl(value)).toThrow(message);
  });

  it('is shown without its password', () => {
    const shown = describeLocation(parseDatabaseUrl('postgres://tandem:s3cret@db.internal:5432/tandem?sslmode=require'));
    expect(shown).toBe('PostgreSQL postgres://tandem:***@db.internal:5432/tandem');
    expect(shown).not.toContain('s3cret');
  });
});
