/**
 * The GPU benchmark, runnable from dist/ on a machine without the dev tree (see scripts/gpu-bench.sh) and from
 * bench/gpu.ts. In one run: a WGSL copy kernel measures the device's bandwidth; each gate kernel is timed as
 * effective bandwidth (every amplitude read and written once per pass: 2 × 8 B × 2^n) and reported as a fraction
 * of it; depth-20 random circuits, QFT and GHZ are timed end to end with 100k shots; the CPU/GPU crossover is the
 * smallest width where the GPU beats the threaded CPU backend on the same random circuit. Sizes follow the adapter:
 * a software adapter gets small ones.
 */
import type { Circuit, UnitaryOp } from '../quantum/index.js';
import { gate, H, Rng, rzzMatrix, uMatrix, X } from '../quantum/index.js';
import { createNodeStateVectorSimulator } from '../quantum-node/index.js';
import { openGpu, type GpuContext } from './gpu-device.js';
import { Batch, grid, GpuKernels } from './gpu-kernels.js';
import { emptyGpuStats, GpuState, statePasses } from './gpu-state.js';
import { ghz, measured, qft, randomCircuit } from './random-circuits.js';
import {
  chunkQubitsFor,
  createWebGpuSimulator,
  DEFAULT_GPU_FUSION_QUBITS,
  WebGpuSimulator,
  type WebGpuSimulatorOptions,
} from './webgpu-simulator.js';

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
  /** Kernel timing sizes (default 24, 27, 30, 33 up to maxQubits). */
  readonly sizes?: readonly number[];
  /** Tile width and low qubits of the simulator under test (default: the simulator's defaults). */
  readonly tileQubits?: number;
  readonly tileLowQubits?: number;
  /** Sections to run (default all). */
  readonly parts?: readonly ('kernels' | 'circuits' | 'variants' | 'crossover')[];
}

async function done(ctx: GpuContext): Promise<void> {
  await ctx.device.queue.onSubmittedWorkDone();
}

/**
 * Passes recorded per timing: enough that a run moves at least ~64 GiB at 24 qubits, so the per-pass cost of
 * recording and submitting is amortised the same way for the copy reference and for the gates.
 */
function repeatsFor(n: number, soft: boolean): number {
  if (soft) return 4;
  return Math.max(8, Math.min(256, Math.round(2 ** (32 - n))));
}

/**
 * Copy bandwidth (read + write) in GB/s for a state of 2^n amplitudes: `reps` passes, each a copy of every chunk
 * (2^c amplitudes) between two chunk-sized buffers, recorded into one batch through the same Batch as the gate
 * passes (partial submissions included) and timed from the start of recording to completion.
 */
async function copyBandwidth(
  ctx: GpuContext,
  kernels: GpuKernels,
  n: number,
  c: number,
  reps: number,
): Promise<number> {
  const pipeline = await kernels.pipeline('copy');
  const cn = Math.min(c, n);
  const chunks = 2 ** (n - cn);
  const size = 8 * 2 ** cn;
  const usage = GPUBufferUsage.STORAGE;
  const a = ctx.device.createBuffer({ size, usage });
  const b = ctx.device.createBuffer({ size, usage });
  const run = async (times: number): Promise<number> => {
    const t0 = performance.now();
    const batch = new Batch(ctx);
    const g = grid(2 ** cn);
    const u = batch.uniform(new Uint32Array([2 ** cn, g.wgx, 0, 0]).buffer);
    for (let i = 0; i < times * chunks; i++) batch.dispatch(pipeline, [u, i % 2 ? b : a, i % 2 ? a : b], g.x, g.y);
    await batch.submit('copy benchmark');
    await done(ctx);
    return performance.now() - t0;
  };
  await run(1);
  const ms = await fastestOf(TIMINGS, () => run(reps));
  a.destroy();
  b.destroy();
  return (2 * 8 * 2 ** n * reps) / (ms * 1e6);
}

/**
 * Timings per bandwidth figure, the fastest kept: single timings of the copy and of the gate kernels at 30 qubits
 * (8 passes, ~50 ms) varied between runs on the H100 by up to 20% for the copy and 30% for a gate kernel.
 */
const TIMINGS = 3;

async function fastestOf(times: number, timing: () => Promise<number>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) best = Math.min(best, await timing());
  return best;
}

