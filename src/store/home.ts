import { type Expression, type Generated, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from './database.js';

export interface HomeTabTable {
  slack_user_id: string;
  opened_at: string;
  dashboard: Generated<number>;
  page: Generated<number>;
  changes: Generated<number>;
  published_changes: Generated<number>;
  not_before: string | null;
  attempts: Generated<number>;
  published_at: string | null;
  last_error: string | null;
  /** The process publishing this tab until lease_until (since 015_fleet): one at a time across instances. */
  lease_owner: string | null;
  lease_until: string | null;
}

export type HomeTabRow = Selectable<HomeTabTable>;

/** Whose Home tab a change concerns: participants by id, or anyone by Slack user id. */
export interface HomeAudience {
  participantIds?: readonly number[];
  userIds?: readonly string[];
  /** Whether the programme's counts or waiting list moved too (default true): the dashboards then follow. */
  dashboards?: boolean;
}

/** The person opened the tab: remembered, back on the dashboard's first page. */
export async function recordHomeOpened(db: Kysely<Database>, userId: string, dashboard: boolean, now: Date): Promise<void> {
  await db
    .insertInto('home_tab')
    .values({ slack_user_id: userId, opened_at: now.toISOString(), dashboard: dashboard ? 1 : 0 })
    .onConflict((oc) => oc.column('slack_user_id').doUpdateSet({ opened_at: now.toISOString(), dashboard: dashboard ? 1 : 0, page: 0 }))
    .execute();
}

export async function findHomeTab(db: Kysely<Database>, userId: string): Promise<HomeTabRow | undefined> {
  return db.selectFrom('home_tab').selectAll().where('slack_user_id', '=', userId).executeTakeFirst();
}

export async function setHomePage(db: Kysely<Database>, userId: string, page: number, now: Date): Promise<void> {
  await db
    .insertInto('home_tab')
    .values({ slack_user_id: userId, opened_at: now.toISOString(), dashboard: 1, page })
    .onConflict((oc) => oc.column('slack_user_id').doUpdateSet({ page, dashboard: 1 }))
    .execute();
}

/**
 * Marks as stale the tabs of these people (due at once: their own state changed) and, unless told
 * otherwise, every dashboard (due at its own pace). Only people who opened the tab have a row.
 */
export async function markHomesChanged(db: Kysely<Database>, who: HomeAudience): Promise<void> {
  const participantIds = [...new Set(who.participantIds ?? [])];
  const userIds = [...new Set(who.userIds ?? [])];
  if (participantIds.length > 0 || userIds.length > 0) {
    await db
      .updateTable('home_tab')
      .set({ changes: sql`changes + 1`, not_before: null })
      .where((eb) =>
        eb.or([
          ...(userIds.length > 0 ? [eb('slack_user_id', 'in', userIds)] : []),
          ...(participantIds.length > 0 ? [eb('slack_user_id', 'in', eb.selectFrom('participant').select('slack_user_id').where('id', 'in', participantIds))] : []),
        ]),
      )
      .execute();
  }
  if (who.dashboards !== false) await db.updateTable('home_tab').set({ changes: sql`changes + 1` }).where('dashboard', '=', 1).execute();
}

/** The greater of two counts, in SQL both engines speak (SQLite's two-argument max is PostgreSQL's greatest). */
const greater = (a: Expression<number>, b: Expression<number> | number) => sql<number>`case when ${a} > ${b} then ${a} else ${b} end`;

/** When a tab may be published, as text that sorts alike on every engine: '' (now) before any instant. */
const dueAt = sql<string>`coalesce(not_before, '')`;

/** Stale tabs due by `now` that no process is publishing, the longest-waiting first. */
export async function dueHomeTabs(db: Kysely<Database>, now: Date, limit: number): Promise<HomeTabRow[]> {
  const at = now.toISOString();
  return db
    .selectFrom('home_tab')
    .selectAll()
    .where((eb) => eb('changes', '>', eb.ref('published_changes')))
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', at)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
    .orderBy(dueAt)
    .limit(limit)
    .execute();
}

/**
 * Reserves this tab to `owner` until `until` unless another process is publishing it (compare-and-set):
 * the row as it stands once taken, or undefined when someone else holds it (or it is gone). With
 * `onlyIfStale`, also undefined when another process published it since it was found stale.
 */
export async function takeHomeTab(db: Kysely<Database>, userId: string, owner: string, now: Date, until: Date, onlyIfStale = false): Promise<HomeTabRow | undefined> {
  const at = now.toISOString();
  return db
    .updateTable('home_tab')
    .set({ lease_owner: owner, lease_until: until.toISOString() })
    .where('slack_user_id', '=', userId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at), eb('lease_owner', '=', owner)]))
    .$if(onlyIfStale, (q) => q.where((eb) => eb('changes', '>', eb.ref('published_changes'))))
    .returningAll()
    .executeTakeFirst();
}

