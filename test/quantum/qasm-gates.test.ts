/**
 * Gate semantics: every gate of qelib1.inc and stdgates.inc against its textbook matrix, unitarity over random
 * parameters, `inv`, `ctrl`/`negctrl` and `pow` modifiers, and the OpenQASM 2 vs 3 spellings of one circuit.
 *
 * Matrices in this file are written big-endian (first operand = most significant qubit), as in textbooks; a gate
 * is applied as `g q[k-1], …, q[0]` so that the circuit unitary has that layout.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { QELIB1_NAMES, STDGATES_NAMES } from '../../src/quantum/index.js';
import type { ComplexMatrix, UnitaryOp } from '../../src/quantum/index.js';
import { controlled, identity, multiply } from '../../src/quantum/linalg/complex-matrix.js';
import { assertClose, assertEqualUpToPhase, assertUnitary, circuitUnitary, compile, mat } from './qasm-helpers.js';

type C = readonly [number, number];
const e = (phi: number): C => [Math.cos(phi), Math.sin(phi)];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const r = (x: number): C => [x, 0];
const I: C = [0, 1];

function u3(t: number, p: number, l: number): ComplexMatrix {
  const [c, s] = [Math.cos(t / 2), Math.sin(t / 2)];
  return mat([
    [r(c), mul(r(-s), e(l))],
    [mul(r(s), e(p)), mul(r(c), e(p + l))],
  ]);
}
const X = mat([
  [0, 1],
  [1, 0],
]);
const Y = mat([
  [0, [0, -1]],
  [I, 0],
]);
const Z = mat([
  [1, 0],
  [0, -1],
]);
const H = mat([
  [Math.SQRT1_2, Math.SQRT1_2],
  [Math.SQRT1_2, -Math.SQRT1_2],
]);
const phase = (l: number): ComplexMatrix =>
  mat([
    [1, 0],
    [0, e(l)],
  ]);
const SX = mat([
  [
    [0.5, 0.5],
    [0.5, -0.5],
  ],
  [
    [0.5, -0.5],
    [0.5, 0.5],
  ],
]);
const SXDG = mat([
  [
    [0.5, -0.5],
    [0.5, 0.5],
  ],
  [
    [0.5, 0.5],
    [0.5, -0.5],
  ],
]);
const rx = (t: number): ComplexMatrix =>
  mat([
    [Math.cos(t / 2), [0, -Math.sin(t / 2)]],
    [[0, -Math.sin(t / 2)], Math.cos(t / 2)],
  ]);
const ry = (t: number): ComplexMatrix =>
  mat([
    [Math.cos(t / 2), -Math.sin(t / 2)],
    [Math.sin(t / 2), Math.cos(t / 2)],
  ]);
const rz = (t: number): ComplexMatrix =>
  mat([
    [e(-t / 2), 0],
    [0, e(t / 2)],
  ]);
const SWAP = mat([
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [0, 0, 0, 1],
]);
function scaleM(m: ComplexMatrix, z: C): ComplexMatrix {
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i += 2) [out[i], out[i + 1]] = mul([m[i]!, m[i + 1]!], z);
  return out;
}
const rxx = (t: number): ComplexMatrix => {
  const [c, s] = [Math.cos(t / 2), Math.sin(t / 2)];
  const m: (number | C)[][] = [0, 1, 2, 3].map((i) =>
    [0, 1, 2, 3].map((j) => (i === j ? c : i + j === 3 ? ([0, -s] as C) : 0)),
  );
  return mat(m);
};
const rzz = (t: number): ComplexMatrix =>
  mat([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i !== j ? 0 : e((i === 0 || i === 3 ? -t : t) / 2)))));
const c = controlled;

/** Textbook matrix of each gate (big-endian), and whether the library fixes it exactly (else up to global phase). */
const TEXTBOOK: Readonly<Record<string, { params: number; m: (p: number[]) => ComplexMatrix }>> = {
  U: { params: 3, m: ([a, b, d]) => u3(a!, b!, d!) },
  u3: { params: 3, m: ([a, b, d]) => u3(a!, b!, d!) },
  u: { params: 3, m: ([a, b, d]) => u3(a!, b!, d!) },
  u2: { params: 2, m: ([b, d]) => u3(Math.PI / 2, b!, d!) },
  u1: { params: 1, m: ([a]) => phase(a!) },
  p: { params: 1, m: ([a]) => phase(a!) },
  phase: { params: 1, m: ([a]) => phase(a!) },
  u0: { params: 1, m: () => identity(2) },
  id: { params: 0, m: () => identity(2) },
  x: { params: 0, m: () => X },
  y: { params: 0, m: () => Y },
  z: { params: 0, m: () => Z },
  h: { params: 0, m: () => H },
  s: { params: 0, m: () => phase(Math.PI / 2) },
  sdg: { params: 0, m: () => phase(-Math.PI / 2) },
  t: { params: 0, m: () => phase(Math.PI / 4) },
  tdg: { params: 0, m: () => phase(-Math.PI / 4) },
  sx: { params: 0, m: () => SX },
  sxdg: { params: 0, m: () => SXDG },
  rx: { params: 1, m: ([a]) => rx(a!) },
  ry: { params: 1, m: ([a]) => ry(a!) },
  rz: { params: 1, m: ([a]) => rz(a!) },
  cx: { params: 0, m: () => c(X) },
  CX: { params: 0, m: () => c(X) },
  cy: { params: 0, m: () => c(Y) },
  cz: { params: 0, m: () => c(Z) },
  ch: { params: 0, m: () => c(H) },
  csx: { params: 0, m: () => c(SX) },
  cp: { params: 1, m: ([a]) => c(phase(a!)) },
  cu1: { params: 1, m: ([a]) => c(phase(a!)) },
  cphase: { params: 1, m: ([a]) => c(phase(a!)) },
  crx: { params: 1, m: ([a]) => c(rx(a!)) },
  cry: { params: 1, m: ([a]) => c(ry(a!)) },
  crz: { params: 1, m: ([a]) => c(rz(a!)) },
  cu3: { params: 3, m: ([a, b, d]) => c(u3(a!, b!, d!)) },
  cu: { params: 4, m: ([a, b, d, g]) => c(scaleM(u3(a!, b!, d!), e(g!))) },
  swap: { params: 0, m: () => SWAP },
  rxx: { params: 1, m: ([a]) => rxx(a!) },
  rzz: { params: 1, m: ([a]) => rzz(a!) },
  ccx: { params: 0, m: () => c(c(X)) },
  cswap: { params: 0, m: () => c(SWAP) },
  c3x: { params: 0, m: () => c(c(c(X))) },
  c3sqrtx: { params: 0, m: () => c(c(c(SX))) },
  c4x: { params: 0, m: () => c(c(c(c(X)))) },
};
/** Relative-phase Toffolis: equal to the textbook gate in absolute value only. */
const RELATIVE_PHASE: Readonly<Record<string, () => ComplexMatrix>> = {
  rccx: () => c(c(X)),
  rc3x: () => c(c(c(X))),
};
/** stdgates.inc gates whose definition adds a global phase to the textbook matrix (u2, u3 carry a gphase). */
const STD_PHASED = new Set(['u2', 'u3']);

