import { createStateVectorSimulator } from '../../src/quantum/index.js';
import { runConformance } from './simulator.case.js';

runConformance({ name: 'statevector-128', create: () => createStateVectorSimulator(), gradients: true });
