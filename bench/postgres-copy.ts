/**
 * Puts a seeded SQLite database's rows into a PostgreSQL database of the same schema, so that the
 * pass benchmarks run the same programme on both engines: the seeders write SQLite in bulk, and
 * the rows (ids included) are copied over in large multi-row inserts.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/store/database.js';

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

export async function copyTables(from: Kysely<Database>, to: Kysely<Database>, tables: readonly (keyof Database)[]): Promise<void> {
  for (const table of tables) {
    const rows = (await from.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    const first = rows[0];
    if (!first) continue;
    const batch = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(first).length));
    await to.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += batch) {
        await trx.insertInto(table).values(rows.slice(start, start + batch) as never).execute();
      }
    });
    // Ids were copied as they were: the next one the app takes comes after them.
    if ('id' in first) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(to);
    await sql`analyze ${sql.table(table)}`.execute(to);
  }
}
