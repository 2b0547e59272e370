// The WebGPU backend's measurement knobs are read from an environment by the entry point and configured as data:
// parsing keeps defaults for anything malformed, and the backend uses what was configured (not process.env).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_GPU_TUNING,
  configureGpuTuning,
  gpuAutoMinQubits,
  gpuTuning,
  gpuTuningFrom,
  webGpuBackend,
} from '../../src/quantum-gpu/index.js';

test('gpuTuningFrom reads the four knobs and keeps the defaults for unset or malformed values', () => {
  assert.deepEqual(gpuTuningFrom({}), DEFAULT_GPU_TUNING);
  assert.deepEqual(
    gpuTuningFrom({
      MAML_GPU_SUBMIT_EVERY: '16',
      MAML_GPU_ARENA: '0',
      MAML_GPU_MIN_QUBITS: '8',
      MAML_WEBGPU_FLAGS: ' enable-dawn-features=disable_robustness  x=y ',
    }),
    { submitEvery: 16, arenas: false, autoMinQubits: 8, dawnFlags: ['enable-dawn-features=disable_robustness', 'x=y'] },
  );
  assert.equal(gpuTuningFrom({ MAML_GPU_SUBMIT_EVERY: '0' }).submitEvery, Number.POSITIVE_INFINITY);
  for (const bad of ['-1', '1.5', 'many', '1e400', ' '])
    assert.deepEqual(gpuTuningFrom({ MAML_GPU_SUBMIT_EVERY: bad, MAML_GPU_MIN_QUBITS: bad }), DEFAULT_GPU_TUNING, bad);
  assert.equal(gpuTuningFrom({ MAML_GPU_MIN_QUBITS: '0' }).autoMinQubits, DEFAULT_GPU_TUNING.autoMinQubits);
});

test('the backend uses the configured break-even width, whatever process.env says', async () => {
  const before = gpuTuning();
  process.env['MAML_GPU_MIN_QUBITS'] = '3';
  try {
    assert.equal(gpuAutoMinQubits(), DEFAULT_GPU_TUNING.autoMinQubits);
    configureGpuTuning(gpuTuningFrom({ MAML_GPU_MIN_QUBITS: '12' }));
    assert.equal(gpuAutoMinQubits(), 12);
    const small = await webGpuBackend.fits({ numQubits: 11 }, { choosing: true });
    assert.equal(small.ok, false);
    assert.match(small.reason, /break-even width of 12/);
  } finally {
    delete process.env['MAML_GPU_MIN_QUBITS'];
    configureGpuTuning(before);
  }
});
