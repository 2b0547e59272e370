/**
 * Encodes a compiled state-vector op into shared memory for the kernel workers, and decodes it there. Layout of
 * the Int32 area: kind, k, sorted count, control bits, bases, active count, dim, values length, perm length,
 * then targets, sorted, offsets, active, perm. The Float64 area holds the op's values.
 */
import type { CompiledOp } from '../quantum/index.js';
import { KERNEL_KINDS, MAX_KERNEL_QUBITS } from '../quantum/index.js';

/**
 * Widest op the workers take: every op the kernels accept, so fused blocks of any width are split too. The values
 * area is sized for a dense 2^k × 2^k matrix (16 MiB at k = 10); a SharedArrayBuffer's pages are only committed
 * once written, and an op writes only its own values.
 */
export const MAX_SHARED_OP_QUBITS = MAX_KERNEL_QUBITS;
const DIM = 1 << MAX_SHARED_OP_QUBITS;
export const OP_INTS = 16 + 4 * DIM + 2 * 32;
export const OP_VALUES = 2 * DIM * DIM;

export function fitsShared(op: CompiledOp): boolean {
  return op.targets.length <= MAX_SHARED_OP_QUBITS && op.sorted.length <= 32 && op.values.length <= OP_VALUES;
}

export function encodeOp(op: CompiledOp, ints: Int32Array, values: Float64Array): void {
  const dim = op.offsets.length;
  const header = [
    KERNEL_KINDS.indexOf(op.kind),
    op.targets.length,
    op.sorted.length,
    op.controlBits,
    op.bases,
    op.active.length,
    dim,
    op.values.length,
    op.perm.length,
  ];
  let p = 0;
  for (const v of header) ints[p++] = v;
  for (const v of op.targets) ints[p++] = v;
  for (const v of op.sorted) ints[p++] = v;
  for (const v of op.offsets) ints[p++] = v;
  for (const v of op.active) ints[p++] = v;
  for (const v of op.perm) ints[p++] = v;
  values.set(op.values);
}

export function decodeOp(ints: Int32Array, values: Float64Array): CompiledOp {
  const h = Array.from(ints.subarray(0, 9));
  const [kind = 0, k = 0, ns = 0, controlBits = 0, bases = 0, na = 0, dim = 0, nv = 0, np = 0] = h;
  let p = 9;
  const take = (len: number): Int32Array => {
    const out = ints.slice(p, p + len);
    p += len;
    return out;
  };
  const targets = Array.from(take(k));
  const sorted = take(ns);
  let mask = 0;
  for (const q of sorted) mask |= 1 << q;
  const offsets = take(dim);
  const active = take(na);
  const perm = take(np);
  return {
    kind: KERNEL_KINDS[kind] ?? 'identity',
    targets,
    sorted,
    mask,
    controlBits,
    offsets,
    values: values.slice(0, nv),
    active,
    perm,
    bases,
  };
}
