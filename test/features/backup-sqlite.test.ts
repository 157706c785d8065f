import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pgDumpAdvice, runBackup } from '../../src/features/admin/backup.js';
import { openStore, type Store } from '../../src/store/database.js';
import { activePair, passAt } from '../support/followup-flows.js';
import { junior, seed } from '../support/seed.js';
import { type Harness, useTandem } from '../support/tandem-harness.js';

const run = promisify(execFile);
/** What only people's requests change: compared whole. */
const SETTLED = new Set(['participant', 'pair', 'contract', 'contract_signature', 'checkin_prompt', 'matching_run', 'programme']);
const firstColumn = (row: unknown) => Object.values(row as Record<string, unknown>)[0];

/** Every row of every table, in a stable order, to compare two databases record by record. */
async function everything(store: Store): Promise<Record<string, unknown[]>> {
  const tables = await store.db.introspection.getTables();
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)} order by 1`.execute(store.db);
    out[table.name] = rows;
  }
  return out;
}

describe('npx tandem backup', () => {
  let h: Harness;
  useTandem((started) => (h = started));
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const backup = (...args: string[]) =>
    run('node_modules/.bin/tsx', ['src/cli.ts', 'backup', ...args], { env: { ...process.env, DATABASE_URL: h.config.databaseUrl }, timeout: 30_000 });

  it('copies the database while the bot runs and writes; the restored copy holds every record', async () => {
    await activePair(h);
    await passAt(h, '2027-03-15T09:00:00Z');
    await seed(h, junior('U0J2'));
    const before = await everything(h.store);
    const dir = mkdtempSync(join(tmpdir(), 'tandem-backup-'));
    dirs.push(dir);
    const file = join(dir, 'copy.sqlite');

    // The bot keeps writing while the copy is made.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await h.store.db.insertInto('audit_log').values({ at: new Date().toISOString(), actor_user_id: 'U0J2', action: 'during-backup', subject: String(written), details: '{}' }).execute();
        written += 1;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const { stdout } = await backup(file);
    writing = false;
    await writer;
    expect(stdout).toContain(`Backed up to ${file}`);
    expect(stdout).toContain('integrity checked');
    expect(existsSync(`${file}.partial`)).toBe(false);

    // Restored as the README says: the file in place of the database, without -wal and -shm.
    const restoredPath = join(dir, 'restored.sqlite');
    copyFileSync(file, restoredPath);
    const restored = openStore(restoredPath);
    try {
      const copy = await everything(restored);
      const { audit_log: copiedAudit = [], ...copiedRest } = copy;
      const { audit_log: beforeAudit = [], ...beforeRest } = before;
      expect(Object.keys(copiedRest).sort()).toEqual(Object.keys(beforeRest).sort());
      for (const [table, rows] of Object.entries(beforeRest)) {
        // Every record is there; the bot's own work goes on meanwhile (a message sent, a tab
        // published, a calendar delivered), so rows that it moves are compared by key only.
        expect(copiedRest[table]?.map(firstColumn), table).toEqual(expect.arrayContaining(rows.map(firstColumn)));
        if (SETTLED.has(table)) expect(copiedRest[table], table).toEqual(rows);
      }
      // One moment's state: the audit rows written before the copy, then some written during it, with no gap.
      expect(copiedAudit.slice(0, beforeAudit.length)).toEqual(beforeAudit);
      const during = copiedAudit.slice(beforeAudit.length) as { subject: string }[];
      expect(during.map((r) => r.subject)).toEqual(during.map((_, i) => String(i)));
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(restored.db);
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await restored.close();
    }
    expect(written).toBeGreaterThan(0);
  }, 30_000);

  it('refuses to overwrite a file, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-backup-'));
    dirs.push(dir);
    const file = join(dir, 'copy.sqlite');
    const lines: string[] = [];
    expect(await runBackup(h.config.databaseUrl, file, (line) => lines.push(line))).toBe(0);
    await expect(runBackup(h.config.databaseUrl, file, (line) => lines.push(line))).rejects.toThrow('already exists');
    expect(lines).toHaveLength(2);
  });

  it('reads DATABASE_URL as the bot does: sqlite:<path> and sqlite:///<absolute path> name the same file as the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-backup-'));
    dirs.push(dir);
    const lines: string[] = [];
    expect(await runBackup(`sqlite:${h.config.databaseUrl}`, join(dir, 'a.sqlite'), (line) => lines.push(line))).toBe(0);
    expect(await runBackup(`sqlite://${h.config.databaseUrl}`, join(dir, 'b.sqlite'), (line) => lines.push(line))).toBe(0);
    expect(lines.filter((l) => l.startsWith('Backed up to'))).toHaveLength(2);
    await expect(runBackup(`sqlite:${join(dir, 'missing.sqlite')}`, join(dir, 'c.sqlite'), () => undefined)).rejects.toThrow(`There is no database at ${join(dir, 'missing.sqlite')}`);
  });

  it('for PostgreSQL, gives the pg_dump command with the URL left in its variable', async () => {
    const lines: string[] = [];
    expect(await runBackup('postgres://tandem:s3cret-password@db.internal:5432/tandem', 'nightly.dump', (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toContain('pg_dump --format=custom --file="nightly.dump" "$DATABASE_URL"');
    expect(lines.join('\n')).not.toContain('s3cret-password');
    expect(pgDumpAdvice(undefined)).toContain('tandem-$(date +%F).dump');
  });
});
