/**
 * `derivatives` on lowered gates: exact forward-mode derivatives (see src/quantum/qasm/value.ts) checked against
 * central finite differences of the matrices, and the reference simulator's gradients against d⟨Z⟩/dθ = −sin θ.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQasm, simulateReference } from '../../src/quantum/index.js';
import type { Circuit, UnitaryOp } from '../../src/quantum/index.js';
import { assertClose, compile } from './qasm-helpers.js';

const STD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
const H = 1e-6;

function unitaries(c: Circuit): UnitaryOp[] {
  return c.ops.filter((o): o is UnitaryOp => o.type === 'unitary');
}

/** Each op's derivative for `param` equals (M(p+h) − M(p−h)) / 2h. */
function checkAgainstFiniteDifference(text: string, bindings: Record<string, number>, param: string): void {
  const at = unitaries(compile(text, bindings));
  const plus = unitaries(compile(text, { ...bindings, [param]: bindings[param]! + H }));
  const minus = unitaries(compile(text, { ...bindings, [param]: bindings[param]! - H }));
  assert.equal(at.length, plus.length);
  let sawDerivative = false;
  at.forEach((op, i) => {
    const fd = plus[i]!.matrix.map((x, k) => (x - minus[i]!.matrix[k]!) / (2 * H));
    const exact = op.derivatives?.find((d) => d.param === param)?.matrix ?? new Float64Array(op.matrix.length);
    if (op.derivatives?.some((d) => d.param === param)) sawDerivative = true;
    assertClose(exact, fd, 1e-7, `${text.split('\n').at(-1)} op ${i} (${op.label})`);
  });
  assert.ok(sawDerivative, 'no derivative was recorded');
}

test('derivatives of standard rotations and library gates match finite differences', () => {
  const b = { theta: 0.83, phi: -0.41 };
  const header = `${STD}input float[64] theta;\ninput float[64] phi;\nqubit[3] q;\n`;
  for (const line of [
    'rx(theta) q[0];',
    'ry(2 * theta + sin(phi)) q[1];',
    'rz(theta ** 2 / 3) q[0];',
    'p(theta) q[0];',
    'u3(theta, phi, 0.3) q[2];',
    'crx(theta) q[0], q[1];',
    'cp(-theta) q[1], q[2];',
    'cu(theta, phi, theta, phi) q[0], q[2];',
    'ctrl @ ry(theta) q[2], q[0];',
    'negctrl @ rz(theta) q[2], q[0];',
    'inv @ rx(theta * phi) q[0];',
    'pow(3) @ ry(theta) q[1];',
    'pow(-2) @ u3(theta, phi, phi) q[1];',
    'ctrl @ gphase(theta) q[1];',
    'U(exp(theta), arctan(phi), sqrt(theta)) q[0];',
  ]) {
    checkAgainstFiniteDifference(header + line, b, 'theta');
  }
  checkAgainstFiniteDifference(`${header}ry(2 * theta + sin(phi)) q[1];`, b, 'phi');
  // qelib1 rotations are built from u1/u3 bodies
  checkAgainstFiniteDifference(
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ninput float[64] theta;\nrzz(theta) q[0], q[1]; crz(theta) q[1], q[0]; rxx(theta) q[0], q[1];',
    { theta: 1.1 },
    'theta',
  );
});

test('derivatives flow through user gates, both dense (≤ 3 qubits) and inlined', () => {
  const text = `${STD}input float[64] theta;
gate small(a) x, y { h x; crz(a) x, y; ry(a / 2) y; }
gate wide(a) w, x, y, z { small(a) w, x; cx x, y; rz(3 * a) z; }
qubit[4] q;
small(theta) q[0], q[1];
wide(theta + 1) q[0], q[1], q[2], q[3];
inv @ wide(theta) q[3], q[2], q[1], q[0];`;
  checkAgainstFiniteDifference(text, { theta: 0.37 }, 'theta');
  const circuit = compile(text, { theta: 0.37 });
  assert.deepEqual(circuit.parameters, ['theta']);
  // ops that do not depend on theta carry no derivatives
  assert.ok(unitaries(circuit).some((op) => op.label === 'cx' && op.derivatives === undefined));
});

test('reference simulator gradients: d⟨Z⟩/dθ = −sin θ after rx(θ), and finite differences on a larger circuit', async () => {
  for (const theta of [0.1, 1.3, 2.9]) {
    const circuit = compile(`${STD}input float[64] theta; qubit q; rx(theta) q;`, { theta });
    const r = simulateReference(circuit, {
      shots: 0,
      observables: [{ terms: [{ coefficient: 1, ops: [{ qubit: 0, pauli: 'Z' }] }] }],
      gradients: true,
    });
    assert.ok(Math.abs((r.expectations?.[0] ?? NaN) - Math.cos(theta)) < 1e-12);
    assert.ok(Math.abs((r.gradients?.[0]?.['theta'] ?? NaN) + Math.sin(theta)) < 1e-12);
  }
  const text = `${STD}input float[64] a; input float[64] b; qubit[3] q;
h q; crz(a) q[0], q[1]; ry(b * a) q[2]; cx q[2], q[0]; ctrl @ rx(b) q[1], q[2]; p(a - b) q[0];`;
  const h = {
    terms: [
      {
        coefficient: 0.7,
        ops: [
          { qubit: 0, pauli: 'Z' as const },
          { qubit: 2, pauli: 'X' as const },
        ],
      },
      { coefficient: -1.2, ops: [{ qubit: 1, pauli: 'Y' as const }] },
    ],
  };
  const exp = (bind: Record<string, number>): number =>
    simulateReference(compile(text, bind), { shots: 0, observables: [h] }).expectations?.[0] ?? NaN;
  const base = { a: 0.4, b: -0.9 };
  const r = simulateReference(compile(text, base), { shots: 0, observables: [h], gradients: true });
  for (const p of ['a', 'b'] as const) {
    const fd = (exp({ ...base, [p]: base[p] + H }) - exp({ ...base, [p]: base[p] - H })) / (2 * H);
    assert.ok(Math.abs((r.gradients?.[0]?.[p] ?? NaN) - fd) < 1e-7, `${p}: ${r.gradients?.[0]?.[p]} vs ${fd}`);
  }
});

test('input parameters: values bound, order kept, integer inputs are constants', () => {
  const result = parseQasm(
    `${STD}input float[64] b; input angle a; input int n; qubit q; for int i in [1:n] { rx(a + b) q; }`,
    {
      bindings: { a: 0.1, b: 0.2, n: 3 },
    },
  );
  assert.ok(result.circuit);
  assert.deepEqual(result.circuit.parameters, ['b', 'a']);
  assert.equal(result.circuit.ops.length, 3);
  const bad = parseQasm(`${STD}input int n; qubit q;`, { bindings: { n: 1.5 } });
  assert.ok(bad.diagnostics.some((d) => d.code === 'type_error'));
});
