/**
 * Expression evaluation: constants, operators (QASM 2 `^` power, QASM 3 `**`), functions, integer typing, and
 * loop variables in indices and angles — checked through the angles that end up in the lowered matrices.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateConstant } from '../../src/quantum/index.js';
import type { UnitaryOp } from '../../src/quantum/index.js';
import { compile } from './qasm-helpers.js';

/** The angle λ of `U(0, 0, λ)` = diag(1, e^{iλ}) as lowered, in (−π, π]. */
function phaseOf(op: UnitaryOp): number {
  return Math.atan2(op.matrix[7] ?? NaN, op.matrix[6] ?? NaN);
}

function angle(expr: string, version: '2.0' | '3.0' = '3.0'): number {
  const header = version === '2.0' ? 'OPENQASM 2.0;\nqreg q[1];\n' : 'OPENQASM 3.0;\nqubit q;\n';
  const c = compile(`${header}U(0, 0, ${expr}) q${version === '2.0' ? '[0]' : ''};`);
  return phaseOf(c.ops[0] as UnitaryOp);
}

function wrap(x: number): number {
  const y = Math.atan2(Math.sin(x), Math.cos(x));
  return y;
}

test('constants and arithmetic', () => {
  const cases: [string, number][] = [
    ['pi/4', Math.PI / 4],
    ['π/3', Math.PI / 3],
    ['tau/8', Math.PI / 4],
    ['τ/6', Math.PI / 3],
    ['euler', Math.E - 2 * Math.PI * 0],
    ['ℇ - 2', Math.E - 2],
    ['-(1 + 2) * 0.25', -0.75],
    ['2 ** 3 / 10', 0.8],
    ['-2 ** 2 / 10', -0.4],
    ['2 ** -1', 0.5],
    ['1e-1 + .2', 0.30000000000000004],
    ['7 % 4 - 2.5', 0.5],
    ['sin(pi/6) + cos(0) - 1', 0.5],
    ['tan(0.3)', Math.tan(0.3)],
    ['arcsin(0.5)', Math.PI / 6],
    ['arccos(0.5)', Math.PI / 3],
    ['arctan(1)', Math.PI / 4],
    ['exp(0.5)', Math.exp(0.5)],
    ['ln(2)', Math.log(2)],
    ['sqrt(2)', Math.SQRT2],
    ['floor(2.7) - ceiling(0.2)', 1],
    ['pow(2, 0.5)', Math.SQRT2],
    ['mod(7, 3)', 1],
    ['1/2', 0.5],
  ];
  for (const [expr, want] of cases)
    assert.ok(Math.abs(angle(expr) - wrap(want)) < 1e-12, `${expr}: ${angle(expr)} vs ${want}`);
  assert.ok(Math.abs(angle('2^2/10', '2.0') - 0.4) < 1e-12, 'QASM 2 ^ is power');
  assert.ok(Math.abs(angle('-pi^2/10', '2.0') - wrap(-(Math.PI ** 2) / 10)) < 1e-12);
  assert.ok(Math.abs(angle('(5 ^ 3) / 10') - 0.6) < 1e-12, 'QASM 3 ^ is exclusive or');
});

test('integer variables divide as integers; literals as reals', () => {
  const c = compile('OPENQASM 3.0;\nqubit[4] q;\nconst int n = 5;\nU(0, 0, n / 2) q[n / 2];\nU(0, 0, 5 / 2) q[0];');
  const [a, b] = c.ops as UnitaryOp[];
  assert.deepEqual(a!.targets, [2]);
  assert.ok(Math.abs(phaseOf(a!) - 2) < 1e-12);
  assert.ok(Math.abs(phaseOf(b!) - 2.5) < 1e-12);
});

test('loop variables work in indices and angles; ranges include their end; sets and steps', () => {
  const c = compile(`OPENQASM 3.0;\nqubit[6] q;
for uint i in [0:2] { U(0, 0, i * 0.1) q[2 * i]; }
for i in [5:-2:1] { U(0, 0, 1) q[i]; }
for int k in {4, 0} { U(0, 0, 2) q[k]; }`);
  const ops = c.ops as UnitaryOp[];
  assert.deepEqual(
    ops.map((o) => o.targets[0]),
    [0, 2, 4, 5, 3, 1, 4, 0],
  );
  assert.ok(Math.abs(phaseOf(ops[2]!) - 0.2) < 1e-12);
  // negative indices count from the end; slices broadcast
  const s = compile('OPENQASM 3.0;\nqubit[4] q;\nU(0, 0, 0) q[-1];\nU(0, 0, 0) q[1:2];\nU(0, 0, 0) q[{0, 3}];');
  assert.deepEqual(
    (s.ops as UnitaryOp[]).map((o) => o.targets[0]),
    [3, 1, 2, 0, 3],
  );
});

test('evaluateConstant (used for --input values)', () => {
  assert.equal(evaluateConstant('pi/2').value, Math.PI / 2);
  assert.equal(evaluateConstant('-0.25').value, -0.25);
  assert.equal(evaluateConstant('2*tau').value, 4 * Math.PI);
  assert.equal(evaluateConstant('theta').value, undefined);
  assert.equal(evaluateConstant('1; x q').value, undefined);
  assert.equal(evaluateConstant('').value, undefined);
});
