/** The complex one-sided Jacobi SVD: reconstruction, orthonormal factors, known singular values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { svd } from '../../src/quantum/index.js';

function reconstruct(u: Float64Array, s: Float64Array, vh: Float64Array, rows: number, cols: number, k: number) {
  const out = new Float64Array(2 * rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      for (let p = 0; p < k; p++) {
        const ur = u[2 * (i * k + p)] ?? 0;
        const ui = u[2 * (i * k + p) + 1] ?? 0;
        const vr = vh[2 * (p * cols + j)] ?? 0;
        const vi = vh[2 * (p * cols + j) + 1] ?? 0;
        const sp = s[p] ?? 0;
        out[2 * (i * cols + j)] = (out[2 * (i * cols + j)] ?? 0) + sp * (ur * vr - ui * vi);
        out[2 * (i * cols + j) + 1] = (out[2 * (i * cols + j) + 1] ?? 0) + sp * (ur * vi + ui * vr);
      }
  return out;
}

/** Max deviation of the Gram matrix of the k columns of a (rows × k, or rows of a k × n when byRows) from I. */
function gramError(a: Float64Array, rows: number, k: number, byRows: boolean, s: Float64Array): number {
  let err = 0;
  const at = (i: number, p: number): [number, number] =>
    byRows
      ? [a[2 * (p * rows + i)] ?? 0, a[2 * (p * rows + i) + 1] ?? 0]
      : [a[2 * (i * k + p)] ?? 0, a[2 * (i * k + p) + 1] ?? 0];
  for (let p = 0; p < k; p++)
    for (let q = 0; q < k; q++) {
      if ((s[p] ?? 0) < 1e-12 || (s[q] ?? 0) < 1e-12) continue;
      let re = 0;
      let im = 0;
      for (let i = 0; i < rows; i++) {
        const [ar, ai] = at(i, p);
        const [br, bi] = at(i, q);
        re += ar * br + ai * bi;
        im += ar * bi - ai * br;
      }
      err = Math.max(err, Math.abs(re - (p === q ? 1 : 0)), Math.abs(im));
    }
  return err;
}

test('svd reconstructs random complex matrices with orthonormal factors (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 9 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 162, maxLength: 162 }),
      (rows, cols, data) => {
        const a = Float64Array.from(data.slice(0, 2 * rows * cols));
        const { u, s, vh, k } = svd(a, rows, cols);
        assert.equal(k, Math.min(rows, cols));
        for (let p = 1; p < k; p++) assert.ok((s[p - 1] ?? 0) >= (s[p] ?? 0));
        const back = reconstruct(u, s, vh, rows, cols, k);
        for (let i = 0; i < a.length; i++) assert.ok(Math.abs((back[i] ?? 0) - (a[i] ?? 0)) < 1e-12, `entry ${i}`);
        assert.ok(gramError(u, rows, k, false, s) < 1e-12, 'U†U = I');
        assert.ok(gramError(vh, cols, k, true, s) < 1e-12, 'V†V = I');
      },
    ),
    { numRuns: 200, seed: 3 },
  );
});

test('svd finds known singular values and rank', () => {
  // Rows of a phased, permuted diag(3, 2, 0.5): singular values 3, 2, 0.5.
  const a = new Float64Array(18);
  a[2 * (0 * 3 + 2)] = 0.5;
  a[2 * (1 * 3 + 0) + 1] = 3; // 3i
  a[2 * (2 * 3 + 1)] = -2;
  const r = svd(a, 3, 3);
  assert.deepEqual(
    [...r.s].map((x) => Math.round(x * 1e12) / 1e12),
    [3, 2, 0.5],
  );
  // Outer product x·y† has rank 1 with σ = |x|·|y|.
  const x = [1, 2, -1];
  const y = [0.5, 0, 1, 3];
  const o = new Float64Array(2 * 12);
  x.forEach((xi, i) => y.forEach((yj, j) => (o[2 * (i * 4 + j)] = xi * yj)));
  const ro = svd(o, 3, 4);
  assert.ok(Math.abs((ro.s[0] ?? 0) - Math.sqrt(6) * Math.sqrt(10.25)) < 1e-12);
  assert.ok((ro.s[1] ?? 1) < 1e-12);
});
