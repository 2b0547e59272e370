// The database-backed audit log store passes the LogStore conformance suite (on in-memory PGlite).
import { after } from 'node:test';
import { DatabaseLogStore, RunStore, openDatabase, type Database } from '../../src/runtime/index.js';
import { runLogStoreConformance } from '../crypto/log-store.case.js';

const opened: Database[] = [];
after(async () => {
  for (const db of opened) await db.close();
});

runLogStoreConformance('DatabaseLogStore (PGlite)', async () => {
  const db = await openDatabase({ dataDir: 'memory', url: '' });
  opened.push(db);
  await new RunStore(db).migrate();
  return new DatabaseLogStore(db);
});
