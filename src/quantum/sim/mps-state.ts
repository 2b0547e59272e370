/**
 * Matrix-product state: site s holds a tensor A[s] of shape (χ_s, 2, χ_{s+1}), interleaved complex, row-major.
 * The state is kept in mixed canonical form around an orthogonality centre, so the singular values of a split are
 * the Schmidt coefficients and the discarded weight (sum of discarded squared singular values) is the exact
 * truncation error. Gates on several qubits are brought onto consecutive sites by adjacent SWAPs (the qubit →
 * site map is updated, not undone), contracted, multiplied by the gate and split back with SVDs capped at the
 * maximum bond dimension.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- tensor index arithmetic over typed arrays, in range
   by construction. */
import { MamlError } from '../../shared/errors.js';
import type { GlobalPhaseOp, UnitaryOp } from '../circuit.js';
import type { PauliSum } from '../simulator.js';
import { expandGate } from './expand.js';
import { SWAP } from './gates.js';
import type { Rng } from './prng.js';
import type { Outcome, SimState, WeightedOutcome } from './sim-state.js';
import { svd } from './svd.js';

/** Singular values below this fraction of the largest are zero (rounding), dropped even without a cap. */
const RELATIVE_ZERO = 1e-13;
/** Largest n for which amplitudes() / distribution() build the full vector. */
export const MPS_DENSE_LIMIT = 22;

const PAULI: Record<'X' | 'Y' | 'Z', readonly number[]> = {
  X: [0, 0, 1, 0, 1, 0, 0, 0],
  Y: [0, 0, 0, -1, 0, 1, 0, 0],
  Z: [1, 0, 0, 0, 0, 0, -1, 0],
};

export class MpsState implements SimState {
  truncationError = 0;

  private constructor(
    readonly numQubits: number,
    readonly maxBond: number,
    private tensors: Float64Array[],
    /** bond[s] = left dimension of site s; bond[0] = bond[n] = 1. */
    private bond: number[],
    private siteOf: number[],
    private qubitAt: number[],
    private center: number,
  ) {}

  static zero(numQubits: number, maxBond: number): MpsState {
    const tensors = Array.from({ length: numQubits }, () => Float64Array.from([1, 0, 0, 0]));
    const ids = Array.from({ length: numQubits }, (_, i) => i);
    return new MpsState(numQubits, maxBond, tensors, new Array<number>(numQubits + 1).fill(1), ids, [...ids], 0);
  }

  get bytes(): number {
    return this.tensors.reduce((s, t) => s + t.byteLength, 0);
  }

  /** Largest bond dimension now. */
  get maxBondInUse(): number {
    return Math.max(...this.bond);
  }

  clone(): MpsState {
    const c = new MpsState(
      this.numQubits,
      this.maxBond,
      this.tensors.map((t) => t.slice()),
      [...this.bond],
      [...this.siteOf],
      [...this.qubitAt],
      this.center,
    );
    c.truncationError = this.truncationError;
    return c;
  }

  applyUnitaries(ops: readonly (UnitaryOp | GlobalPhaseOp)[]): void {
    for (const op of ops) {
      if (op.type === 'gphase') this.scaleComplex(Math.cos(op.angle), Math.sin(op.angle));
      else this.applyGate(op, false);
    }
  }

  applyMatrix(targets: readonly number[], matrix: Float64Array): void {
    this.applyGate({ targets, matrix, controls: [], controlValues: [] }, true);
  }

  private applyGate(op: Pick<UnitaryOp, 'targets' | 'matrix' | 'controls' | 'controlValues'>, general: boolean): void {
    const qubits = [...op.targets, ...op.controls];
    if (qubits.length === 1) {
      const s = this.siteOf[qubits[0]!]!;
      // A non-unitary matrix must act on the centre to keep the other sites isometric.
      if (general) this.moveCenter(s);
      this.applySite(s, op.matrix);
      return;
    }
    const sites = qubits.map((q) => this.siteOf[q]!).sort((a, b) => a - b);
    const w = sites[0]!;
    for (let j = 1; j < sites.length; j++) {
      // The qubit now at sites[j] moves left to w + j by adjacent swaps.
      const q = this.qubitAt[sites[j]!]!;
      for (let s = this.siteOf[q]!; s > w + j; s--) this.swapSites(s - 1);
    }
    const local = qubits.map((_, j) => this.qubitAt[w + j]!);
    this.applyWindow(w, qubits.length, expandGate(op, local));
  }

