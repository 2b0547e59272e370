// Node-only parts of the quantum engine: multi-threaded state-vector kernels and machine-aware factories.
export { createThreadedExecutor } from './threaded-executor.js';
export type { ThreadedExecutor, ThreadedExecutorOptions } from './threaded-executor.js';
export {
  createAutoSimulator,
  createNodeStateVectorSimulator,
  nodeMemoryBudget,
  ThreadedStateVectorSimulator,
} from './node-simulators.js';
export type { ClosableSimulator, NodeStateVectorOptions } from './node-simulators.js';
