// Node-only parts of the quantum engine: multi-threaded state-vector kernels and machine-aware factories.
export { createThreadedExecutor } from './threaded-executor.js';
export type { ThreadedExecutor, ThreadedExecutorOptions } from './threaded-executor.js';
export { createNodeStateVectorSimulator, nodeMemoryBudget, ThreadedStateVectorSimulator } from './node-simulators.js';
export type { ClosableSimulator, NodeStateVectorOptions } from './node-simulators.js';
export { createNodeSimulator, NodeStateVectorSimulator, DEFAULT_THREADED_MIN_QUBITS } from './node-backend.js';
export type { NodeSimulatorOptions } from './node-backend.js';
