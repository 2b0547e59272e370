import { after } from 'node:test';
import { WebGpuSimulator } from '../../src/quantum-gpu/index.js';
import { runConformance } from '../quantum/simulator.case.js';
import { openOrSkip } from './gpu-available.js';

// complex64: amplitudes and exact expectations hold to ~1e-6 on these small circuits; 1e-5 is the documented
// tolerance of every case that compares against an analytic value (docs/gpu.md, "Precision").
const F32_TOLERANCE = 1e-5;

const sim = await openOrSkip('webgpu');
if (sim) {
  runConformance({ name: 'webgpu', create: () => sim, tolerance: F32_TOLERANCE });
  // The same suite with 2-qubit chunks: nearly every gate pairs chunks or is selected by a chunk-index control.
  const chunked = new WebGpuSimulator(sim.ctx, { chunkQubits: 2 });
  runConformance({ name: 'webgpu-chunked', create: () => chunked, tolerance: F32_TOLERANCE });
  after(() => sim.close());
}
