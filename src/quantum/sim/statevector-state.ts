/**
 * The state-vector backend's state: 2^n amplitudes, interleaved re/im, in a Float64Array (complex128) or a
 * Float32Array (complex64). Gates are compiled once (kind detection), optionally fused, and run by a
 * KernelExecutor. `stats` counts passes by kernel kind and fused gates, so tests can assert the fast path ran.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { GlobalPhaseOp, UnitaryOp } from '../circuit.js';
import type { PauliSum, PauliTerm } from '../simulator.js';
import { compileDiagonal, compileOp, type CompiledOp, type KernelKind } from './compiled-op.js';
import { fuseGates } from './fusion.js';
import type { KernelExecutor } from './kernel-executor.js';
import type { Amplitudes } from './kernels.js';
import { MAX_TILE_DIAGONAL_QUBITS, planPasses } from './pass-plan.js';
import { compileTilePass } from './tile-program.js';
import type { Rng } from './prng.js';
import type { Outcome, SimState, WeightedOutcome } from './sim-state.js';

/** Low qubits every CPU tile holds: tiles are gathered in runs of 2^this consecutive amplitudes. */
export const TILE_LOW_QUBITS = 5;

export interface SvStats {
  /** Passes over the state by kernel kind. */
  passes: Record<KernelKind, number>;
  /** Fused blocks applied and the gates they replaced. */
  fusedBlocks: number;
  fusedGates: number;
  /** Cache-blocked tile passes (each one sweep over the state) and the circuit gates they applied. */
  tilePasses: number;
  tileGates: number;
  /** Kernel calls inside tiles (fused blocks and lone gates, per tile): the in-cache work. */
  tileKernels: number;
  /** Amplitude precision the run used: 128 = complex128 (Float64Array), 64 = complex64 (Float32Array). */
  precision: 64 | 128;
}

export function emptyStats(precision: 64 | 128 = 128): SvStats {
  return {
    passes: { dense: 0, diagonal: 0, permutation: 0, identity: 0 },
    fusedBlocks: 0,
    fusedGates: 0,
    tilePasses: 0,
    tileGates: 0,
    tileKernels: 0,
    precision,
  };
}

export interface SvContext {
  readonly numQubits: number;
  readonly precision: 64 | 128;
  readonly executor: KernelExecutor;
  /** Fusion width; 0 disables fusion, 1 merges gates on the same single qubit. */
  readonly fusionQubits: number;
  /**
   * Cache blocking: tile width t in qubits (2^t amplitudes per tile), or 0 for gate-by-gate passes. States of at
   * least `tileMinQubits` qubits run the shared pass plan (pass-plan.ts) as tile passes.
   */
  readonly tileQubits: number;
  readonly tileMinQubits: number;
  readonly stats: SvStats;
}

export class StateVectorState implements SimState {
  readonly numQubits: number;
  readonly truncationError = 0;
  private readonly cache = new WeakMap<UnitaryOp, CompiledOp>();

  constructor(
    readonly ctx: SvContext,
    readonly psi: Amplitudes,
  ) {
    this.numQubits = ctx.numQubits;
  }

  static zero(ctx: SvContext): StateVectorState {
    const psi = ctx.executor.allocate(ctx.numQubits, ctx.precision);
    psi[0] = 1;
    return new StateVectorState(ctx, psi);
  }

  get bytes(): number {
    return this.psi.byteLength;
  }

  clone(): StateVectorState {
    const psi = this.ctx.executor.allocate(this.numQubits, this.ctx.precision);
    psi.set(this.psi);
    return new StateVectorState(this.ctx, psi);
  }

  copyFrom(other: StateVectorState): void {
    this.psi.set(other.psi);
  }

  run(op: CompiledOp): void {
    if (op.kind === 'identity') return;
    this.ctx.stats.passes[op.kind]++;
    this.ctx.executor.run(this.psi, op);
  }

  compiled(op: UnitaryOp): CompiledOp {
    let c = this.cache.get(op);
    if (!c) {
      c = compileOp(this.numQubits, op.targets, op.matrix, op.controls, op.controlValues);
      this.cache.set(op, c);
    }
    return c;
  }

  applyUnitaries(ops: readonly (UnitaryOp | GlobalPhaseOp)[]): void {
    let run: UnitaryOp[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      if (this.useTiles(run.length)) this.applyPlanned(run);
      else if (this.ctx.fusionQubits >= 1 && run.length > 1) {
        for (const block of fuseGates(run, this.ctx.fusionQubits)) {
          if (block.kind === 'op') {
            this.run(this.compiled(block.op));
            continue;
          }
          this.ctx.stats.fusedBlocks++;
          this.ctx.stats.fusedGates += block.gates;
          this.run(
            block.kind === 'diagonal'
              ? compileDiagonal(this.numQubits, block.qubits, block.diagonal)
              : compileOp(this.numQubits, block.qubits, block.matrix),
          );
        }
      } else for (const op of run) this.run(this.compiled(op));
      run = [];
    };
    for (const op of ops) {
      if (op.type === 'unitary') run.push(op);
      else {
        flush();
        this.phase(op.angle);
      }
    }
    flush();
  }

