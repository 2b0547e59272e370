// Angle and amplitude encodings: the programs prepare exactly the states they promise (checked on the state
// vector), with the documented qubit and rotation counts, and refuse what they cannot encode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateVectorSimulator, amplitudeEncoding, angleEncoding, parseQasm } from '../../src/quantum/index.js';

const sim = new StateVectorSimulator();

function state(qasm: string): { re: readonly number[]; im: readonly number[] } {
  const parsed = parseQasm(qasm);
  assert.ok(parsed.circuit, JSON.stringify(parsed.diagnostics));
  const result = sim.simulateSync(parsed.circuit, { shots: 0, stateVector: true });
  assert.ok(result.stateVector);
  return result.stateVector;
}

test('amplitude encoding prepares the normalised, zero-padded real vector, signs included', () => {
  const vectors = [[1, 2, 3], [0.5, -0.5, 0.5, -0.5], [-1, -2, 3, 0, 5, -7, 0.1, 2, 1], [0, 0, 0, 1], [3], [-2, 0]];
  for (const vector of vectors) {
    const encoded = amplitudeEncoding(vector);
    assert.ok(encoded.ok);
    const { qasm, qubits, rotations, maxControls } = encoded.value;
    assert.equal(qubits, Math.max(1, Math.ceil(Math.log2(vector.length))));
    assert.ok(rotations <= 2 ** qubits - 1);
    assert.equal(maxControls, qubits - 1);
    const norm = Math.hypot(...vector);
    const psi = state(qasm);
    assert.equal(psi.re.length, 2 ** qubits);
    psi.re.forEach((x, i) =>
      assert.ok(Math.abs(x - (vector[i] ?? 0) / norm) < 1e-12, `${JSON.stringify(vector)}[${i}]`),
    );
    psi.im.forEach((x) => assert.ok(Math.abs(x) < 1e-12));
  }
});

test('amplitude encoding of a random vector of 64 entries (6 qubits)', () => {
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const vector = Array.from({ length: 64 }, random);
  const encoded = amplitudeEncoding(vector);
  assert.ok(encoded.ok);
  assert.equal(encoded.value.rotations, 63);
  const norm = Math.hypot(...vector);
  state(encoded.value.qasm).re.forEach((x, i) => assert.ok(Math.abs(x - (vector[i] ?? 0) / norm) < 1e-12));
});

test('angle encoding: one qubit per feature, <Z_i> = cos x_i for ry and rx, <X_i> = cos x_i for rz', () => {
  const features = [0.3, -1.2, 2.5];
  for (const rotation of ['ry', 'rx', 'rz'] as const) {
    const encoded = angleEncoding(features, rotation);
    assert.ok(encoded.ok);
    assert.equal(encoded.value.qubits, 3);
    assert.equal(encoded.value.rotations, 3);
    const parsed = parseQasm(encoded.value.qasm);
    assert.ok(parsed.circuit);
    const pauli = rotation === 'rz' ? ('X' as const) : ('Z' as const);
    const observables = features.map((_, q) => ({ terms: [{ coefficient: 1, ops: [{ qubit: q, pauli }] }] }));
    const values = sim.simulateSync(parsed.circuit, { shots: 0, observables }).expectations ?? [];
    features.forEach((x, q) => assert.ok(Math.abs((values[q] ?? NaN) - Math.cos(x)) < 1e-12, `${rotation} ${q}`));
  }
});

test('encodings refuse empty, non-finite, zero and oversized inputs with a message', () => {
  assert.match(
    String(!amplitudeEncoding([]).ok && (amplitudeEncoding([]) as { message: string }).message),
    /no features/,
  );
  const zero = amplitudeEncoding([0, 0, 0]);
  assert.ok(!zero.ok && /zero/.test(zero.message));
  const nan = angleEncoding([1, Number.NaN]);
  assert.ok(!nan.ok && /feature 1/.test(nan.message));
  const text = angleEncoding([1, 'a']);
  assert.ok(!text.ok && /feature 1 is "a"/.test(text.message));
  const big = amplitudeEncoding(new Array(2 ** 14 + 1).fill(1));
  assert.ok(!big.ok && /more than/.test(big.message));
});
