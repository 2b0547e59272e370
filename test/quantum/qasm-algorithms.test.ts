/**
 * Tests of record for the OpenQASM front end with the reference simulator: textbook algorithms whose results are
 * known in closed form (Nielsen & Chuang ch. 5–6; Cuccaro et al., quant-ph/0410184).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, finalState, run } from './qasm-helpers.js';
import { simulateReference } from '../../src/quantum/index.js';

const STD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\n';

/** |count − shots·p| within 5 standard deviations of the binomial. */
function assertBinomial(count: number, shots: number, p: number, label: string): void {
  const sigma = Math.sqrt(shots * p * (1 - p));
  assert.ok(Math.abs(count - shots * p) <= 5 * sigma + 1e-9, `${label}: ${count} of ${shots}, expected p=${p}`);
}

test('Bell state: only 00 and 11, each with probability 1/2', () => {
  const result = run(`${STD}qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;`, {
    shots: 4000,
    seed: 11,
    probabilities: true,
  });
  assert.deepEqual(Object.keys(result.counts).sort(), ['00', '11']);
  assert.equal((result.counts['00'] ?? 0) + (result.counts['11'] ?? 0), 4000);
  assertBinomial(result.counts['00'] ?? 0, 4000, 0.5, '00');
  assert.ok(Math.abs((result.probabilities?.['00'] ?? 0) - 0.5) < 1e-12);
  assert.ok(Math.abs((result.probabilities?.['11'] ?? 0) - 0.5) < 1e-12);
});

test('GHZ on 5 qubits: 00000 and 11111 with probability 1/2 each (QASM 2 and QASM 3)', () => {
  const q3 = `${STD}qubit[5] q; bit[5] c; h q[0]; for uint i in [0:3] { cx q[i], q[i + 1]; } c = measure q;`;
  const q2 = `OPENQASM 2.0; include "qelib1.inc"; qreg q[5]; creg c[5]; h q[0]; cx q[0],q[1]; cx q[1],q[2]; cx q[2],q[3]; cx q[3],q[4]; measure q -> c;`;
  for (const text of [q3, q2]) {
    const result = run(text, { shots: 2000, seed: 3, probabilities: true });
    assert.deepEqual(Object.keys(result.counts).sort(), ['00000', '11111']);
    assert.ok(Math.abs((result.probabilities?.['00000'] ?? 0) - 0.5) < 1e-12);
    assert.ok(Math.abs((result.probabilities?.['11111'] ?? 0) - 0.5) < 1e-12);
    assertBinomial(result.counts['11111'] ?? 0, 2000, 0.5, '11111');
  }
});

const QFT_GATE = `
gate qft4 a, b, c, d {
  h d; cp(pi/2) c, d; cp(pi/4) b, d; cp(pi/8) a, d;
  h c; cp(pi/2) b, c; cp(pi/4) a, c;
  h b; cp(pi/2) a, b;
  h a;
  swap a, d; swap b, c;
}
`;

function qftProgram(n: number): string {
  return `${STD}input uint[8] x_in;
const int n = ${n};
qubit[n] q;
for uint i in [0:n-1] { if (bool(x_in[i])) x q[i]; }
for int j in [n-1:-1:0] {
  h q[j];
  for int k in [0:j-1] { cp(pi / 2**(j-k)) q[k], q[j]; }
}
for uint i in [0:n/2-1] { swap q[i], q[n-1-i]; }
`;
}

test('QFT of every basis state matches (1/√N)·e^{2πi·x·k/N}', () => {
  for (const n of [3, 4]) {
    const N = 2 ** n;
    for (let x = 0; x < N; x++) {
      const sv = finalState(qftProgram(n), { x_in: x });
      for (let k = 0; k < N; k++) {
        const angle = (2 * Math.PI * x * k) / N;
        assert.ok(Math.abs((sv.re[k] ?? NaN) - Math.cos(angle) / Math.sqrt(N)) < 1e-12, `n=${n} x=${x} k=${k} re`);
        assert.ok(Math.abs((sv.im[k] ?? NaN) - Math.sin(angle) / Math.sqrt(N)) < 1e-12, `n=${n} x=${x} k=${k} im`);
      }
    }
  }
});

