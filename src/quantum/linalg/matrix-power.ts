/**
 * Powers of a unitary, as `pow(k) @` needs them (OpenQASM 3 spec, "Quantum gate modifiers": pow(r) uses the
 * principal branch, U^r = Σ λ^r P_λ with arg λ in (-π, π]).
 *
 * Integer powers are exact products (repeated squaring). A diagonal matrix is raised entry by entry. Otherwise the
 * unitary is diagonalised: its eigenvectors are those of the Hermitian matrix H = Re(U) + c·Im(U), where
 * Re(U) = (U+U†)/2 and Im(U) = (U−U†)/2i commute, and c is an irrational constant so that distinct eigenvalues of U
 * stay distinct in H. H is diagonalised through its real symmetric 2n×2n embedding [[A, −B], [B, A]] with the
 * cyclic Jacobi method; each real eigenvector (x; y) gives the complex vector x + iy, and summing ½·v·v† over all 2n
 * of them gives each eigenprojector exactly once. The result is checked (U^r·U^r… is not, but U·v = λ·v is); a
 * failed check returns undefined so the caller can report it.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { ComplexMatrix } from '../circuit.js';
import { dagger, dimensionOf, identity, isDiagonal, multiply } from './complex-matrix.js';

const MIXING = Math.SQRT2 - 0.3819660112501051; // irrational, not a simple ratio of common angles
const EIGEN_TOLERANCE = 1e-9;

export function integerPower(u: ComplexMatrix, k: number): ComplexMatrix {
  let base = k < 0 ? dagger(u) : u;
  let e = Math.abs(k);
  let result = identity(dimensionOf(u));
  while (e > 0) {
    if (e % 2 === 1) result = multiply(result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = multiply(base, base);
  }
  return result;
}

function principalPower(re: number, im: number, r: number): [number, number] {
  const mag = Math.hypot(re, im);
  if (mag === 0) return [0, 0];
  let arg = Math.atan2(im, re);
  if (arg <= -Math.PI + 1e-12) arg = Math.PI;
  const m = mag ** r;
  return [m * Math.cos(r * arg), m * Math.sin(r * arg)];
}

/** Eigenvalues and orthonormal eigenvectors of a real symmetric matrix (row-major), cyclic Jacobi. */
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** U^r for real r (principal branch), or undefined when the decomposition fails its check. */
export function realPower(u: ComplexMatrix, r: number): ComplexMatrix | undefined {
  if (Number.isInteger(r) && Math.abs(r) <= 1 << 20) return integerPower(u, r);
  const n = dimensionOf(u);
  if (isDiagonal(u)) {
    const out = new Float64Array(u.length);
    for (let i = 0; i < n; i++) {
      const [pr, pi] = principalPower(u[2 * (i * n + i)]!, u[2 * (i * n + i) + 1]!, r);
      out[2 * (i * n + i)] = pr;
      out[2 * (i * n + i) + 1] = pi;
    }
    return out;
  }
  // H = (U+U†)/2 + c·(U−U†)/(2i), embedded as the real symmetric [[A, −B], [B, A]] with H = A + iB.
  const m = 2 * n;
  const emb = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const uij = [u[2 * (i * n + j)]!, u[2 * (i * n + j) + 1]!] as const;
      const uji = [u[2 * (j * n + i)]!, u[2 * (j * n + i) + 1]!] as const;
      // (U+U†)/2 entry: (u_ij + conj(u_ji))/2; (U−U†)/(2i) entry: (u_ij − conj(u_ji))/(2i)
      const sumRe = (uij[0] + uji[0]) / 2;
      const sumIm = (uij[1] - uji[1]) / 2;
      const difRe = (uij[0] - uji[0]) / 2;
      const difIm = (uij[1] + uji[1]) / 2;
      // divide (difRe + i·difIm) by i: (difIm − i·difRe)
      const a = sumRe + MIXING * difIm;
      const b = sumIm - MIXING * difRe;
      emb[i * m + j] = a;
      emb[(i + n) * m + j + n] = a;
      emb[i * m + j + n] = -b;
      emb[(i + n) * m + j] = b;
    }
  }
  const { vectors } = jacobiEigen(emb, m);
  const out = new Float64Array(2 * n * n);
  for (let e = 0; e < m; e++) {
    const vr = new Float64Array(n);
    const vi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      vr[i] = vectors[i * m + e]!;
      vi[i] = vectors[(i + n) * m + e]!;
    }
    // λ = v†Uv (|v| = 1), and check U·v = λ·v
    let lr = 0;
    let li = 0;
    const uvr = new Float64Array(n);
    const uvi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const ar = u[2 * (i * n + j)]!;
        const ai = u[2 * (i * n + j) + 1]!;
        uvr[i] = uvr[i]! + ar * vr[j]! - ai * vi[j]!;
        uvi[i] = uvi[i]! + ar * vi[j]! + ai * vr[j]!;
      }
      lr += vr[i]! * uvr[i]! + vi[i]! * uvi[i]!;
      li += vr[i]! * uvi[i]! - vi[i]! * uvr[i]!;
    }
    for (let i = 0; i < n; i++) {
      if (Math.hypot(uvr[i]! - (lr * vr[i]! - li * vi[i]!), uvi[i]! - (lr * vi[i]! + li * vr[i]!)) > EIGEN_TOLERANCE)
        return undefined;
    }
    const [pr, pi] = principalPower(lr, li, r);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // ½·λ^r·v_i·conj(v_j)
        const pre = vr[i]! * vr[j]! + vi[i]! * vi[j]!;
        const pim = vi[i]! * vr[j]! - vr[i]! * vi[j]!;
        out[2 * (i * n + j)] = out[2 * (i * n + j)]! + 0.5 * (pr * pre - pi * pim);
        out[2 * (i * n + j) + 1] = out[2 * (i * n + j) + 1]! + 0.5 * (pr * pim + pi * pre);
      }
    }
  }
  return out;
}
