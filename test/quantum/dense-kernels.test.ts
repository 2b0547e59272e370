/**
 * Differential tests of the specialised dense kernels: each structured one- and two-qubit form (real, controlled,
 * block-diagonal, general; any target positions, extra controls, any sub-range of base indices, both precisions)
 * against the gathering k-qubit kernel, with the plan checked so the fast path really ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Amplitudes, DenseForm } from './helpers.js';
import { applyCompiled, applyDenseGather, compileOp, densePlan, makeScratch, ryMatrix, uMatrix } from './helpers.js';

/** Deterministic non-zero pseudo-random entries in [−1, −0.1] ∪ [0.1, 1]. */
function entries(seed: number, count: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out.push((u < 0.5 ? -1 : 1) * (0.1 + 0.9 * ((2 * u) % 1)));
  }
  return out;
}

function complex2(seed: number, real: boolean): Float64Array {
  const e = entries(seed, 8);
  return Float64Array.from(e, (v, i) => (real && i % 2 === 1 ? 0 : v));
}

/** 4×4 that is block-diagonal in local bit `sel`: block `b` (bit sel = b) acts on the other bit. */
function blockDiagonal(sel: 0 | 1, lo: Float64Array, hi: Float64Array): Float64Array {
  const m = new Float64Array(32);
  const other = 1 - sel;
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      if (((r ^ c) >> sel) & 1) continue;
      const block = (r >> sel) & 1 ? hi : lo;
      const e = 2 * (2 * ((r >> other) & 1) + ((c >> other) & 1));
      m[2 * (4 * r + c)] = block[e] ?? 0;
      m[2 * (4 * r + c) + 1] = block[e + 1] ?? 0;
    }
  }
  return m;
}

const IDENTITY2 = Float64Array.of(1, 0, 0, 0, 0, 0, 1, 0);

interface Case {
  readonly form: DenseForm;
  readonly matrix: Float64Array;
  readonly k: 1 | 2;
}

function caseOf(kind: number, seed: number, sel: 0 | 1, identityLow: boolean): Case {
  switch (kind) {
    case 0:
      return { form: 'one', matrix: uMatrix(0.3 + (seed % 7) / 3, 0.2 + (seed % 5) / 2, 0.1 + (seed % 3)), k: 1 };
    case 1:
      return { form: 'one-real', matrix: ryMatrix(0.3 + (seed % 11) / 4), k: 1 };
    case 2: {
      const g = complex2(seed, false);
      const m = identityLow ? blockDiagonal(sel, IDENTITY2, g) : blockDiagonal(sel, g, IDENTITY2);
      return { form: 'two-controlled', matrix: m, k: 2 };
    }
    case 3:
      return { form: 'two-block', matrix: blockDiagonal(sel, complex2(seed, false), complex2(seed + 1, false)), k: 2 };
    case 4:
      return { form: 'two-real', matrix: Float64Array.from(entries(seed, 32), (v, i) => (i % 2 ? 0 : v)), k: 2 };
    default:
      return { form: 'two', matrix: Float64Array.from(entries(seed, 32)), k: 2 };
  }
}

function randomState(len: number, seed: number, precision: 64 | 128): Amplitudes {
  const e = entries(seed, len);
  return precision === 64 ? Float32Array.from(e) : Float64Array.from(e);
}

test('specialised dense kernels equal the gathering kernel on every form, position and sub-range', () => {
  const scratch = makeScratch();
  fc.assert(
    fc.property(
      fc.record({
        n: fc.integer({ min: 3, max: 8 }),
        kind: fc.integer({ min: 0, max: 5 }),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        sel: fc.constantFrom<0 | 1>(0, 1),
        identityLow: fc.boolean(),
        controlled: fc.boolean(),
        precision: fc.constantFrom<64 | 128>(64, 128),
        qubitSeed: fc.integer({ min: 0, max: 1_000_000 }),
        cut: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
      }),
      (p) => {
        const c = caseOf(p.kind, p.seed, p.sel, p.identityLow);
        // Distinct qubits in a seeded order: targets first, then an optional control.
        const order = Array.from({ length: p.n }, (_, i) => i);
        let s = p.qubitSeed;
        for (let i = order.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
        }
        const targets = order.slice(0, c.k);
        const controls = p.controlled ? order.slice(c.k, c.k + 1) : [];
        const op = compileOp(
          p.n,
          targets,
          c.matrix,
          controls,
          controls.map(() => 1 as const),
        );
        assert.equal(op.kind, 'dense');
        const expected = c.k === 1 && controls.length > 0 ? 'one-controlled' : c.form;
        assert.equal(densePlan(op).form, expected);
        const a = [Math.floor(p.cut[0] * op.bases), Math.floor(p.cut[1] * op.bases)].sort((x, y) => x - y);
        const lo = a[0] ?? 0;
        const hi = a[1] ?? 0;
        const fast = randomState(2 << p.n, p.seed + 7, p.precision);
        const slow = fast.slice();
        applyCompiled(fast, op, lo, hi, scratch);
        applyDenseGather(slow, op, lo, hi, scratch);
        const tol = p.precision === 64 ? 1e-6 : 1e-12;
        for (let i = 0; i < fast.length; i++) {
          assert.ok(Math.abs((fast[i] ?? 0) - (slow[i] ?? 0)) <= tol, `${expected} at ${i}: ${fast[i]} vs ${slow[i]}`);
        }
      },
    ),
    { numRuns: 400, seed: 11 },
  );
});

test('every one-qubit target position, including the low ones with their own loops, matches the gathering kernel', () => {
  const scratch = makeScratch();
  const n = 7;
  for (const matrix of [uMatrix(0.7, 0.4, 1.1), ryMatrix(0.9)]) {
    for (let t = 0; t < n; t++) {
      const op = compileOp(n, [t], matrix);
      const bases = op.bases;
      // Whole range, and ranges starting and ending on odd indices (the ragged ends of the t = 1 loop).
      for (const [lo, hi] of [
        [0, bases],
        [1, bases - 1],
        [3, 4],
        [5, 5],
      ] as const) {
        const fast = randomState(2 << n, 31 + t, 128);
        const slow = fast.slice();
        applyCompiled(fast, op, lo, hi, scratch);
        applyDenseGather(slow, op, lo, hi, scratch);
        for (let i = 0; i < fast.length; i++) {
          assert.ok(Math.abs((fast[i] ?? 0) - (slow[i] ?? 0)) <= 1e-12, `t=${t} [${lo}, ${hi}) at ${i}`);
        }
      }
    }
  }
});