function arity(name: string): number {
  if (['ccx', 'cswap', 'rccx'].includes(name)) return 3;
  if (['c3x', 'c3sqrtx', 'rc3x'].includes(name)) return 4;
  if (name === 'c4x') return 5;
  if (/^(c|swap|rxx|rzz|CX)/.test(name) && !['cu0'].includes(name)) return 2;
  return 1;
}

function gateMatrix(lib: 'qelib1' | 'stdgates', name: string, params: readonly number[]): ComplexMatrix {
  const k = arity(name);
  const header =
    lib === 'qelib1'
      ? 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[' + k + '];'
      : `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[${k}] q;`;
  const args = params.length > 0 ? `(${params.join(', ')})` : '';
  const operands = Array.from({ length: k }, (_, i) => `q[${k - 1 - i}]`).join(', ');
  return circuitUnitary(compile(`${header}\n${name}${args} ${operands};`));
}

const PARAMS = [0.7, -1.3, 2.1, 0.4];

test('every qelib1.inc gate matches its textbook matrix (up to global phase)', () => {
  assert.equal(QELIB1_NAMES.length, 42);
  for (const name of QELIB1_NAMES) {
    const params = PARAMS.slice(0, TEXTBOOK[name]?.params ?? 0);
    const got = gateMatrix('qelib1', name, params);
    const rel = RELATIVE_PHASE[name];
    if (rel) {
      const want = rel();
      assertClose(
        got.filter((_, i) => i % 2 === 0).map((_, i) => Math.hypot(got[2 * i]!, got[2 * i + 1]!)),
        want.filter((_, i) => i % 2 === 0).map((_, i) => Math.hypot(want[2 * i]!, want[2 * i + 1]!)),
        1e-10,
        name,
      );
      continue;
    }
    const spec = TEXTBOOK[name];
    assert.ok(spec, `no textbook matrix for ${name}`);
    assertEqualUpToPhase(got, spec.m(params), 1e-10, `qelib1 ${name}`);
  }
});

