/**
 * One-qubit dense kernels. The uncontrolled ones take the target t and walk memory in order: for t = 0 a pair is
 * two adjacent amplitudes (one straight loop), for t = 1 two pairs share four consecutive amplitudes (both done per
 * step), for t = 2 each pair's index is computed directly (runs of 4 cost more than they save, by measurement), and
 * for t ≥ 3 runs of 2^t consecutive pairs. The controlled one enumerates base indices with the incremental mask. The pair arithmetic is written out in each loop on purpose:
 * a helper call per pair costs more than the pair when V8 does not inline it.
 *
 * Matrices are complex (a b; c d), interleaved at m[p..p+7]; the real variant reads only the real parts.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { Amplitudes } from './kernels.js';

/** Uncontrolled complex one-qubit gate on target t over pair indices [lo, hi). */
export function oneDense(psi: Amplitudes, m: Float64Array, t: number, lo: number, hi: number): void {
  const ar = m[0]!,
    ai = m[1]!,
    br = m[2]!,
    bi = m[3]!,
    cr = m[4]!,
    ci = m[5]!,
    dr = m[6]!,
    di = m[7]!;
  if (t === 0) {
    // Pair j is amplitudes 2j and 2j + 1: doubles 4j … 4j + 3.
    for (let x = 4 * lo, end = 4 * hi; x < end; x += 4) {
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[x + 2]!,
        i1 = psi[x + 3]!;
      psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
      psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
      psi[x + 2] = cr * r0 - ci * i0 + dr * r1 - di * i1;
      psi[x + 3] = cr * i0 + ci * r0 + dr * i1 + di * r1;
    }
    return;
  }
  if (t === 1) {
    // Pairs 2k and 2k + 1 are amplitudes (4k, 4k + 2) and (4k + 1, 4k + 3): eight consecutive doubles.
    let j = lo;
    if (j & 1 && j < hi) {
      oneDenseRun(psi, m, 1, j, j + 1);
      j++;
    }
    const even = j + ((hi - j) & ~1);
    for (let x = 4 * j, end = 4 * even; x < end; x += 8) {
      let r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[x + 4]!,
        i1 = psi[x + 5]!;
      psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
      psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
      psi[x + 4] = cr * r0 - ci * i0 + dr * r1 - di * i1;
      psi[x + 5] = cr * i0 + ci * r0 + dr * i1 + di * r1;
      r0 = psi[x + 2]!;
      i0 = psi[x + 3]!;
      r1 = psi[x + 6]!;
      i1 = psi[x + 7]!;
      psi[x + 2] = ar * r0 - ai * i0 + br * r1 - bi * i1;
      psi[x + 3] = ar * i0 + ai * r0 + br * i1 + bi * r1;
      psi[x + 6] = cr * r0 - ci * i0 + dr * r1 - di * i1;
      psi[x + 7] = cr * i0 + ci * r0 + dr * i1 + di * r1;
    }
    if (even < hi) oneDenseRun(psi, m, 1, even, hi);
    return;
  }
  oneDenseRun(psi, m, t, lo, hi);
}

/**
 * Runs of 2^t consecutive pairs for t ≥ 3; for smaller t (t = 2, and the ragged ends of t = 1) the runs are too
 * short to pay for their bookkeeping, and each pair's index is computed directly.
 */
function oneDenseRun(psi: Amplitudes, m: Float64Array, t: number, lo: number, hi: number): void {
  const ar = m[0]!,
    ai = m[1]!,
    br = m[2]!,
    bi = m[3]!,
    cr = m[4]!,
    ci = m[5]!,
    dr = m[6]!,
    di = m[7]!;
  const lowMask = (1 << t) - 1;
  const off = 2 << t;
  if (t < 3) {
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
    for (let y = x + off; x < xEnd; x += 2, y += 2) {
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

/** Uncontrolled real one-qubit gate (h, ry, …): half the multiplications of the complex kernel. */
export function oneReal(psi: Amplitudes, m: Float64Array, t: number, lo: number, hi: number): void {
  const a = m[0]!,
    b = m[2]!,
    c = m[4]!,
    d = m[6]!;
  if (t === 0) {
    for (let x = 4 * lo, end = 4 * hi; x < end; x += 4) {
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        r1 = psi[x + 2]!,
        i1 = psi[x + 3]!;
      psi[x] = a * r0 + b * r1;
      psi[x + 1] = a * i0 + b * i1;
      psi[x + 2] = c * r0 + d * r1;
      psi[x + 3] = c * i0 + d * i1;
    }
    return;
  }
  if (t === 1) {
    let j = lo;
    if (j & 1 && j < hi) {
      oneRealRun(psi, m, 1, j, j + 1);
      j++;
    }
    const even = j + ((hi - j) & ~1);
    for (let x = 4 * j, end = 4 * even; x < end; x += 8) {
      const r0 = psi[x]!,
        i0 = psi[x + 1]!,
        s0 = psi[x + 2]!,
        k0 = psi[x + 3]!,
        r1 = psi[x + 4]!,
        i1 = psi[x + 5]!,
        s1 = psi[x + 6]!,
        k1 = psi[x + 7]!;
      psi[x] = a * r0 + b * r1;
      psi[x + 1] = a * i0 + b * i1;
      psi[x + 2] = a * s0 + b * s1;
      psi[x + 3] = a * k0 + b * k1;
      psi[x + 4] = c * r0 + d * r1;
      psi[x + 5] = c * i0 + d * i1;
      psi[x + 6] = c * s0 + d * s1;
      psi[x + 7] = c * k0 + d * k1;
    }
    if (even < hi) oneRealRun(psi, m, 1, even, hi);
    return;
  }
  oneRealRun(psi, m, t, lo, hi);
}

function oneRealRun(psi: Amplitudes, m: Float64Array, t: number, lo: number, hi: number): void {
  const a = m[0]!,
    b = m[2]!,
    c = m[4]!,
    d = m[6]!;
  const lowMask = (1 << t) - 1;
  const off = 2 << t;
  if (t < 3) {
    for (let j = lo; j < hi; j++) {
      const x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
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
    return;
  }
  let j = lo;
  while (j < hi) {
    const runEnd = Math.min(hi, (j | lowMask) + 1);
    let x = 2 * (((j >>> t) << (t + 1)) | (j & lowMask));
    const xEnd = x + 2 * (runEnd - j);
    for (let y = x + off; x < xEnd; x += 2, y += 2) {
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

/**
 * Complex one-qubit gate on the pair (x, x + off) of every base index, where x = 2·(base | cb) + start: a
 * controlled gate (start 0), or one block of a two-qubit gate that is block-diagonal (start = the other block).
 */
export function oneAt(
  psi: Amplitudes,
  m: Float64Array,
  off: number,
  start: number,
  sorted: Int32Array,
  mask: number,
  cb: number,
  lo: number,
  hi: number,
): void {
  const ar = m[0]!,
    ai = m[1]!,
    br = m[2]!,
    bi = m[3]!,
    cr = m[4]!,
    ci = m[5]!,
    dr = m[6]!,
    di = m[7]!;
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const x = 2 * (b | cb) + start;
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

/**
 * Base index of j: zero bits inserted at the sorted positions. Later bases follow incrementally: with `mask` the
 * inserted positions, ((b | mask) + 1) & ~mask is the next integer whose masked bits are zero (the carry skips them).
 */
export function firstBase(j: number, sorted: Int32Array): number {
  let b = j;
  for (let s = 0; s < sorted.length; s++) {
    const q = sorted[s]!;
    b = ((b >>> q) << (q + 1)) | (b & ((1 << q) - 1));
  }
  return b;
}
