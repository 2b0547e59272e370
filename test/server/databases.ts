/**
 * The databases the server suite runs against: in-memory PGlite always, and a fresh PostgreSQL database per run
 * (CREATE DATABASE with a unique name, dropped afterwards) at MAML_TEST_DATABASE_URL, DATABASE_URL or the local
 * default. PostgreSQL is skipped only when unreachable and MAML_REQUIRE_POSTGRES is unset (CI sets it: then fail).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL =
  process.env['MAML_TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  /** PostgreSQL URL, or undefined for in-memory PGlite. */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

export const PGLITE: TestDatabase = { name: 'PGlite', url: undefined, drop: () => Promise.resolve() };

/** A fresh PostgreSQL database, or a string saying why there is none (the caller skips, or fails under CI). */
export async function freshPostgres(): Promise<TestDatabase | string> {
  const control = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 1500 });
  try {
    await control.connect();
  } catch (error) {
    const why = `no PostgreSQL at ${ADMIN_URL} (${(error as Error).message})`;
    if (process.env['MAML_REQUIRE_POSTGRES']) throw new Error(why, { cause: error });
    return why;
  }
  const name = `maml_server_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await control.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    url: url.toString(),
    async drop() {
      await control.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await control.end();
    },
  };
}