test('every stdgates.inc gate matches its textbook matrix exactly (u2/u3 up to their documented gphase)', () => {
  assert.equal(STDGATES_NAMES.length, 32);
  for (const name of STDGATES_NAMES) {
    const spec = TEXTBOOK[name];
    assert.ok(spec, `no textbook matrix for ${name}`);
    const params = PARAMS.slice(0, spec.params);
    const got = gateMatrix('stdgates', name, params);
    if (name === 'u3') {
      const [t, p, l] = params as [number, number, number];
      assertClose(got, scaleM(u3(t, p, l), e(-(p + l + t) / 2)), 1e-12, name);
    } else if (name === 'u2') {
      const [p, l] = params as [number, number];
      assertClose(got, scaleM(u3(Math.PI / 2, p, l), e(-(p + l + Math.PI / 2) / 2)), 1e-12, name);
    } else if (STD_PHASED.has(name)) {
      assertEqualUpToPhase(got, spec.m(params), 1e-12, name);
    } else {
      assertClose(got, spec.m(params), 1e-12, `stdgates ${name}`);
    }
  }
});

const angle = fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });

test('property: every library gate is unitary for random parameters, and inv @ g · g = I', () => {
  const gates = [
    ...QELIB1_NAMES.map((n) => ['qelib1', n] as const),
    ...STDGATES_NAMES.map((n) => ['stdgates', n] as const),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...gates), fc.array(angle, { minLength: 4, maxLength: 4 }), ([lib, name], ps) => {
      const n = TEXTBOOK[name]?.params ?? 0;
      const params = ps.slice(0, n);
      const k = arity(name);
      const header =
        lib === 'qelib1'
          ? `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${k}];`
          : `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[${k}] q;`;
      const call = `${name}${n > 0 ? `(${params.join(', ')})` : ''} ${Array.from({ length: k }, (_, i) => `q[${i}]`).join(', ')};`;
      const circuit = compile(`${header}\n${call}`);
      for (const op of circuit.ops) if (op.type === 'unitary') assertUnitary(op.matrix, 1e-10, name);
      if (lib === 'stdgates') {
        const both = circuitUnitary(compile(`${header}\n${call}\ninv @ ${call}`));
        assertClose(both, identity(2 ** k), 1e-10, `inv @ ${name}`);
      }
    }),
    { numRuns: 150, seed: 42 },
  );
});

test('ctrl @ and negctrl @ match the controlled matrix', () => {
  const std = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
  for (const [call, base] of [
    ['h', H],
    ['rx(0.9)', rx(0.9)],
    ['u3(0.1, 0.2, 0.3)', scaleM(u3(0.1, 0.2, 0.3), e(-0.3))],
    ['U(0.1, 0.2, 0.3)', u3(0.1, 0.2, 0.3)],
  ] as const) {
    const ctl = circuitUnitary(compile(`${std}qubit[2] q; ctrl @ ${call} q[1], q[0];`));
    assertClose(ctl, c(base), 1e-12, `ctrl @ ${call}`);
    const neg = circuitUnitary(compile(`${std}qubit[2] q; negctrl @ ${call} q[1], q[0];`));
    // negctrl: U when the control is 0 — blockdiag(U, I)
    const want = multiply(multiply(c(identity(2)), c(identity(2))), identity(4));
    const d = 2;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        want[2 * (i * 4 + j)] = base[2 * (i * d + j)]!;
        want[2 * (i * 4 + j) + 1] = base[2 * (i * d + j) + 1]!;
      }
    assertClose(neg, want, 1e-12, `negctrl @ ${call}`);
  }
  // ctrl(2) @ x is a Toffoli; ctrl @ ctrl @ x too; the IR keeps the controls
  const ccx = circuitUnitary(compile(`${std}qubit[3] q; ctrl(2) @ x q[2], q[1], q[0];`));
  assertClose(ccx, c(c(X)), 1e-12, 'ctrl(2) @ x');
  const op = compile(`${std}qubit[3] q; ctrl @ negctrl @ x q[2], q[0], q[1];`).ops[0] as UnitaryOp;
  assert.deepEqual([op.controls, op.controlValues, op.targets, op.label], [[2, 0], [1, 0], [1], 'x']);
  // a controlled global phase is a phase gate on the control
  const cg = circuitUnitary(compile(`${std}qubit[1] q; ctrl @ gphase(0.7) q[0];`));
  assertClose(cg, phase(0.7), 1e-12, 'ctrl @ gphase');
});

