/**
 * Singular value decomposition of a complex matrix by one-sided Jacobi (Hestenes 1958; complex rotation as in
 * Demmel & Veselić, "Jacobi's method is more accurate than QR", 1992): plane rotations orthogonalise the columns
 * of A·V until every pair is orthogonal to working precision; the column norms are then the singular values.
 * Written here because no maintained pure-JS complex SVD exists; matrices in the MPS backend are small (≤ 2χ).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- index arithmetic over typed arrays, in range by
   construction. */

export interface Svd {
  /** rows × k, row-major interleaved. */
  readonly u: Float64Array;
  /** k singular values, descending. */
  readonly s: Float64Array;
  /** k × cols, row-major interleaved (V†). */
  readonly vh: Float64Array;
  readonly k: number;
}

const MAX_SWEEPS = 80;
const EPS = 1e-15;

/** A = U·diag(s)·V† for a rows × cols interleaved row-major matrix; k = min(rows, cols). */
export function svd(a: Float64Array, rows: number, cols: number): Svd {
  if (rows < cols) {
    // A† = U'SV'† ⇒ A = V'SU'†.
    const r = svd(conjTranspose(a, rows, cols), cols, rows);
    return { u: conjTranspose(r.vh, r.k, rows), s: r.s, vh: conjTranspose(r.u, cols, r.k), k: r.k };
  }
  const m = rows;
  const n = cols;
  // Column-major working copies: w[(j·m + i)·2].
  const w = new Float64Array(2 * m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      w[2 * (j * m + i)] = a[2 * (i * n + j)]!;
      w[2 * (j * m + i) + 1] = a[2 * (i * n + j) + 1]!;
    }
  const v = new Float64Array(2 * n * n);
  for (let j = 0; j < n; j++) v[2 * (j * n + j)] = 1;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gr = 0;
        let gi = 0;
        const op = 2 * p * m;
        const oq = 2 * q * m;
        for (let i = 0; i < 2 * m; i += 2) {
          const pr = w[op + i]!,
            pi = w[op + i + 1]!,
            qr = w[oq + i]!,
            qi = w[oq + i + 1]!;
          alpha += pr * pr + pi * pi;
          beta += qr * qr + qi * qi;
          // γ = Σ conj(a_p)·a_q
          gr += pr * qr + pi * qi;
          gi += pr * qi - pi * qr;
        }
        const g = Math.hypot(gr, gi);
        if (g === 0 || g <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * g);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        // ã_q = a_q·e^{−iφ} with γ = |γ|e^{iφ}; then a_p ← c·a_p − s·ã_q, a_q ← s·a_p + c·ã_q.
        const er = gr / g;
        const ei = -gi / g;
        rotate(w, op, oq, m, c, s, er, ei);
        rotate(v, 2 * p * n, 2 * q * n, n, c, s, er, ei);
      }
    }
    if (!rotated) break;
  }

  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let t = 0;
    for (let i = 0; i < 2 * m; i++) t += w[2 * j * m + i]! * w[2 * j * m + i]!;
    norms[j] = Math.sqrt(t);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const k = n;
  const u = new Float64Array(2 * m * k);
  const sv = new Float64Array(k);
  const vh = new Float64Array(2 * k * n);
  order.forEach((j, col) => {
    const sigma = norms[j]!;
    sv[col] = sigma;
    const inv = sigma > 0 ? 1 / sigma : 0;
    for (let i = 0; i < m; i++) {
      u[2 * (i * k + col)] = w[2 * (j * m + i)]! * inv;
      u[2 * (i * k + col) + 1] = w[2 * (j * m + i) + 1]! * inv;
    }
    for (let c = 0; c < n; c++) {
      vh[2 * (col * n + c)] = v[2 * (j * n + c)]!;
      vh[2 * (col * n + c) + 1] = -v[2 * (j * n + c) + 1]!;
    }
  });
  return { u, s: sv, vh, k };
}

function rotate(
  x: Float64Array,
  op: number,
  oq: number,
  len: number,
  c: number,
  s: number,
  er: number,
  ei: number,
): void {
  for (let i = 0; i < 2 * len; i += 2) {
    const pr = x[op + i]!,
      pi = x[op + i + 1]!;
    const qr0 = x[oq + i]!,
      qi0 = x[oq + i + 1]!;
    const qr = qr0 * er - qi0 * ei;
    const qi = qr0 * ei + qi0 * er;
    x[op + i] = c * pr - s * qr;
    x[op + i + 1] = c * pi - s * qi;
    x[oq + i] = s * pr + c * qr;
    x[oq + i + 1] = s * pi + c * qi;
  }
}

/** Conjugate transpose of a rows × cols interleaved row-major matrix. */
export function conjTranspose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(2 * rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      out[2 * (j * rows + i)] = a[2 * (i * cols + j)]!;
      out[2 * (j * rows + i) + 1] = -a[2 * (i * cols + j) + 1]!;
    }
  return out;
}
