// The embedded run database: PGlite (PostgreSQL compiled to WebAssembly) in a data directory or in memory.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.js';

type Rows = { rows: Record<string, unknown>[] };

export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir && dataDir !== 'memory') mkdirSync(dataDir, { recursive: true });
  const db = dataDir && dataDir !== 'memory' ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  const client = (q: Pick<PGlite, 'query' | 'exec'>) => ({
    query: async (sql: string, params: readonly unknown[]): Promise<Rows> => ({
      rows: (await q.query<Record<string, unknown>>(sql, [...params])).rows,
    }),
    exec: async (sql: string): Promise<Rows[]> =>
      (await q.exec(sql)).map((r) => ({ rows: r.rows as Record<string, unknown>[] })),
  });
  return {
    kind: 'pglite',
    ...client(db),
    transaction: (fn) => db.transaction((tx) => fn(client(tx))),
    close: () => db.close(),
  };
}