/** Lets go of the tab if `owner` still holds it. */
export async function releaseHomeTab(db: Kysely<Database>, userId: string, owner: string): Promise<void> {
  await db.updateTable('home_tab').set({ lease_owner: null, lease_until: null }).where('slack_user_id', '=', userId).where('lease_owner', '=', owner).execute();
}

/** When the next stale tab falls due (null: one is due now), or undefined when none is stale. */
export async function nextHomeDue(db: Kysely<Database>): Promise<string | null | undefined> {
  // A tab another process is publishing is due, at the earliest, when its lease runs out.
  const row = await db
    .selectFrom('home_tab')
    .select(sql<string | null>`min(case when lease_until > ${dueAt} then lease_until else ${dueAt} end)`.as('at'))
    .where((eb) => eb('changes', '>', eb.ref('published_changes')))
    .executeTakeFirst();
  if (row?.at === null || row?.at === undefined) return undefined;
  return row.at === '' ? null : row.at;
}

/** The tab now shows everything up to `changes` (and the dashboard, or not); not published again before `notBefore`. */
export async function markHomePublished(db: Kysely<Database>, userId: string, shown: { changes: number; dashboard: boolean; notBefore: Date | null }, now: Date): Promise<void> {
  await db
    .updateTable('home_tab')
    .set((eb) => ({
      published_changes: greater(eb.ref('published_changes'), shown.changes),
      dashboard: shown.dashboard ? 1 : 0,
      not_before: shown.notBefore?.toISOString() ?? null,
      attempts: 0,
      published_at: now.toISOString(),
      last_error: null,
      lease_owner: null,
      lease_until: null,
    }))
    .where('slack_user_id', '=', userId)
    .execute();
}

/** A failed publish: tried again at `retryAt`, the tab left stale (`changes` moves ahead if it had caught up). */
export async function markHomeFailed(db: Kysely<Database>, userId: string, error: string, retryAt: Date, countAttempt: boolean): Promise<void> {
  await db
    .updateTable('home_tab')
    .set((eb) => ({
      changes: greater(eb.ref('changes'), sql<number>`${eb.ref('published_changes')} + 1`),
      not_before: retryAt.toISOString(),
      attempts: countAttempt ? sql<number>`attempts + 1` : eb.ref('attempts'),
      last_error: error.slice(0, 500),
      lease_owner: null,
      lease_until: null,
    }))
    .where('slack_user_id', '=', userId)
    .execute();
}

/** Slack will not take this tab (or not for a long while): nothing more is tried until the next change or opening. */
export async function giveUpHome(db: Kysely<Database>, userId: string, changes: number, error: string): Promise<void> {
  await db
    .updateTable('home_tab')
    .set((eb) => ({ published_changes: greater(eb.ref('published_changes'), changes), not_before: null, attempts: 0, last_error: error.slice(0, 500), lease_owner: null, lease_until: null }))
    .where('slack_user_id', '=', userId)
    .execute();
}