interface KernelCase {
  readonly name: string;
  /** The gates of one timed unit; planned once, then recorded `repeats` times. */
  readonly ops: (n: number, c: number) => UnitaryOp[];
  readonly fusion?: number;
  /** false: the dense and diagonal kernels (no tiles). */
  readonly tiles?: boolean;
  readonly low?: number;
  readonly tile?: number;
  /** Threads of a tile workgroup as log2 (default: the simulator's). */
  readonly lanes?: number;
  readonly swizzle?: boolean;
  /** Units of this case per timing (default: repeatsFor). */
  readonly repeats?: (n: number, soft: boolean) => number;
  readonly target?: number;
}

const U = uMatrix(0.3, 0.2, 0.1);

function kernelCases(): KernelCase[] {
  return [
    { name: '1q gate, tile pass (top qubit)', ops: (n) => [gate('u', U, [n - 1])], target: 0.9 },
    { name: '1q gate, tile pass (qubit 0)', ops: () => [gate('u', U, [0])], target: 0.9 },
    { name: '1q gate, 2^12 tile pass (top qubit)', ops: (n) => [gate('u', U, [n - 1])], tile: 12 },
    { name: '1q gate, 2^10 tile pass (top qubit)', ops: (n) => [gate('u', U, [n - 1])], tile: 10 },
    { name: '1q gate, 2^10 tile pass, 2 low qubits', ops: (n) => [gate('u', U, [n - 1])], tile: 10, low: 2 },
    {
      name: 'random depth 20 plan, 2^10 tiles, per pass',
      ops: (n) => randomCircuit(n, 20).ops.filter((o): o is UnitaryOp => o.type === 'unitary'),
      repeats: () => 1,
      tile: 10,
      low: 2,
    },
    {
      name: 'tile pass of 16 gates on 8 qubits',
      ops: (n) => Array.from({ length: 16 }, (_, i) => gate('u', U, [i % 2 ? n - 1 - (i % 8) : i % 8])),
      fusion: 1,
    },
    {
      name: 'random depth 20 plan, per pass',
      ops: (n) => randomCircuit(n, 20).ops.filter((o): o is UnitaryOp => o.type === 'unitary'),
      repeats: () => 1,
    },
    {
      name: 'random depth 20 plan, per pass, swizzled slots',
      ops: (n: number) => randomCircuit(n, 20).ops.filter((o): o is UnitaryOp => o.type === 'unitary'),
      repeats: () => 1,
      swizzle: true,
    },
    ...[6, 8].map((lanes) => ({
      name: `random depth 20 plan, per pass, ${2 ** lanes} threads per tile`,
      ops: (n: number) => randomCircuit(n, 20).ops.filter((o): o is UnitaryOp => o.type === 'unitary'),
      repeats: () => 1,
      lanes,
    })),
    ...[6, 8].map((lanes) => ({
      name: `1q gate, tile pass (top qubit), ${2 ** lanes} threads per tile`,
      ops: (n: number) => [gate('u', U, [n - 1])],
      lanes,
    })),

    { name: '1q dense kernel, tiles off (top qubit)', ops: (n) => [gate('u', U, [n - 1])], tiles: false },
    {
      name: '2q dense kernel, tiles off',
      ops: (n) => [gate('rxx', fakeDense2(), [n - 2, n - 4])],
      tiles: false,
      fusion: 1,
    },
    {
      name: 'diagonal kernel (rzz), tiles off',
      ops: (n) => [gate('rzz', rzzMatrix(0.3), [n - 1, n - 3])],
      tiles: false,
      fusion: 1,
    },
    {
      name: 'cx, dense kernel, tiles off',
      ops: (n) => [gate('x', X, [n - 1], { controls: [n - 3] })],
      tiles: false,
      fusion: 1,
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

/**
 * Effective bandwidth of a case: its gates planned into passes, the plan recorded `reps` times into one batch,
 * timed from the start of recording to completion; every pass reads and writes the state once (2 × 8 B × 2^n).
 */
async function timeKernel(
  ctx: GpuContext,
  kernels: GpuKernels,
  n: number,
  c: number,
  k: KernelCase,
  reps: number,
): Promise<{ gbps: number; passes: number; chunkPairs: number }> {
  const stats = emptyGpuStats();
  const state = await GpuState.zero({
    ctx,
    kernels,
    numQubits: n,
    chunkQubits: Math.min(n, c),
    fusionQubits: k.fusion ?? DEFAULT_GPU_FUSION_QUBITS,
    stats,
    ...(k.tiles === false ? { tiles: false } : {}),
    ...(k.low !== undefined ? { tileLowQubits: k.low } : {}),
    ...(k.tile !== undefined ? { tileQubits: k.tile } : {}),
    ...(k.lanes !== undefined ? { tileLaneBits: k.lanes } : {}),
    ...(k.swizzle !== undefined ? { tileSwizzle: k.swizzle } : {}),
    // Tile cases time the tile kernel itself, light passes included.
    denseLightPasses: false,
  });
  try {
    const plan = state.plan(k.ops(n, c));
    await state.applyPlan(plan);
    await done(ctx);
    const before = statePasses(stats);
    const ms = await fastestOf(TIMINGS, async () => {
      const t0 = performance.now();
      await state.applyPlan(plan, reps);
      await done(ctx);
      return performance.now() - t0;
    });
    const passes = (statePasses(stats) - before) / (TIMINGS * reps);
    return {
      gbps: (2 * 8 * 2 ** n * passes * reps) / (ms * 1e6),
      passes,
      chunkPairs: stats.chunkPairDispatches,
    };
  } finally {
    await state.release();
  }
}

/** Where a circuit's time goes: planning on the host, the passes on the GPU, sampling. */
async function breakdown(
  ctx: GpuContext,
  kernels: GpuKernels,
  sim: WebGpuSimulator,
  circuit: Circuit,
  shots: number,
  tileOpts: { tileQubits?: number; tileLowQubits?: number },
): Promise<string> {
  const n = circuit.numQubits;
  const state = await GpuState.zero({
    ctx,
    kernels,
    numQubits: n,
    chunkQubits: sim.chunkQubits(n),
    fusionQubits: sim.fusionWidth(n),
    stats: emptyGpuStats(),
    ...tileOpts,
  });
  try {
    await done(ctx);
    const ops = circuit.ops.filter((o): o is UnitaryOp => o.type === 'unitary');
    const t0 = performance.now();
    const plan = state.plan(ops);
    const t1 = performance.now();
    await state.applyPlan(plan);
    await done(ctx);
    const t2 = performance.now();
    await state.sample(
      Array.from({ length: n }, (_, q) => q),
      shots,
      new Rng(1),
    );
    const t3 = performance.now();
    const f = (ms: number): string => `${ms.toFixed(1)} ms`;
    return `plan ${f(t1 - t0)}, passes ${f(t2 - t1)} (${plan.length}), sampling ${f(t3 - t2)}`;
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
  const tOpen = performance.now();
  const ctx = await openGpu();
  const openMs = performance.now() - tOpen;
  const kernels = new GpuKernels(ctx);
  const c = chunkQubitsFor(ctx.info);
  const soft = ctx.info.software;
  const maxQ = options.maxQubits ?? (soft ? (quick ? 16 : 20) : quick ? 28 : 33);
  log(`device: ${ctx.info.description}; chunk 2^${c} amplitudes; largest state ${maxQ} qubits`);
  rows.push({ case: 'opening the device', value: openMs, unit: 'ms' });
  log(`opening the device: ${openMs.toFixed(0)} ms`);
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

  const runs = (part: 'kernels' | 'circuits' | 'variants' | 'crossover'): boolean =>
    options.parts === undefined || options.parts.includes(part);
  const kernelSizes = !runs('kernels')
    ? []
    : (options.sizes ?? (soft ? [Math.min(18, maxQ)] : [24, 27, 30, 33])).filter((n) => n <= maxQ);
  for (const n of kernelSizes) {
    const reps = repeatsFor(n, soft);
    const copy = await copyBandwidth(ctx, kernels, n, c, reps);
    add({ case: `copy kernel @${n}q (fastest of ${TIMINGS} timings of ${reps} passes)`, value: copy, unit: 'GB/s' });
    for (const k of kernelCases()) {
      await tryRun(`${k.name} @${n}q`, async () => {
        const r = k.repeats?.(n, soft) ?? reps;
        const { gbps, passes, chunkPairs } = await timeKernel(ctx, kernels, n, c, k, r);
        const frac = gbps / copy;
        add({
          case: `${k.name} @${n}q`,
          value: frac,
          unit: 'of copy bandwidth',
          ...(k.target !== undefined ? { target: `≥ ${k.target}`, met: frac >= k.target } : {}),
          note:
            `${gbps.toFixed(1)} GB/s, ${passes} pass${passes === 1 ? '' : 'es'} × ${r}` +
            (chunkPairs > 0 ? `, ${chunkPairs} chunk-group dispatches` : ''),
        });
      });
    }
  }

  const tileOpts = {
    ...(options.tileQubits !== undefined ? { tileQubits: options.tileQubits } : {}),
    ...(options.tileLowQubits !== undefined ? { tileLowQubits: options.tileLowQubits } : {}),
  };
  if (Object.keys(tileOpts).length > 0) {
    log(`tiles: ${JSON.stringify(tileOpts)}`);
  }
  const sim = await createWebGpuSimulator({ context: ctx, ...tileOpts });
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
  for (const cc of runs('circuits') ? circuits : []) {
    await tryRun(cc.name, async () => {
      const circuit = measured(cc.circuit());
      // First run compiles any new shader variant; the second is the steady state that is reported.
      const cold = await timeCircuit(() => sim.simulate(circuit, { shots, seed: 1 }));
      const ms = await timeCircuit(() => sim.simulate(circuit, { shots, seed: 1 }));
      const s = sim.lastStats;
      const parts = await breakdown(ctx, kernels, sim, circuit, shots, tileOpts);
      add({
        case: `${cc.name}, ${shots} shots`,
        value: ms / 1000,
        unit: 's',
        ...(cc.target !== undefined ? { target: `< ${cc.target / 1000} s`, met: ms < cc.target } : {}),
        note:
          `${statePasses(s)} passes (${s.passes.tile} tile, ${s.passes.dense} dense, ${s.passes.diagonal} diagonal), ` +
          `${s.tileGates} gates in tiles, first run ${(cold / 1000).toFixed(3)} s; ${parts}`,
      });
    });
  }

  // Tile fusion width and the kernels without tiles: the depth-20 random circuit at the largest width ≤ 30.
  const fw = soft ? Math.min(14, maxQ) : Math.min(30, maxQ);
  const variants: [string, WebGpuSimulatorOptions][] = [
    ['tiles of 2^10', { tileQubits: 10 }],
    ['tiles of 2^11, 2 low qubits', { tileQubits: 11, tileLowQubits: 2 }],
    ['tiles of 2^11, 64 threads', { tileQubits: 11, tileLaneBits: 6 }],
    ['tiles of 2^11, 256 threads', { tileQubits: 11, tileLaneBits: 8 }],
    ['tiles of 2^11, swizzled slots', { tileQubits: 11, tileSwizzle: true }],
    ['tiles of 2^11, blocks of 3 qubits', { tileQubits: 11, tileFusionQubits: 3 }],
    ['light passes kept in tiles', { denseLightPasses: false }],
    ['tiles of 2^12', { tileQubits: 12 }],
    ['no tiles, dense blocks of 4 qubits', { fusionQubits: 4, tiles: false }],
  ];
  for (const [label, opts] of runs('variants') ? variants : []) {
    await tryRun(`random depth 20 @${fw}q, ${label}`, async () => {
      const s = new WebGpuSimulator(ctx, opts);
      const circuit = measured(randomCircuit(fw, 20));
      await s.simulate(circuit, { shots, seed: 1 });
      const ms = await timeCircuit(() => s.simulate(circuit, { shots, seed: 1 }));
      const st = s.lastStats;
      add({
        case: `random depth 20 @${fw}q, ${label}, ${shots} shots`,
        value: ms / 1000,
        unit: 's',
        note: `${statePasses(st)} passes, ${st.dispatches} dispatches`,
      });
    });
  }
  // The cost rule for light passes on the GHZ chain: kept in tiles against the default.
  const gq = soft ? maxQ : Math.min(33, maxQ);
  for (const keep of runs('variants') ? [true] : []) {
    await tryRun(`GHZ-${gq}, light passes kept in tiles`, async () => {
      const s = new WebGpuSimulator(ctx, { denseLightPasses: !keep });
      const circuit = measured(ghz(gq));
      await s.simulate(circuit, { shots, seed: 1 });
      const ms = await timeCircuit(() => s.simulate(circuit, { shots, seed: 1 }));
      const st = s.lastStats;
      add({
        case: `GHZ-${gq}, light passes kept in tiles, ${shots} shots`,
        value: ms / 1000,
        unit: 's',
        note: `${statePasses(st)} passes (${st.passes.tile} tile, ${st.passes.dense} dense, ${st.passes.diagonal} diagonal)`,
      });
    });
  }

  // Crossover: the same depth-20 random circuit, 1000 shots, on the threaded CPU backend (complex64) and the GPU.
  const cpu = await createNodeStateVectorSimulator({ precision: 64 });
  try {
    const wins: [number, boolean][] = [];
    const top = soft ? Math.min(maxQ, quick ? 14 : 18) : Math.min(maxQ, quick ? 22 : 24);
    for (let n = 8; runs('crossover') && n <= top; n += 2) {
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
    if (runs('crossover'))
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
