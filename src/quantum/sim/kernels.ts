/**
 * State-vector kernels over an interleaved complex array (re at 2i, im at 2i+1; Float64Array for complex128,
 * Float32Array for complex64). Each kernel visits the base indices j in [lo, hi) of the 2^(n−m) subspace left when
 * the m target and control bits are removed: zero bits are inserted at the sorted positions, the control bits are
 * set, and the 2^k target offsets are added. Threads split [lo, hi) between them; kernels never allocate (the
 * dense k-qubit kernel gathers into a caller-provided scratch array).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { CompiledOp } from './compiled-op.js';

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
      if (op.targets.length === 1) {
        if (op.sorted.length === 1) {
          if (op.values[1] === 0 && op.values[3] === 0 && op.values[5] === 0 && op.values[7] === 0) {
            denseSingleReal(psi, op, lo, hi);
          } else denseSingle(psi, op, lo, hi);
        } else denseOneControlled(psi, op, lo, hi);
      } else if (op.targets.length === 2) denseTwo(psi, op, lo, hi);
      else denseGeneral(psi, op, lo, hi, scratch);
      return;
  }
}

/**
 * Base index of j: zero bits inserted at the sorted positions. Later bases follow incrementally: with `mask` the
 * inserted positions, ((b | mask) + 1) & ~mask is the next integer whose masked bits are zero (the carry skips them).
 */
function first(j: number, sorted: Int32Array): number {
  let b = j;
  for (let s = 0; s < sorted.length; s++) {
    const q = sorted[s]!;
    b = ((b >>> q) << (q + 1)) | (b & ((1 << q) - 1));
  }
  return b;
}