  private useTiles(gates: number): boolean {
    const { tileQubits, tileMinQubits, numQubits } = this.ctx;
    return tileQubits > 0 && numQubits >= tileMinQubits && gates > 1;
  }

  /** Runs gates as the shared pass plan: tile passes through the executor's tile kernel, the rest gate by gate. */
  private applyPlanned(ops: readonly UnitaryOp[]): void {
    const n = this.numQubits;
    const plan = planPasses(ops, {
      numQubits: n,
      chunkQubits: n,
      tileQubits: this.ctx.tileQubits,
      lowQubits: Math.min(TILE_LOW_QUBITS, this.ctx.tileQubits),
      maxChunkBits: 0,
      fusionQubits: Math.max(1, this.ctx.fusionQubits),
      diagonalFusionQubits: this.ctx.fusionQubits >= 1 ? MAX_TILE_DIAGONAL_QUBITS : 1,
    });
    for (const pass of plan) {
      if (pass.kind === 'op') {
        this.run(this.compiled(pass.op));
        continue;
      }
      const program = compileTilePass(n, pass);
      this.ctx.stats.tilePasses++;
      this.ctx.stats.tileGates += pass.ops;
      this.ctx.stats.tileKernels += pass.gates.length;
      for (const g of pass.gates) {
        if (g.gates > 1) {
          this.ctx.stats.fusedBlocks++;
          this.ctx.stats.fusedGates += g.gates;
        }
      }
      this.ctx.executor.runTiles(this.psi, program);
    }
  }

  /** Multiplies the state by e^{iθ}. */
  phase(angle: number): void {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const psi = this.psi;
    for (let x = 0; x < psi.length; x += 2) {
      const r = psi[x]!;
      const i = psi[x + 1]!;
      psi[x] = c * r - s * i;
      psi[x + 1] = c * i + s * r;
    }
  }

  applyMatrix(targets: readonly number[], matrix: Float64Array): void {
    this.run(compileOp(this.numQubits, targets, matrix));
  }

  scale(factor: number): void {
    const psi = this.psi;
    for (let x = 0; x < psi.length; x++) psi[x]! *= factor;
  }

  normSquared(): number {
    const psi = this.psi;
    let s = 0;
    for (let x = 0; x < psi.length; x++) s += psi[x]! * psi[x]!;
    return s;
  }

  probabilityOfOne(qubit: number): number {
    const psi = this.psi;
    const bit = 1 << qubit;
    const dim = psi.length / 2;
    let p = 0;
    let total = 0;
    for (let i = 0; i < dim; i++) {
      const w = psi[2 * i]! * psi[2 * i]! + psi[2 * i + 1]! * psi[2 * i + 1]!;
      total += w;
      if (i & bit) p += w;
    }
    return total > 0 ? p / total : 0;
  }

  collapse(qubit: number, outcome: 0 | 1, probability: number): void {
    const psi = this.psi;
    const bit = 1 << qubit;
    const keep = outcome === 1 ? bit : 0;
    const f = 1 / Math.sqrt(probability * this.normSquared());
    const dim = psi.length / 2;
    for (let i = 0; i < dim; i++) {
      if ((i & bit) === keep) {
        psi[2 * i]! *= f;
        psi[2 * i + 1]! *= f;
      } else {
        psi[2 * i] = 0;
        psi[2 * i + 1] = 0;
      }
    }
  }

  expectation(observable: PauliSum): number {
    let e = 0;
    for (const term of observable.terms) e += term.coefficient * this.pauliExpectation(term);
    return e;
  }

  /** ⟨ψ|P|ψ⟩ for one Pauli string: P|i⟩ = i^{#Y} (−1)^{|i ∧ zy|} |i ⊕ xy⟩. */
  pauliExpectation(term: PauliTerm): number {
    const { flip, sign, ys } = pauliMasks(term);
    const psi = this.psi;
    const dim = psi.length / 2;
    let sr = 0;
    let si = 0;
    for (let i = 0; i < dim; i++) {
      const j = i ^ flip;
      const ar = psi[2 * j]!,
        ai = psi[2 * j + 1]!,
        br = psi[2 * i]!,
        bi = psi[2 * i + 1]!;
      // conj(ψ_j) ψ_i
      const re = ar * br + ai * bi;
      const im = ar * bi - ai * br;
      if (parity(i & sign)) {
        sr -= re;
        si -= im;
      } else {
        sr += re;
        si += im;
      }
    }
    // multiply by i^{ys} and keep the real part
    switch (ys & 3) {
      case 0:
        return sr;
      case 1:
        return -si;
      case 2:
        return -sr;
      default:
        return si;
    }
  }

