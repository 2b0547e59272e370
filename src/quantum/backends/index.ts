// The simulator-backend registry: one file per backend, the pure registry and the lookup.
export { autoBackend, AutoSimulator } from './auto.js';
export type { AutoChoice } from './auto.js';
export type { BackendOptions, ClosableSimulator, Fit, FitBudget, Precision, SimulatorBackend } from './backend.js';
export { mpsBackend } from './mps.js';
export { BACKEND_CHOICES, backendNamed, findBackend, getSimulator, PURE_BACKENDS } from './registry.js';
export type { BackendChoice } from './registry.js';
export { stateVectorBackend, stateVectorFits } from './statevector.js';
export { checkSimulatorAttributes } from './check-attributes.js';
export type { AttributeProblem } from './check-attributes.js';
