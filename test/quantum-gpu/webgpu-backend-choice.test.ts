import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoPrefersGpu, gpuAutoMinQubits, withWebGpu } from '../../src/quantum-gpu/index.js';
import { CircuitBuilder, getSimulator } from '../../src/quantum/index.js';
import { openOrSkip } from './gpu-available.js';

test('backend choice: auto keeps small circuits and complex128 runs on the CPU without probing the GPU', async () => {
  const small = new CircuitBuilder(3).build();
  assert.equal(await autoPrefersGpu(small, {}), false);
  const wide = { numQubits: gpuAutoMinQubits() };
  assert.equal(await autoPrefersGpu(wide, { precision: 128 }), false);
  const r = await withWebGpu('auto', getSimulator).simulate(new CircuitBuilder(2, 2).x(1).measureAll().build(), {
    shots: 4,
  });
  assert.notEqual(r.backend, 'webgpu');
  assert.deepEqual(r.counts, { '10': 4 });
});

const sim = await openOrSkip('backend choice');
if (sim) {
  sim.close();
  test('backend choice: --backend webgpu runs on the GPU in complex64 even when complex128 is the default', async () => {
    const r = await withWebGpu('webgpu', getSimulator).simulate(new CircuitBuilder(2, 2).x(0).measureAll().build(), {
      shots: 8,
      precision: 128,
    });
    assert.equal(r.backend, 'webgpu');
    assert.deepEqual(r.counts, { '01': 8 });
  });
  test('backend choice: auto never picks a software adapter', async (t) => {
    if (!sim.info.software) return t.skip('this adapter is a hardware GPU');
    assert.equal(await autoPrefersGpu({ numQubits: 30 }, {}), false);
  });
}