test('pow @: integer powers are exact products, real powers use the principal branch', () => {
  const std = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\n';
  const u = (body: string): ComplexMatrix => circuitUnitary(compile(std + body));
  assertClose(u('pow(2) @ s q[0];'), u('z q[0];'), 1e-12, 'pow(2) @ s');
  assertClose(u('pow(-1) @ t q[0];'), u('tdg q[0];'), 1e-12, 'pow(-1) @ t');
  assertClose(u('pow(0.5) @ x q[0];'), u('sx q[0];'), 1e-12, 'pow(0.5) @ x');
  assertClose(u('pow(0.5) @ ry(1.2) q[0];'), u('ry(0.6) q[0];'), 1e-12, 'pow(0.5) @ ry');
  assertClose(u('pow(1/3) @ rz(2.4) q[0];'), u('rz(0.8) q[0];'), 1e-12, 'pow(1/3) @ rz');
  assertClose(u('pow(0.5) @ cx q[0], q[1]; pow(0.5) @ cx q[0], q[1];'), u('cx q[0], q[1];'), 1e-10, 'sqrt(cx)²');
  assertClose(
    u('pow(1/3) @ ccx q[0], q[1], q[2]; pow(1/3) @ ccx q[0], q[1], q[2]; pow(1/3) @ ccx q[0], q[1], q[2];'),
    u('ccx q[0], q[1], q[2];'),
    1e-10,
    'ccx^(1/3)³',
  );
  assertClose(u('pow(3) @ inv @ h q[0];'), u('h q[0];'), 1e-12, 'pow(3) @ inv @ h');
  fc.assert(
    fc.property(angle, angle, angle, fc.double({ min: -3, max: 3, noNaN: true }), (a, b, d, k) => {
      const g = `u3(${a}, ${b}, ${d}) q[0];`;
      const half = u(`pow(${k / 2}) @ ${g} pow(${k / 2}) @ ${g}`);
      const whole = u(`pow(${k}) @ ${g}`);
      // U^{k/2}·U^{k/2} = U^k holds for the principal branch when |k·arg λ| stays below π; compare up to phase
      // only where that is guaranteed, else check unitarity
      assertUnitary(whole, 1e-9, 'pow unitary');
      if (Math.abs(k) <= 1) assertClose(half, whole, 1e-9, 'pow split');
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('the OpenQASM 2 and 3 spellings of one circuit give the same IR unitaries', () => {
  const body2 = `h q[0]; cx q[0],q[1]; u1(0.3) q[1]; cu1(0.4) q[1],q[2]; ccx q[0],q[1],q[2]; rx(0.5) q[2]; ry(0.6) q[0];
swap q[0],q[2]; crz(0.7) q[0],q[1]; cswap q[2],q[0],q[1]; x q[1]; y q[2]; z q[0]; s q[1]; sdg q[2]; t q[0]; tdg q[1];
cy q[0],q[2]; cz q[1],q[0]; crx(0.8) q[1],q[2]; cry(0.9) q[2],q[0]; cu(0.1,0.2,0.3,0.4) q[0],q[1];`;
  const body3 = body2
    .replace(/\bu1\(/g, 'p(')
    .replace(/\bcu1\(/g, 'cp(')
    .replace(/q\[(\d)\],q/g, 'q[$1], q');
  const c2 = compile(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\n${body2}`);
  const c3 = compile(`OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\n${body3}`);
  assert.equal(c2.ops.length, c3.ops.length);
  // the same operator on the register, however each library splits it into controls and targets
  c2.ops.forEach((op2, i) => {
    const op3 = c3.ops[i]!;
    assert.ok(op2.type === 'unitary' && op3.type === 'unitary');
    assert.equal(op2.label, op3.label.replace(/^p$/, 'u1').replace(/^cp$/, 'cu1'));
    assertClose(
      circuitUnitary({ ...c2, ops: [op2] }),
      circuitUnitary({ ...c3, ops: [op3] }),
      1e-12,
      `op ${i} (${op2.label})`,
    );
  });
  // Five gates differ between the libraries by a global phase only (documented in docs/quantum.md).
  const differing: string[] = [];
  const params: Readonly<Record<string, string>> = { u3: '(0.7, -1.3, 2.1)', u2: '(0.7, -1.3)', rz: '(0.7)' };
  for (const name of QELIB1_NAMES.filter((n) => STDGATES_NAMES.includes(n))) {
    const k = arity(name);
    const call = `${name}${params[name] ?? (TEXTBOOK[name]?.params ? `(${PARAMS.slice(0, TEXTBOOK[name]?.params).join(', ')})` : '')} ${Array.from({ length: k }, (_, i) => `q[${i}]`).join(', ')};`;
    const a = circuitUnitary(compile(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${k}];\n${call}`));
    const b = circuitUnitary(compile(`OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[${k}] q;\n${call}`));
    assertEqualUpToPhase(a, b, 1e-12, name);
    if (a.some((x, i) => Math.abs(x - b[i]!) > 1e-12)) differing.push(name);
  }
  assert.deepEqual(differing.sort(), ['ch', 'rz', 'sx', 'u2', 'u3']);
});

test('user gates: matrix from the body up to 3 qubits, inlined beyond, labels kept', () => {
  const std = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';
  const small = compile(`${std}gate bell a, b { h a; cx a, b; } qubit[2] q; bell q[0], q[1];`);
  assert.equal(small.ops.length, 1);
  assert.equal((small.ops[0] as UnitaryOp).label, 'bell');
  const wide = compile(
    `${std}gate w a, b, c, d { h a; cx a, b; cx b, c; cx c, d; } qubit[4] q; w q[0], q[1], q[2], q[3];`,
  );
  assert.deepEqual(
    wide.ops.map((o) => (o as UnitaryOp).label),
    ['h', 'cx', 'cx', 'cx'],
  );
  // ctrl @ on an inlined gate controls every op; inv reverses them
  const ctl = compile(
    `${std}gate w a, b, c, d { h a; cx a, b; cx b, c; cx c, d; } qubit[5] q; inv @ ctrl @ w q[4], q[0], q[1], q[2], q[3];`,
  );
  assert.deepEqual(
    ctl.ops.map((o) => [(o as UnitaryOp).label, (o as UnitaryOp).controls]),
    [
      ['cx', [4, 2]],
      ['cx', [4, 1]],
      ['cx', [4, 0]],
      ['h', [4]],
    ],
  );
  // broadcasting over equal registers
  const bc = compile(`${std}qubit[3] a; qubit[3] b; cx a, b; h a;`);
  assert.deepEqual(
    bc.ops.map((o) => [...(o as UnitaryOp).controls, ...(o as UnitaryOp).targets]),
    [[0, 3], [1, 4], [2, 5], [0], [1], [2]],
  );
  // a gate whose body is one controlled call keeps its controls in the IR
  const cx = bc.ops[0] as UnitaryOp;
  assert.deepEqual(
    [cx.label, cx.controls, cx.targets, Array.from(cx.matrix)],
    ['cx', [0], [3], [0, 0, 1, 0, 1, 0, 0, 0]],
  );
});

test('Pauli and Clifford permutation gates lower to exact matrices (no 1e-17 residue)', () => {
  const op = (lib: string, call: string): UnitaryOp => compile(`${lib}\n${call}`).ops[0] as UnitaryOp;
  const std = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;';
  const q2 = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];';
  for (const lib of [std, q2]) {
    assert.deepEqual(Array.from(op(lib, 'x q[0];').matrix), [0, 0, 1, 0, 1, 0, 0, 0]);
    assert.deepEqual(Array.from(op(lib, 'z q[0];').matrix), [1, 0, 0, 0, 0, 0, -1, 0]);
    assert.deepEqual(Array.from(op(lib, 'y q[0];').matrix), [0, 0, 0, -1, 0, 1, 0, 0]);
    const cx = op(lib, 'cx q[0], q[1];');
    assert.deepEqual([cx.controls, cx.targets, Array.from(cx.matrix)], [[0], [1], [0, 0, 1, 0, 1, 0, 0, 0]]);
  }
});
