import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateDelivery, handleOnce } from '../../src/store/deliveries.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const AT = new Date('2027-03-01T09:00:00Z');
const EVENT = { dropIfSeen: true, keepWithoutEffect: true };
const CLICK = { dropIfSeen: false, keepWithoutEffect: false };

describe('the record of requests handled', () => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase();
    store = openStore(database.url, { poolSize: 4 });
    const outcome = await migrate(store.db);
    if (outcome.error) throw outcome.error;
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const audit = (action: string) => store.db.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action, subject: 's', details: '{}' }).execute();
  const audits = () => store.db.selectFrom('audit_log').select('action').orderBy('id').execute();
  const keys = () => store.db.selectFrom('processed_event').select('event_id').orderBy('event_id').execute();

  it('is written by the first transaction the request commits, and a second delivery does nothing', async () => {
    let runs = 0;
    const handle = async () => {
      runs += 1;
      await store.db.transaction().execute(async (trx) => {
        await trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'first', subject: 's', details: '{}' }).execute();
        // Written by this same transaction (as it began): kept with the effect, or rolled back with it.
        expect(await trx.selectFrom('processed_event').select('event_id').execute()).toEqual([{ event_id: 'Ev1' }]);
      });
      expect(await keys()).toEqual([{ event_id: 'Ev1' }]);
      await store.db.transaction().execute((trx) => trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'second', subject: 's', details: '{}' }).execute());
    };
    expect(await handleOnce(store.db, 'Ev1', AT, EVENT, handle)).toBe(true);
    expect(await handleOnce(store.db, 'Ev1', AT, EVENT, handle)).toBe(false);
    expect(runs).toBe(1);
    expect(await audits()).toEqual([{ action: 'first' }, { action: 'second' }]);
  });

  it('is not written when the effect is rolled back: the next delivery acts', async () => {
    const failing = () => store.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'lost', subject: 's', details: '{}' }).execute();
      throw new Error('the process died here');
    });
    await expect(handleOnce(store.db, 'Ev2', AT, EVENT, failing)).rejects.toThrow('the process died here');
    expect(await keys()).toEqual([]);
    expect(await handleOnce(store.db, 'Ev2', AT, EVENT, () => audit('retried'))).toBe(true);
    expect(await audits()).toEqual([{ action: 'retried' }]);
    expect(await keys()).toEqual([{ event_id: 'Ev2' }]);
  });

  it('lets only one of two deliveries handled at the same moment change anything', async () => {
    const effect = () => store.db.transaction().execute((trx) => trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'once', subject: 's', details: '{}' }).execute());
    const outcomes = await Promise.allSettled([handleOnce(store.db, 'Ev3', AT, EVENT, effect), handleOnce(store.db, 'Ev3', AT, EVENT, effect)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(DuplicateDelivery);
    expect(await audits()).toEqual([{ action: 'once' }]);
  });

  it('is kept for a request that changed nothing, and work it leaves for later is not part of it', async () => {
    let later: Promise<unknown> | undefined;
    expect(
      await handleOnce(store.db, 'Ev4', AT, EVENT, async () => {
        later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => store.db.transaction().execute((trx) => trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'later', subject: 's', details: '{}' }).execute()));
      }),
    ).toBe(true);
    await later;
    expect(await keys()).toEqual([{ event_id: 'Ev4' }]);
    expect(await audits()).toEqual([{ action: 'later' }]);
  });

  it('runs a request seen before again when it is not to be dropped, without writing its key twice', async () => {
    expect(await handleOnce(store.db, 'trigger:1', AT, CLICK, async () => undefined)).toBe(true);
    expect(await keys()).toEqual([]);
    expect(await handleOnce(store.db, 'trigger:1', AT, CLICK, () => audit('first'))).toBe(true);
    expect(await keys()).toEqual([]);
    expect(await handleOnce(store.db, 'trigger:1', AT, CLICK, () => store.db.transaction().execute((trx) => trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'in a transaction', subject: 's', details: '{}' }).execute()))).toBe(true);
    expect(await keys()).toEqual([{ event_id: 'trigger:1' }]);
    // The same click again, without a retry header: the feature decides (here it writes again).
    expect(await handleOnce(store.db, 'trigger:1', AT, CLICK, () => store.db.transaction().execute((trx) => trx.insertInto('audit_log').values({ at: AT.toISOString(), actor_user_id: 'U1', action: 'replayed', subject: 's', details: '{}' }).execute()))).toBe(true);
    // Slack's retry of it: dropped.
    expect(await handleOnce(store.db, 'trigger:1', AT, { ...CLICK, dropIfSeen: true }, () => audit('retried'))).toBe(false);
    expect((await audits()).map((a) => a.action)).toEqual(['first', 'in a transaction', 'replayed']);
  });
});
