// Observables in their three forms (text, JSON Pauli sum, JSON map), their problems with a column or path, and
// the values the engine gives for them on states whose expectations are known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateVectorSimulator, parseObservable, parseObservableText, parseQasm } from '../../src/quantum/index.js';
import type { PauliSum } from '../../src/quantum/index.js';

function ok(value: unknown): PauliSum {
  const read = parseObservable(value);
  assert.ok(read.ok, JSON.stringify(read));
  return read.value;
}

test('the text form reads coefficients, signs, factors and identity terms', () => {
  assert.deepEqual(ok('0.5*Z0 Z1 - 0.2*X0'), {
    terms: [
      {
        coefficient: 0.5,
        ops: [
          { qubit: 0, pauli: 'Z' },
          { qubit: 1, pauli: 'Z' },
        ],
      },
      { coefficient: -0.2, ops: [{ qubit: 0, pauli: 'X' }] },
    ],
  });
  assert.deepEqual(ok('-1.5 + Y3*X1 + 2e-1 z2 I4'), {
    terms: [
      { coefficient: -1.5, ops: [] },
      {
        coefficient: 1,
        ops: [
          { qubit: 3, pauli: 'Y' },
          { qubit: 1, pauli: 'X' },
        ],
      },
      { coefficient: 0.2, ops: [{ qubit: 2, pauli: 'Z' }] },
    ],
  });
});

test('the three forms of one observable are the same Pauli sum', () => {
  const text = ok('0.5*Z0 Z1 - 0.2*X0 + 1.25');
  const map = ok({ 'Z0 Z1': 0.5, X0: -0.2, '': 1.25 });
  const sum = ok({
    terms: [
      {
        coefficient: 0.5,
        ops: [
          { qubit: 0, pauli: 'Z' },
          { qubit: 1, pauli: 'Z' },
        ],
      },
      { coefficient: -0.2, ops: [{ qubit: 0, pauli: 'X' }] },
      { coefficient: 1.25, ops: [] },
    ],
  });
  assert.deepEqual(map, text);
  assert.deepEqual(sum, text);
});

test('problems in the text form come with the column and what to write', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /empty/],
    ['0.5*', 5, /Pauli factor/],
    ['Z0 Z0', 4, /appears twice/],
    ['0.5*Z0 Q1', 8, /expected \+ or -/],
    ['Z0 +', 5, /coefficient or a Pauli factor/],
    ['0.5 * W2', 7, /Pauli factor/],
    ['Z99999', 1, /out of range/],
  ];
  for (const [text, column, message] of cases) {
    const read = parseObservableText(text);
    assert.equal(read.ok, false, text);
    if (read.ok) continue;
    assert.equal(read.problem.column, column, `${text}: ${read.problem.message}`);
    assert.match(read.problem.message, message, text);
  }
});

test('problems in the JSON forms name the path', () => {
  const cases: [unknown, string][] = [
    [{ terms: [{ coefficient: 'x', ops: [] }] }, 'terms[0]'],
    [{ terms: [{ coefficient: 1, ops: [{ qubit: -1, pauli: 'Z' }] }] }, 'terms[0].ops[0].qubit'],
    [{ terms: [{ coefficient: 1, ops: [{ qubit: 0, pauli: 'Q' }] }] }, 'terms[0].ops[0].pauli'],
    [{ 'Z0 Z1': 'half' }, '"Z0 Z1"'],
    [{ 'Z0 hello': 1 }, '"Z0 hello"'],
  ];
  for (const [value, path] of cases) {
    const read = parseObservable(value);
    assert.equal(read.ok, false);
    if (!read.ok) assert.equal(read.problem.path, path, read.problem.message);
  }
  assert.equal(parseObservable(42).ok, false);
  assert.equal(parseObservable(null).ok, false);
});

test('expectation values of parsed observables on a Bell pair and on |+>|1>', () => {
  const sim = new StateVectorSimulator();
  const expect = (program: string, observable: string): number => {
    const circuit = parseQasm(`OPENQASM 3.0; include "stdgates.inc"; ${program}`).circuit;
    assert.ok(circuit);
    return sim.simulateSync(circuit, { shots: 0, observables: [ok(observable)] }).expectations?.[0] ?? NaN;
  };
  const bell = 'qubit[2] q; h q[0]; cx q[0], q[1];';
  assert.ok(Math.abs(expect(bell, 'Z0 Z1') - 1) < 1e-12);
  assert.ok(Math.abs(expect(bell, 'X0 X1') - 1) < 1e-12);
  assert.ok(Math.abs(expect(bell, 'Y0 Y1') + 1) < 1e-12);
  assert.ok(Math.abs(expect(bell, '0.5*Z0 Z1 - 0.2*X0 + 3') - 3.5) < 1e-12);
  const plusOne = 'qubit[2] q; h q[0]; x q[1];';
  assert.ok(Math.abs(expect(plusOne, 'X0 - 2*Z1') - 3) < 1e-12);
  assert.ok(Math.abs(expect(plusOne, 'Z0')) < 1e-12);
});
