// OpenQASM blocks run on a simulation thread of their head: `timeout=` stops a slow circuit once (not as a lost
// head retried three times), a cancel stops it, the head stays the same healthy process, and heartbeats keep
// flowing while a long simulation runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../src/format/index.js';
import { HeadPool, RunStore, openDatabase, parseHeads, runWorkflow } from '../../src/runtime/index.js';
import type { RunEvent, RunReport } from '../../src/runtime/index.js';

function doc(body: string): ReturnType<typeof parse> {
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`,
  );
}

/** A circuit that takes seconds to simulate: `iterations` rounds of eight gates on `qubits` qubits. */
const slow = (qubits: number, iterations: number): string =>
  `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[${qubits}] q;\nbit[${qubits}] c;\nfor int i in [0:${iterations}] {\n  h q[0]; cx q[0], q[5]; rx(0.1) q[3]; cx q[3], q[9]; h q[12]; cx q[12], q[1]; t q[7]; cx q[7], q[15];\n}\nc = measure q;\n`;
/** Hours of work within the lowering limit (MAX_WORK): only a timeout or a cancel ends it. */
const ENDLESS = slow(22, 50_000);
const BELL =
  'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n';

async function withPool<T>(
  options: ConstructorParameters<typeof HeadPool>[0],
  fn: (pool: HeadPool, store: RunStore) => Promise<T>,
): Promise<T> {
  const db = await openDatabase({ dataDir: 'memory' });
  const store = new RunStore(db);
  await store.migrate();
  const pool = new HeadPool(options);
  await pool.start();
  try {
    return await fn(pool, store);
  } finally {
    await pool.close();
    await db.close();
  }
}

test("a slow circuit ends `timeout` once, with the other languages' message, and its head stays healthy", async () => {
  await withPool(
    { heads: parseHeads('quantum:1'), heartbeatIntervalMs: 100, heartbeatTimeoutMs: 2000 },
    async (pool, store) => {
      const pid = pool.info()[0]?.pid;
      const events: RunEvent[] = [];
      const report = await runWorkflow({
        doc: doc(`\`\`\`qasm {#slow timeout=500ms}\n${ENDLESS}\`\`\`\n`),
        pool,
        store,
        onEvent: (e) => events.push(e),
      });
      assert.equal(report.status, 'failed');
      const block = report.blocks[0];
      assert.equal(block?.error?.code, 'timeout', JSON.stringify(block?.error));
      assert.match(
        block?.error?.message ?? '',
        /^block slow ran longer than its 500 ms timeout and was killed with its processes \(raise it with timeout=, e\.g\. timeout=2m\)$/,
      );
      assert.equal(block?.attempts, 1);
      assert.equal(events.filter((e) => e.type === 'regenerate').length, 0);
      assert.equal(pool.stats.regenerated, 0);
      // The same head process runs the next circuit.
      assert.deepEqual(
        pool.info().map((h) => [h.pid, h.ready]),
        [[pid, true]],
      );
      const next = await runWorkflow({ doc: doc(`\`\`\`qasm {#bell}\n${BELL}\`\`\`\n`), pool, store });
      assert.equal(next.status, 'succeeded', JSON.stringify(next.error));
      assert.equal(next.blocks[0]?.head, 'quantum-1');
      assert.equal(pool.info()[0]?.pid, pid);
    },
  );
});

test('heartbeats flow during a long legitimate simulation: the head is not taken for hung', async () => {
  // Pings every 50 ms while the circuit simulates for far longer: the head answers them as it runs (a simulation
  // on the head's event loop would answer only after its result, when no task is running). The hung limit is
  // generous so that a loaded machine's own pauses do not count.
  await withPool(
    { heads: parseHeads('quantum:1'), heartbeatIntervalMs: 50, heartbeatTimeoutMs: 5000, retryBaseMs: 10 },
    async (pool, store) => {
      const report: RunReport = await runWorkflow({
        doc: doc(`\`\`\`qasm {#long timeout=5m shots=10}\n${slow(16, 20_000)}\`\`\`\n`),
        pool,
        store,
      });
      assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
      assert.equal(report.blocks[0]?.attempts, 1);
      assert.equal(pool.stats.regenerated, 0);
      assert.ok(pool.stats.pongs > 0, 'no heartbeat was answered while the simulation ran');
    },
  );
});

test('cancelling a run stops its simulation: the block is `cancelled`, the head answers the next block', async () => {
  await withPool({ heads: parseHeads('quantum:1') }, async (pool, store) => {
    const pid = pool.info()[0]?.pid;
    const controller = new AbortController();
    const report = await runWorkflow({
      doc: doc(
        `\`\`\`qasm {#endless timeout=1h}\n${ENDLESS}\`\`\`\n\n\`\`\`qasm {#after needs=endless}\n${BELL}\`\`\`\n`,
      ),
      pool,
      store,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'block_started') controller.abort();
      },
    });
    assert.equal(report.status, 'cancelled');
    assert.deepEqual(
      report.blocks.map((b) => [b.id, b.status]),
      [
        ['endless', 'cancelled'],
        ['after', 'skipped'],
      ],
    );
    assert.equal(report.blocks[0]?.error?.code, 'cancelled');
    assert.equal((await store.getRun(report.runId))?.run.status, 'cancelled');
    assert.equal(pool.info()[0]?.pid, pid);
    const next = await runWorkflow({ doc: doc(`\`\`\`qasm {#bell}\n${BELL}\`\`\`\n`), pool, store });
    assert.equal(next.status, 'succeeded', JSON.stringify(next.error));
  });
});
