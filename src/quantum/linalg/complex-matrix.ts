/**
 * Dense complex matrices in the IR layout (row-major, interleaved re/im; see circuit.ts). Only what the OpenQASM
 * front end and the reference simulator need: identity, product, conjugate transpose, Kronecker-free embedding is
 * done by `applyGate` on column vectors instead.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { ComplexMatrix } from '../circuit.js';

export function dimensionOf(matrix: ComplexMatrix): number {
  return Math.round(Math.sqrt(matrix.length / 2));
}

export function identity(dim: number): ComplexMatrix {
  const m = new Float64Array(2 * dim * dim);
  for (let i = 0; i < dim; i++) m[2 * (i * dim + i)] = 1;
  return m;
}

export function zeros(dim: number): ComplexMatrix {
  return new Float64Array(2 * dim * dim);
}

/** a · b for square matrices of the same dimension. */
export function multiply(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const n = dimensionOf(a);
  const out = new Float64Array(2 * n * n);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < n; k++) {
      const ar = a[2 * (r * n + k)]!;
      const ai = a[2 * (r * n + k) + 1]!;
      if (ar === 0 && ai === 0) continue;
      for (let c = 0; c < n; c++) {
        const br = b[2 * (k * n + c)]!;
        const bi = b[2 * (k * n + c) + 1]!;
        out[2 * (r * n + c)] = out[2 * (r * n + c)]! + ar * br - ai * bi;
        out[2 * (r * n + c) + 1] = out[2 * (r * n + c) + 1]! + ar * bi + ai * br;
      }
    }
  }
  return out;
}

export function add(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

export function scale(a: ComplexMatrix, re: number, im: number): ComplexMatrix {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i += 2) {
    const x = a[i]!;
    const y = a[i + 1]!;
    out[i] = x * re - y * im;
    out[i + 1] = x * im + y * re;
  }
  return out;
}

/** Conjugate transpose: the inverse of a unitary. */
export function dagger(a: ComplexMatrix): ComplexMatrix {
  const n = dimensionOf(a);
  const out = new Float64Array(a.length);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      out[2 * (c * n + r)] = a[2 * (r * n + c)]!;
      out[2 * (c * n + r) + 1] = -a[2 * (r * n + c) + 1]!;
    }
  }
  return out;
}

export function isDiagonal(a: ComplexMatrix): boolean {
  const n = dimensionOf(a);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (r !== c && (a[2 * (r * n + c)] !== 0 || a[2 * (r * n + c) + 1] !== 0)) return false;
    }
  }
  return true;
}

/** Largest absolute difference between entries; used by tests and by the eigen-decomposition check. */
export function maxAbsDiff(a: ComplexMatrix, b: ComplexMatrix): number {
  let worst = 0;
  for (let i = 0; i < a.length; i += 2) {
    worst = Math.max(worst, Math.hypot(a[i]! - b[i]!, a[i + 1]! - b[i + 1]!));
  }
  return worst;
}

/** Block-diagonal controlled matrix |0⟩⟨0|⊗I + |1⟩⟨1|⊗U with the control as the most significant qubit. */
export function controlled(u: ComplexMatrix): ComplexMatrix {
  const n = dimensionOf(u);
  const out = identity(2 * n);
  const m = 2 * n;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      out[2 * ((r + n) * m + c + n)] = u[2 * (r * n + c)]!;
      out[2 * ((r + n) * m + c + n) + 1] = u[2 * (r * n + c) + 1]!;
    }
  }
  return out;
}
