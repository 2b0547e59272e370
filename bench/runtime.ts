/**
 * Runtime benchmarks: scheduler overhead per block (trivial OpenQASM blocks, which run in-process on the heads,
 * so interpreter start-up is excluded), 1,000 trivial blocks in one workflow, and 100 concurrent workflows
 * through one head pool while heads are killed — counting that no task is lost or run twice.
 */
import { parse } from '../src/format/index.js';
import { HeadPool, RunStore, openDatabase, parseHeads, runWorkflow } from '../src/runtime/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const QASM = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nx q;\nc = measure q;';

function workflow(blocks: number, chain: boolean): ReturnType<typeof parse> {
  const parts: string[] = [];
  for (let i = 0; i < blocks; i++) {
    const needs = chain && i > 0 ? ` needs=b${i - 1}` : '';
    parts.push(`\`\`\`qasm {#b${i}${needs} shots=8}\n${QASM}\n\`\`\`\n`);
  }
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://bench"\n---\n\n## Intent\n\nBenchmark.\n\n## Code_Blocks\n\n${parts.join('\n')}`,
  );
}

export const runtimeSuite: BenchSuite = {
  name: 'runtime',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const db = await openDatabase({ dataDir: 'memory' });
    const store = new RunStore(db);
    await store.migrate();
    const pool = new HeadPool({ heads: parseHeads('quantum:2,ai:2'), retryBaseMs: 10 });
    await pool.start();
    try {
      // 1. Overhead per block: a chain (no parallelism), wall time minus the time the engine itself reported.
      const chainLength = quick ? 20 : 100;
      const chain = workflow(chainLength, true);
      await runWorkflow({ doc: chain, pool, store });
      const t0 = performance.now();
      const report = await runWorkflow({ doc: chain, pool, store });
      const wall = performance.now() - t0;
      const engine = report.blocks.reduce((sum, b) => sum + (b.durationMs ?? 0), 0);
      const overhead = (wall - engine) / chainLength;
      log(`chain of ${chainLength}: ${wall.toFixed(0)} ms wall, ${engine.toFixed(1)} ms in the engine`);
      rows.push({
        suite: 'runtime',
        case: 'scheduler overhead per block (chain, records included)',
        value: overhead,
        unit: 'ms',
        target: '< 5 ms',
        met: overhead < 5,
      });

      // 2. 1,000 independent trivial blocks in one workflow.
      const many = quick ? 100 : 1000;
      const t1 = performance.now();
      const big = await runWorkflow({ doc: workflow(many, false), pool, store, concurrency: 8 });
      const bigWall = performance.now() - t1;
      const succeeded = big.blocks.filter((b) => b.status === 'succeeded').length;
      log(`${many} blocks: ${succeeded} succeeded in ${bigWall.toFixed(0)} ms`);
      rows.push({
        suite: 'runtime',
        case: `${many} trivial blocks in one workflow`,
        value: many / (bigWall / 1000),
        unit: 'blocks/s',
        note: `${succeeded}/${many} succeeded, ${bigWall.toFixed(0)} ms`,
      });

      // 3. Concurrent workflows through the pool, with three heads killed along the way.
      const workflows = quick ? 20 : 100;
      const perWorkflow = 5;
      const before = { ...pool.stats };
      let kills = 0;
      const stopKiller = pool.observe((e) => {
        if (e.type !== 'task_started' || e.pid === undefined) return;
        if (kills < 3 && e.attempt === 1 && Math.random() < 0.02) {
          kills++;
          process.kill(e.pid, 'SIGKILL');
        }
      });
      const t2 = performance.now();
      const reports = await Promise.all(
        Array.from({ length: workflows }, () => runWorkflow({ doc: workflow(perWorkflow, true), pool, store })),
      );
      const concurrentWall = performance.now() - t2;
      stopKiller();
      const expected = workflows * perWorkflow;
      const accepted = pool.stats.accepted - before.accepted;
      const regenerated = pool.stats.regenerated - before.regenerated;
      const okBlocks = reports.flatMap((r) => r.blocks).filter((b) => b.status === 'succeeded').length;
      const ids = reports.map((r) => r.runId);
      const recorded = Number(
        (await db.query('SELECT count(*)::int AS n FROM maml.block_executions WHERE run_id = ANY($1::text[])', [ids]))
          .rows[0]?.['n'],
      );
      const lost = expected - okBlocks;
      const twice = accepted - expected;
      log(
        `${workflows} workflows × ${perWorkflow} blocks: ${okBlocks} ok, ${accepted} results accepted, ${recorded} recorded, ${regenerated} retried after ${kills} head kills, ${concurrentWall.toFixed(0)} ms`,
      );
      rows.push({
        suite: 'runtime',
        case: `${workflows} concurrent workflows × ${perWorkflow} blocks`,
        value: lost + Math.max(0, twice) + Math.abs(recorded - expected),
        unit: 'tasks lost or run twice',
        target: '0',
        met: lost === 0 && twice === 0 && recorded === expected,
        note: `${okBlocks}/${expected} ok, ${kills} heads killed, ${regenerated} retried, ${concurrentWall.toFixed(0)} ms`,
      });
    } finally {
      await pool.close();
      await db.close();
    }
    return rows;
  },
};
