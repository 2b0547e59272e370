/**
 * Where state-vector kernels run. The default executor runs them on the calling thread; the Node area supplies a
 * multi-threaded one (worker_threads over SharedArrayBuffer) with the same interface, so the engine is unchanged.
 */
import type { CompiledOp } from './compiled-op.js';
import { applyCompiled, makeScratch, type Amplitudes } from './kernels.js';
import { applyTiles, tileBufferLength, type TileProgram } from './tile-program.js';
import { createWasmTiles } from './wasm-tiles.js';

export interface KernelExecutor {
  /** Allocates a zeroed interleaved amplitude array of 2 × 2^n numbers. */
  allocate(numQubits: number, precision: 64 | 128): Amplitudes;
  /** Applies a compiled op over every base index of `psi`. */
  run(psi: Amplitudes, op: CompiledOp): void;
  /** Applies a cache-blocked tile pass over every tile of `psi`. */
  runTiles(psi: Amplitudes, program: TileProgram): void;
  /** Threads the executor uses (1 for the serial one). */
  readonly threads: number;
  /** Kernels of the tile passes: WebAssembly SIMD where available, else TypeScript. */
  readonly tileKernels: TileKernels;
}

export type TileKernels = 'wasm' | 'typescript';

export interface ExecutorOptions {
  /** Run tile passes through the WebAssembly SIMD kernels when available (default true). */
  readonly wasm?: boolean;
}

/**
 * The tile-pass runner of one thread: WebAssembly SIMD when allowed and available, the TypeScript kernels
 * otherwise (and for a gate too wide for the WebAssembly kernels).
 */
export function tileRunner(wasm: boolean): {
  readonly kernels: TileKernels;
  run(psi: Amplitudes, p: TileProgram, lo: number, hi: number): void;
} {
  const scratch = makeScratch();
  const buffer = tileBuffer();
  const fast = wasm ? createWasmTiles() : undefined;
  return {
    kernels: fast ? 'wasm' : 'typescript',
    run(psi, p, lo, hi) {
      if (fast?.apply(psi, p, lo, hi)) return;
      applyTiles(psi, p, lo, hi, buffer(tileBufferLength(p)), scratch);
    },
  };
}

/** A tile buffer reused between passes: grown when a wider tile comes. */
export function tileBuffer(): (length: number) => Float64Array {
  let buf = new Float64Array(0);
  return (length) => {
    if (buf.length < length) buf = new Float64Array(length);
    return buf;
  };
}

export function serialExecutor(options: ExecutorOptions = {}): KernelExecutor {
  const scratch = makeScratch();
  const tiles = tileRunner(options.wasm ?? true);
  return {
    threads: 1,
    tileKernels: tiles.kernels,
    allocate: (n, precision) => (precision === 64 ? new Float32Array(2 * 2 ** n) : new Float64Array(2 * 2 ** n)),
    run: (psi, op) => applyCompiled(psi, op, 0, op.bases, scratch),
    runTiles: (psi, p) => tiles.run(psi, p, 0, p.tiles),
  };
}
