/**
 * Kernel bandwidth benchmark: each state-vector kernel's pass time as a fraction of this machine's copy bandwidth,
 * at a given size and thread count. Two copy references are measured in the same run: a typed-array copy
 * (`Float64Array.prototype.set`) of the same size on one thread, and the same copy split over the same number of
 * threads (each thread copies its slice of a SharedArrayBuffer). Used by `bench/quantum.ts` and by
 * `bench-kernels-main.ts`, which runs from dist/ with production dependencies only.
 */
import os from 'node:os';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { CompiledOp, KernelExecutor } from '../quantum/index.js';
import {
  compileOp,
  densePlan,
  expandGate,
  H,
  mulMatrix,
  phaseMatrix,
  rxMatrix,
  ryMatrix,
  rzMatrix,
  serialExecutor,
  uMatrix,
  X,
} from '../quantum/index.js';
import { createThreadedExecutor } from './threaded-executor.js';

export interface KernelCase {
  readonly name: string;
  readonly op: CompiledOp;
}

const on = (q: number, m: Float64Array, qs: number[], controls: number[] = []): Float64Array =>
  expandGate({ targets: [q], matrix: m, controls, controlValues: controls.map(() => 1) }, qs);

/** The kernels measured at n qubits; the dense ones name the kernel form they run on. */
export function kernelCases(n: number): KernelCase[] {
  const mid = n >> 1;
  const top = n - 1;
  const u = uMatrix(0.3, 0.2, 0.1);
  // A fused block of the random circuits: rx and ry on two qubits, then cz (a general complex 4×4).
  const general = mulMatrix(
    expandGate({ targets: [0], matrix: phaseMatrix(Math.PI), controls: [1], controlValues: [1] }, [0, 1]),
    mulMatrix(on(0, rxMatrix(0.7), [0, 1]), on(1, ryMatrix(0.4), [0, 1])),
  );
  const real = mulMatrix(on(1, X, [0, 1], [0]), mulMatrix(on(0, ryMatrix(0.7), [0, 1]), on(1, ryMatrix(0.4), [0, 1])));
  const block = mulMatrix(on(0, u, [0, 1]), on(0, H, [0, 1], [1]));
  let three = on(0, rxMatrix(0.3), [0, 1, 2]);
  for (const g of [on(1, ryMatrix(0.5), [0, 1, 2]), on(2, rxMatrix(0.9), [0, 1, 2]), on(2, X, [0, 1, 2], [0])]) {
    three = mulMatrix(g, three);
  }
  const cases: KernelCase[] = [
    { name: '1-qubit dense (u), qubit 0', op: compileOp(n, [0], u) },
    { name: '1-qubit dense (u), qubit 1', op: compileOp(n, [1], u) },
    { name: '1-qubit dense (u), middle qubit', op: compileOp(n, [mid], u) },
    { name: '1-qubit dense (u), top qubit', op: compileOp(n, [top], u) },
    { name: '1-qubit real (ry), qubit 0', op: compileOp(n, [0], ryMatrix(0.3)) },
    { name: '1-qubit real (ry), middle qubit', op: compileOp(n, [mid], ryMatrix(0.3)) },
    { name: 'diagonal (rz), middle qubit', op: compileOp(n, [mid], rzMatrix(0.4)) },
    { name: 'diagonal (cz: 1 amplitude in 4 touched)', op: compileOp(n, [mid], phaseMatrix(Math.PI), [2], [1]) },
    { name: 'permutation (x), middle qubit', op: compileOp(n, [mid], X) },
    { name: 'permutation (cx: 2 amplitudes in 4 touched)', op: compileOp(n, [mid], X, [2], [1]) },
    { name: '2-qubit general (rx·ry·cz), qubits 1, n−2', op: compileOp(n, [1, n - 2], general) },
    { name: '2-qubit general (rx·ry·cz), qubits 0, 1', op: compileOp(n, [0, 1], general) },
    { name: '2-qubit general (rx·ry·cz), qubits n−2, n−1', op: compileOp(n, [n - 2, top], general) },
    { name: '2-qubit real (ry·ry·cx), qubits 1, n−2', op: compileOp(n, [1, n - 2], real) },
    { name: '2-qubit block-diagonal (u·controlled-h), qubits 1, n−2', op: compileOp(n, [1, n - 2], block) },
    { name: '3-qubit fused block, qubits 0, middle, top', op: compileOp(n, [0, mid, top], three) },
  ];
  return cases.map((c) => (c.op.kind === 'dense' ? { ...c, name: `${c.name} [${densePlan(c.op).form}]` } : c));
}

