/**
 * The Node backend registry's names and precisions without the simulators behind them: what checking a block's
 * `backend=` and `precision=` needs. `maml validate` reads this instead of loading every simulator
 * (test/quantum/registry.test.ts holds it equal to NODE_BACKENDS).
 */
import type { BackendDescription } from '../quantum/backends/check-attributes.js';

export const NODE_BACKEND_CATALOG: readonly BackendDescription[] = [
  { name: 'statevector', precisions: [128, 64] },
  { name: 'mps', precisions: [128] },
  { name: 'webgpu', precisions: [64] },
  { name: 'auto', precisions: [128, 64] },
];
