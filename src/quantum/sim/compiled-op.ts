/**
 * A gate compiled for the state-vector kernels: its matrix classified as diagonal, permutation (one non-zero per
 * row and column: x, cx, swap, ccx, and phased ones such as y) or dense, and its index arithmetic precomputed.
 * Classification reads the matrix itself, so fused blocks that stay diagonal or permuting keep the cheap kernels.
 */
import type { ComplexMatrix } from '../circuit.js';

export const KERNEL_KINDS = ['dense', 'diagonal', 'permutation', 'identity'] as const;
export type KernelKind = (typeof KERNEL_KINDS)[number];

export interface CompiledOp {
  readonly kind: KernelKind;
  readonly targets: readonly number[];
  /** Targets and controls, sorted ascending: zero bits are inserted at these positions to enumerate bases. */
  readonly sorted: Int32Array;
  /** Bits at the sorted positions (targets and controls). */
  readonly mask: number;
  /** Bits that controls set in every visited index (controls with value 1). */
  readonly controlBits: number;
  /** offsets[l] = index offset of local basis state l (bit j of l at targets[j]). */
  readonly offsets: Int32Array;
  /** Dense: the matrix. Diagonal: d[l] at 2l. Permutation: phase[c] at 2c. */
  readonly values: Float64Array;
  /** Diagonal and permutation: the local indices that change (non-unit diagonal entry, moved or phased column). */
  readonly active: Int32Array;
  /** Permutation: perm[c] = row of the non-zero in column c. */
  readonly perm: Int32Array;
  /** Number of base indices: 2^(n − targets − controls). */
  readonly bases: number;
}

/** Entries below this magnitude count as zero when classifying (fused products leave ~1e-17 residues). */
const ZERO = 1e-14;

interface Indexing {
  readonly targets: readonly number[];
  readonly sorted: Int32Array;
  readonly mask: number;
  readonly controlBits: number;
  readonly offsets: Int32Array;
  readonly bases: number;
}

function indexing(
  numQubits: number,
  targets: readonly number[],
  controls: readonly number[],
  controlValues: readonly (0 | 1)[],
): Indexing {
  const k = targets.length;
  const dim = 1 << k;
  const offsets = new Int32Array(dim);
  for (let l = 0; l < dim; l++) {
    let o = 0;
    for (let j = 0; j < k; j++) if ((l >> j) & 1) o |= 1 << (targets[j] ?? 0);
    offsets[l] = o;
  }
  let controlBits = 0;
  controls.forEach((c, i) => {
    if ((controlValues[i] ?? 1) === 1) controlBits |= 1 << c;
  });
  const sorted = Int32Array.from([...targets, ...controls].sort((a, b) => a - b));
  let mask = 0;
  for (const q of sorted) mask |= 1 << q;
  return { targets: [...targets], sorted, mask, controlBits, offsets, bases: 2 ** (numQubits - sorted.length) };
}

/** Compiles a diagonal given by its entries (interleaved), skipping the matrix. */
export function compileDiagonal(numQubits: number, targets: readonly number[], diagonal: Float64Array): CompiledOp {
  const active: number[] = [];
  for (let l = 0; 2 * l < diagonal.length; l++) {
    const re = diagonal[2 * l] ?? 0;
    const im = diagonal[2 * l + 1] ?? 0;
    if (Math.abs(re - 1) > ZERO || Math.abs(im) > ZERO) active.push(l);
  }
  return {
    ...indexing(numQubits, targets, [], []),
    kind: active.length === 0 ? 'identity' : 'diagonal',
    values: diagonal,
    active: Int32Array.from(active),
    perm: new Int32Array(0),
  };
}

export function compileOp(
  numQubits: number,
  targets: readonly number[],
  matrix: ComplexMatrix,
  controls: readonly number[] = [],
  controlValues: readonly (0 | 1)[] = [],
): CompiledOp {
  const dim = 1 << targets.length;
  const base = indexing(numQubits, targets, controls, controlValues);

  const at = (r: number, c: number): [number, number] => [
    matrix[2 * (r * dim + c)] ?? 0,
    matrix[2 * (r * dim + c) + 1] ?? 0,
  ];
  const nonzero = (r: number, c: number): boolean => {
    const [re, im] = at(r, c);
    return Math.abs(re) > ZERO || Math.abs(im) > ZERO;
  };
  const isUnit = (re: number, im: number): boolean => Math.abs(re - 1) <= ZERO && Math.abs(im) <= ZERO;

  let diagonal = true;
  for (let r = 0; r < dim && diagonal; r++)
    for (let c = 0; c < dim; c++) if (r !== c && nonzero(r, c)) diagonal = false;
  if (diagonal) {
    const values = new Float64Array(2 * dim);
    const active: number[] = [];
    for (let l = 0; l < dim; l++) {
      const [re, im] = at(l, l);
      values[2 * l] = re;
      values[2 * l + 1] = im;
      if (!isUnit(re, im)) active.push(l);
    }
    const kind = active.length === 0 ? 'identity' : 'diagonal';
    return { ...base, kind, values, active: Int32Array.from(active), perm: new Int32Array(0) };
  }

  const perm = new Int32Array(dim).fill(-1);
  const rowUsed = new Uint8Array(dim);
  let permutation = true;
  for (let c = 0; c < dim && permutation; c++) {
    for (let r = 0; r < dim; r++) {
      if (!nonzero(r, c)) continue;
      if (perm[c] !== -1 || rowUsed[r]) {
        permutation = false;
        break;
      }
      perm[c] = r;
      rowUsed[r] = 1;
    }
    if (perm[c] === -1) permutation = false;
  }
  if (permutation) {
    const values = new Float64Array(2 * dim);
    const active: number[] = [];
    for (let c = 0; c < dim; c++) {
      const r = perm[c] ?? c;
      const [re, im] = at(r, c);
      values[2 * c] = re;
      values[2 * c + 1] = im;
      if (r !== c || !isUnit(re, im)) active.push(c);
    }
    return { ...base, kind: 'permutation', values, active: Int32Array.from(active), perm };
  }
  return {
    ...base,
    kind: 'dense',
    values: Float64Array.from(matrix),
    active: new Int32Array(0),
    perm: new Int32Array(0),
  };
}
