import { type Kysely, sql } from 'kysely';
import { idColumn } from '../../src/store/engine.js';

// Frozen: once released, a migration never changes; later changes go into a new one. (The engine
// helpers only let PostgreSQL get the same schema; SQLite's SQL is as it was released.)

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every message the bot sends on its own initiative: written here (with an idempotency key) in the
  // same transaction as the change that calls for it, then delivered by the outbox at Slack's pace.
  await db.schema
    .createTable('outbox')
    .addColumn('id', ...idColumn(db))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('post', 'update', 'ephemeral')`))
    .addColumn('request', 'text', (c) => c.notNull()) // JSON: what to send, resolved at delivery
    .addColumn('channel_hint', 'text', (c) => c.notNull()) // the pacing lane of a post: a channel, or the people of a DM
    .addColumn('after_key', 'text') // an update of the message another row posts: waits for that row
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    // Whoever delivers a row holds it until lease_until, so the bot and `tandem jobs run` never both send it.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('result_channel', 'text')
    .addColumn('result_ts', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // The delivery query: pending rows in the order they fall due.
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at', 'id']).execute();
  // The updates of one message, which go in the order they were queued.
  await db.schema.createIndex('outbox_after_key').on('outbox').columns(['after_key', 'status', 'id']).execute();
  await db.schema.createIndex('outbox_lane').on('outbox').columns(['channel_hint', 'status', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
}
