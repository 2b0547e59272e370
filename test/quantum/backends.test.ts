/**
 * Differential tests of the backends behind `getSimulator` / `createNodeSimulator`: random circuits written in
 * OpenQASM go through parseQasm, then the reference simulator (the oracle) and each fast backend; probabilities
 * must agree, and each test checks that the fast path really ran (result backend, kernel stats, threads).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads results whose shape it asserted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AutoSimulator,
  BACKEND_CHOICES,
  getSimulator,
  MpsSimulator,
  Rng,
  simulateReference,
  StateVectorSimulator,
} from '../../src/quantum/index.js';
import type { Circuit, SimulationResult } from '../../src/quantum/index.js';
import { createNodeSimulator, NodeStateVectorSimulator } from '../../src/quantum-node/index.js';
import { compile } from './qasm-helpers.js';

const ONE = ['h', 'x', 'y', 'z', 's', 'sdg', 't', 'tdg', 'sx'];
const ONE_P = ['rx', 'ry', 'rz', 'p'];
const TWO = ['cx', 'cy', 'cz', 'ch', 'swap'];
const TWO_P = ['crx', 'cry', 'crz', 'cp'];

/** A random OpenQASM 3 program on `n` qubits with `depth` gate calls (modifiers included), measuring every qubit. */
function randomProgram(seed: number, n: number, depth: number): string {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const angle = (): string => (rng.next() * 4 * Math.PI - 2 * Math.PI).toFixed(6);
  const qubits = (k: number): string[] => {
    const all = Array.from({ length: n }, (_, i) => i);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, k).map((q) => `q[${q}]`);
  };
  const lines = ['OPENQASM 3.0;', 'include "stdgates.inc";', `qubit[${n}] q;`, `bit[${n}] c;`];
  for (let i = 0; i < depth; i++) {
    const r = rng.next();
    if (r < 0.3) lines.push(`${pick(ONE)} ${qubits(1)[0]};`);
    else if (r < 0.5) lines.push(`${pick(ONE_P)}(${angle()}) ${qubits(1)[0]};`);
    else if (r < 0.7) lines.push(`${pick(TWO)} ${qubits(2).join(', ')};`);
    else if (r < 0.8) lines.push(`${pick(TWO_P)}(${angle()}) ${qubits(2).join(', ')};`);
    else if (r < 0.87 && n >= 3) lines.push(`ccx ${qubits(3).join(', ')};`);
    else if (r < 0.93) lines.push(`inv @ u3(${angle()}, ${angle()}, ${angle()}) ${qubits(1)[0]};`);
    else if (n >= 3) lines.push(`negctrl @ ctrl @ ry(${angle()}) ${qubits(3).join(', ')};`);
    else lines.push(`pow(0.5) @ x ${qubits(1)[0]};`);
  }
  lines.push('c = measure q;');
  return lines.join('\n');
}

function assertSameProbabilities(got: SimulationResult, want: SimulationResult, tol: number, label: string): void {
  const a = got.probabilities ?? {};
  const b = want.probabilities ?? {};
  assert.ok(Object.keys(b).length > 0, `${label}: the reference gave no probabilities`);
  let worst = 0;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    worst = Math.max(worst, Math.abs((a[k] ?? 0) - (b[k] ?? 0)));
  }
  assert.ok(worst <= tol, `${label}: probabilities differ by ${worst} > ${tol}`);
}

const CASES: { seed: number; n: number; depth: number }[] = [];
for (let seed = 1; seed <= 24; seed++) CASES.push({ seed, n: 2 + (seed % 6), depth: 10 + ((seed * 7) % 30) });

function oracle(circuit: Circuit): SimulationResult {
  return simulateReference(circuit, { shots: 0, probabilities: true });
}

test('statevector (complex128) equals the reference within 1e-9 on random OpenQASM circuits', async () => {
  const sim = getSimulator('statevector');
  assert.ok(sim instanceof StateVectorSimulator);
  for (const { seed, n, depth } of CASES) {
    const circuit = compile(randomProgram(seed, n, depth));
    const got = await sim.simulate(circuit, { shots: 0, probabilities: true });
    assert.equal(got.backend, 'statevector');
    assert.equal(sim.lastStats.precision, 128);
    const passes = Object.values(sim.lastStats.passes).reduce((s, x) => s + x, 0);
    assert.ok(passes > 0, `seed ${seed}: no kernel pass ran`);
    assertSameProbabilities(got, oracle(circuit), 1e-9, `seed ${seed}`);
  }
});

