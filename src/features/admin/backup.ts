import { parseDatabaseUrl } from '../../store/engine.js';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

export interface BackupOutcome {
  file: string;
  /** Rows per table in the copy, read back from it. */
  rows: Record<string, number>;
}


/** What to run for a PostgreSQL database: pg_dump makes its own consistent snapshot. The URL stays in the variable (it holds a password). */
export function pgDumpAdvice(file: string | undefined): string {
  const target = file ?? 'tandem-$(date +%F).dump';
  return [
    'The database is PostgreSQL: back it up with pg_dump, which copies a consistent snapshot while the bot runs:',
    '',
    `  pg_dump --format=custom --file="${target}" "$DATABASE_URL"`,
    '',
    `To restore it into an empty database: pg_restore --clean --if-exists --dbname="$DATABASE_URL" "${target}"`,
  ].join('\n');
}

/** backups/tandem-2027-03-01T09-00-00.sqlite beside the database, by default. */
export function defaultBackupFile(databasePath: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return resolve(dirname(databasePath), 'backups', `tandem-${stamp}.sqlite`);
}

/**
 * A consistent copy of the SQLite database while the bot runs, with SQLite's online backup: all
 * pages in one step, so the copy is one moment's state even while the bot writes. Written to a
 * temporary name first, checked, then renamed: a file with the backup's name is a whole backup.
 */
export async function backupSqlite(databasePath: string, file: string): Promise<BackupOutcome> {
  if (!existsSync(databasePath)) throw new Error(`There is no database at ${databasePath} (check DATABASE_URL).`);
  if (existsSync(file)) throw new Error(`${file} already exists: give another file name, or move it away first.`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const source = new SQLite(databasePath, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const copy = new SQLite(partial, { readonly: true, fileMustExist: true });
  let rows: Record<string, number>;
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`The copy failed its integrity check (${String(check)}); the database itself may need attention.`);
    const tables = copy.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
    rows = Object.fromEntries(tables.map((t) => [t, copy.prepare(`select count(*) from "${t.replace(/"/g, '""')}"`).pluck().get() as number]));
  } catch (error) {
    copy.close();
    rmSync(partial, { force: true });
    throw error;
  }
  copy.close();
  renameSync(partial, file);
  return { file, rows };
}

/** `npx tandem backup [FILE]`: the copy (SQLite) or the pg_dump command to use (PostgreSQL). */
export async function runBackup(databaseUrl: string, file: string | undefined, print: (line: string) => void, now = new Date()): Promise<number> {
  // The same reading of DATABASE_URL as the bot's: a path, sqlite:<path>, or postgres://…
  const location = parseDatabaseUrl(databaseUrl);
  if (location.engine === 'postgres') {
    print(pgDumpAdvice(file));
    return 0;
  }
  const target = resolve(file ?? defaultBackupFile(location.path, now));
  const outcome = await backupSqlite(resolve(location.path), target);
  const total = Object.values(outcome.rows).reduce((a, b) => a + b, 0);
  print(`Backed up to ${outcome.file}: ${total} records in ${Object.keys(outcome.rows).length} tables, integrity checked.`);
  print('To restore: stop the bot, put this file in place of the database and delete its -wal and -shm files, then start the bot.');
  return 0;
}
