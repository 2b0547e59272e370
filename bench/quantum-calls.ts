/**
 * The cost of the sandbox boundary for hybrid loops: the round trip of one `maml.quantum.expectation` call from a
 * sandboxed Python block for a 4-qubit circuit (p50 over many calls, after warm-up), against the same evaluation
 * in-process; and the VQE example's block time against the same optimisation run in-process, step for step.
 */
import { readFileSync } from 'node:fs';
import { parse } from '../src/format/index.js';
import {
  EXECUTORS,
  HeadPool,
  RunStore,
  compileExecutorTools,
  evaluate,
  executorFor,
  openDatabase,
  parseHeads,
  quantumCallLimits,
  runWorkflow,
  taskSpec,
} from '../src/runtime/index.js';
import type { CallRequest } from '../src/runtime/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const FOUR =
  'OPENQASM 3.0; include "stdgates.inc"; input float t; qubit[4] q; ry(t) q[0]; cx q[0], q[1]; cx q[1], q[2]; cx q[2], q[3]; rx(t) q[3];';
const OBSERVABLE = '0.5*Z0 Z1 - 0.2*X3 + 0.1*Z2';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

function blockSource(calls: number): string {
  return `import time
q = ${JSON.stringify(FOUR)}
for k in range(50):
    maml.quantum.expectation(q, ${JSON.stringify(OBSERVABLE)}, {"t": 0.1 * k})
times = []
for k in range(${calls}):
    t0 = time.perf_counter()
    maml.quantum.expectation(q, ${JSON.stringify(OBSERVABLE)}, {"t": 0.001 * k})
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
maml.output("times", times)`;
}

/** The VQE example's optimisation, in-process: the same ansatz, Hamiltonian, start and steps. */
function vqeInProcess(doc: ReturnType<typeof parse>): { ms: number; iterations: number } {
  const source = doc.blocks.find((b) => b.id === 'vqe')?.code ?? '';
  const ansatz = /ansatz = """([\s\S]*?)"""/.exec(source)?.[1] ?? '';
  const hamiltonian =
    '-1.052373245772859 + 0.39793742484318045*Z0 - 0.39793742484318045*Z1 - 0.01128010425623538*Z0 Z1 + 0.18093119978423156*X0 X1';
  const limits = quantumCallLimits(taskSpec({ blockId: 'vqe', lang: 'python', source: '' }));
  if (!limits) throw new Error('no limits');
  let params: Record<string, number> = { t0: 0.1, t1: -0.2, t2: 0.3, t3: 0.05 };
  let energy: number | undefined;
  let iterations = 0;
  const t0 = performance.now();
  for (let step = 0; step < 300; step++) {
    const request: CallRequest = {
      id: step,
      op: 'gradient',
      qasm: ansatz,
      bindings: [params],
      observables: [hamiltonian],
      shots: 0,
    };
    const out = evaluate(request, limits);
    const result = out.ok
      ? (out.results[0] as { values: readonly number[]; gradients: readonly Record<string, number>[] } | undefined)
      : undefined;
    if (!result?.gradients) throw new Error(JSON.stringify(out));
    const value = result.values[0] ?? NaN;
    iterations++;
    if (energy !== undefined && Math.abs(energy - value) < 1e-9) break;
    energy = value;
    const grad = result.gradients[0] ?? {};
    params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v - 0.5 * (grad[k] ?? 0)]));
  }
  return { ms: performance.now() - t0, iterations };
}

export const quantumCallsSuite: BenchSuite = {
  name: 'quantum-calls',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const calls = quick ? 100 : 1000;
    // 1. Round trip from a sandboxed Python block, and the same evaluation in-process.
    const python = executorFor('python');
    if (!python) throw new Error('no python executor');
    const result = await python.run(
      taskSpec({ blockId: 'bench', lang: 'python', source: blockSource(calls), limits: { timeoutMs: 120_000 } }),
      { tools: compileExecutorTools(EXECUTORS, process.env) },
    );
    const times = result.outputs['times'] as number[];
    const p50 = percentile(times, 0.5);
    const limits = quantumCallLimits(taskSpec({ blockId: 'b', lang: 'python', source: '' }));
    if (!limits) throw new Error('no limits');
    const local: number[] = [];
    for (let k = 0; k < 50 + calls; k++) {
      const t0 = performance.now();
      evaluate(
        { id: k, op: 'expectation', qasm: FOUR, bindings: [{ t: 0.001 * k }], observables: [OBSERVABLE], shots: 0 },
        limits,
      );
      if (k >= 50) local.push(performance.now() - t0);
    }
    local.sort((a, b) => a - b);
    const localP50 = percentile(local, 0.5);
    log(
      `round trip p50 ${p50.toFixed(3)} ms, p90 ${percentile(times, 0.9).toFixed(3)} ms; in-process ${localP50.toFixed(3)} ms`,
    );
    rows.push(
      {
        suite: 'quantum-calls',
        case: 'maml.quantum.expectation round trip from a Python block, 4 qubits (p50)',
        value: p50,
        unit: 'ms',
        target: '< 2 ms',
        met: p50 < 2,
        note: `p90 ${percentile(times, 0.9).toFixed(2)} ms over ${calls} calls`,
      },
      { suite: 'quantum-calls', case: 'same evaluation in-process (p50)', value: localP50, unit: 'ms' },
      {
        suite: 'quantum-calls',
        case: 'channel cost per call (p50 round trip − in-process)',
        value: p50 - localP50,
        unit: 'ms',
      },
    );
    // 2. The VQE example as a document against the same optimisation in-process.
    const text = readFileSync(new URL('../../examples/vqe-h2.maml.md', import.meta.url), 'utf8');
    const doc = parse(text);
    const db = await openDatabase({ dataDir: 'memory' });
    const store = new RunStore(db);
    await store.migrate();
    const pool = new HeadPool({ heads: parseHeads('ai:1') });
    await pool.start();
    try {
      await runWorkflow({ doc, pool, store });
      const t0 = performance.now();
      const report = await runWorkflow({ doc, pool, store });
      const wall = performance.now() - t0;
      const block = report.blocks[0]?.durationMs ?? NaN;
      const inProcess = vqeInProcess(doc);
      const iterations = (report.outputs as Record<string, unknown>)['iterations'];
      log(`VQE: run ${wall.toFixed(0)} ms, block ${block.toFixed(0)} ms, in-process ${inProcess.ms.toFixed(0)} ms`);
      rows.push(
        {
          suite: 'quantum-calls',
          case: 'VQE H2 example: block time',
          value: block,
          unit: 'ms',
          note: `${String(iterations)} iterations; whole run ${wall.toFixed(0)} ms`,
        },
        {
          suite: 'quantum-calls',
          case: 'VQE H2: same optimisation in-process',
          value: inProcess.ms,
          unit: 'ms',
          note: `${inProcess.iterations} iterations`,
        },
        { suite: 'quantum-calls', case: 'VQE H2: block time / in-process', value: block / inProcess.ms, unit: '×' },
      );
    } finally {
      await pool.close();
      await db.close();
    }
    return rows;
  },
};
