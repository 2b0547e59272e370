/**
 * Where state-vector kernels run. The default executor runs them on the calling thread; the Node area supplies a
 * multi-threaded one (worker_threads over SharedArrayBuffer) with the same interface, so the engine is unchanged.
 */
import type { CompiledOp } from './compiled-op.js';
import { applyCompiled, makeScratch, type Amplitudes } from './kernels.js';
import { applyTiles, tileBufferLength, type TileProgram } from './tile-program.js';

export interface KernelExecutor {
  /** Allocates a zeroed interleaved amplitude array of 2 × 2^n numbers. */
  allocate(numQubits: number, precision: 64 | 128): Amplitudes;
  /** Applies a compiled op over every base index of `psi`. */
  run(psi: Amplitudes, op: CompiledOp): void;
  /** Applies a cache-blocked tile pass over every tile of `psi`. */
  runTiles(psi: Amplitudes, program: TileProgram): void;
  /** Threads the executor uses (1 for the serial one). */
  readonly threads: number;
}

/** A tile buffer reused between passes: grown when a wider tile comes. */
export function tileBuffer(): (length: number) => Float64Array {
  let buf = new Float64Array(0);
  return (length) => {
    if (buf.length < length) buf = new Float64Array(length);
    return buf;
  };
}

export function serialExecutor(): KernelExecutor {
  const scratch = makeScratch();
  const buffer = tileBuffer();
  return {
    threads: 1,
    allocate: (n, precision) => (precision === 64 ? new Float32Array(2 * 2 ** n) : new Float64Array(2 * 2 ** n)),
    run: (psi, op) => applyCompiled(psi, op, 0, op.bases, scratch),
    runTiles: (psi, p) => applyTiles(psi, p, 0, p.tiles, buffer(tileBufferLength(p)), scratch),
  };
}
