/**
 * State-vector kernels over an interleaved complex array (re at 2i, im at 2i+1; Float64Array for complex128,
 * Float32Array for complex64). Each kernel visits the base indices j in [lo, hi) of the 2^(n−m) subspace left when
 * the m target and control bits are removed: zero bits are inserted at the sorted positions, the control bits are
 * set, and the 2^k target offsets are added. Threads split [lo, hi) between them, so every kernel is correct for
 * any sub-range. Passes allocate nothing in their loops: the dense k-qubit kernel gathers into a caller-provided
 * scratch array, and the structure of a dense matrix (dense-plan.ts) is classified once per op. Dense one- and two-qubit kernels live
 * in kernels-one.ts and kernels-two.ts.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { CompiledOp } from './compiled-op.js';
import { densePlan } from './dense-plan.js';
import { firstBase, oneAt, oneDense, oneReal } from './kernels-one.js';
import { twoBlock, twoGeneral, twoReal } from './kernels-two.js';

export type Amplitudes = Float64Array | Float32Array;

/** Scratch large enough for any fused block: 2 × 2^MAX_KERNEL_QUBITS doubles. */
export const MAX_KERNEL_QUBITS = 10;
export function makeScratch(): Float64Array {
  return new Float64Array(2 << MAX_KERNEL_QUBITS);
}

export function applyCompiled(psi: Amplitudes, op: CompiledOp, lo: number, hi: number, scratch: Float64Array): void {
  switch (op.kind) {
    case 'identity':
      return;
    case 'diagonal':
      if (op.sorted.length === 1) diagonalSingle(psi, op, lo, hi);
      else diagonalGeneral(psi, op, lo, hi);
      return;
    case 'permutation':
      if (op.sorted.length === 1 && op.active.length === 2 && isPlainSwap(op)) swapSingle(psi, op, lo, hi);
      else permutationGeneral(psi, op, lo, hi, scratch);
      return;
    case 'dense':
      applyDense(psi, op, lo, hi, scratch);
      return;
  }
}

function applyDense(psi: Amplitudes, op: CompiledOp, lo: number, hi: number, scratch: Float64Array): void {
  const p = densePlan(op);
  const { sorted, mask, controlBits: cb } = op;
  switch (p.form) {
    case 'one':
      oneDense(psi, p.a, sorted[0]!, lo, hi);
      return;
    case 'one-real':
      oneReal(psi, p.a, sorted[0]!, lo, hi);
      return;
    case 'one-controlled':
    case 'two-controlled':
      oneAt(psi, p.a, p.off, p.start, sorted, mask, cb, lo, hi);
      return;
    case 'two-block':
      twoBlock(psi, p.a, p.c, p.off, p.start, sorted, mask, cb, lo, hi);
      return;
    case 'two':
    case 'two-real': {
      const o1 = 2 * op.offsets[1]!,
        o2 = 2 * op.offsets[2]!,
        o3 = 2 * op.offsets[3]!;
      if (p.form === 'two') twoGeneral(psi, p.a, o1, o2, o3, sorted, mask, cb, lo, hi);
      else twoReal(psi, p.a, o1, o2, o3, sorted, mask, cb, lo, hi);
      return;
    }
    case 'wide':
      applyDenseGather(psi, op, lo, hi, scratch);
      return;
  }
}

/**
 * Any dense op, k ≤ MAX_KERNEL_QUBITS targets: gathers the 2^k amplitudes of each base into `v` and multiplies. The
 * kernel of fused blocks wider than two qubits, and the reference the specialised kernels are tested against.
 */
export function applyDenseGather(psi: Amplitudes, op: CompiledOp, lo: number, hi: number, v: Float64Array): void {
  const m = op.values;
  const offsets = op.offsets;
  const dim = offsets.length;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const base = b | cb;
    for (let l = 0; l < dim; l++) {
      const x = 2 * (base + offsets[l]!);
      v[2 * l] = psi[x]!;
      v[2 * l + 1] = psi[x + 1]!;
    }
    // Two rows at a time: four independent sums hide the add latency, and each gathered column is read once per
    // pair of rows.
    const rowStride = 2 * dim;
    for (let r = 0, p = 0; r < dim; r += 2, p += 2 * rowStride) {
      let re0 = 0,
        im0 = 0,
        re1 = 0,
        im1 = 0;
      for (let c = 0, q = p; c < rowStride; c += 2, q += 2) {
        const vr = v[c]!,
          vi = v[c + 1]!,
          ar = m[q]!,
          ai = m[q + 1]!,
          br = m[q + rowStride]!,
          bi = m[q + rowStride + 1]!;
        re0 += ar * vr - ai * vi;
        im0 += ar * vi + ai * vr;
        re1 += br * vr - bi * vi;
        im1 += br * vi + bi * vr;
      }
      const x = 2 * (base + offsets[r]!);
      psi[x] = re0;
      psi[x + 1] = im0;
      const y = 2 * (base + offsets[r + 1]!);
      psi[y] = re1;
      psi[y + 1] = im1;
    }
  }
}