  private swapSites(s: number): void {
    this.applyWindow(s, 2, SWAP);
    const a = this.qubitAt[s]!;
    const b = this.qubitAt[s + 1]!;
    this.qubitAt[s] = b;
    this.qubitAt[s + 1] = a;
    this.siteOf[a] = s + 1;
    this.siteOf[b] = s;
  }

  private applySite(s: number, g: Float64Array): void {
    const t = this.tensors[s]!;
    const dl = this.bond[s]!;
    const dr = this.bond[s + 1]!;
    const [g00r, g00i, g01r, g01i, g10r, g10i, g11r, g11i] = g as unknown as number[];
    for (let l = 0; l < dl; l++) {
      for (let r = 0; r < dr; r++) {
        const x0 = 2 * (l * 2 * dr + r);
        const x1 = 2 * ((l * 2 + 1) * dr + r);
        const ar = t[x0]!,
          ai = t[x0 + 1]!,
          br = t[x1]!,
          bi = t[x1 + 1]!;
        t[x0] = g00r! * ar - g00i! * ai + g01r! * br - g01i! * bi;
        t[x0 + 1] = g00r! * ai + g00i! * ar + g01r! * bi + g01i! * br;
        t[x1] = g10r! * ar - g10i! * ai + g11r! * br - g11i! * bi;
        t[x1 + 1] = g10r! * ai + g10i! * ar + g11r! * bi + g11i! * br;
      }
    }
  }

  /** Contracts sites w..w+m−1, applies g (local bit j ↔ site w+j), splits back with capped SVDs. */
  private applyWindow(w: number, m: number, g: Float64Array): void {
    this.moveCenter(w);
    const dl = this.bond[w]!;
    // theta[l][P][r]: P's most significant bit is site w.
    let theta = this.tensors[w]!;
    let phys = 2;
    for (let j = 1; j < m; j++) {
      const a = this.tensors[w + j]!;
      const d = this.bond[w + j]!;
      const dr = this.bond[w + j + 1]!;
      theta = contractRight(theta, dl * phys, d, a, dr);
      phys *= 2;
    }
    const dr = this.bond[w + m]!;
    const dim = 1 << m;
    const rev = new Int32Array(dim);
    for (let p = 0; p < dim; p++) {
      let r = 0;
      for (let b = 0; b < m; b++) if ((p >> b) & 1) r |= 1 << (m - 1 - b);
      rev[p] = r;
    }
    const out = new Float64Array(theta.length);
    for (let l = 0; l < dl; l++) {
      for (let po = 0; po < dim; po++) {
        const lo = rev[po]!;
        for (let pi = 0; pi < dim; pi++) {
          const li = rev[pi]!;
          const gr = g[2 * (lo * dim + li)]!;
          const gi = g[2 * (lo * dim + li) + 1]!;
          if (gr === 0 && gi === 0) continue;
          const src = 2 * ((l * dim + pi) * dr);
          const dst = 2 * ((l * dim + po) * dr);
          for (let r = 0; r < 2 * dr; r += 2) {
            const tr = theta[src + r]!;
            const ti = theta[src + r + 1]!;
            out[dst + r]! += gr * tr - gi * ti;
            out[dst + r + 1]! += gr * ti + gi * tr;
          }
        }
      }
    }
    // Split off one site at a time, left to right.
    let rest = out;
    let left = dl;
    let restPhys = dim;
    for (let j = 0; j < m - 1; j++) {
      restPhys /= 2;
      const rows = left * 2;
      const cols = restPhys * dr;
      const { u, s, vh, k } = this.truncatedSvd(rest, rows, cols, this.maxBond);
      this.tensors[w + j] = u;
      this.bond[w + j + 1] = k;
      // rest = S·V†
      const next = new Float64Array(2 * k * cols);
      for (let i = 0; i < k; i++) {
        const f = s[i]!;
        for (let c = 0; c < 2 * cols; c++) next[2 * i * cols + c] = f * vh[2 * i * cols + c]!;
      }
      rest = next;
      left = k;
    }
    this.tensors[w + m - 1] = rest;
    this.center = w + m - 1;
  }

