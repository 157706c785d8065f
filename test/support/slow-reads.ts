import type { CompiledQuery, KyselyPlugin, OperationNode, QueryId } from 'kysely';
import type { Database } from '../../src/store/database.js';
import type { Harness } from './tandem-harness.js';

export interface HeldReads {
  /** How many reads of the table wait at the gate. */
  waiting(): number;
  /** Lets every held read through, and reads of the table are no longer held. */
  release(): void;
}

/**
 * The database slow to answer, as PostgreSQL is when every connection of the pool is busy: from
 * now on, each read of `table` that the app's features make (through deps.store.db) runs, but its
 * rows come back only once the test calls `release()`. No timing: the test says when.
 */
export function holdReads(h: Harness, table: keyof Database): HeldReads {
  const store = h.tandem.deps.store;
  const original = store.db;
  const gated = new WeakSet<QueryId>();
  let waiting = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  // The table named in the select's FROM (a join or a sub-query elsewhere is not held).
  const reads = (node: OperationNode) => node.kind === 'SelectQueryNode' && JSON.stringify((node as { from?: unknown }).from ?? {}).includes(`"name":"${table}"`);
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      if (reads(node)) gated.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }) {
      if (!gated.has(queryId)) return result;
      waiting += 1;
      await gate;
      return result;
    },
  };
  const plugged = original.withPlugin(plugin);
  // Queries compiled once and run again (src/store/prepared.ts) skip transformQuery: seen here.
  store.db = new Proxy(plugged, {
    get(target, property) {
      if (property === 'executeQuery') {
        return (query: CompiledQuery | { compile(): CompiledQuery }) => {
          if (!('compile' in query) && reads(query.query)) gated.add(query.queryId);
          return target.executeQuery(query);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    waiting: () => waiting,
    release() {
      store.db = original;
      open();
    },
  };
}
