// Live events go out before they are stored; a subscriber joining at any moment still gets every event once, in
// order: from memory while the run is live here (also when inserts finish out of order, as they can with
// PostgreSQL), from the database once every event is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIGRATIONS, RunStore, openDatabase, type Database, type RunEvent } from '../../src/runtime/index.js';
import { EventBus, type RunEventRecord } from '../../src/server/event-bus.js';
import { LiveRuns } from '../../src/server/live-runs.js';
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
  const store = new RunStore(db);
  const live = new LiveRuns(bus);
  await store.migrate(MIGRATIONS);
  await store.createRun({ id: 'r1', identity: 'agent://test', inputs: {} });
  let running = true;
  const services = {
    bus,
    store,
    runs: { isRunning: () => running, liveRun: (id: string) => live.get(id) },
  } as unknown as GatewayServices;
  // What executePlan does with each event: the store records it, then the subscribers see it.
  const subscriber = live.subscriber('r1', 'agent://test');
  let seq = 0;
  const emit = (type: RunEvent['type'], blockId: string | null, data: unknown): Promise<void> => {
    const event = { v: 1, runId: 'r1', seq: ++seq, at: new Date().toISOString(), type, blockId, data } as RunEvent;
    const stored = store.recordEvent(event);
    subscriber(event);
    return stored;
  };
  const streams: { got: RunEventRecord[]; done: Promise<void> }[] = [];
  const subscribe = (): void => {
    const got: RunEventRecord[] = [];
    streams.push({ got, done: streamRunEvents(services, 'r1', (e) => got.push(e)).done });
  };

  subscribe(); // before anything happened
  const adds = [emit('run_started', null, { identity: 'agent://test', blocks: ['a'], langs: ['bash'] })];
  adds.push(emit('block_started', 'a', { head: 'h', attempt: 1 }));
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
  adds.push(
    emit('block_succeeded', 'a', { head: 'h', durationMs: 1, error: null, lang: 'bash', attempts: 1, cached: false }),
  );
  await tick();
  held[0]?.();
  await tick();
  subscribe(); // 1 and 2 stored, 3 not
  held[2]?.();
  adds.push(emit('run_finished', null, { status: 'succeeded', error: null }));
  await tick();
  subscribe(); // 4 not stored yet
  assert.ok(live.get('r1'), 'a run with an unstored event stays in memory');
  held[3]?.();
  await Promise.all(adds);
  // executePlan resolves once every event is stored; the run manager then ends the live copy.
  live.ended('r1');
  running = false;
  // Finished and fully stored: the memory copy is gone and the database serves the history.
  assert.equal(live.get('r1'), undefined);
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
    stored.map((e) => [e.seq, e.at, e.type, e.data]),
    streams[0]?.got.map((e) => [e.seq, e.at, e.type, e.data]),
  );
  // Live and replayed events are the same versioned RunEvents.
  for (const s of streams) assert.ok(s.got.every((e) => e.v === 1 && e.runId === 'r1'));
  await real.close();
});