  /** out += coefficient · P ψ for each term (out must start zeroed). */
  applyPauliSum(observable: PauliSum, out: StateVectorState): void {
    const psi = this.psi;
    const o = out.psi;
    const dim = psi.length / 2;
    for (const term of observable.terms) {
      const { flip, sign, ys } = pauliMasks(term);
      // coefficient × i^{ys}
      const k = ys & 3;
      const cr = k === 0 ? term.coefficient : k === 2 ? -term.coefficient : 0;
      const ci = k === 1 ? term.coefficient : k === 3 ? -term.coefficient : 0;
      for (let i = 0; i < dim; i++) {
        const s = parity(i & sign) ? -1 : 1;
        const br = psi[2 * i]! * s,
          bi = psi[2 * i + 1]! * s;
        const j = i ^ flip;
        o[2 * j]! += cr * br - ci * bi;
        o[2 * j + 1]! += cr * bi + ci * br;
      }
    }
  }

  /** Σ conj(a_i) b_i over the indices i with (i & mask) === value. */
  innerProduct(other: StateVectorState, mask = 0, value = 0): [number, number] {
    const a = this.psi;
    const b = other.psi;
    const dim = a.length / 2;
    let re = 0;
    let im = 0;
    for (let i = 0; i < dim; i++) {
      if ((i & mask) !== value) continue;
      const ar = a[2 * i]!,
        ai = a[2 * i + 1]!,
        br = b[2 * i]!,
        bi = b[2 * i + 1]!;
      re += ar * br + ai * bi;
      im += ar * bi - ai * br;
    }
    return [re, im];
  }

  /**
   * Sampling by sorted uniforms: `shots` uniforms scaled by the norm, sorted, then one sweep of the cumulative
   * probabilities. O(2^n + shots·log shots), no table of 2^n cumulative values.
   */
  sampleIndices(shots: number, rng: Rng): Float64Array {
    const u = new Float64Array(shots);
    const total = this.normSquared();
    for (let s = 0; s < shots; s++) u[s] = rng.next() * total;
    u.sort();
    const out = new Float64Array(shots);
    const psi = this.psi;
    const dim = psi.length / 2;
    let cum = 0;
    let i = -1;
    let lastNonZero = 0;
    for (let s = 0; s < shots; s++) {
      while (cum <= u[s]! && i < dim - 1) {
        i++;
        const w = psi[2 * i]! * psi[2 * i]! + psi[2 * i + 1]! * psi[2 * i + 1]!;
        if (w > 0) lastNonZero = i;
        cum += w;
      }
      // Rounding can leave u above the final cumulative sum: fall back on the last index with weight.
      out[s] = cum > u[s]! ? i : lastNonZero;
    }
    return out;
  }

  sample(qubits: readonly number[], shots: number, rng: Rng): Outcome[] {
    const idx = this.sampleIndices(shots, rng);
    const out: Outcome[] = [];
    let s = 0;
    while (s < shots) {
      const v = idx[s]!;
      let e = s + 1;
      while (e < shots && idx[e] === v) e++;
      out.push({ bits: bitsOf(v, qubits), count: e - s });
      s = e;
    }
    return out;
  }

  distribution(qubits: readonly number[]): WeightedOutcome[] {
    const psi = this.psi;
    const dim = psi.length / 2;
    const acc = new Map<number, number>();
    const total = this.normSquared();
    for (let i = 0; i < dim; i++) {
      const w = psi[2 * i]! * psi[2 * i]! + psi[2 * i + 1]! * psi[2 * i + 1]!;
      if (w === 0) continue;
      let key = 0;
      for (let j = 0; j < qubits.length; j++) key += ((i >>> qubits[j]!) & 1) * 2 ** j;
      acc.set(key, (acc.get(key) ?? 0) + w / total);
    }
    return [...acc].map(([key, probability]) => ({
      bits: Uint8Array.from(qubits, (_, j) => Math.floor(key / 2 ** j) % 2),
      probability,
    }));
  }

  amplitudes(): { re: number[]; im: number[] } {
    const dim = this.psi.length / 2;
    const re = new Array<number>(dim);
    const im = new Array<number>(dim);
    for (let i = 0; i < dim; i++) {
      re[i] = this.psi[2 * i]!;
      im[i] = this.psi[2 * i + 1]!;
    }
    return { re, im };
  }
}

function bitsOf(index: number, qubits: readonly number[]): Uint8Array {
  return Uint8Array.from(qubits, (q) => Math.floor(index / 2 ** q) % 2);
}

export function pauliMasks(term: PauliTerm): { flip: number; sign: number; ys: number } {
  let flip = 0;
  let sign = 0;
  let ys = 0;
  for (const { qubit, pauli } of term.ops) {
    const b = 1 << qubit;
    if (pauli === 'X' || pauli === 'Y') flip ^= b;
    if (pauli === 'Z' || pauli === 'Y') sign ^= b;
    if (pauli === 'Y') ys++;
  }
  return { flip, sign, ys };
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}
