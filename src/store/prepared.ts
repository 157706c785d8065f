import { type Compilable, type CompiledQuery, createQueryId, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { type Engine, engineOf } from './engine.js';

/** The database or a transaction of it. */
type Db = Kysely<Database>;

/** Stands for one argument of a prepared query while it is built and compiled. */
class Placeholder {
  constructor(readonly index: number) {}
}

interface Template {
  query: CompiledQuery;
  /** For each parameter of the compiled query, the argument it takes, or undefined for a constant. */
  slots: readonly (number | undefined)[];
}

/**
 * A query that is built and compiled once, then run with new argument values each time. Building
 * and compiling a Kysely query costs more than SQLite takes to run a simple lookup, and the paths
 * that answer people (e.g. `/tandem status`) run the same few queries on every request.
 *
 * `build` receives placeholders, not the values: it must hand each argument to Kysely as a single
 * value (`where('id', '=', id)`), never look at it, change it or spread it into a list. An argument
 * that does not reach the compiled parameters is refused when the query is first compiled. The SQL
 * is compiled once per engine (SQLite and PostgreSQL spell parameters differently); each run goes
 * to the `db` (or transaction) it is given.
 */
export function prepared<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>): (db: Db, ...args: A) => Promise<R[]> {
  const templates = new Map<Engine, Template>();
  return async (db, ...args) => {
    const engine = engineOf(db);
    let template = templates.get(engine);
    if (!template) {
      template = compileTemplate(db, build, args.length);
      templates.set(engine, template);
    }
    const { query, slots } = template;
    const parameters = slots.map((slot, i) => (slot === undefined ? query.parameters[i] : args[slot]));
    const result = await db.executeQuery<R>({ ...query, queryId: createQueryId(), parameters });
    return result.rows;
  };
}

function compileTemplate<A extends unknown[], R>(db: Db, build: (db: Db, ...args: A) => Compilable<R>, arity: number): Template {
  const placeholders = Array.from({ length: arity }, (_, i) => new Placeholder(i));
  const query = build(db, ...(placeholders as A)).compile();
  const slots = query.parameters.map((p) => (p instanceof Placeholder ? p.index : undefined));
  for (let i = 0; i < arity; i += 1) {
    if (!slots.includes(i)) throw new Error(`Prepared query: argument ${i} is not passed to the query as a value (${query.sql})`);
  }
  return { query, slots };
}
