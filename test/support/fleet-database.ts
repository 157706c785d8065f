/**
 * A PostgreSQL database of its own, with a random name, for the fleet test: several processes
 * connect to it as instances of a real fleet would (not a schema behind a search path), and it is
 * dropped afterwards. The server is TEST_DATABASE_URL's (by default the local `test` database's).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

export interface FleetDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createFleetDatabase(): Promise<FleetDatabase> {
  const server = process.env.TEST_DATABASE_URL || DEFAULT_SERVER;
  const name = `tandem_fleet_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
