import { createMpsSimulator } from '../../src/quantum/index.js';
import { runConformance } from './simulator.case.js';

runConformance({ name: 'mps', create: () => createMpsSimulator() });