  /** SVD keeping at most `cap` values (and no rounding zeros); discarded weight goes to the truncation error. */
  private truncatedSvd(
    a: Float64Array,
    rows: number,
    cols: number,
    cap: number,
  ): { u: Float64Array; s: Float64Array; vh: Float64Array; k: number } {
    const r = svd(a, rows, cols);
    const s0 = r.s[0] ?? 0;
    let keep = 0;
    while (keep < r.k && keep < cap && r.s[keep]! > RELATIVE_ZERO * s0) keep++;
    keep = Math.max(keep, 1);
    let total = 0;
    let kept = 0;
    for (let i = 0; i < r.k; i++) {
      total += r.s[i]! ** 2;
      if (i < keep) kept += r.s[i]! ** 2;
    }
    if (total > 0) this.truncationError += (total - kept) / total;
    const f = kept > 0 ? Math.sqrt(total / kept) : 1;
    const u = new Float64Array(2 * rows * keep);
    for (let i = 0; i < rows; i++)
      for (let c = 0; c < keep; c++) {
        u[2 * (i * keep + c)] = r.u[2 * (i * r.k + c)]!;
        u[2 * (i * keep + c) + 1] = r.u[2 * (i * r.k + c) + 1]!;
      }
    const s = Float64Array.from(r.s.subarray(0, keep), (x) => x * f);
    return { u, s, vh: r.vh.subarray(0, 2 * keep * cols), k: keep };
  }

  private moveCenter(to: number): void {
    while (this.center < to) {
      const c = this.center;
      const dl = this.bond[c]!;
      const dr = this.bond[c + 1]!;
      const { u, s, vh, k } = this.truncatedSvd(this.tensors[c]!, dl * 2, dr, Infinity);
      this.tensors[c] = u;
      this.bond[c + 1] = k;
      // next = (S·V†)·A[c+1]
      const sv = new Float64Array(2 * k * dr);
      for (let i = 0; i < k; i++) for (let j = 0; j < 2 * dr; j++) sv[2 * i * dr + j] = s[i]! * vh[2 * i * dr + j]!;
      this.tensors[c + 1] = matmul(sv, k, dr, this.tensors[c + 1]!, 2 * this.bond[c + 2]!);
      this.center++;
    }
    while (this.center > to) {
      const c = this.center;
      const dl = this.bond[c]!;
      const dr = this.bond[c + 1]!;
      const { u, s, vh, k } = this.truncatedSvd(this.tensors[c]!, dl, 2 * dr, Infinity);
      this.tensors[c] = vh.slice();
      this.bond[c] = k;
      const us = new Float64Array(2 * dl * k);
      for (let i = 0; i < dl; i++)
        for (let j = 0; j < k; j++) {
          us[2 * (i * k + j)] = u[2 * (i * k + j)]! * s[j]!;
          us[2 * (i * k + j) + 1] = u[2 * (i * k + j) + 1]! * s[j]!;
        }
      this.tensors[c - 1] = matmul(this.tensors[c - 1]!, 2 * this.bond[c - 1]!, dl, us, k);
      this.center--;
    }
  }

  scale(factor: number): void {
    const t = this.tensors[this.center]!;
    for (let i = 0; i < t.length; i++) t[i]! *= factor;
  }

  private scaleComplex(re: number, im: number): void {
    const t = this.tensors[this.center]!;
    for (let i = 0; i < t.length; i += 2) {
      const a = t[i]!;
      const b = t[i + 1]!;
      t[i] = a * re - b * im;
      t[i + 1] = a * im + b * re;
    }
  }

  /** Squared norm of each physical component of the centre tensor after moving the centre to `site`. */
  private centerWeights(site: number): [number, number] {
    this.moveCenter(site);
    const t = this.tensors[site]!;
    const dl = this.bond[site]!;
    const dr = this.bond[site + 1]!;
    let w0 = 0;
    let w1 = 0;
    for (let l = 0; l < dl; l++)
      for (let r = 0; r < dr; r++) {
        const x0 = 2 * (l * 2 * dr + r);
        const x1 = x0 + 2 * dr;
        w0 += t[x0]! ** 2 + t[x0 + 1]! ** 2;
        w1 += t[x1]! ** 2 + t[x1 + 1]! ** 2;
      }
    return [w0, w1];
  }

