/**
 * Tile passes through the WebAssembly SIMD kernels (native/wasm/sv-kernels.c, built into generated/): each tile is
 * copied into the module's memory in the state's own precision (complex64 tiles compute in single precision with
 * f32x4, complex128 tiles in double with f64x2), the pass's gates run there, and the tile is copied back. The
 * TypeScript kernels (tile-program.ts) stay the fallback where WebAssembly SIMD is missing, and the oracle the
 * WebAssembly kernels are tested against.
 *
 * Memory layout from FREE: the gate table (bit positions and matrices of every gate of the pass, written once per
 * pass), then the tile. The memory grows when a pass needs more; views are made afresh after growth.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- typed-array loops with indices in range by
   construction. */
import type { CompiledOp } from './compiled-op.js';
import { SV_KERNELS_WASM } from './generated/sv-kernels-wasm.js';
import type { Amplitudes } from './kernels.js';
import { firstBase } from './kernels-one.js';
import { tileIsContiguous, type TileProgram } from './tile-program.js';

/** The part of the WebAssembly JavaScript API used here (the project's type libraries do not declare it). */
interface WasmModule {
  readonly brand?: 'module';
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Widest dense gate the WebAssembly kernels take (2^4 × 2^4 matrices), and widest diagonal. */
export const WASM_MAX_GATE_QUBITS = 4;
export const WASM_MAX_DIAGONAL_QUBITS = 6;
/** Bytes below this belong to the module (stack, data). */
const FREE = 1 << 20;
const PAGE = 65536;

interface Exports {
  readonly memory: WasmMemory;
  dense_f64(psi: number, t: number, k: number, pos: number, m: number): void;
  diag_f64(psi: number, t: number, k: number, pos: number, d: number): void;
  dense_f32(psi: number, t: number, k: number, pos: number, m: number): void;
  diag_f32(psi: number, t: number, k: number, pos: number, d: number): void;
}

export interface WasmTiles {
  /** Applies the program to tiles [lo, hi) of `psi`; false (nothing done) when a gate is too wide for the module. */
  apply(psi: Amplitudes, p: TileProgram, lo: number, hi: number): boolean;
}

let compiled: WasmModule | null | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function wasmModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = decodeBase64(SV_KERNELS_WASM);
    compiled = wasmApi?.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export function wasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** Kernel codes of the gate table. */
const IDENTITY = 0;
const DENSE = 1;
const DIAGONAL = 2;

/** A new instance with its own memory (one per thread), or undefined where WebAssembly SIMD is unavailable. */
export function createWasmTiles(): WasmTiles | undefined {
  const mod = wasmModule();
  if (!mod || !wasmApi) return undefined;
  const ex = new wasmApi.Instance(mod, {}).exports as Exports;
  const memory = ex.memory;
  const ensure = (bytes: number): void => {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
  };

  return {
    apply(psi, p, lo, hi) {
      const t = p.qubits.length;
      const single = psi instanceof Float32Array;
      const width = single ? 4 : 8;
      // Gate table: per gate and selector value a kernel code, k, position offset, matrix offset.
      const entries: number[] = [];
      const ints: number[] = [];
      const values: number[] = [];
      for (const g of p.gates) {
        for (const op of g.ops) {
          const k = op.targets.length;
          if (k > (op.kind === 'diagonal' ? WASM_MAX_DIAGONAL_QUBITS : WASM_MAX_GATE_QUBITS)) return false;
          if (op.kind === 'identity') {
            entries.push(IDENTITY, 0, 0, 0);
            continue;
          }
          entries.push(op.kind === 'diagonal' ? DIAGONAL : DENSE, k, ints.length, values.length);
          for (const q of op.targets) ints.push(q);
          pushMatrix(op, values);
        }
      }
      // Positions must be ascending for the kernels: compileOp keeps the block's sorted order.
      const posBase = FREE;
      const matBase = align(posBase + 4 * ints.length, 16);
      const tileBase = align(matBase + 8 * values.length, 16);
      const tileLen = 2 << t;
      ensure(tileBase + width * tileLen);
      const buf = memory.buffer;
      new Int32Array(buf, posBase, ints.length).set(ints);
      new Float64Array(buf, matBase, values.length).set(values);
      const tile = single ? new Float32Array(buf, tileBase, tileLen) : new Float64Array(buf, tileBase, tileLen);
      const dense = single ? ex.dense_f32 : ex.dense_f64;
      const diag = single ? ex.diag_f32 : ex.diag_f64;
      const table = Int32Array.from(entries);
      const offsetsPer = p.gates.map((g) => g.ops.length);

      const runGates = (base: number): void => {
        let e = 0;
        for (let gi = 0; gi < p.gates.length; gi++) {
          const sel = p.gates[gi]!.selectors;
          let s = 0;
          for (let i = 0; i < sel.length; i++) s |= ((base >>> sel[i]!) & 1) << i;
          const at = 4 * (e + s);
          e += offsetsPer[gi]!;
          const code = table[at]!;
          if (code === IDENTITY) continue;
          const k = table[at + 1]!;
          const pos = posBase + 4 * table[at + 2]!;
          const mat = matBase + 8 * table[at + 3]!;
          if (code === DENSE) dense(tileBase, t, k, pos, mat);
          else diag(tileBase, t, k, pos, mat);
        }
      };

      if (tileIsContiguous(p)) {
        for (let j = lo; j < hi; j++) {
          const from = j * tileLen;
          tile.set(psi.subarray(from, from + tileLen));
          runGates(j << t);
          psi.set(tile, from);
        }
        return true;
      }
      const low = p.low;
      const run = 2 << low;
      const runs = 1 << (t - low);
      const offs = new Float64Array(runs);
      for (let h = 0; h < runs; h++) {
        let o = 0;
        for (let b = 0; b < t - low; b++) if ((h >> b) & 1) o += 2 ** p.qubits[low + b]!;
        offs[h] = 2 * o;
      }
      let mask = 0;
      for (const q of p.qubits) mask |= 1 << q;
      for (let j = lo, base = firstBase(lo, p.qubits); j < hi; j++, base = ((base | mask) + 1) & ~mask) {
        const b0 = 2 * base;
        for (let h = 0, d = 0; h < runs; h++, d += run) {
          const s = b0 + offs[h]!;
          for (let x = 0; x < run; x++) tile[d + x] = psi[s + x]!;
        }
        runGates(base);
        for (let h = 0, d = 0; h < runs; h++, d += run) {
          const s = b0 + offs[h]!;
          for (let x = 0; x < run; x++) psi[s + x] = tile[d + x]!;
        }
      }
      return true;
    },
  };
}

function align(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/** The op's matrix for the kernels: a diagonal's entries, or the dense 2^k × 2^k matrix (permutations expanded). */
function pushMatrix(op: CompiledOp, out: number[]): void {
  const dim = 1 << op.targets.length;
  if (op.kind === 'diagonal' || op.kind === 'dense') {
    for (const v of op.values) out.push(v);
    return;
  }
  const m = new Array<number>(2 * dim * dim).fill(0);
  for (let c = 0; c < dim; c++) {
    const r = op.perm[c]!;
    m[2 * (r * dim + c)] = op.values[2 * c]!;
    m[2 * (r * dim + c) + 1] = op.values[2 * c + 1]!;
  }
  for (const v of m) out.push(v);
}