/** Uncontrolled one-qubit dense gate: runs of 2^t consecutive pairs, no per-element bit arithmetic. */
function denseSingle(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const m = op.values;
  const ar = m[0]!,
    ai = m[1]!,
    br = m[2]!,
    bi = m[3]!,
    cr = m[4]!,
    ci = m[5]!,
    dr = m[6]!,
    di = m[7]!;
  const t = op.sorted[0]!;
  const lowMask = (1 << t) - 1;
  const off = 2 << t;
  if (t < 3) {
    // Runs would be 1–4 pairs long: per-pair index arithmetic is cheaper than the run bookkeeping.
    for (let j = lo; j < hi; j++) {
      const x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
      const y = x + off;
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[y]!,
        i1 = psi[y + 1]!;
      psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
      psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
      psi[y] = cr * r0 - ci * i0 + dr * r1 - di * i1;
      psi[y + 1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
    }
    return;
  }
  let j = lo;
  while (j < hi) {
    const runEnd = Math.min(hi, (j | lowMask) + 1);
    let x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
    const xEnd = x + 2 * (runEnd - j);
    for (; x < xEnd; x += 2) {
      const y = x + off;
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[y]!,
        i1 = psi[y + 1]!;
      psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
      psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
      psi[y] = cr * r0 - ci * i0 + dr * r1 - di * i1;
      psi[y + 1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
    }
    j = runEnd;
  }
}

/** Real one-qubit matrix (h, ry, …): half the multiplications of the complex kernel. */
function denseSingleReal(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const m = op.values;
  const a = m[0]!,
    b = m[2]!,
    c = m[4]!,
    d = m[6]!;
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
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[y]!,
        i1 = psi[y + 1]!;
      psi[x] = a * r0 + b * r1;
      psi[x + 1] = a * i0 + b * i1;
      psi[y] = c * r0 + d * r1;
      psi[y + 1] = c * i0 + d * i1;
    }
    j = runEnd;
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

function denseOneControlled(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const m = op.values;
  const ar = m[0]!,
    ai = m[1]!,
    br = m[2]!,
    bi = m[3]!,
    cr = m[4]!,
    ci = m[5]!,
    dr = m[6]!,
    di = m[7]!;
  const off = 2 * op.offsets[1]!;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const x = 2 * (b | cb);
    const y = x + off;
    const r0 = psi[x]!,
      i0 = psi[x + 1]!,
      r1 = psi[y]!,
      i1 = psi[y + 1]!;
    psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
    psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
    psi[y] = cr * r0 - ci * i0 + dr * r1 - di * i1;
    psi[y + 1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
  }
}

function denseTwo(psi: Amplitudes, op: CompiledOp, lo: number, hi: number): void {
  const m = op.values;
  const m0 = m[0]!,
    m1 = m[1]!,
    m2 = m[2]!,
    m3 = m[3]!,
    m4 = m[4]!,
    m5 = m[5]!,
    m6 = m[6]!,
    m7 = m[7]!,
    m8 = m[8]!,
    m9 = m[9]!,
    m10 = m[10]!,
    m11 = m[11]!,
    m12 = m[12]!,
    m13 = m[13]!,
    m14 = m[14]!,
    m15 = m[15]!,
    m16 = m[16]!,
    m17 = m[17]!,
    m18 = m[18]!,
    m19 = m[19]!,
    m20 = m[20]!,
    m21 = m[21]!,
    m22 = m[22]!,
    m23 = m[23]!,
    m24 = m[24]!,
    m25 = m[25]!,
    m26 = m[26]!,
    m27 = m[27]!,
    m28 = m[28]!,
    m29 = m[29]!,
    m30 = m[30]!,
    m31 = m[31]!;
  const o1 = 2 * op.offsets[1]!,
    o2 = 2 * op.offsets[2]!,
    o3 = 2 * op.offsets[3]!;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const x0 = 2 * (b | cb);
    const x1 = x0 + o1,
      x2 = x0 + o2,
      x3 = x0 + o3;
    const r0 = psi[x0]!,
      i0 = psi[x0 + 1]!,
      r1 = psi[x1]!,
      i1 = psi[x1 + 1]!,
      r2 = psi[x2]!,
      i2 = psi[x2 + 1]!,
      r3 = psi[x3]!,
      i3 = psi[x3 + 1]!;
    psi[x0] = m0 * r0 - m1 * i0 + m2 * r1 - m3 * i1 + m4 * r2 - m5 * i2 + m6 * r3 - m7 * i3;
    psi[x0 + 1] = m0 * i0 + m1 * r0 + m2 * i1 + m3 * r1 + m4 * i2 + m5 * r2 + m6 * i3 + m7 * r3;
    psi[x1] = m8 * r0 - m9 * i0 + m10 * r1 - m11 * i1 + m12 * r2 - m13 * i2 + m14 * r3 - m15 * i3;
    psi[x1 + 1] = m8 * i0 + m9 * r0 + m10 * i1 + m11 * r1 + m12 * i2 + m13 * r2 + m14 * i3 + m15 * r3;
    psi[x2] = m16 * r0 - m17 * i0 + m18 * r1 - m19 * i1 + m20 * r2 - m21 * i2 + m22 * r3 - m23 * i3;
    psi[x2 + 1] = m16 * i0 + m17 * r0 + m18 * i1 + m19 * r1 + m20 * i2 + m21 * r2 + m22 * i3 + m23 * r3;
    psi[x3] = m24 * r0 - m25 * i0 + m26 * r1 - m27 * i1 + m28 * r2 - m29 * i2 + m30 * r3 - m31 * i3;
    psi[x3 + 1] = m24 * i0 + m25 * r0 + m26 * i1 + m27 * r1 + m28 * i2 + m29 * r2 + m30 * i3 + m31 * r3;
  }
}

function denseGeneral(psi: Amplitudes, op: CompiledOp, lo: number, hi: number, v: Float64Array): void {
  const m = op.values;
  const offsets = op.offsets;
  const dim = offsets.length;
  const sorted = op.sorted;
  const cb = op.controlBits;
  const mask = op.mask;
  for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const base = b | cb;
    for (let l = 0; l < dim; l++) {
      const x = 2 * (base + offsets[l]!);
      v[2 * l] = psi[x]!;
      v[2 * l + 1] = psi[x + 1]!;
    }
    let p = 0;
    for (let r = 0; r < dim; r++) {
      let re = 0,
        im = 0;
      for (let c = 0; c < 2 * dim; c += 2, p += 2) {
        const mr = m[p]!,
          mi = m[p + 1]!,
          vr = v[c]!,
          vi = v[c + 1]!;
        re += mr * vr - mi * vi;
        im += mr * vi + mi * vr;
      }
      const x = 2 * (base + offsets[r]!);
      psi[x] = re;
      psi[x + 1] = im;
    }
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
    for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
      const x = 2 * ((b | cb) + o);
      const r = psi[x]!,
        i = psi[x + 1]!;
      psi[x] = dr * r - di * i;
      psi[x + 1] = dr * i + di * r;
    }
    return;
  }
  for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
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
      for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
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
  for (let j = lo, b = first(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
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
