/**
 * GPU self-test runnable from dist/ (the GPU machine has no dev tree): `node dist/quantum-gpu/selftest.js
 * [--json FILE]`. Checks analytic results on the adapter's own chunk size, the same on forced small chunks, a
 * random circuit against the complex128 CPU state vector, and a state past one storage binding when the device
 * holds it. Exits 1 when a check fails, 2 when there is no adapter.
 */
import { writeFile } from 'node:fs/promises';
import type { Circuit } from '../quantum/index.js';
import { CircuitBuilder, createStateVectorSimulator } from '../quantum/index.js';
import { openGpu } from './gpu-device.js';
import { qft, randomCircuit } from './random-circuits.js';
import { chunkQubitsFor, WebGpuSimulator } from './webgpu-simulator.js';

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

const TOL = 1e-5;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  let ctx;
  try {
    ctx = await openGpu();
  } catch (error) {
    console.error(`selftest: ${(error as Error).message}`);
    return 2;
  }
  const c = chunkQubitsFor(ctx.info);
  console.log(`device: ${ctx.info.description}; chunk 2^${c} amplitudes`);
  const checks: Check[] = [];
  const check = async (name: string, fn: () => Promise<string>): Promise<void> => {
    const t0 = performance.now();
    try {
      const detail = await fn();
      checks.push({ name, ok: true, detail, ms: performance.now() - t0 });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message, ms: performance.now() - t0 });
    }
    const last = checks[checks.length - 1];
    if (last) console.log(`${last.ok ? 'ok  ' : 'FAIL'} ${name} (${last.ms.toFixed(0)} ms): ${last.detail}`);
  };
  const expect = (cond: boolean, what: string): void => {
    if (!cond) throw new Error(what);
  };
  const sims = [
    ['adapter chunks', new WebGpuSimulator(ctx)],
    ['2-qubit chunks', new WebGpuSimulator(ctx, { chunkQubits: 2 })],
  ] as const;
  for (const [label, sim] of sims) {
    await check(`Bell counts (${label})`, async () => {
      const r = await sim.simulate(new CircuitBuilder(2, 2).h(0).cx(0, 1).measureAll().build(), {
        shots: 4000,
        seed: 7,
      });
      expect(Object.keys(r.counts).sort().join() === '00,11', `keys ${Object.keys(r.counts).join()}`);
      expect(Math.abs((r.counts['00'] ?? 0) / 4000 - 0.5) < 0.05, `P(00) ${(r.counts['00'] ?? 0) / 4000}`);
      return JSON.stringify(r.counts);
    });
    await check(`QFT-6 closed form (${label})`, async () => {
      const n = 6;
      const x = 13;
      const b = new CircuitBuilder(n);
      for (let q = 0; q < n; q++) if ((x >> q) & 1) b.x(q);
      const circuit: Circuit = { ...b.build(), ops: [...b.build().ops, ...qft(n).ops] };
      const r = await sim.simulate(circuit, { shots: 0, stateVector: true });
      let err = 0;
      for (let k = 0; k < 2 ** n; k++) {
        const a = (2 * Math.PI * x * k) / 2 ** n;
        err = Math.max(err, Math.abs((r.stateVector?.re[k] ?? NaN) - Math.cos(a) / 8));
        err = Math.max(err, Math.abs((r.stateVector?.im[k] ?? NaN) - Math.sin(a) / 8));
      }
      expect(err < TOL, `max error ${err}`);
      return `max error ${err.toExponential(2)}`;
    });
    await check(`random depth 12 @10q against complex128 CPU (${label})`, async () => {
      const circuit = randomCircuit(10, 12, 3);
      const g = await sim.simulate(circuit, { shots: 0, stateVector: true });
      const r = await createStateVectorSimulator().simulate(circuit, { shots: 0, stateVector: true });
      let err = 0;
      for (let i = 0; i < 1024; i++) {
        err = Math.max(err, Math.abs((g.stateVector?.re[i] ?? NaN) - (r.stateVector?.re[i] ?? 0)));
        err = Math.max(err, Math.abs((g.stateVector?.im[i] ?? NaN) - (r.stateVector?.im[i] ?? 0)));
      }
      expect(err < TOL, `max error ${err}`);
      return `max error ${err.toExponential(2)}, ${sim.lastStats.chunkPairDispatches} chunk-pair dispatches`;
    });
    await check(`mid-circuit measurement and noise (${label})`, async () => {
      const r = await sim.simulate(
        new CircuitBuilder(2, 2)
          .h(0)
          .measure(0, 0)
          .reset(0)
          .noise({ kind: 'bit_flip', p: 0.25 }, 1)
          .measure(1, 1)
          .build(),
        { shots: 8000, seed: 3 },
      );
      let ones0 = 0;
      let ones1 = 0;
      for (const [k, v] of Object.entries(r.counts)) {
        if (k[1] === '1') ones0 += v;
        if (k[0] === '1') ones1 += v;
      }
      expect(Math.abs(ones0 / 8000 - 0.5) < 0.03 && Math.abs(ones1 / 8000 - 0.25) < 0.03, JSON.stringify(r.counts));
      return JSON.stringify(r.counts);
    });
  }
  const big = new WebGpuSimulator(ctx);
  const n = c + 1;
  await check(`Bell pair across two ${c}-qubit buffers (${n} qubits, ${8 * 2 ** n} bytes)`, async () => {
    const r = await big.simulate(
      new CircuitBuilder(n)
        .h(n - 1)
        .cx(n - 1, 0)
        .build(),
      {
        shots: 1000,
        seed: 5,
        observables: [
          {
            terms: [
              {
                coefficient: 1,
                ops: [
                  { qubit: 0, pauli: 'X' },
                  { qubit: n - 1, pauli: 'X' },
                ],
              },
            ],
          },
        ],
      },
    );
    const one = `1${'0'.repeat(n - 2)}1`;
    expect(Object.keys(r.counts).sort().join() === ['0'.repeat(n), one].join(), 'outcomes');
    expect(Math.abs((r.expectations?.[0] ?? NaN) - 1) < 1e-4, `⟨XX⟩ = ${r.expectations?.[0]}`);
    expect(big.lastStats.chunkPairDispatches > 0, 'no chunk-pair dispatch ran');
    return `⟨X0 X${n - 1}⟩ = ${r.expectations?.[0]}, counts ${JSON.stringify(Object.values(r.counts))}`;
  });
  const failed = checks.filter((x) => !x.ok).length;
  console.log(`${checks.length - failed}/${checks.length} checks passed`);
  if (jsonAt >= 0 && args[jsonAt + 1]) {
    await writeFile(args[jsonAt + 1] ?? '', JSON.stringify({ device: ctx.info, chunkQubits: c, checks }, null, 2));
  }
  ctx.destroy();
  return failed > 0 ? 1 : 0;
}

process.exit(await main());