function isPlainSwap(op: CompiledOp): boolean {
  const v = op.values;
  return v[0] === 1 && v[1] === 0 && v[2] === 1 && v[3] === 0;
}

/** Uncontrolled x: exchanges the two halves of each run. */
function swapSingle(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const t = op.sorted[0]!;
  const lowMask = (1 << t) - 1;
  const off = 2 << t;
  let j = lo;
  while (j < hi) {
    const runEnd = t < 3 ? j + 1 : Math.min(hi, (j | lowMask) + 1);
    let x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
    const xEnd = x + 2 * (runEnd - j);
    for (; x < xEnd; x += 2) {
      const y = x + off;
      const r = psi[x]!,
        i = psi[x + 1]!;
      psi[x] = psi[y]!;
      psi[x + 1] = psi[y + 1]!;
      psi[y] = r;
      psi[y + 1] = i;
    }
    j = runEnd;
  }
}

/** Uncontrolled one-qubit diagonal: each half multiplied only when its entry is not 1. */
function diagonalSingle(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const d = op.values;
  const t = op.sorted[0]!;
  const lowMask = (1 << t) - 1;
  const off = 2 << t;
  const d0r = d[0]!,
    d0i = d[1]!,
    d1r = d[2]!,
    d1i = d[3]!;
  const touch0 = op.active[0] === 0;
  let j = lo;
  while (j < hi) {
    const runEnd = Math.min(hi, (j | lowMask) + 1);
    let x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
    const xEnd = x + 2 * (runEnd - j);
    if (touch0) {
      for (; x < xEnd; x += 2) {
        const y = x + off;
        const r0 = psi[x]!,
          i0 = psi[x + 1]!,
          r1 = psi[y]!,
          i1 = psi[y + 1]!;
        psi[x] = d0r * r0 - d0i * i0;
        psi[x + 1] = d0r * i0 + d0i * r0;
        psi[y] = d1r * r1 - d1i * i1;
        psi[y + 1] = d1r * i1 + d1i * r1;
      }
    } else {
      for (let y = x + off; x < xEnd; x += 2, y += 2) {
        const r1 = psi[y]!,
          i1 = psi[y + 1]!;
        psi[y] = d1r * r1 - d1i * i1;
        psi[y + 1] = d1r * i1 + d1i * r1;
      }
    }
    j = runEnd;
  }
}

function diagonalGeneral(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const d = op.values;
  const offsets = op.offsets;
  const active = op.active;
  const na = active.length;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  if (na === 1) {
    const l = active[0]!;
    const dr = d[2 * l]!,
      di = d[2 * l + 1]!;
    const o = offsets[l]!;
    for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
      const x = 2 * ((b | cb) + o);
      const r = psi[x]!,
        i = psi[x + 1]!;
      psi[x] = dr * r - di * i;
      psi[x + 1] = dr * i + di * r;
    }
    return;
  }
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const base = b | cb;
    for (let a = 0; a < na; a++) {
      const l = active[a]!;
      const x = 2 * (base + offsets[l]!);
      const dr = d[2 * l]!,
        di = d[2 * l + 1]!;
      const r = psi[x]!,
        i = psi[x + 1]!;
      psi[x] = dr * r - di * i;
      psi[x + 1] = dr * i + di * r;
    }
  }
}

function permutationGeneral(psi: Amplitudes, op: CompiledOp, lo: number, hi: number, v: Float64Array): void {
  const ph = op.values;
  const offsets = op.offsets;
  const active = op.active;
  const perm = op.perm;
  const na = active.length;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  if (na === 2 && perm[active[0]!] === active[1] && ph[2 * active[0]!] === 1 && ph[2 * active[1]!] === 1) {
    // Plain transposition (x, cx, ccx, swap): exchange the two amplitudes.
    const oa = 2 * offsets[active[0]!]!,
      ob = 2 * offsets[active[1]!]!;
    if (ph[2 * active[0]! + 1] === 0 && ph[2 * active[1]! + 1] === 0) {
      for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
        const base = 2 * (b | cb);
        const x = base + oa,
          y = base + ob;
        const r = psi[x]!,
          i = psi[x + 1]!;
        psi[x] = psi[y]!;
        psi[x + 1] = psi[y + 1]!;
        psi[y] = r;
        psi[y + 1] = i;
      }
      return;
    }
  }
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const base = b | cb;
    for (let a = 0; a < na; a++) {
      const x = 2 * (base + offsets[active[a]!]!);
      v[2 * a] = psi[x]!;
      v[2 * a + 1] = psi[x + 1]!;
    }
    for (let a = 0; a < na; a++) {
      const c = active[a]!;
      const x = 2 * (base + offsets[perm[c]!]!);
      const pr = ph[2 * c]!,
        pi = ph[2 * c + 1]!,
        r = v[2 * a]!,
        i = v[2 * a + 1]!;
      psi[x] = pr * r - pi * i;
      psi[x + 1] = pr * i + pi * r;
    }
  }
}