test('QFT as a 4-qubit gate (inlined) equals the loop form, and inv @ qft undoes it', () => {
  for (let x = 0; x < 16; x++) {
    const prep = `input uint[8] x_in; qubit[4] q; for uint i in [0:3] { if (bool(x_in[i])) x q[i]; }\n`;
    const viaGate = finalState(`${STD}${QFT_GATE}${prep} qft4 q[0], q[1], q[2], q[3];`, { x_in: x });
    const viaLoop = finalState(qftProgram(4), { x_in: x });
    for (let k = 0; k < 16; k++) {
      assert.ok(Math.abs((viaGate.re[k] ?? NaN) - (viaLoop.re[k] ?? NaN)) < 1e-12);
      assert.ok(Math.abs((viaGate.im[k] ?? NaN) - (viaLoop.im[k] ?? NaN)) < 1e-12);
    }
    const back = run(
      `${STD}${QFT_GATE}${prep} bit[4] c; qft4 q[0], q[1], q[2], q[3]; inv @ qft4 q[0], q[1], q[2], q[3]; c = measure q;`,
      { shots: 16, probabilities: true },
      { x_in: x },
    );
    const key = x.toString(2).padStart(4, '0');
    assert.ok(Math.abs((back.probabilities?.[key] ?? 0) - 1) < 1e-12, `x=${x}`);
    assert.deepEqual(back.counts, { [key]: 16 });
  }
});

test('Grover on 3 qubits, 2 iterations: success probability sin²(5·asin(1/√8))', () => {
  const expected = Math.sin(5 * Math.asin(1 / Math.sqrt(8))) ** 2;
  assert.ok(Math.abs(expected - 0.9453) < 1e-4);
  for (let marked = 0; marked < 8; marked++) {
    const flips = [0, 1, 2]
      .filter((i) => ((marked >> i) & 1) === 0)
      .map((i) => `x q[${i}];`)
      .join(' ');
    const text = `${STD}qubit[3] q; bit[3] c;
gate oracle a, b, c { ${flips
      .replace(/q\[0\]/g, 'a')
      .replace(/q\[1\]/g, 'b')
      .replace(/q\[2\]/g, 'c')} ctrl @ ctrl @ z a, b, c; ${flips
      .replace(/q\[0\]/g, 'a')
      .replace(/q\[1\]/g, 'b')
      .replace(/q\[2\]/g, 'c')} }
gate diffuse a, b, c { h a; h b; h c; x a; x b; x c; ctrl(2) @ z a, b, c; x a; x b; x c; h a; h b; h c; }
h q;
for uint i in [1:2] { oracle q[0], q[1], q[2]; diffuse q[0], q[1], q[2]; }
c = measure q;`;
    const result = run(text, { shots: 1000, seed: marked, probabilities: true });
    const key = marked.toString(2).padStart(3, '0');
    assert.ok(Math.abs((result.probabilities?.[key] ?? 0) - expected) < 1e-12, `marked ${key}`);
    assertBinomial(result.counts[key] ?? 0, 1000, expected, key);
  }
});

test('Bernstein–Vazirani recovers the secret with certainty', () => {
  for (const secret of [0b1011, 0b0110, 0b11111, 0]) {
    const n = 5;
    const oracle = Array.from({ length: n }, (_, i) => ((secret >> i) & 1 ? `cx q[${i}], anc;` : '')).join(' ');
    const text = `${STD}qubit[${n}] q; qubit anc; bit[${n}] c;
x anc; h anc; h q; ${oracle} h q; c = measure q;`;
    const result = run(text, { shots: 50, seed: 1 });
    assert.deepEqual(result.counts, { [secret.toString(2).padStart(n, '0')]: 50 });
  }
});

test('Deutsch–Jozsa: constant oracles give all zeros, balanced ones never do', () => {
  const oracles = {
    constant0: '',
    constant1: 'x anc;',
    balancedParity: 'cx q[0], anc; cx q[1], anc; cx q[2], anc;',
    balancedFirst: 'cx q[0], anc;',
    balancedMixed: 'x q[1]; cx q[1], anc; x q[1]; cx q[2], anc;',
  };
  for (const [name, oracle] of Object.entries(oracles)) {
    const text = `${STD}qubit[3] q; qubit anc; bit[3] c; x anc; h anc; h q; ${oracle} h q; c = measure q;`;
    const p0 = run(text, { shots: 0, probabilities: true }).probabilities?.['000'] ?? 0;
    if (name.startsWith('constant')) assert.ok(Math.abs(p0 - 1) < 1e-12, name);
    else assert.ok(p0 < 1e-12, name);
  }
});

function teleport(kind: 'qasm2' | 'qasm3', theta: number, phi: number, lambda: number, undo: boolean): string {
  const prep = `u3(${theta}, ${phi}, ${lambda})`;
  if (kind === 'qasm2') {
    return `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3]; creg m0[1]; creg m1[1]; creg out[1];
${prep} q[0];
h q[1]; cx q[1], q[2];
cx q[0], q[1]; h q[0];
measure q[0] -> m0[0]; measure q[1] -> m1[0];
if (m1 == 1) x q[2];
if (m0 == 1) z q[2];
${undo ? `u3(${-theta}, ${-lambda}, ${-phi}) q[2];` : ''}
measure q[2] -> out[0];`;
  }
  return `${STD}qubit[3] q; bit[2] m; bit out;
${prep} q[0];
h q[1]; cx q[1], q[2];
cx q[0], q[1]; h q[0];
m[0] = measure q[0]; m[1] = measure q[1];
if (m[1] == 1) { x q[2]; }
if (m[0] == 1) { z q[2]; } else { }
${undo ? `inv @ ${prep} q[2];` : ''}
out = measure q[2];`;
}

