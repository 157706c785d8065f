import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { eventually } from '../support/contract-flows.js';
import { enrolmentValues, openJoin } from '../support/flows.js';
import { type Harness, startTandem } from '../support/tandem-harness.js';

const TRY_AGAIN_EN = t('en', 'storage.tryAgain');
const TRY_AGAIN_FR = t('fr', 'storage.tryAgain');

async function readyz(h: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Opens the enrolment modal for `userId` and submits it; the modal's answer. */
async function enrolAnswer(h: Harness, userId: string): Promise<Record<string, unknown> | undefined> {
  const opened = await openJoin(h, userId);
  return (await h.driver.viewSubmission(userId, opened, enrolmentValues())).json;
}

/** Mounts a tmpfs of 4 MB on `dir` when this machine lets the test do so (as root); false where it may not. */
function tinyFilesystem(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const participants = (h: Harness) => h.store.db.selectFrom('participant').select('slack_user_id').where('slack_user_id', 'not like', 'UFILL%').execute();

describe('storage faults', () => {
  let h: Harness | undefined;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it('a write lock held by another process past Slack’s deadline: "try again" in the person’s language, nothing written, ready again by itself', async () => {
    h = await startTandem();
    h.standIn.setUser('U0FR', { locale: 'fr-FR' });
    // Another process takes the write lock and keeps it until told to let go (well past the bot's 2 s of patience).
    const holder = spawn(process.execPath, ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(h.config.databaseUrl)}); db.exec('BEGIN IMMEDIATE'); console.log('locked'); process.stdin.once('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });`], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
    const released = new Promise((resolve) => holder.once('exit', resolve));

    const english = await enrolAnswer(h, 'U0NEW');
    expect(english).toEqual({ response_action: 'errors', errors: { role: TRY_AGAIN_EN } });
    const french = await enrolAnswer(h, 'U0FR');
    expect(french).toEqual({ response_action: 'errors', errors: { role: TRY_AGAIN_FR } });
    expect(await readyz(h)).toMatchObject({ status: 503, body: { causes: ['storage'], storage: 'SQLITE_BUSY' } });
    expect(await participants(h)).toEqual([]);

    holder.stdin?.write('release\n');
    await released;
    await eventually(async () => expect((await readyz(h as Harness)).status).toBe(200), 15_000);
    expect((await enrolAnswer(h, 'U0NEW'))?.response_action).not.toBe('errors');
    expect(await participants(h)).toEqual([{ slack_user_id: 'U0NEW' }]);
  }, 30_000);

  it('a full disk: "try again", nothing written, ready again once there is room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const mounted = tinyFilesystem(dir);
    if (mounted) cleanups.push(() => execFileSync('umount', ['-l', dir]));
    h = await startTandem({ dir });
    const store = h.store;
    const opened = await openJoin(h, 'U0NEW');
    // The write-ahead log starts empty, then there is no room left.
    store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    let makeRoom: () => void;
    if (mounted) {
      // A real filesystem of 4 MB (as root, as in CI), filled to the last byte.
      const filler = join(dir, 'filler');
      const chunk = Buffer.alloc(64 * 1024);
      try {
        for (let i = 0; ; i++) writeFileSync(filler, chunk, { flag: 'a' });
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      makeRoom = () => unlinkSync(filler);
    } else {
      // Where the test may not mount a filesystem (a developer's own account), SQLite's page limit
      // stands for the disk: with no free page left, the database may not grow by a single page.
      store.sqlite!.exec('VACUUM');
      store.sqlite!.pragma(`max_page_count = ${store.sqlite!.pragma('page_count', { simple: true }) as number}`);
      // Small placeholder people fill the last page of the table the form writes, so its row needs a new page.
      const columns = (store.sqlite!.pragma('table_info(participant)') as { name: string; notnull: number; dflt_value: unknown; pk: number }[])
        .filter((c) => c.notnull === 1 && c.dflt_value === null && c.pk === 0)
        .map((c) => c.name);
      const values: Record<string, string> = { role: "'junior'", status: "'left'", format: "'either'", cadence: "'weekly'", slack_user_id: '?' };
      const insert = store.sqlite!.prepare(`insert into participant (${columns.join(', ')}) values (${columns.map((c) => values[c] ?? "''").join(', ')})`);
      try {
        for (let i = 0; ; i++) insert.run(`UFILL${i}`);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('SQLITE_FULL');
      }
      makeRoom = () => store.sqlite!.pragma('max_page_count = 1073741823');
    }

    const answer = (await h.driver.viewSubmission('U0NEW', opened, enrolmentValues())).json;
    expect(answer).toEqual({ response_action: 'errors', errors: { role: TRY_AGAIN_EN } });
    expect(await readyz(h)).toMatchObject({ status: 503, body: { causes: ['storage'], storage: 'SQLITE_FULL' } });
    expect(await participants(h)).toEqual([]);

    makeRoom();
    await eventually(async () => expect((await readyz(h as Harness)).status).toBe(200), 15_000);
    expect((await enrolAnswer(h, 'U0NEW'))?.response_action).not.toBe('errors');
    expect(await participants(h)).toEqual([{ slack_user_id: 'U0NEW' }]);
  }, 30_000);

  // Root ignores file permissions, and a filesystem with the database open for writing cannot be
  // remounted read-only: SQLite's own read-only switch stands for a file the bot may not write.
  it('a read-only database: "try again" to a form that writes, the record as it was, and ready again when it is writable', async () => {
    h = await startTandem();
    await enrolAnswer(h, 'U0NEW');
    const before = await h.store.db.selectFrom('participant').selectAll().execute();
    h.store.sqlite!.pragma('query_only = 1');
    const opened = await openJoin(h, 'U0NEW');
    const answer = (await h.driver.viewSubmission('U0NEW', opened, enrolmentValues({ department: 'Finance' }))).json;
    expect(answer).toEqual({ response_action: 'errors', errors: { role: TRY_AGAIN_EN } });
    expect(JSON.stringify(answer)).not.toMatch(/SQLITE|readonly|Error/);
    expect(await readyz(h)).toMatchObject({ status: 503, body: { causes: ['storage'], storage: 'SQLITE_READONLY' } });
    expect(await h.store.db.selectFrom('participant').selectAll().execute()).toEqual(before);
    h.store.sqlite!.pragma('query_only = 0');
    await eventually(async () => expect((await readyz(h as Harness)).status).toBe(200), 15_000);
    expect((await h.driver.viewSubmission('U0NEW', opened, enrolmentValues({ department: 'Finance' }))).json?.response_action).not.toBe('errors');
  }, 30_000);
});
