/**
 * The embedded run database: PGlite (PostgreSQL compiled to WebAssembly) in a data directory or in memory. A data
 * directory is held under an exclusive lock (state-lock.ts) from before PGlite opens it until after it is closed,
 * and is made private (0700 directories, 0600 files) each time it is opened.
 */
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.js';
import { securePrivateDir, securePrivateTree } from './state-dir.js';
import { lockDataDir } from './state-lock.js';
import type { StateLock } from './state-lock.js';

type Rows = { rows: Record<string, unknown>[] };

export async function openPglite(dataDir?: string): Promise<Database> {
  const onDisk = dataDir !== undefined && dataDir !== 'memory';
  let lock: StateLock | undefined;
  if (onDisk) {
    securePrivateDir(dirname(dataDir));
    lock = lockDataDir(dataDir);
  }
  let db: PGlite;
  try {
    if (onDisk) securePrivateTree(dataDir);
    db = onDisk ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    // PGlite writes some files (pg_internal.init, a fresh database) while it starts.
    if (onDisk) securePrivateTree(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
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
    async close() {
      try {
        await db.close();
      } finally {
        // Files PGlite created while open are world-readable; the 0700 directories kept them private meanwhile.
        if (onDisk) securePrivateTree(dataDir);
        lock?.release();
      }
    },
  };
}
