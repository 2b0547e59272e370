/**
 * Two-qubit dense kernels. Each visits the base indices [lo, hi) with the incremental mask and the four amplitudes
 * x0, x0 + o1, x0 + o2, x0 + o3 of each (local index l = bit of targets[0] + 2 · bit of targets[1]).
 *
 * A general complex 4×4 costs 16 complex multiply-adds per four amplitudes, twice a one-qubit pass per byte, and
 * scalar JavaScript has no SIMD, so it is compute-bound. The structured forms cost less: a real matrix half the
 * multiplications, and a block-diagonal one (a one-qubit gate chosen by the other qubit, which is what a fused
 * controlled gate with a one-qubit gate on its target becomes) the same work as a one-qubit pass; a block-diagonal
 * matrix with an identity block is a controlled gate and runs on the half it changes (see kernels-one.ts `oneAt`).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops over typed arrays whose indices are in range
   by construction; `?? 0` on every access would cost a branch per amplitude. */
import type { Amplitudes } from './kernels.js';
import { firstBase } from './kernels-one.js';

/** General complex 4×4 (row-major, interleaved). o1..o3 are double offsets of local states 1..3. */
export function twoGeneral(
  psi: Amplitudes,
  m: Float64Array,
  o1: number,
  o2: number,
  o3: number,
  sorted: Int32Array,
  mask: number,
  cb: number,
  lo: number,
  hi: number,
): void {
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
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
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

/** Real 4×4 (every imaginary part zero): the real and imaginary halves are two real 4-vectors. */
export function twoReal(
  psi: Amplitudes,
  m: Float64Array,
  o1: number,
  o2: number,
  o3: number,
  sorted: Int32Array,
  mask: number,
  cb: number,
  lo: number,
  hi: number,
): void {
  const a0 = m[0]!,
    a1 = m[2]!,
    a2 = m[4]!,
    a3 = m[6]!,
    b0 = m[8]!,
    b1 = m[10]!,
    b2 = m[12]!,
    b3 = m[14]!,
    c0 = m[16]!,
    c1 = m[18]!,
    c2 = m[20]!,
    c3 = m[22]!,
    d0 = m[24]!,
    d1 = m[26]!,
    d2 = m[28]!,
    d3 = m[30]!;
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
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
    psi[x0] = a0 * r0 + a1 * r1 + a2 * r2 + a3 * r3;
    psi[x0 + 1] = a0 * i0 + a1 * i1 + a2 * i2 + a3 * i3;
    psi[x1] = b0 * r0 + b1 * r1 + b2 * r2 + b3 * r3;
    psi[x1 + 1] = b0 * i0 + b1 * i1 + b2 * i2 + b3 * i3;
    psi[x2] = c0 * r0 + c1 * r1 + c2 * r2 + c3 * r3;
    psi[x2 + 1] = c0 * i0 + c1 * i1 + c2 * i2 + c3 * i3;
    psi[x3] = d0 * r0 + d1 * r1 + d2 * r2 + d3 * r3;
    psi[x3 + 1] = d0 * i0 + d1 * i1 + d2 * i2 + d3 * i3;
  }
}

/**
 * Block-diagonal 4×4: matrix `a` on the pair (x, x + off) and matrix `c` on the pair (x + start, x + start + off),
 * with x = 2·(base | cb). Both 2×2 matrices complex, interleaved.
 */
export function twoBlock(
  psi: Amplitudes,
  a: Float64Array,
  c: Float64Array,
  off: number,
  start: number,
  sorted: Int32Array,
  mask: number,
  cb: number,
  lo: number,
  hi: number,
): void {
  const ar = a[0]!,
    ai = a[1]!,
    br = a[2]!,
    bi = a[3]!,
    cr = a[4]!,
    ci = a[5]!,
    dr = a[6]!,
    di = a[7]!;
  const er = c[0]!,
    ei = c[1]!,
    fr = c[2]!,
    fi = c[3]!,
    gr = c[4]!,
    gi = c[5]!,
    hr = c[6]!,
    hi_ = c[7]!;
  for (let j = lo, b = firstBase(lo, sorted); j < hi; j++, b = ((b | mask) + 1) & ~mask) {
    const x = 2 * (b | cb);
    const y = x + off;
    let r0 = psi[x]!,
      i0 = psi[x + 1]!,
      r1 = psi[y]!,
      i1 = psi[y + 1]!;
    psi[x] = ar * r0 - ai * i0 + br * r1 - bi * i1;
    psi[x + 1] = ar * i0 + ai * r0 + br * i1 + bi * r1;
    psi[y] = cr * r0 - ci * i0 + dr * r1 - di * i1;
    psi[y + 1] = cr * i0 + ci * r0 + dr * i1 + di * r1;
    const u = x + start;
    const v = u + off;
    r0 = psi[u]!;
    i0 = psi[u + 1]!;
    r1 = psi[v]!;
    i1 = psi[v + 1]!;
    psi[u] = er * r0 - ei * i0 + fr * r1 - fi * i1;
    psi[u + 1] = er * i0 + ei * r0 + fr * i1 + fi * r1;
    psi[v] = gr * r0 - gi * i0 + hr * r1 - hi_ * i1;
    psi[v + 1] = gr * i0 + gi * r0 + hr * i1 + hi_ * r1;
  }
}
