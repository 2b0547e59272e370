/**
 * A lowered gate application before it becomes IR: a matrix on target qubits, its derivatives with respect to
 * circuit parameters, and controls. A global phase is the same thing with no targets (a 1×1 matrix); a controlled
 * global phase is how `p` is defined in stdgates.inc (`ctrl @ gphase(λ) a`).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { ComplexMatrix } from '../circuit.js';
import { dagger, identity, multiply, add, dimensionOf } from '../linalg/complex-matrix.js';
import { integerPower, realPower } from '../linalg/matrix-power.js';
import { applyGate } from '../linalg/apply-gate.js';
import type { Value } from './value.js';

export type DerivativeMap = ReadonlyMap<string, ComplexMatrix>;

export interface GateOp {
  readonly targets: readonly number[];
  readonly matrix: ComplexMatrix;
  readonly derivatives: DerivativeMap;
  readonly controls: readonly number[];
  readonly controlValues: readonly (0 | 1)[];
  readonly label: string;
}

export interface Unitary {
  readonly matrix: ComplexMatrix;
  readonly derivatives: DerivativeMap;
}

const NO_DERIVATIVES: DerivativeMap = new Map();

function accumulate(into: Map<string, ComplexMatrix>, param: string, m: ComplexMatrix): void {
  const prev = into.get(param);
  into.set(param, prev ? add(prev, m) : m);
}

/**
 * OpenQASM `U(θ, φ, λ)` (OpenQASM 3 §"Built-in gates"):
 * [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]], with its exact partial derivatives.
 */
export function uGate(theta: Value, phi: Value, lambda: Value): Unitary {
  const c = Math.cos(theta.v / 2);
  const s = Math.sin(theta.v / 2);
  const [cp, sp] = [Math.cos(phi.v), Math.sin(phi.v)];
  const [cl, sl] = [Math.cos(lambda.v), Math.sin(lambda.v)];
  const [cpl, spl] = [Math.cos(phi.v + lambda.v), Math.sin(phi.v + lambda.v)];
  const matrix = Float64Array.of(c, 0, -cl * s, -sl * s, cp * s, sp * s, cpl * c, spl * c);
  const derivatives = new Map<string, ComplexMatrix>();
  const partials: [Value, () => ComplexMatrix][] = [
    [
      theta,
      () =>
        Float64Array.of(
          -s / 2,
          0,
          (-cl * c) / 2,
          (-sl * c) / 2,
          (cp * c) / 2,
          (sp * c) / 2,
          (-cpl * s) / 2,
          (-spl * s) / 2,
        ),
    ],
    // ∂/∂φ: i·(row 1)
    [phi, () => Float64Array.of(0, 0, 0, 0, -sp * s, cp * s, -spl * c, cpl * c)],
    // ∂/∂λ: i·(column 1)
    [lambda, () => Float64Array.of(0, 0, sl * s, -cl * s, 0, 0, -spl * c, cpl * c)],
  ];
  for (const [arg, partial] of partials) {
    if (!arg.d) continue;
    const p = partial();
    for (const [param, k] of Object.entries(arg.d)) {
      if (k !== 0)
        accumulate(
          derivatives,
          param,
          p.map((x) => x * k),
        );
    }
  }
  return { matrix, derivatives };
}

/** `gphase(γ)`: the 1×1 matrix e^{iγ}. */
export function globalPhase(gamma: Value): Unitary {
  const [c, s] = [Math.cos(gamma.v), Math.sin(gamma.v)];
  const derivatives = new Map<string, ComplexMatrix>();
  for (const [param, k] of Object.entries(gamma.d ?? {}))
    if (k !== 0) derivatives.set(param, Float64Array.of(-s * k, c * k));
  return { matrix: Float64Array.of(c, s), derivatives };
}

export function inverse(u: Unitary): Unitary {
  const derivatives = new Map<string, ComplexMatrix>();
  for (const [p, m] of u.derivatives) derivatives.set(p, dagger(m));
  return { matrix: dagger(u.matrix), derivatives };
}

/** (A, dA)·(B, dB) = (AB, dA·B + A·dB). */
function product(a: Unitary, b: Unitary): Unitary {
  const derivatives = new Map<string, ComplexMatrix>();
  for (const [p, m] of a.derivatives) accumulate(derivatives, p, multiply(m, b.matrix));
  for (const [p, m] of b.derivatives) accumulate(derivatives, p, multiply(a.matrix, m));
  return { matrix: multiply(a.matrix, b.matrix), derivatives };
}

/**
 * U^k. Integer k: exact products by repeated squaring, with derivatives by the product rule. Other real k:
 * eigen-decomposition (matrix-power.ts); derivatives are then not computed (`derivativesDropped`), and an
 * undefined result means the decomposition failed its check.
 */
