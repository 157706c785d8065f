import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { prepared } from '../../src/store/prepared.js';

const now = '2027-01-01T00:00:00.000Z';

async function storeWithPeople(...ids: string[]): Promise<Store> {
  const store = openStore(':memory:');
  await migrate(store.db);
  for (const id of ids) {
    await store.db
      .insertInto('participant')
      .values({
        slack_user_id: id,
        role: 'junior',
        status: 'enrolled',
        shares: '[]',
        learns: '[]',
        department: `Dept ${id}`,
        manager_user_id: null,
        languages: '["en"]',
        format: 'video',
        cadence: 'biweekly',
        motivation: '',
        consent_at: now,
        time_zone: 'UTC',
        locale: 'en',
        display_name: id,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  return store;
}

describe('prepared queries', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('runs with each call’s arguments, constants kept, an argument used twice filled twice', async () => {
    const store = await storeWithPeople('U1', 'U2', 'U3');
    stores.push(store);
    const byUserOrDepartment = prepared((db, userId: string, department: string) =>
      db
        .selectFrom('participant')
        .select('slack_user_id')
        .where((eb) => eb.or([eb('slack_user_id', '=', userId), eb('department', '=', department), eb('display_name', '=', userId)]))
        .where('status', 'in', ['enrolled', 'matched'])
        .orderBy('slack_user_id'),
    );
    expect(await byUserOrDepartment(store.db, 'U1', 'Dept U3')).toEqual([{ slack_user_id: 'U1' }, { slack_user_id: 'U3' }]);
    expect(await byUserOrDepartment(store.db, 'U2', 'none')).toEqual([{ slack_user_id: 'U2' }]);
    expect(await byUserOrDepartment(store.db, 'nobody', 'none')).toEqual([]);
  });

  it('runs against the database or transaction it is given, not the one it was compiled with', async () => {
    const first = await storeWithPeople('U1');
    const second = await storeWithPeople('U2');
    stores.push(first, second);
    const byUser = prepared((db, userId: string) => db.selectFrom('participant').select('department').where('slack_user_id', '=', userId));
    expect(await byUser(first.db, 'U1')).toEqual([{ department: 'Dept U1' }]);
    expect(await byUser(second.db, 'U1')).toEqual([]);
    await second.db.transaction().execute(async (trx) => {
      await trx.updateTable('participant').set({ department: 'Changed' }).where('slack_user_id', '=', 'U2').execute();
      expect(await byUser(trx, 'U2')).toEqual([{ department: 'Changed' }]);
    });
  });

  it('refuses an argument that does not reach the query as it is', async () => {
    const store = await storeWithPeople('U1');
    stores.push(store);
    const unused = prepared((db, _userId: string) => db.selectFrom('participant').select('id'));
    const rewritten = prepared((db, userId: string) => db.selectFrom('participant').select('id').where('slack_user_id', '=', `${userId}`));
    await expect(unused(store.db, 'U1')).rejects.toThrow(/argument 0 is not passed to the query as a value/);
    await expect(rewritten(store.db, 'U1')).rejects.toThrow(/argument 0 is not passed to the query as a value/);
  });
});
