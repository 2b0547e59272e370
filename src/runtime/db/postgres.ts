// The run database on PostgreSQL, through a `pg` connection pool (DATABASE_URL).
import pg from 'pg';
import type { Database } from './database.js';

type Rows = { rows: Record<string, unknown>[] };

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, admin termination) emits 'error' on the pool; unhandled, that
  // would crash a long-running gateway. The pool discards that client and the next query opens a new one.
  pool.on('error', () => undefined);
  // Fail here, with the URL's host, rather than on the first block.
  const probe = await pool.connect();
  probe.release();
  const client = (q: Pick<pg.Pool, 'query'> | pg.PoolClient) => ({
    query: async (sql: string, params: readonly unknown[]): Promise<Rows> => ({
      rows: (await q.query(sql, [...params])).rows as Record<string, unknown>[],
    }),
    exec: async (sql: string): Promise<Rows[]> => {
      const result = (await q.query(sql)) as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(result) ? result : [result]).map((r) => ({ rows: r.rows as Record<string, unknown>[] }));
    },
  });
  return {
    kind: 'postgres',
    ...client(pool),
    async transaction(fn) {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const value = await fn(client(conn));
        await conn.query('COMMIT');
        return value;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
