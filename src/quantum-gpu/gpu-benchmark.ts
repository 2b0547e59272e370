/**
 * The GPU benchmark, runnable from dist/ on a machine without the dev tree (see scripts/gpu-bench.sh) and from
 * bench/gpu.ts. In one run: a WGSL copy kernel measures the device's bandwidth; each gate kernel is timed as
 * effective bandwidth (every amplitude read and written once per pass: 2 × 8 B × 2^n) and reported as a fraction
 * of it; depth-20 random circuits, QFT and GHZ are timed end to end with 100k shots; the CPU/GPU crossover is the
 * smallest width where the GPU beats the threaded CPU backend on the same random circuit. Sizes follow the adapter:
 * a software adapter gets small ones.
 */
import type { Circuit, UnitaryOp } from '../quantum/index.js';
import { gate, H, rzMatrix, rzzMatrix, uMatrix, X } from '../quantum/index.js';
import { createNodeStateVectorSimulator } from '../quantum-node/index.js';
import { openGpu, type GpuContext } from './gpu-device.js';
import { Batch, grid, GpuKernels } from './gpu-kernels.js';
import { emptyGpuStats, GpuState } from './gpu-state.js';
import { ghz, qft, randomCircuit } from './random-circuits.js';
import { chunkQubitsFor, createWebGpuSimulator, WebGpuSimulator } from './webgpu-simulator.js';

export interface GpuBenchRow {
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export interface GpuBenchOptions {
  readonly quick: boolean;
  readonly log: (line: string) => void;
  /** Largest state tried, in qubits (default: 33 on a hardware adapter, 20 on a software one). */
  readonly maxQubits?: number;
}

async function done(ctx: GpuContext): Promise<void> {
  await ctx.device.queue.onSubmittedWorkDone();
}

/** Copy bandwidth (read + write) in GB/s over a buffer of 2^n amplitudes. */
async function copyBandwidth(ctx: GpuContext, kernels: GpuKernels, n: number, reps: number): Promise<number> {
  const pipeline = await kernels.pipeline('copy');
  const size = 8 * 2 ** n;
  const usage = GPUBufferUsage.STORAGE;
  const a = ctx.device.createBuffer({ size, usage });
  const b = ctx.device.createBuffer({ size, usage });
  const run = async (times: number): Promise<number> => {
    const batch = new Batch(ctx);
    const g = grid(2 ** n);
    const u = batch.uniform(new Uint32Array([2 ** n, g.wgx, 0, 0]).buffer);
    for (let i = 0; i < times; i++) batch.dispatch(pipeline, [u, i % 2 ? b : a, i % 2 ? a : b], g.x, g.y);
    const t0 = performance.now();
    await batch.submit('copy benchmark');
    await done(ctx);
    return performance.now() - t0;
  };
  await run(2);
  const ms = await run(reps);
  a.destroy();
  b.destroy();
  return (2 * size * reps) / (ms * 1e6);
}

interface KernelCase {
  readonly name: string;
  readonly ops: (n: number, c: number) => UnitaryOp[];
  readonly fusion: number;
  readonly tileGates?: number;
  /** Passes over the state the ops make. */
  readonly passes: (count: number) => number;
  readonly target?: number;
}

const REPS = 16;
const U = uMatrix(0.3, 0.2, 0.1);
const rep = (f: (i: number) => UnitaryOp): UnitaryOp[] => Array.from({ length: REPS }, (_, i) => f(i));

function kernelCases(): KernelCase[] {
  return [
    {
      name: '1q dense (high qubit)',
      ops: (n) => rep((i) => gate('u', U, [n - 1 - (i % 2)])),
      fusion: 1,
      passes: (k) => k,
      target: 0.9,
    },
    {
      name: '1q in a tile pass (low qubit)',
      ops: () => rep((i) => gate('u', U, [i % 4])),
      fusion: 1,
      tileGates: 1,
      passes: (k) => k,
      target: 0.9,
    },
    {
      name: 'tile pass of 16 gates (low qubits)',
      ops: () => rep((i) => gate('u', U, [i % 8])),
      fusion: 1,
      passes: () => 1,
    },
    {
      name: '2q dense',
      ops: (n) => rep((i) => gate('rxx', fakeDense2(), [n - 2 - (i % 2), n - 4])),
      fusion: 1,
      passes: (k) => k,
    },
    {
      name: '3q fused block',
      ops: (n) => rep((i) => gate('u3', fused3(), [n - 1 - (i % 2), n - 3, n - 5])),
      fusion: 1,
      passes: (k) => k,
    },
    {
      name: 'diagonal (rzz, high qubits)',
      ops: (n) => rep((i) => gate('rzz', rzzMatrix(0.1 + i), [n - 1, n - 3 - (i % 2)])),
      fusion: 1,
      passes: (k) => k,
    },
    {
      name: 'permutation-like cx (dense kernel)',
      ops: (n) => rep((i) => gate('x', X, [n - 1 - (i % 2)], { controls: [n - 3] })),
      fusion: 1,
      passes: (k) => k / 2,
    },
  ];
}

function fakeDense2(): Float64Array {
  const m = new Float64Array(32);
  const h = H;
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      m[2 * (r * 4 + c)] = (h[2 * ((r & 1) * 2 + (c & 1))] ?? 0) * (h[2 * ((r >> 1) * 2 + (c >> 1))] ?? 0);
    }
  return m;
}

