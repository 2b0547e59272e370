/**
 * The run database connection: embedded PGlite (a state directory, or memory) by default, PostgreSQL through
 * `pg` when a URL is given (the CLI reads DATABASE_URL and passes it in). Both speak the same SQL, so migrations
 * and queries are written once.
 */

/** A connection to the run database (or a transaction on one). */
export interface SqlClient {
  /** One statement with `$n` parameters. */
  query(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Several statements, no parameters; one result per statement. */
  exec(sql: string): Promise<{ rows: Record<string, unknown>[] }[]>;
}

export interface Database extends SqlClient {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction on one connection. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection string; without one (or empty), PGlite. */
  readonly url?: string;
  /** PGlite data directory; `memory` or undefined for an in-memory database. */
  readonly dataDir?: string;
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const url = options.url;
  if (url) return (await import('./postgres.js')).openPostgres(url);
  return (await import('./pglite.js')).openPglite(options.dataDir);
}
