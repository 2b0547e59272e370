/**
 * Test helpers: compile OpenQASM (failing the test with the diagnostics if it does not compile), compute a
 * circuit's full unitary or final state with the reference kernel, and compare complex matrices.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import assert from 'node:assert/strict';
import { applyGate, parseQasm, simulateReference } from '../../src/quantum/index.js';
import type { Circuit, ComplexMatrix, SimulateOptions, SimulationResult } from '../../src/quantum/index.js';

export function compile(text: string, bindings?: Record<string, number>): Circuit {
  const result = parseQasm(text, bindings ? { bindings } : {});
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, errors.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  assert.ok(result.circuit);
  return result.circuit;
}

export function run(text: string, options: SimulateOptions = {}, bindings?: Record<string, number>): SimulationResult {
  return simulateReference(compile(text, bindings), options);
}

/** The unitary of a circuit made only of unitary and gphase ops, row-major interleaved. */
export function circuitUnitary(circuit: Circuit): ComplexMatrix {
  const n = circuit.numQubits;
  const dim = 2 ** n;
  const out = new Float64Array(2 * dim * dim);
  for (let c = 0; c < dim; c++) {
    const col = new Float64Array(2 * dim);
    col[2 * c] = 1;
    for (const op of circuit.ops) {
      if (op.type === 'unitary') applyGate(col, n, op);
      else if (op.type === 'gphase') {
        for (let i = 0; i < col.length; i += 2) {
          const [re, im] = [col[i] ?? 0, col[i + 1] ?? 0];
          col[i] = re * Math.cos(op.angle) - im * Math.sin(op.angle);
          col[i + 1] = re * Math.sin(op.angle) + im * Math.cos(op.angle);
        }
      } else if (op.type !== 'barrier') throw new Error(`circuitUnitary: unexpected ${op.type}`);
    }
    for (let r = 0; r < dim; r++) {
      out[2 * (r * dim + c)] = col[2 * r] ?? 0;
      out[2 * (r * dim + c) + 1] = col[2 * r + 1] ?? 0;
    }
  }
  return out;
}

export function finalState(
  text: string,
  bindings?: Record<string, number>,
): { re: readonly number[]; im: readonly number[] } {
  const result = run(text, { shots: 0, stateVector: true }, bindings);
  assert.ok(result.stateVector);
  return result.stateVector;
}

/** Build an interleaved matrix from rows of [re, im] pairs or real numbers. */
export function mat(rows: readonly (readonly (number | readonly [number, number])[])[]): ComplexMatrix {
  const out: number[] = [];
  for (const row of rows) for (const x of row) out.push(...(typeof x === 'number' ? [x, 0] : x));
  return Float64Array.from(out);
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-10, message = ''): void {
  assert.equal(actual.length, expected.length, `${message} length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    assert.ok(Math.abs(a - e) <= tol, `${message} entry ${i}: ${a} vs ${e}`);
  }
}

/** a = e^{iφ}·b for some φ (matrices equal up to global phase). */
export function assertEqualUpToPhase(a: ComplexMatrix, b: ComplexMatrix, tol = 1e-10, message = ''): void {
  // pick the largest entry of b to fix the phase
  let k = 0;
  for (let i = 0; i < b.length; i += 2) if (Math.hypot(b[i]!, b[i + 1]!) > Math.hypot(b[k]!, b[k + 1]!)) k = i;
  const [br, bi] = [b[k]!, b[k + 1]!];
  const [ar, ai] = [a[k]!, a[k + 1]!];
  const norm = br * br + bi * bi;
  // phase = a_k / b_k
  const pr = (ar * br + ai * bi) / norm;
  const pi = (ai * br - ar * bi) / norm;
  assert.ok(Math.abs(Math.hypot(pr, pi) - 1) < 1e-8, `${message}: not a phase (${pr}, ${pi})`);
  const scaled = new Float64Array(b.length);
  for (let i = 0; i < b.length; i += 2) {
    scaled[i] = b[i]! * pr - b[i + 1]! * pi;
    scaled[i + 1] = b[i]! * pi + b[i + 1]! * pr;
  }
  assertClose(a, scaled, tol, message);
}

export function assertUnitary(m: ComplexMatrix, tol = 1e-10, message = ''): void {
  const n = Math.round(Math.sqrt(m.length / 2));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < n; k++) {
        // (M†M)_ij = Σ conj(M_ki)·M_kj
        const [ar, ai] = [m[2 * (k * n + i)]!, -m[2 * (k * n + i) + 1]!];
        const [br, bi] = [m[2 * (k * n + j)]!, m[2 * (k * n + j) + 1]!];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      assert.ok(
        Math.abs(re - (i === j ? 1 : 0)) < tol && Math.abs(im) < tol,
        `${message}: (M†M)[${i}][${j}] = ${re}+${im}i`,
      );
    }
  }
}
