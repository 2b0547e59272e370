// Live events go out before they are stored; a subscriber joining at any moment still gets every event once, in
// order: from memory while the run is live here (also when inserts finish out of order, as they can with
// PostgreSQL), from the database once every event is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIGRATIONS, openDatabase, type Database } from '../../src/runtime/index.js';
import { EventBus, type RunEventRecord } from '../../src/server/event-bus.js';
import { ObservedRunStore } from '../../src/server/observed-run-store.js';
import { streamRunEvents } from '../../src/server/run-event-stream.js';
import type { GatewayServices } from '../../src/server/services.js';

/** A database whose event inserts wait until the test releases them, one by one, in any order. */
function gatedDatabase(db: Database): { db: Database; held: (() => void)[] } {
  const held: (() => void)[] = [];
  const gated: Database = {
    ...db,
    async query(sql, params) {
      if (sql.startsWith('INSERT INTO maml.events')) await new Promise<void>((resolve) => held.push(resolve));
      return db.query(sql, params);
    },
  };
  return { db: gated, held };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

test('subscribers that join before, between and after inserts get every event once, in order', async () => {
  const real = await openDatabase({ url: '', dataDir: 'memory' });
  const bus = new EventBus();
  const { db, held } = gatedDatabase(real);
  const store = new ObservedRunStore(db, bus);
  await store.migrate(MIGRATIONS);
  await store.createRun({ id: 'r1', identity: 'agent://test', inputs: {} });
  let running = true;
  const services = { bus, store, runs: { isRunning: () => running } } as unknown as GatewayServices;
  const streams: { got: RunEventRecord[]; done: Promise<void> }[] = [];
  const subscribe = (): void => {
    const got: RunEventRecord[] = [];
    streams.push({ got, done: streamRunEvents(services, 'r1', (e) => got.push(e)).done });
  };

  subscribe(); // before anything happened
  const adds = [store.addEvent('r1', 'run_started', undefined, {})];
  adds.push(store.addEvent('r1', 'block_started', 'a', { head: 'h' }));
  // Live delivery does not wait for the database: both events are out while their inserts are held.
  await tick();
  assert.deepEqual(
    streams[0]?.got.map((e) => e.seq),
    [1, 2],
  );
  subscribe(); // both events unstored
  await tick();
  // Release the second insert first, as a pool of connections may.
  held[1]?.();
  await tick();
  subscribe(); // event 2 stored, event 1 not
  adds.push(store.addEvent('r1', 'block_succeeded', 'a', {}));
  await tick();
  held[0]?.();
  await tick();
  subscribe(); // 1 and 2 stored, 3 not
  held[2]?.();
  adds.push(store.addEvent('r1', 'run_finished', undefined, { status: 'succeeded' }));
  await tick();
  subscribe(); // 4 not stored yet
  assert.ok(store.liveRun('r1'), 'a run with an unstored event stays in memory');
  held[3]?.();
  await Promise.all(adds);
  running = false;
  // Finished and fully stored: the memory copy is gone and the database serves the history.
  assert.equal(store.liveRun('r1'), undefined);
  subscribe(); // everything stored, run over
  await Promise.all(streams.map((s) => s.done));
  for (const [i, s] of streams.entries())
    assert.deepEqual(
      s.got.map((e) => e.seq),
      [1, 2, 3, 4],
      `subscriber ${i}`,
    );
  // Replayed events equal the live ones (same time and data as stored).
  const stored = (await store.getRun('r1'))?.events ?? [];
  assert.deepEqual(
    stored.map((e) => [e.seq, e.at, e.type]),
    streams[0]?.got.map((e) => [e.seq, e.at, e.type]),
  );
  await real.close();
});
