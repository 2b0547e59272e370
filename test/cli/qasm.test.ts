/**
 * `maml qasm`: JSON and table output, exit codes (0 ok, 1 program errors, 2 usage), diagnostics format, inputs.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads matrices and results whose shape the
   test has just asserted; a failed read would fail the test anyway. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { createOutput } from '../../src/cli/output.js';

function sink(): { stream: Writable; text: () => string } {
  let data = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      data += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => data };
}

async function maml(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await main(args, createOutput(out.stream, err.stream, { NO_COLOR: '1' }), cwd);
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'maml-qasm-'));
writeFileSync(
  join(dir, 'bell.qasm'),
  'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n',
);
writeFileSync(join(dir, 'bad.qasm'), 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[3];\nfoo q[0];\n');
writeFileSync(
  join(dir, 'param.qasm'),
  'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nqubit q;\nbit c;\nrx(theta) q;\nc = measure q;\n',
);

test('--json prints exactly counts, shots, qubits, backend, durationMs with sorted bitstrings', async () => {
  const r = await maml(['qasm', 'bell.qasm', '--json', '--shots', '500', '--seed', '3'], dir);
  assert.equal(r.code, 0, r.stderr);
  const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['counts', 'shots', 'qubits', 'backend', 'durationMs']);
  const counts = parsed['counts'] as Record<string, number>;
  assert.ok(r.stdout.startsWith('{"counts":{"00":'), r.stdout);
  assert.equal((counts['00'] ?? 0) + (counts['11'] ?? 0), 500);
  assert.equal(parsed['shots'], 500);
  assert.equal(parsed['qubits'], 2);
  assert.equal(parsed['backend'], 'statevector');
  assert.equal(typeof parsed['durationMs'], 'number');
  const again = await maml(['qasm', 'bell.qasm', '--json', '--shots', '500', '--seed', '3'], dir);
  assert.deepEqual((JSON.parse(again.stdout) as { counts: unknown }).counts, counts);
});

test('the table lists bitstrings in order with counts', async () => {
  const r = await maml(['qasm', 'bell.qasm', '--shots', '100', '--backend', 'statevector', '--precision', '64'], dir);
  assert.equal(r.code, 0);
  assert.match(r.stdout.split('\n')[0] ?? '', /^statevector \(complex64\) · 2 qubits · 100 shots/);
  const rows = r.stdout.trim().split('\n').slice(2);
  assert.deepEqual(
    rows.map((l) => l.split(/\s+/)[0]),
    ['00', '11'],
  );
  assert.equal(
    rows.reduce((s, l) => s + Number(l.split(/\s+/)[1]), 0),
    100,
  );
});

test('--backend mps runs the MPS simulator and says so; auto and statevector run the state vector', async () => {
  const mps = await maml(['qasm', 'bell.qasm', '--json', '--shots', '300', '--backend', 'mps', '--seed', '5'], dir);
  assert.equal(mps.code, 0, mps.stderr);
  const parsed = JSON.parse(mps.stdout) as { backend: string; counts: Record<string, number> };
  assert.equal(parsed.backend, 'mps');
  assert.deepEqual(Object.keys(parsed.counts).sort(), ['00', '11']);
  for (const backend of ['auto', 'statevector']) {
    const r = await maml(['qasm', 'bell.qasm', '--json', '--backend', backend], dir);
    assert.equal((JSON.parse(r.stdout) as { backend: string }).backend, 'statevector', backend);
  }
  const wide = await maml(['qasm', 'bell.qasm', '--shots', '10', '--precision', '128'], dir);
  assert.match(wide.stdout.split('\n')[0] ?? '', /^statevector \(complex128\) · /);
});

test('program errors print path:line:col severity code message and exit 1', async () => {
  const r = await maml(['qasm', 'bad.qasm'], dir);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0]!, /^bad\.qasm:4:5 error index_out_of_range /);
  assert.match(lines[1]!, /^bad\.qasm:5:1 error undefined_gate /);
  assert.equal(r.stdout, '');
});

test('inputs are bound with --input, expressions allowed; a missing one is a diagnostic', async () => {
  const ok = await maml(['qasm', 'param.qasm', '--input', 'theta=pi', '--json', '--shots', '20'], dir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual((JSON.parse(ok.stdout) as { counts: unknown }).counts, { '1': 20 });
  const missing = await maml(['qasm', 'param.qasm'], dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /param\.qasm:3:17 error missing_input_binding .*theta/);
});

test('usage errors exit 2', async () => {
  for (const args of [
    ['qasm'],
    ['qasm', 'bell.qasm', 'extra.qasm'],
    ['qasm', 'bell.qasm', '--shots', '-1'],
    ['qasm', 'bell.qasm', '--shots', '1.5'],
    ['qasm', 'bell.qasm', '--seed', 'abc'],
    ['qasm', 'bell.qasm', '--backend', 'gpu'],
    ['qasm', 'bell.qasm', '--precision', '32'],
    ['qasm', 'bell.qasm', '--input', 'theta'],
    ['qasm', 'bell.qasm', '--input', 'theta=foo'],
    ['qasm', 'bell.qasm', '--unknown'],
    ['qasm', 'missing.qasm'],
  ]) {
    const r = await maml(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.length > 0);
  }
  const help = await maml(['qasm', '--help'], dir);
  assert.equal(help.code, 0);
  for (const option of ['--shots', '--seed', '--backend', '--precision', '--input', '--json'])
    assert.ok(help.stdout.includes(option));
});