export function power(u: Unitary, k: number): { unitary: Unitary; derivativesDropped: boolean } | undefined {
  if (Number.isInteger(k)) {
    if (u.derivatives.size === 0)
      return { unitary: { matrix: integerPower(u.matrix, k), derivatives: NO_DERIVATIVES }, derivativesDropped: false };
    let base = k < 0 ? inverse(u) : u;
    let e = Math.abs(k);
    let result: Unitary = { matrix: identity(dimensionOf(u.matrix)), derivatives: NO_DERIVATIVES };
    while (e > 0) {
      if (e % 2 === 1) result = product(result, base);
      e = Math.floor(e / 2);
      if (e > 0) base = product(base, base);
    }
    return { unitary: result, derivativesDropped: false };
  }
  const matrix = realPower(u.matrix, k);
  if (!matrix) return undefined;
  return { unitary: { matrix, derivatives: NO_DERIVATIVES }, derivativesDropped: u.derivatives.size > 0 };
}

/**
 * The matrix of a sequence of gate ops on `k` local qubits (0..k−1), with derivatives, by applying each op to
 * the columns of the identity (column j of the result is the image of basis state j).
 */
export class UnitaryBuilder {
  private readonly dim: number;
  /** columns[j] = image of basis state j, as an interleaved vector. */
  private readonly columns: Float64Array;
  private readonly dcols = new Map<string, Float64Array>();

  constructor(private readonly k: number) {
    this.dim = 1 << k;
    this.columns = new Float64Array(2 * this.dim * this.dim);
    for (let j = 0; j < this.dim; j++) this.columns[2 * (j * this.dim + j)] = 1;
  }

  private applyAll(vectors: Float64Array, op: GateOp, matrix: ComplexMatrix, mode: 'keep' | 'zero'): void {
    const stride = 2 * this.dim;
    const action = { targets: op.targets, matrix, controls: op.controls, controlValues: op.controlValues };
    for (let j = 0; j < this.dim; j++) applyGate(vectors.subarray(j * stride, (j + 1) * stride), this.k, action, mode);
  }

  apply(op: GateOp): void {
    // d(A·M) = A·dM + dA·M, where dA acts only where the controls are satisfied
    for (const [, d] of this.dcols) this.applyAll(d, op, op.matrix, 'keep');
    for (const [param, dA] of op.derivatives) {
      const term = this.columns.slice();
      this.applyAll(term, op, dA, 'zero');
      const prev = this.dcols.get(param);
      if (prev) for (let i = 0; i < prev.length; i++) prev[i] = prev[i]! + term[i]!;
      else this.dcols.set(param, term);
    }
    this.applyAll(this.columns, op, op.matrix, 'keep');
  }

  private toRowMajor(cols: Float64Array): ComplexMatrix {
    const n = this.dim;
    const out = new Float64Array(2 * n * n);
    for (let c = 0; c < n; c++) {
      for (let r = 0; r < n; r++) {
        out[2 * (r * n + c)] = cols[2 * (c * n + r)]!;
        out[2 * (r * n + c) + 1] = cols[2 * (c * n + r) + 1]!;
      }
    }
    return out;
  }

  result(): Unitary {
    const derivatives = new Map<string, ComplexMatrix>();
    for (const [p, d] of this.dcols) derivatives.set(p, this.toRowMajor(d));
    return { matrix: this.toRowMajor(this.columns), derivatives };
  }
}

/**
 * Entries within 1e-15 of 0 or ±1 are set to exactly that value: `U(π, 0, π)` is then exactly X rather than
 * carrying cos(π/2) ≈ 6e-17, so backends can recognise permutation and diagonal structure. The change is below
 * double-precision rounding of the entries (all of modulus ≤ 1).
 */
export function snap(m: ComplexMatrix): ComplexMatrix {
  let out: Float64Array | undefined;
  for (let i = 0; i < m.length; i++) {
    const x = m[i]!;
    const y = Math.abs(x) < 1e-15 ? 0 : Math.abs(x - 1) < 1e-15 ? 1 : Math.abs(x + 1) < 1e-15 ? -1 : x;
    if (y !== x || Object.is(x, -0)) {
      out ??= m.slice();
      out[i] = y === 0 ? 0 : y;
    }
  }
  return out ?? m;
}

export function invertOps(ops: readonly GateOp[]): GateOp[] {
  return ops
    .slice()
    .reverse()
    .map((op) => {
      const inv = inverse(op);
      return { ...op, matrix: inv.matrix, derivatives: inv.derivatives };
    });
}
