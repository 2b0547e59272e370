/**
 * Cache-blocked passes on the CPU: a tile pass of the shared plan (pass-plan.ts) compiled for the state-vector
 * kernels. A tile is the 2^t amplitudes whose indices differ only in the pass's t qubits; every tile is gathered into
 * a buffer that stays in the L2 cache, all the pass's gates run on it (compiled on t qubits, so the ordinary kernels
 * apply), and it is written back: one sweep over memory for many gates. Tiles are independent, so threads split the
 * tile range like they split the bases of a pass.
 *
 * The tile qubits always include the low qubits 0..L−1, so a tile is gathered in runs of 2^L consecutive
 * amplitudes; when they are exactly 0..t−1 the tile is already contiguous and the gates run in place.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction. */
import { compileOp, type CompiledOp } from './compiled-op.js';
import { applyCompiled, type Amplitudes } from './kernels.js';
import { firstBase } from './kernels-one.js';
import type { PlannedPass } from './pass-plan.js';

/** One gate of a tile: 2^selectors.length compiled ops on the tile's qubits, chosen by the bits at `selectors`. */
export interface TileKernel {
  readonly selectors: Int32Array;
  readonly ops: readonly CompiledOp[];
}

export interface TileProgram {
  /** Tile qubits, ascending (tile bit j ↔ qubits[j]). */
  readonly qubits: Int32Array;
  /** Low qubits 0..low−1 lead `qubits`: a tile is gathered in runs of 2^low amplitudes. */
  readonly low: number;
  readonly gates: readonly TileKernel[];
  /** Tiles in the state: 2^(n − t). */
  readonly tiles: number;
}

type TilePass = Extract<PlannedPass, { kind: 'tile' }>;

export function compileTilePass(numQubits: number, pass: TilePass): TileProgram {
  const qubits = Int32Array.from(pass.qubits);
  const t = qubits.length;
  let low = 0;
  while (low < t && qubits[low] === low) low++;
  const gates = pass.gates.map((g): TileKernel => {
    const dim = 1 << g.positions.length;
    const size = 2 * dim * dim;
    const ops: CompiledOp[] = [];
    for (let s = 0; s < 1 << g.selectors.length; s++) {
      ops.push(compileOp(t, g.positions, g.matrices.subarray(s * size, (s + 1) * size)));
    }
    return { selectors: Int32Array.from(g.selectors), ops };
  });
  return { qubits, low, gates, tiles: 2 ** (numQubits - t) };
}

/** Whether a tile is one contiguous block (tile qubits 0..t−1): no gather needed. */
export function tileIsContiguous(p: TileProgram): boolean {
  return p.low === p.qubits.length;
}

/** Tile buffer length (numbers) a program needs: 2 × 2^t. */
export function tileBufferLength(p: TileProgram): number {
  return 2 << p.qubits.length;
}

/**
 * Applies the program to tiles [lo, hi). `buf` holds one tile (tileBufferLength numbers, any precision: complex64
 * tiles gathered into a Float64Array compute in double precision); `scratch` is the dense kernels' scratch.
 */
export function applyTiles(
  psi: Amplitudes,
  p: TileProgram,
  lo: number,
  hi: number,
  buf: Amplitudes,
  scratch: Float64Array,
): void {
  const t = p.qubits.length;
  const size = 2 << t;
  if (tileIsContiguous(p)) {
    for (let j = lo; j < hi; j++) runGates(psi.subarray(j * size, (j + 1) * size), p, j << t, scratch);
    return;
  }
  const low = p.low;
  const run = 2 << low;
  // Offsets (in numbers) of the runs of one tile: run h deposits its bits at the high tile qubits.
  const runs = 1 << (t - low);
  const offs = new Float64Array(runs);
  for (let h = 0; h < runs; h++) {
    let o = 0;
    for (let b = 0; b < t - low; b++) if ((h >> b) & 1) o += 2 ** p.qubits[low + b]!;
    offs[h] = 2 * o;
  }
  const tileBits = p.qubits;
  const mask = tileMask(tileBits);
  for (let j = lo, base = firstBase(lo, tileBits); j < hi; j++, base = nextBase(base, mask)) {
    const b0 = 2 * base;
    for (let h = 0, d = 0; h < runs; h++, d += run) {
      const s = b0 + offs[h]!;
      for (let x = 0; x < run; x++) buf[d + x] = psi[s + x]!;
    }
    runGates(buf.subarray(0, size), p, base, scratch);
    for (let h = 0, d = 0; h < runs; h++, d += run) {
      const s = b0 + offs[h]!;
      for (let x = 0; x < run; x++) psi[s + x] = buf[d + x]!;
    }
  }
}

/** The index bits the tile qubits own (below 2^31: the engine's states are at most 2^30 amplitudes). */
function tileMask(qubits: Int32Array): number {
  let m = 0;
  for (const q of qubits) m |= 1 << q;
  return m;
}

function nextBase(b: number, mask: number): number {
  return ((b | mask) + 1) & ~mask;
}

function runGates(tile: Amplitudes, p: TileProgram, base: number, scratch: Float64Array): void {
  for (const g of p.gates) {
    let s = 0;
    const sel = g.selectors;
    for (let i = 0; i < sel.length; i++) s |= ((base >>> sel[i]!) & 1) << i;
    const op = g.ops[s]!;
    if (op.kind !== 'identity') applyCompiled(tile, op, 0, op.bases, scratch);
  }
}