test('statevector with precision 64 runs in complex64 and equals the reference within 1e-5', async () => {
  for (const sim of [getSimulator('statevector', { precision: 64 }), getSimulator('statevector')]) {
    assert.ok(sim instanceof StateVectorSimulator);
    let roundedSomewhere = false;
    for (const { seed, n, depth } of CASES) {
      const circuit = compile(randomProgram(seed, n, depth));
      const got = await sim.simulate(circuit, { shots: 0, probabilities: true, precision: 64 });
      assert.equal(sim.lastStats.precision, 64);
      const want = oracle(circuit);
      assertSameProbabilities(got, want, 1e-5, `seed ${seed}`);
      // Single-precision rounding shows: somewhere the results are not double-precision exact.
      for (const [k, p] of Object.entries(want.probabilities ?? {})) {
        if (Math.abs((got.probabilities?.[k] ?? 0) - p) > 1e-12) roundedSomewhere = true;
      }
    }
    assert.ok(roundedSomewhere, 'complex64 results were exact to 1e-12 everywhere: was complex128 used?');
  }
});

test('mps equals the reference within its truncation error on shallow circuits', async () => {
  const sim = getSimulator('mps');
  assert.ok(sim instanceof MpsSimulator);
  for (const { seed, n, depth } of CASES) {
    const circuit = compile(randomProgram(seed, n, Math.min(depth, 15)));
    const got = await sim.simulate(circuit, { shots: 0, probabilities: true });
    assert.equal(got.backend, 'mps');
    const err = got.truncationError;
    assert.ok(err !== undefined && err >= 0, 'the MPS result reports its truncation error');
    assertSameProbabilities(got, oracle(circuit), 1e-9 + 2 * Math.sqrt(err), `seed ${seed}`);
  }
});

test('auto picks the state vector when it fits and MPS when it does not', async () => {
  const sim = getSimulator('auto');
  assert.ok(sim instanceof AutoSimulator);
  const circuit = compile(randomProgram(5, 5, 20));
  const fits = await sim.simulate(circuit, { shots: 0, probabilities: true });
  assert.equal(fits.backend, 'statevector');
  assert.equal(sim.lastChoice?.backend, 'statevector');
  assertSameProbabilities(fits, oracle(circuit), 1e-9, 'auto, fits');
  // 5 qubits need 512 bytes in complex128: a 256-byte limit sends the circuit to MPS.
  const tight = await sim.simulate(circuit, { shots: 0, probabilities: true, memoryLimitBytes: 256 });
  assert.equal(tight.backend, 'mps');
  assert.equal(sim.lastChoice?.backend, 'mps');
  assertSameProbabilities(tight, oracle(circuit), 1e-9 + 2 * Math.sqrt(tight.truncationError ?? 0), 'auto, tight');
  // A 60-qubit GHZ state cannot be a state vector at all.
  const ghz = compile(
    `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[60] q;\nbit[60] c;\nh q[0];\nfor int i in [0:58] { cx q[i], q[i+1]; }\nc = measure q;`,
  );
  const wide = await sim.simulate(ghz, { shots: 200, seed: 4 });
  assert.equal(wide.backend, 'mps');
  assert.deepEqual(Object.keys(wide.counts).sort(), ['0'.repeat(60), '1'.repeat(60)]);
});

test('same seed, same counts on every backend name; counts follow the distribution', async () => {
  const circuit = compile(randomProgram(11, 4, 25));
  const p = oracle(circuit).probabilities ?? {};
  for (const name of BACKEND_CHOICES) {
    const a = await getSimulator(name).simulate(circuit, { shots: 3000, seed: 17 });
    const b = await getSimulator(name).simulate(circuit, { shots: 3000, seed: 17 });
    assert.deepEqual(a.counts, b.counts, name);
    for (const [k, pk] of Object.entries(p)) {
      const sigma = Math.sqrt(3000 * pk * (1 - pk));
      assert.ok(Math.abs((a.counts[k] ?? 0) - 3000 * pk) <= 5 * sigma + 1, `${name} ${k}`);
    }
  }
});

test('Node: createNodeSimulator runs wide state vectors on worker threads, and agrees with the reference', async () => {
  const sim = createNodeSimulator('statevector', { threads: 2, minQubits: 4 });
  assert.ok(sim instanceof NodeStateVectorSimulator);
  try {
    for (const { seed, n, depth } of CASES.slice(0, 8)) {
      const circuit = compile(randomProgram(seed, n, depth));
      for (const precision of [128, 64] as const) {
        const got = await sim.simulate(circuit, { shots: 0, probabilities: true, precision });
        assert.equal(got.backend, 'statevector');
        assert.equal(sim.lastThreaded, n >= 4, `seed ${seed}: threads used for ${n} qubits`);
        assert.equal(sim.lastStats.precision, precision);
        assertSameProbabilities(got, oracle(circuit), precision === 128 ? 1e-9 : 1e-5, `seed ${seed} c${precision}`);
      }
    }
  } finally {
    await sim.close();
  }
  const mps = createNodeSimulator('mps');
  assert.equal(mps.name, 'mps');
  const circuit = compile(randomProgram(3, 5, 12));
  const got = await mps.simulate(circuit, { shots: 0, probabilities: true });
  assert.equal(got.backend, 'mps');
  await mps.close();
  const auto = createNodeSimulator('auto', { threads: 1 });
  assert.equal((await auto.simulate(circuit, { shots: 10 })).backend, 'statevector');
  await auto.close();
});
