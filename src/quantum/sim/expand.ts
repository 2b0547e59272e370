/**
 * Expands a (possibly controlled) gate to a dense matrix on an ordered list of qubits that contains its targets
 * and controls: local bit j of the result corresponds to qubits[j]. Used to fuse gates into one block and by the
 * MPS backend, which applies every gate as a dense matrix on consecutive sites.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { ComplexMatrix, UnitaryOp } from '../circuit.js';

export type GateLike = Pick<UnitaryOp, 'targets' | 'matrix' | 'controls' | 'controlValues'>;

export function expandGate(op: GateLike, qubits: readonly number[]): ComplexMatrix {
  const m = qubits.length;
  const dim = 1 << m;
  const k = op.targets.length;
  const gdim = 1 << k;
  const pos = (q: number): number => {
    const p = qubits.indexOf(q);
    if (p < 0) throw new RangeError(`qubit ${q} is not in the expansion list`);
    return p;
  };
  const tpos = op.targets.map(pos);
  const cpos = op.controls.map(pos);
  const out = new Float64Array(2 * dim * dim);
  let targetMask = 0;
  for (const p of tpos) targetMask |= 1 << p;
  for (let c = 0; c < dim; c++) {
    const active = cpos.every((p, i) => ((c >> p) & 1) === (op.controlValues[i] ?? 1));
    if (!active) {
      out[2 * (c * dim + c)] = 1;
      continue;
    }
    let gc = 0;
    for (let j = 0; j < k; j++) gc |= ((c >> tpos[j]!) & 1) << j;
    for (let gr = 0; gr < gdim; gr++) {
      let r = c & ~targetMask;
      for (let j = 0; j < k; j++) r |= ((gr >> j) & 1) << tpos[j]!;
      out[2 * (r * dim + c)] = op.matrix[2 * (gr * gdim + gc)] ?? 0;
      out[2 * (r * dim + c) + 1] = op.matrix[2 * (gr * gdim + gc) + 1] ?? 0;
    }
  }
  return out;
}

/** a·b for square interleaved matrices of dimension dim. */
export function multiply(a: ComplexMatrix, b: ComplexMatrix, dim: number): ComplexMatrix {
  const out = new Float64Array(2 * dim * dim);
  for (let r = 0; r < dim; r++) {
    for (let k = 0; k < dim; k++) {
      const ar = a[2 * (r * dim + k)]!;
      const ai = a[2 * (r * dim + k) + 1]!;
      if (ar === 0 && ai === 0) continue;
      for (let c = 0; c < dim; c++) {
        const br = b[2 * (k * dim + c)]!;
        const bi = b[2 * (k * dim + c) + 1]!;
        out[2 * (r * dim + c)]! += ar * br - ai * bi;
        out[2 * (r * dim + c) + 1]! += ar * bi + ai * br;
      }
    }
  }
  return out;
}

/** Conjugate transpose. */
export function adjoint(a: ComplexMatrix): ComplexMatrix {
  const dim = Math.round(Math.sqrt(a.length / 2));
  const out = new Float64Array(a.length);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      out[2 * (c * dim + r)] = a[2 * (r * dim + c)]!;
      out[2 * (c * dim + r) + 1] = -a[2 * (r * dim + c) + 1]!;
    }
  }
  return out;
}