test('teleportation with classical control reproduces the input state (QASM 2 and QASM 3 `if`)', () => {
  const angles: [number, number, number][] = [
    [0.3, 0.2, 0.1],
    [1.9, -0.7, 2.4],
    [Math.PI / 2, 0, Math.PI],
  ];
  for (const kind of ['qasm2', 'qasm3'] as const) {
    for (const [t, p, l] of angles) {
      const circuit = compile(teleport(kind, t, p, l, false));
      assert.ok(
        circuit.ops.some((op) => op.type === 'if'),
        'has a conditional',
      );
      // the output bit is the highest clbit (leftmost character)
      const probs = simulateReference(circuit, { shots: 0, probabilities: true }).probabilities ?? {};
      const p1 = Object.entries(probs)
        .filter(([k]) => k.startsWith('1'))
        .reduce((s, [, v]) => s + v, 0);
      assert.ok(Math.abs(p1 - Math.sin(t / 2) ** 2) < 1e-12, `${kind} P(1)`);
      const shots = simulateReference(circuit, { shots: 3000, seed: 5 });
      const ones = Object.entries(shots.counts)
        .filter(([k]) => k.startsWith('1'))
        .reduce((s, [, v]) => s + v, 0);
      assertBinomial(ones, 3000, Math.sin(t / 2) ** 2, `${kind} sampled P(1)`);
      // undoing the preparation on the receiver's qubit always gives 0: the full state arrived, phases included
      const undone = run(teleport(kind, t, p, l, true), { shots: 200, seed: 9, probabilities: true });
      const wrong = Object.entries(undone.probabilities ?? {})
        .filter(([k]) => k.startsWith('1'))
        .reduce((s, [, v]) => s + v, 0);
      assert.ok(wrong < 1e-12, `${kind} fidelity`);
      assert.ok(Object.keys(undone.counts).every((k) => k.startsWith('0')));
    }
  }
});

const ADDER = `${STD}input uint[4] a_in;
input uint[4] b_in;
gate majority a, b, c { cx c, b; cx c, a; ccx a, b, c; }
gate unmaj a, b, c { ccx a, b, c; cx c, a; cx a, b; }
qubit cin; qubit[4] a; qubit[4] b; qubit cout;
bit[5] ans;
for uint i in [0:3] {
  if (bool(a_in[i])) x a[i];
  if (bool(b_in[i])) x b[i];
}
majority cin, b[0], a[0];
for uint i in [1:3] { majority a[i - 1], b[i], a[i]; }
cx a[3], cout;
for int i in [2:-1:0] { unmaj a[i], b[i + 1], a[i + 1]; }
unmaj cin, b[0], a[0];
ans[0:3] = measure b[0:3];
ans[4] = measure cout;
`;

test('Cuccaro ripple-carry adder computes a+b on every pair of 4-bit basis states', () => {
  for (let a = 0; a < 16; a++) {
    for (let b = 0; b < 16; b++) {
      const result = run(ADDER, { shots: 3, seed: 1 }, { a_in: a, b_in: b });
      assert.deepEqual(result.counts, { [(a + b).toString(2).padStart(5, '0')]: 3 }, `${a}+${b}`);
    }
  }
});

test('the same seed gives the same counts; different seeds sample differently', () => {
  const text = `${STD}qubit[3] q; bit[3] c; h q; ry(0.4) q[1]; c = measure q;`;
  const a = run(text, { shots: 500, seed: 1234 });
  const b = run(text, { shots: 500, seed: 1234 });
  assert.deepEqual(a.counts, b.counts);
  const others = [1, 2, 3].map((seed) => JSON.stringify(run(text, { shots: 500, seed }).counts));
  assert.ok(others.some((c) => c !== JSON.stringify(a.counts)));
  // dynamic circuits (per-shot execution) too
  const dyn = `${STD}qubit[2] q; bit[2] c; h q[0]; c[0] = measure q[0]; if (c[0] == 1) { x q[1]; } h q[1]; c[1] = measure q[1];`;
  assert.deepEqual(run(dyn, { shots: 300, seed: 8 }).counts, run(dyn, { shots: 300, seed: 8 }).counts);
});
