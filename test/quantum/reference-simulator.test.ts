/**
 * The reference simulator's semantics: bit order of counts, collapse, reset, conditionals, global phase, exact
 * probabilities of dynamic circuits (compared with the one-pass path on the same distribution), and its limits.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isStatic, simulateReference } from '../../src/quantum/index.js';
import type { Circuit } from '../../src/quantum/index.js';
import { compile, run } from './qasm-helpers.js';

const STD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';

test('counts are written with the highest classical bit first', () => {
  assert.deepEqual(run(`${STD}qubit[3] q; bit[3] c; x q[0]; c = measure q;`, { shots: 5 }).counts, { '001': 5 });
  assert.deepEqual(run(`${STD}qubit[3] q; bit[3] c; x q[2]; c[0] = measure q[2];`, { shots: 5 }).counts, { '001': 5 });
  // registers are laid out in declaration order: a is clbits 0–1, b is clbit 2
  assert.deepEqual(
    run(`${STD}qubit[3] q; bit[2] a; bit b; x q[1]; x q[2]; a = measure q[0:1]; b = measure q[2];`, { shots: 2 })
      .counts,
    {
      '110': 2,
    },
  );
});

test('mid-circuit measurement collapses the state; reset returns to |0⟩', () => {
  const collapse = compile(
    `${STD}qubit[2] q; bit[2] c; h q[0]; c[0] = measure q[0]; cx q[0], q[1]; c[1] = measure q[1];`,
  );
  assert.equal(isStatic(collapse), false);
  const r = simulateReference(collapse, { shots: 400, seed: 2, probabilities: true });
  assert.deepEqual(Object.keys(r.counts).sort(), ['00', '11']);
  assert.ok(Math.abs((r.probabilities?.['11'] ?? 0) - 0.5) < 1e-12);
  const reset = run(`${STD}qubit q; bit c; h q; reset q; c = measure q;`, { shots: 100, seed: 1, probabilities: true });
  assert.deepEqual(reset.counts, { '0': 100 });
  assert.ok(Math.abs((reset.probabilities?.['0'] ?? 0) - 1) < 1e-12);
});

test('conditionals compare the register value: ==, !=, <, >= and else branches', () => {
  const prog = (cond: string): string =>
    `${STD}qubit[3] q; bit[2] c; bit out; x q[0]; x q[1]; c = measure q[0:1]; if (${cond}) { x q[2]; } else { } out = measure q[2];`;
  const outcome = (cond: string): string => Object.keys(run(prog(cond), { shots: 3 }).counts)[0]!.slice(0, 1);
  assert.equal(outcome('c == 3'), '1');
  assert.equal(outcome('c != 3'), '0');
  assert.equal(outcome('c < 3'), '0');
  assert.equal(outcome('c >= 2'), '1');
  assert.equal(outcome('c[1] == 1'), '1');
  assert.equal(outcome('!c[0]'), '0');
  assert.equal(outcome('2 < c'), '1');
  const els = `${STD}qubit[2] q; bit c; bit out; c = measure q[0]; if (c == 1) { } else { x q[1]; } out = measure q[1];`;
  assert.deepEqual(run(els, { shots: 4 }).counts, { '10': 4 });
  const q2 = `OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; creg c[2]; x q[0]; measure q[0] -> c[0]; if(c==1) x q[1]; measure q[1] -> c[1];`;
  assert.deepEqual(run(q2, { shots: 4 }).counts, { '11': 4 });
});

test('gphase is kept in the state vector', () => {
  const sv = run(`${STD}qubit q; gphase(pi/2);`, { shots: 0, stateVector: true }).stateVector;
  assert.ok(sv);
  assert.ok(Math.abs(sv.re[0]!) < 1e-15 && Math.abs(sv.im[0]! - 1) < 1e-15);
});

function randomCircuit(seed: number): string {
  const rng = new Rng(seed);
  const gates = ['h', 'x', 'sx', 't', 'rx(0.3)', 'ry(1.1)', 'cx', 'cz', 'crz(0.7)', 'ccx', 'swap'];
  let body = '';
  for (let i = 0; i < 25; i++) {
    const g = gates[Math.floor(rng.next() * gates.length)]!;
    const arity = g === 'ccx' ? 3 : /^(cx|cz|crz|swap)/.test(g) ? 2 : 1;
    const qs = [0, 1, 2, 3].sort(() => rng.next() - 0.5).slice(0, arity);
    body += `${g} ${qs.map((q) => `q[${q}]`).join(', ')};\n`;
  }
  return body;
}

test('differential: exact branch probabilities of a dynamic circuit equal the one-pass probabilities', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const body = randomCircuit(seed);
    const staticC = compile(`${STD}qubit[4] q; bit[4] c; bit flag;\n${body}c = measure q;`);
    // an always-false conditional makes the same circuit dynamic without changing its distribution
    const dynamicC = compile(
      `${STD}qubit[4] q; bit[4] c; bit flag;\nflag = measure q[0];\nif (flag == 1) { } \nreset q[0];\n${body}c = measure q;`,
    );
    // (the dynamic one measures and resets q[0] first, which from |0⟩ changes nothing)
    assert.ok(isStatic(staticC) && !isStatic(dynamicC));
    const a = simulateReference(staticC, { shots: 0, probabilities: true }).probabilities ?? {};
    const b = simulateReference(dynamicC, { shots: 0, probabilities: true }).probabilities ?? {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      assert.ok(Math.abs((a[k] ?? 0) - (b[k] ?? 0)) < 1e-12, `seed ${seed} ${k}`);
    }
    // and per-shot sampling agrees with the distribution
    const shots = 4000;
    const counts = simulateReference(dynamicC, { shots, seed }).counts;
    for (const [k, p] of Object.entries(a)) {
      const sigma = Math.sqrt(shots * p * (1 - p));
      assert.ok(Math.abs((counts[k] ?? 0) - shots * p) <= 5 * sigma + 1, `seed ${seed} ${k}`);
    }
  }
});

test('limits and refusals are reported as errors with codes', () => {
  const big: Circuit = { numQubits: 40, numClbits: 0, qubitRegisters: [], clbitRegisters: [], ops: [], parameters: [] };
  assert.throws(() => simulateReference(big), { code: 'resource_limit' });
  const small = compile(`${STD}qubit[10] q;`);
  assert.throws(() => simulateReference(small, { memoryLimitBytes: 1000 }), { code: 'resource_limit' });
  assert.throws(() => simulateReference(small, { noise: { global: [{ kind: 'depolarizing', p: 0.1 }] } }), {
    code: 'unsupported',
  });
  const dyn = compile(`${STD}qubit q; bit c; c = measure q; x q;`);
  assert.throws(() => simulateReference(dyn, { observables: [{ terms: [] }] }), { code: 'unsupported' });
});

test('the PRNG is deterministic and uniform enough', () => {
  const a = new Rng(99);
  const b = new Rng(99);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => b.next()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
  assert.notDeepEqual(new Rng(1).next(), new Rng(2).next());
});
