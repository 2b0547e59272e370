// Node-only parts of the quantum engine: multi-threaded state-vector kernels and the Node backend registry.
export { createThreadedExecutor } from './threaded-executor.js';
export type { ThreadedExecutor, ThreadedExecutorOptions } from './threaded-executor.js';
export { createNodeStateVectorSimulator, nodeMemoryBudget, ThreadedStateVectorSimulator } from './node-simulators.js';
export type { NodeStateVectorOptions } from './node-simulators.js';
export { NodeStateVectorSimulator, DEFAULT_THREADED_MIN_QUBITS } from './node-backend.js';
export type { NodeSimulatorOptions } from './node-backend.js';
export { createNodeSimulator, nodeBackend, NODE_BACKENDS, NODE_BACKEND_NAMES } from './backends.js';
export { NODE_BACKEND_CATALOG } from './backend-catalog.js';