function fused3(): Float64Array {
  const dim = 8;
  const m = new Float64Array(2 * dim * dim);
  const rz = rzMatrix(0.4);
  for (let r = 0; r < dim; r++)
    for (let c = 0; c < dim; c++) {
      let v = 1 / Math.sqrt(8);
      for (let j = 0; j < 3; j++) if ((r >> j) & (c >> j) & 1) v = -v;
      m[2 * (r * dim + c)] = v * (rz[0] ?? 1);
    }
  return m;
}

async function timeKernel(
  ctx: GpuContext,
  kernels: GpuKernels,
  n: number,
  c: number,
  k: KernelCase,
): Promise<{ gbps: number; chunkPairs: number }> {
  const stats = emptyGpuStats();
  const cfg = {
    ctx,
    kernels,
    numQubits: n,
    chunkQubits: Math.min(n, c),
    fusionQubits: k.fusion,
    stats,
    ...(k.tileGates !== undefined ? { tileGates: k.tileGates } : {}),
  };
  const state = await GpuState.zero(cfg);
  try {
    const ops = k.ops(n, c);
    await state.applyUnitaries(ops);
    await done(ctx);
    const t0 = performance.now();
    await state.applyUnitaries(ops);
    await done(ctx);
    const ms = performance.now() - t0;
    return { gbps: (2 * 8 * 2 ** n * k.passes(ops.length)) / (ms * 1e6), chunkPairs: stats.chunkPairDispatches };
  } finally {
    await state.release();
  }
}

async function timeCircuit(simulate: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await simulate();
  return performance.now() - t0;
}