/** Median of `repeat` timed calls after one warm-up; slow calls (over 0.5 s) are repeated 3 times only. */
export function medianMs(fn: () => void, repeat = 5): number {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const times: number[] = [];
  const count = first > 500 ? Math.min(3, repeat) : repeat;
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const COPY_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { control, src, dst, from, to } = workerData;
const ctrl = new Int32Array(control);
const s = new Float64Array(src);
const d = new Float64Array(dst);
parentPort.postMessage('ready');
let generation = 0;
for (;;) {
  Atomics.wait(ctrl, 0, generation);
  generation = Atomics.load(ctrl, 0);
  if (Atomics.load(ctrl, 2) === 1) break;
  d.set(s.subarray(from, to), from);
  Atomics.add(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
`;

/** A copy of `length` doubles split over `threads` threads (the calling one included), over shared memory. */
export interface ParallelCopy {
  run(): void;
  close(): Promise<void>;
}

export async function createParallelCopy(length: number, threads: number): Promise<ParallelCopy> {
  const src = new Float64Array(new SharedArrayBuffer(8 * length)).fill(1);
  const dst = new Float64Array(new SharedArrayBuffer(8 * length));
  const control = new SharedArrayBuffer(16);
  const ctrl = new Int32Array(control);
  // Slices of whole cache lines (8 doubles).
  const cut = (i: number): number => (i >= threads ? length : Math.floor((i * length) / threads / 8) * 8);
  const workers: Worker[] = [];
  for (let i = 1; i < threads; i++) {
    const workerData = { control, src: src.buffer, dst: dst.buffer, from: cut(i), to: cut(i + 1) };
    workers.push(new Worker(COPY_WORKER, { eval: true, workerData }));
  }
  await Promise.all(workers.map((w) => once(w, 'message')));
  const end0 = cut(1);
  return {
    run() {
      Atomics.store(ctrl, 1, 0);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
      dst.set(src.subarray(0, end0));
      for (;;) {
        const done = Atomics.load(ctrl, 1);
        if (done >= workers.length) return;
        Atomics.wait(ctrl, 1, done, 1000);
      }
    },
    async close() {
      Atomics.store(ctrl, 2, 1);
      Atomics.add(ctrl, 0, 1);
      Atomics.notify(ctrl, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export interface KernelRow {
  readonly qubits: number;
  readonly threads: number;
  readonly kernel: string;
  readonly kind: string;
  readonly ms: number;
  /** Effective GB/s: 2 × 16 B × 2^n per pass (complex128), even for kernels that touch part of the state. */
  readonly gbs: number;
  /** Copy bandwidth (read + write) on one thread, plain ArrayBuffer. */
  readonly copy1Gbs: number;
  /** Copy bandwidth with `threads` threads over a SharedArrayBuffer (equal to copy1Gbs for one thread). */
  readonly copyThreadsGbs: number;
  readonly ofCopy1: number;
  readonly ofCopyThreads: number;
}

export interface KernelBenchOptions {
  readonly qubits: readonly number[];
  readonly threads: readonly number[];
  readonly log?: (line: string) => void;
}

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} logical CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

export async function runKernelBenchmark(options: KernelBenchOptions): Promise<KernelRow[]> {
  const log = options.log ?? ((): void => undefined);
  const rows: KernelRow[] = [];
  for (const n of options.qubits) {
    const length = 2 * 2 ** n;
    const bytes = 2 * 16 * 2 ** n;
    const cases = kernelCases(n);
    const src = new Float64Array(length).fill(1);
    const dst = new Float64Array(length);
    for (const threads of options.threads) {
      let executor: KernelExecutor = serialExecutor();
      let close = async (): Promise<void> => undefined;
      if (threads > 1) {
        const threaded = await createThreadedExecutor({ threads, minQubits: 0 });
        executor = threaded;
        close = () => threaded.close();
      }
      const psi = executor.allocate(n, 128);
      psi.fill(0.001);
      const copy = threads > 1 ? await createParallelCopy(length, threads) : undefined;
      try {
        for (const { name, op } of cases) {
          // Copies measured beside each kernel, so slow drift on a shared machine hits both alike.
          const copy1 = bytes / (medianMs(() => dst.set(src)) * 1e6);
          const copyT = copy ? bytes / (medianMs(() => copy.run()) * 1e6) : copy1;
          const ms = medianMs(() => executor.run(psi, op));
          const gbs = bytes / (ms * 1e6);
          const row: KernelRow = {
            qubits: n,
            threads,
            kernel: name,
            kind: op.kind,
            ms,
            gbs,
            copy1Gbs: copy1,
            copyThreadsGbs: copyT,
            ofCopy1: gbs / copy1,
            ofCopyThreads: gbs / copyT,
          };
          rows.push(row);
          log(
            `${n} qubits, ${threads} thread(s): ${name}: ${ms.toFixed(1)} ms, ${gbs.toFixed(1)} GB/s, ` +
              `${row.ofCopy1.toFixed(2)} of 1-thread copy (${copy1.toFixed(1)} GB/s), ` +
              `${row.ofCopyThreads.toFixed(2)} of ${threads}-thread copy (${copyT.toFixed(1)} GB/s)`,
          );
        }
      } finally {
        await copy?.close();
        await close();
      }
    }
  }
  return rows;
}
