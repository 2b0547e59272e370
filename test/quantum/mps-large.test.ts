/**
 * MPS backend beyond state-vector reach: GHZ-200, Bernstein–Vazirani-128 and a 40-bit ripple-carry adder, all
 * exact (truncation error 0); agreement with the state vector on random shallow circuits; truncation reporting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CircuitBuilder,
  createMpsSimulator,
  createStateVectorSimulator,
  selectBackend,
  uMatrix,
} from '../../src/quantum/index.js';
import { cuccaroAdder } from './circuits.js';

const mps = createMpsSimulator();

test('GHZ-200 on MPS: only all-zeros and all-ones, truncation error 0', async () => {
  const n = 200;
  const b = new CircuitBuilder(n, n).h(0);
  for (let q = 1; q < n; q++) b.cx(q - 1, q);
  const r = await mps.simulate(b.measureAll().build(), { shots: 1000, seed: 4 });
  assert.deepEqual(Object.keys(r.counts).sort(), ['0'.repeat(n), '1'.repeat(n)]);
  assert.ok(Math.abs((r.counts['0'.repeat(n)] ?? 0) / 1000 - 0.5) < 0.06);
  assert.ok((r.truncationError ?? 1) < 1e-20, `truncation ${r.truncationError}`);
});

test('Bernstein–Vazirani-128 on MPS recovers the secret, truncation error 0', async () => {
  const n = 128;
  let secret = '';
  for (let i = 0; i < n; i++) secret += (i * 7919) % 3 === 0 ? '1' : '0';
  const b = new CircuitBuilder(n + 1, n).x(n).h(n);
  for (let q = 0; q < n; q++) b.h(q);
  for (let q = 0; q < n; q++) if (secret[n - 1 - q] === '1') b.cx(q, n);
  for (let q = 0; q < n; q++) b.h(q).measure(q, q);
  const r = await mps.simulate(b.build(), { shots: 50, seed: 1 });
  assert.deepEqual(r.counts, { [secret]: 50 });
  assert.ok((r.truncationError ?? 1) < 1e-20);
});

test('40-bit ripple-carry adder on basis states (82 qubits) on MPS', async () => {
  const bits = 40;
  const a = 0xb7_3c29_e10an;
  const b = 0x9f_00aa_55cdn;
  const { circuit, sumClbits } = cuccaroAdder(bits, a, b);
  const r = await mps.simulate(circuit, { shots: 10 });
  const expected = (a + b).toString(2).padStart(sumClbits, '0');
  assert.deepEqual(r.counts, { [expected]: 10 });
  assert.ok((r.truncationError ?? 1) < 1e-20);
});

test('MPS and state vector agree on random shallow circuits with non-adjacent gates', async () => {
  const sv = createStateVectorSimulator();
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let trial = 0; trial < 8; trial++) {
    const n = 7;
    const b = new CircuitBuilder(n);
    for (let layer = 0; layer < 3; layer++) {
      for (let q = 0; q < n; q++) b.u(rand() * 3, rand() * 3, rand() * 3, q);
      const q0 = Math.floor(rand() * n);
      const q1 = (q0 + 1 + Math.floor(rand() * (n - 1))) % n;
      b.cx(q0, q1);
      const q2 = Math.floor(rand() * n);
      b.unitary('cu', uMatrix(rand(), rand(), rand()), [q2], { controls: [(q2 + 3) % n, (q2 + 5) % n] });
    }
    const c = b.build();
    const a = (await sv.simulate(c, { shots: 0, stateVector: true })).stateVector;
    const m = (await mps.simulate(c, { shots: 0, stateVector: true })).stateVector;
    assert.ok(a && m);
    for (let i = 0; i < a.re.length; i++) {
      assert.ok(Math.abs((a.re[i] ?? 0) - (m.re[i] ?? 0)) < 1e-10, `trial ${trial} re[${i}]`);
      assert.ok(Math.abs((a.im[i] ?? 0) - (m.im[i] ?? 0)) < 1e-10, `trial ${trial} im[${i}]`);
    }
  }
});

test('a bond-dimension cap truncates, reports the discarded weight and bounds the infidelity', async () => {
  const n = 10;
  const b = new CircuitBuilder(n);
  for (let layer = 0; layer < 6; layer++) {
    for (let q = 0; q < n; q++) b.u(0.3 * q + layer, 0.7 * layer, 0.1 * q, q);
    for (let q = layer % 2; q + 1 < n; q += 2) b.cx(q, q + 1);
  }
  const c = b.build();
  const exact = (await createStateVectorSimulator().simulate(c, { shots: 0, stateVector: true })).stateVector;
  const capped = await createMpsSimulator({ maxBondDimension: 4 }).simulate(c, { shots: 0, stateVector: true });
  const eps = capped.truncationError ?? 0;
  assert.ok(eps > 1e-6, `truncation error ${eps}`);
  assert.ok(exact && capped.stateVector);
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < exact.re.length; i++) {
    const ar = exact.re[i] ?? 0;
    const ai = exact.im[i] ?? 0;
    const br = capped.stateVector.re[i] ?? 0;
    const bi = capped.stateVector.im[i] ?? 0;
    re += ar * br + ai * bi;
    im += ar * bi - ai * br;
    norm += br * br + bi * bi;
  }
  const infidelity = 1 - (re * re + im * im) / norm;
  assert.ok(infidelity <= 2 * eps + 1e-12, `1 − F = ${infidelity}, truncation error ${eps}`);
});

test('selectBackend picks the state vector when it fits and MPS otherwise', () => {
  assert.equal(selectBackend({ numQubits: 20 }).backend, 'statevector');
  assert.equal(selectBackend({ numQubits: 200 }).backend, 'mps');
  assert.equal(selectBackend({ numQubits: 24 }, { memoryLimitBytes: 2 ** 20 }).backend, 'mps');
  assert.equal(selectBackend({ numQubits: 26 }, {}, 4 * 2 ** 30).backend, 'statevector');
  assert.equal(selectBackend({ numQubits: 28 }, {}, 4 * 2 ** 30).backend, 'mps');
});