  probabilityOfOne(qubit: number): number {
    const [w0, w1] = this.centerWeights(this.siteOf[qubit]!);
    return w0 + w1 > 0 ? w1 / (w0 + w1) : 0;
  }

  collapse(qubit: number, outcome: 0 | 1, _probability: number): void {
    const site = this.siteOf[qubit]!;
    const [w0, w1] = this.centerWeights(site);
    const t = this.tensors[site]!;
    const dl = this.bond[site]!;
    const dr = this.bond[site + 1]!;
    const f = 1 / Math.sqrt(outcome === 1 ? w1 : w0);
    for (let l = 0; l < dl; l++)
      for (let p = 0; p < 2; p++)
        for (let r = 0; r < dr; r++) {
          const x = 2 * ((l * 2 + p) * dr + r);
          t[x] = p === outcome ? t[x]! * f : 0;
          t[x + 1] = p === outcome ? t[x + 1]! * f : 0;
        }
  }

  /** ⟨ψ|P|ψ⟩ for each Pauli string by a left-to-right transfer contraction, O(n·χ³). */
  expectation(observable: PauliSum): number {
    let total = 0;
    const norm = this.overlapWith(new Map());
    for (const term of observable.terms) {
      const ops = new Map<number, readonly number[]>();
      for (const { qubit, pauli } of term.ops) ops.set(this.siteOf[qubit]!, PAULI[pauli]);
      total += (term.coefficient * this.overlapWith(ops)) / norm;
    }
    return total;
  }

  private overlapWith(ops: ReadonlyMap<number, readonly number[]>): number {
    // env[l][l'] (bra index l, ket index l'), interleaved.
    let env = Float64Array.from([1, 0]);
    let d = 1;
    for (let s = 0; s < this.numQubits; s++) {
      const a = this.tensors[s]!;
      const dr = this.bond[s + 1]!;
      const o = ops.get(s) ?? [1, 0, 0, 0, 0, 0, 1, 0];
      const next = new Float64Array(2 * dr * dr);
      for (let l = 0; l < d; l++)
        for (let l2 = 0; l2 < d; l2++) {
          const er = env[2 * (l * d + l2)]!;
          const ei = env[2 * (l * d + l2) + 1]!;
          if (er === 0 && ei === 0) continue;
          for (let p = 0; p < 2; p++)
            for (let p2 = 0; p2 < 2; p2++) {
              const or = o[2 * (p * 2 + p2)]!;
              const oi = o[2 * (p * 2 + p2) + 1]!;
              if (or === 0 && oi === 0) continue;
              // c = env · O[p][p2]
              const cr = er * or - ei * oi;
              const ci = er * oi + ei * or;
              for (let r = 0; r < dr; r++) {
                const xb = 2 * ((l * 2 + p) * dr + r);
                // conj(bra)
                const br = a[xb]!;
                const bi = -a[xb + 1]!;
                const tr = cr * br - ci * bi;
                const ti = cr * bi + ci * br;
                for (let r2 = 0; r2 < dr; r2++) {
                  const xk = 2 * ((l2 * 2 + p2) * dr + r2);
                  const kr = a[xk]!;
                  const ki = a[xk + 1]!;
                  next[2 * (r * dr + r2)]! += tr * kr - ti * ki;
                  next[2 * (r * dr + r2) + 1]! += tr * ki + ti * kr;
                }
              }
            }
        }
      env = next;
      d = dr;
    }
    return env[0]!;
  }

