import { createStateVectorSimulator } from '../../src/quantum/index.js';
import { runConformance } from './simulator.case.js';

runConformance({
  name: 'statevector-64',
  create: () => createStateVectorSimulator({ precision: 64 }),
  tolerance: 2e-6,
  gradients: true,
});
