// The webgpu entry of the Node backend registry: what `fits` accepts when asked by name and while `auto` chooses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuAutoMinQubits, webGpuBackend } from '../../src/quantum-gpu/index.js';
import { createNodeSimulator } from '../../src/quantum-node/index.js';
import { CircuitBuilder } from '../../src/quantum/index.js';
import { openOrSkip } from './gpu-available.js';

test('backend choice: auto keeps small circuits and complex128 runs on the CPU without probing the GPU', async () => {
  const small = await webGpuBackend.fits({ numQubits: 3 }, { choosing: true });
  assert.equal(small.ok, false);
  assert.match(small.reason, /break-even/);
  const wide = await webGpuBackend.fits({ numQubits: gpuAutoMinQubits() }, { choosing: true, precision: 128 });
  assert.equal(wide.ok, false);
  assert.match(wide.reason, /complex64/);
  const auto = createNodeSimulator('auto');
  try {
    const r = await auto.simulate(new CircuitBuilder(2, 2).x(1).measureAll().build(), { shots: 4 });
    assert.notEqual(r.backend, 'webgpu');
    assert.deepEqual(r.counts, { '10': 4 });
  } finally {
    await auto.close();
  }
});

test('backend choice: a state over the memory limit or the width cap does not fit webgpu', async () => {
  const over = await webGpuBackend.fits({ numQubits: 20 }, { memoryLimitBytes: 2 ** 20 });
  assert.equal(over.ok, false);
  assert.match(over.reason, /over the limit/);
  assert.equal((await webGpuBackend.fits({ numQubits: 60 }, {})).ok, false);
});

const sim = await openOrSkip('backend choice');
if (sim) {
  sim.close();
  test('backend choice: --backend webgpu runs on the GPU in complex64 even when complex128 is the default', async () => {
    assert.equal((await webGpuBackend.fits({ numQubits: 2 }, {})).ok, true);
    const gpu = createNodeSimulator('webgpu');
    try {
      const r = await gpu.simulate(new CircuitBuilder(2, 2).x(0).measureAll().build(), { shots: 8, precision: 128 });
      assert.equal(r.backend, 'webgpu');
      assert.equal(r.precision, 64);
      assert.deepEqual(r.counts, { '01': 8 });
    } finally {
      await gpu.close();
    }
  });
  test('backend choice: auto never picks a software adapter', async (t) => {
    if (!sim.info.software) return t.skip('this adapter is a hardware GPU');
    const fit = await webGpuBackend.fits({ numQubits: 30 }, { choosing: true });
    assert.equal(fit.ok, false);
    assert.match(fit.reason, /software/);
  });
}