  /**
   * Samples every site left to right with the centre at site 0 (all others right-isometric), so each conditional
   * probability needs only the current left vector. Shots travel together down a tree: at each site a group is
   * split by outcome, so the cost grows with the number of distinct prefixes, not shots × n.
   */
  sample(qubits: readonly number[], shots: number, rng: Rng): Outcome[] {
    this.moveCenter(0);
    const n = this.numQubits;
    const out: Outcome[] = [];
    const bits = new Uint8Array(n);
    const walk = (site: number, v: Float64Array, count: number): void => {
      if (site === n) {
        out.push({ bits: Uint8Array.from(qubits, (q) => bits[this.siteOf[q]!]!), count });
        return;
      }
      const a = this.tensors[site]!;
      const dl = this.bond[site]!;
      const dr = this.bond[site + 1]!;
      const w = [new Float64Array(2 * dr), new Float64Array(2 * dr)] as const;
      const weight = [0, 0];
      for (let p = 0; p < 2; p++) {
        const wp = w[p]!;
        for (let l = 0; l < dl; l++) {
          const vr = v[2 * l]!;
          const vi = v[2 * l + 1]!;
          if (vr === 0 && vi === 0) continue;
          for (let r = 0; r < dr; r++) {
            const x = 2 * ((l * 2 + p) * dr + r);
            wp[2 * r]! += vr * a[x]! - vi * a[x + 1]!;
            wp[2 * r + 1]! += vr * a[x + 1]! + vi * a[x]!;
          }
        }
        for (let r = 0; r < 2 * dr; r++) weight[p]! += wp[r]! ** 2;
      }
      const total = weight[0]! + weight[1]!;
      const p1 = weight[1]! / total;
      let ones = 0;
      if (p1 >= 1) ones = count;
      else if (p1 > 0) for (let s = 0; s < count; s++) if (rng.next() < p1) ones++;
      for (const p of [0, 1] as const) {
        const c = p === 0 ? count - ones : ones;
        if (c === 0) continue;
        bits[site] = p;
        const f = 1 / Math.sqrt(weight[p]!);
        walk(
          site + 1,
          w[p]!.map((x) => x * f),
          c,
        );
      }
    };
    if (shots > 0) walk(0, Float64Array.from([1, 0]), shots);
    return out;
  }

  distribution(qubits: readonly number[]): WeightedOutcome[] {
    const { re, im } = this.amplitudes();
    const acc = new Map<number, number>();
    let total = 0;
    re.forEach((x, i) => (total += x * x + (im[i] ?? 0) ** 2));
    re.forEach((x, i) => {
      const p = (x * x + (im[i] ?? 0) ** 2) / total;
      if (p === 0) return;
      let key = 0;
      qubits.forEach((q, j) => (key += ((i >>> q) & 1) << j));
      acc.set(key, (acc.get(key) ?? 0) + p);
    });
    return [...acc].map(([key, probability]) => ({
      bits: Uint8Array.from(qubits, (_, j) => (key >> j) & 1),
      probability,
    }));
  }

  amplitudes(): { re: number[]; im: number[] } {
    const n = this.numQubits;
    if (n > MPS_DENSE_LIMIT) {
      throw new MamlError(
        'unsupported',
        `the MPS backend builds a full state vector or distribution only up to ${MPS_DENSE_LIMIT} qubits; ` +
          'ask for counts or expectation values instead',
      );
    }
    // vec[P][r], P's bit (n−1−s) = site s after all sites are contracted.
    let vec = this.tensors[0]!;
    let phys = 2;
    for (let s = 1; s < n; s++) {
      vec = contractRight(vec, phys, this.bond[s]!, this.tensors[s]!, this.bond[s + 1]!);
      phys *= 2;
    }
    const dim = 2 ** n;
    const re = new Array<number>(dim).fill(0);
    const im = new Array<number>(dim).fill(0);
    for (let P = 0; P < dim; P++) {
      let idx = 0;
      for (let s = 0; s < n; s++) if ((P >> (n - 1 - s)) & 1) idx |= 1 << this.qubitAt[s]!;
      re[idx] = vec[2 * P]!;
      im[idx] = vec[2 * P + 1]!;
    }
    return { re, im };
  }
}

/** (rows × d) · (d × 2 × dr) → (rows·2 × dr): appends one site to a contracted block. */
function contractRight(t: Float64Array, rows: number, d: number, a: Float64Array, dr: number): Float64Array {
  return matmul(t, rows, d, a, 2 * dr);
}

/** (m × k)·(k × n), interleaved row-major. */
function matmul(a: Float64Array, m: number, k: number, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const ar = a[2 * (i * k + p)]!;
      const ai = a[2 * (i * k + p) + 1]!;
      if (ar === 0 && ai === 0) continue;
      for (let j = 0; j < n; j++) {
        const br = b[2 * (p * n + j)]!;
        const bi = b[2 * (p * n + j) + 1]!;
        out[2 * (i * n + j)]! += ar * br - ai * bi;
        out[2 * (i * n + j) + 1]! += ar * bi + ai * br;
      }
    }
  return out;
}
