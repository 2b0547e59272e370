/**
 * The runtime tests' shared setup: an in-memory run database with its migrations applied and a started head
 * pool, opened before the file's tests and closed after them. Read the fields inside tests (they are set by the
 * `before` hook).
 */
import { after, before } from 'node:test';
import { HeadPool, RunStore, openDatabase, parseHeads } from '../../src/runtime/index.js';
import type { Database } from '../../src/runtime/index.js';

export interface RuntimeFixture {
  readonly db: Database;
  readonly store: RunStore;
  readonly pool: HeadPool;
}

/** The `skip` option for tests that need bubblewrap (fails instead in CI: tools.ts). */
export { NEEDS_BWRAP } from './tools.js';

/** Registers the hooks and returns the fixture they fill; `heads` is a `--heads` value such as `quantum:1,ai:2`. */
export function useRuntimeFixture(heads: string): RuntimeFixture {
  const fixture = {} as { db: Database; store: RunStore; pool: HeadPool };
  before(async () => {
    fixture.db = await openDatabase({ dataDir: 'memory' });
    fixture.store = new RunStore(fixture.db);
    await fixture.store.migrate();
    fixture.pool = new HeadPool({ heads: parseHeads(heads) });
    await fixture.pool.start();
  });
  after(async () => {
    await fixture.pool.close();
    await fixture.db.close();
  });
  return fixture;
}