export async function runGpuBenchmark(options: GpuBenchOptions): Promise<{ device: string; rows: GpuBenchRow[] }> {
  const { quick, log } = options;
  const rows: GpuBenchRow[] = [];
  const ctx = await openGpu();
  const kernels = new GpuKernels(ctx);
  const c = chunkQubitsFor(ctx.info);
  const soft = ctx.info.software;
  const maxQ = options.maxQubits ?? (soft ? (quick ? 16 : 20) : quick ? 28 : 33);
  log(`device: ${ctx.info.description}; chunk 2^${c} amplitudes; largest state ${maxQ} qubits`);
  const add = (r: GpuBenchRow): void => {
    rows.push(r);
    log(`${r.case}: ${r.value.toPrecision(4)} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
  };
  const tryRun = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      const msg = (error as Error).message;
      log(`${what}: not run: ${msg}`);
      rows.push({ case: what, value: NaN, unit: '', note: `not run: ${msg.slice(0, 160)}` });
    }
  };

  const kernelSizes = soft ? [Math.min(18, maxQ)] : [24, 27, 30, 33].filter((n) => n <= maxQ);
  for (const n of kernelSizes) {
    // The copy kernel over one chunk of this state (the whole state when it fits one binding).
    const bwN = Math.min(c, n);
    const copy = await copyBandwidth(ctx, kernels, bwN, soft ? 8 : 40);
    add({ case: `copy kernel @${n}q (buffer of 2^${bwN} complex64)`, value: copy, unit: 'GB/s' });
    for (const k of kernelCases()) {
      await tryRun(`${k.name} @${n}q`, async () => {
        const { gbps, chunkPairs } = await timeKernel(ctx, kernels, n, c, k);
        const frac = gbps / copy;
        add({
          case: `${k.name} @${n}q`,
          value: frac,
          unit: 'of copy bandwidth',
          ...(k.target !== undefined ? { target: `≥ ${k.target}`, met: frac >= k.target } : {}),
          note: `${gbps.toFixed(1)} GB/s${chunkPairs > 0 ? `, ${chunkPairs} chunk-pair dispatches` : ''}`,
        });
      });
    }
  }

  const sim = await createWebGpuSimulator({ context: ctx });
  const shots = quick ? 10_000 : 100_000;
  const circuits: { name: string; circuit: () => Circuit; target?: number }[] = soft
    ? [
        { name: `random depth 20 @${Math.min(14, maxQ)}q`, circuit: () => randomCircuit(Math.min(14, maxQ), 20) },
        { name: `QFT-${Math.min(14, maxQ)}`, circuit: () => qft(Math.min(14, maxQ)) },
        { name: `GHZ-${maxQ}`, circuit: () => ghz(maxQ) },
      ]
    : [
        ...[28, 30, 32]
          .filter((n) => n <= maxQ)
          .map((n) => ({
            name: `random depth 20 @${n}q`,
            circuit: () => randomCircuit(n, 20),
            ...(n === 30 ? { target: 800 } : {}),
          })),
        ...(maxQ >= 30 ? [{ name: 'QFT-30', circuit: () => qft(30) }] : []),
        ...(maxQ >= 33 ? [{ name: 'GHZ-33', circuit: () => ghz(33) }] : []),
      ];
  for (const cc of circuits) {
    await tryRun(cc.name, async () => {
      const circuit = cc.circuit();
      const ms = await timeCircuit(() => sim.simulate(circuit, { shots, seed: 1 }));
      const s = sim.lastStats;
      add({
        case: `${cc.name}, ${shots} shots`,
        value: ms / 1000,
        unit: 's',
        ...(cc.target !== undefined ? { target: `< ${cc.target / 1000} s`, met: ms < cc.target } : {}),
        note: `${s.passes.dense + s.passes.diagonal + s.passes.tile} passes (${s.passes.tile} tile, ${s.passes.dense} dense, ${s.passes.diagonal} diagonal), ${s.fusedGates} gates fused`,
      });
    });
  }

  // Fusion width: the depth-20 random circuit at the largest width ≤ 30 with dense blocks of 3 and of 4 qubits.
  const fw = soft ? Math.min(14, maxQ) : Math.min(30, maxQ);
  for (const f of [3, 4]) {
    await tryRun(`random depth 20 @${fw}q, fusion ${f}`, async () => {
      const s = new WebGpuSimulator(ctx, { fusionQubits: f });
      const circuit = randomCircuit(fw, 20);
      const ms = await timeCircuit(() => s.simulate(circuit, { shots: 1000, seed: 1 }));
      const st = s.lastStats;
      add({
        case: `random depth 20 @${fw}q, fusion width ${s.fusionWidth(fw)}, 1000 shots`,
        value: ms / 1000,
        unit: 's',
        note: `${st.passes.dense + st.passes.diagonal + st.passes.tile} passes`,
      });
    });
  }

  // Crossover: the same depth-20 random circuit, 1000 shots, on the threaded CPU backend (complex64) and the GPU.
  const cpu = await createNodeStateVectorSimulator({ precision: 64 });
  try {
    const wins: [number, boolean][] = [];
    const top = soft ? Math.min(maxQ, quick ? 14 : 18) : Math.min(maxQ, quick ? 22 : 26);
    for (let n = 8; n <= top; n += 2) {
      const circuit = randomCircuit(n, 20);
      await sim.simulate(circuit, { shots: 1000, seed: 2 });
      const gpuMs = await timeCircuit(() => sim.simulate(circuit, { shots: 1000, seed: 2 }));
      const cpuMs = await timeCircuit(() => cpu.simulate(circuit, { shots: 1000, seed: 2, precision: 64 }));
      log(`crossover probe ${n}q: cpu ${cpuMs.toFixed(1)} ms, gpu ${gpuMs.toFixed(1)} ms`);
      wins.push([n, gpuMs < cpuMs]);
      if (cpuMs > 20_000) break;
    }
    // The smallest width from which the GPU wins at every larger width probed.
    let crossover: number | undefined;
    for (let i = wins.length - 1; i >= 0 && wins[i]?.[1]; i--) crossover = wins[i]?.[0];
    add({
      case: 'CPU/GPU crossover (random depth 20, 1000 shots)',
      value: crossover ?? NaN,
      unit: 'qubits',
      note: crossover === undefined ? `the GPU did not win up to ${top} qubits` : 'smallest width where the GPU wins',
    });
  } finally {
    await cpu.close();
  }
  const device = ctx.info.description;
  ctx.destroy();
  return { device, rows };
}
