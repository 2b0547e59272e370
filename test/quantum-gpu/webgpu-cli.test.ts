import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/capture.js';
import { openOrSkip } from './gpu-available.js';

const GHZ3 = `OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] c;
h q[0];
cx q[0], q[1];
cx q[1], q[2];
c = measure q;
`;

const sim = await openOrSkip('maml qasm --backend webgpu');
if (sim) {
  sim.close();
  test('maml qasm --backend webgpu prints GHZ counts from the GPU, seeded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'maml-gpu-'));
    await writeFile(join(dir, 'ghz.qasm'), GHZ3);
    const args = ['qasm', 'ghz.qasm', '--backend', 'webgpu', '--shots', '500', '--seed', '9', '--json'];
    const a = await runCli(args, dir);
    assert.equal(a.code, 0, a.stderr);
    const r = JSON.parse(a.stdout) as { counts: Record<string, number>; backend: string; shots: number };
    assert.equal(r.backend, 'webgpu');
    assert.deepEqual(Object.keys(r.counts).sort(), ['000', '111']);
    assert.equal((r.counts['000'] ?? 0) + (r.counts['111'] ?? 0), 500);
    const b = await runCli(args, dir);
    assert.deepEqual(JSON.parse(b.stdout), {
      ...r,
      durationMs: (JSON.parse(b.stdout) as { durationMs: number }).durationMs,
    });
  });
}
