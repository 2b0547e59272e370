// Counts keys follow Qiskit's convention wherever results leave the engine (qasm blocks, `maml qasm`,
// maml.quantum.run): registers separated by spaces, the highest register first, each register's highest bit first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { parseQasm, registerKeys, StateVectorSimulator } from '../../src/quantum/index.js';
import { evaluate, quantumCallLimits, taskSpec } from '../../src/runtime/index.js';
import { runQasmEngine } from '../../src/runtime/executors/qasm-engine.js';

const THREE_ONE_BIT = `OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit a;
bit b;
bit c;
x q[0];
x q[2];
a = measure q[0];
b = measure q[1];
c = measure q[2];`;

const TWO_AND_ONE = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg a[2];
creg b[1];
x q[0];
x q[2];
measure q[0] -> a[0];
measure q[1] -> a[1];
measure q[2] -> b[0];`;

test('three one-bit registers measuring 1, 0, 1 give "1 0 1"; a[2] = 01 and b[1] = 1 give "1 01"', () => {
  for (const [program, key] of [
    [THREE_ONE_BIT, '1 0 1'],
    [TWO_AND_ONE, '1 01'],
  ] as const) {
    const circuit = parseQasm(program).circuit;
    assert.ok(circuit);
    const flat = new StateVectorSimulator().simulateSync(circuit, { shots: 4, seed: 1 }).counts;
    assert.deepEqual(registerKeys(circuit, flat), { [key]: 4 });
  }
});

test('one register keeps its plain bitstring, highest bit first', () => {
  const circuit = parseQasm(
    'OPENQASM 3.0; include "stdgates.inc"; qubit[3] q; bit[3] c; x q[0]; c = measure q;',
  ).circuit;
  assert.ok(circuit);
  const counts = new StateVectorSimulator().simulateSync(circuit, { shots: 2, seed: 1 }).counts;
  assert.deepEqual(registerKeys(circuit, counts), { '001': 2 });
});

test('qasm blocks and maml.quantum.run give the spaced keys', async () => {
  const run = await runQasmEngine(taskSpec({ blockId: 'q', lang: 'qasm', source: TWO_AND_ONE }), {
    shots: 3,
    seed: 2,
    probabilities: true,
  });
  assert.deepEqual(run.counts, { '1 01': 3 });
  assert.deepEqual(Object.keys(run.probabilities ?? {}), ['1 01']);
  const limits = quantumCallLimits(taskSpec({ blockId: 'b', lang: 'python', source: '' }));
  assert.ok(limits);
  const call = evaluate({ id: 1, op: 'run', qasm: THREE_ONE_BIT, bindings: [{}], observables: [], shots: 5 }, limits);
  assert.deepEqual(call, { ok: true, results: [{ counts: { '1 0 1': 5 } }] });
});

test('maml qasm prints the spaced keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-keys-'));
  try {
    const file = join(dir, 'regs.qasm');
    writeFileSync(file, THREE_ONE_BIT);
    const result = runCli(['qasm', file, '--shots', '7', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { counts: unknown }).counts, { '1 0 1': 7 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
