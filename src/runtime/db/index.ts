// Public exports of the run database: connection (PGlite or PostgreSQL), migrations and the run store.
export { openDatabase } from './database.js';
export type { Database, OpenOptions, SqlClient } from './database.js';
export { MIGRATIONS, migrate } from './migrations.js';
export type { Migration } from './migrations.js';
export { RunStore } from './run-store.js';
export type {
  BlockRow,
  BlockStatus as StoredBlockStatus,
  DurableOwner,
  EventRow,
  RunRow,
  RunStatus,
} from './run-store.js';
export { defaultCacheDir, defaultStateDir } from './state-dir.js';
export { lockDataDir } from './state-lock.js';
export type { LockHolder, StateLock } from './state-lock.js';
export { DatabaseLogStore, appendLeafIn } from './database-log-store.js';
