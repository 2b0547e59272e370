/**
 * The Node registry of simulator backends, the one the CLI (`maml qasm --backend`), OpenQASM blocks (`backend=`)
 * and the MCP tool `qasm_simulate` use: the state vector on worker threads with this machine's memory budget, MPS,
 * WebGPU, and `auto` over them (GPU, then state vector, then MPS; each backend's `fits` decides). Adding a
 * backend adds its file and one line here.
 */
import type { BackendOptions, ClosableSimulator, SimulatorBackend } from '../quantum/index.js';
import { autoBackend, backendNamed, mpsBackend, stateVectorBackend, stateVectorFits } from '../quantum/index.js';
import { webGpuBackend } from '../quantum-gpu/webgpu-backend.js';
import { NodeStateVectorSimulator } from './node-backend.js';
import { nodeMemoryBudget } from './node-simulators.js';

const nodeStateVectorBackend: SimulatorBackend = {
  ...stateVectorBackend,
  summary: 'exact state vector, complex128 or complex64; wide states on worker threads',
  fits: (circuit, budget) => stateVectorFits(circuit, { memoryBudgetBytes: nodeMemoryBudget(), ...budget }),
  create: (options = {}) =>
    new NodeStateVectorSimulator({
      ...(options.precision ? { precision: options.precision } : {}),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.minQubits === undefined ? {} : { minQubits: options.minQubits }),
    }),
};

const nodeMpsBackend: SimulatorBackend = {
  ...mpsBackend,
  create: (options = {}) => mpsBackend.create({ memoryBudgetBytes: nodeMemoryBudget(), ...options }),
};

export const NODE_BACKENDS: readonly SimulatorBackend[] = [
  nodeStateVectorBackend,
  nodeMpsBackend,
  webGpuBackend,
  autoBackend(() => [webGpuBackend, nodeStateVectorBackend, nodeMpsBackend]),
];

/** Backend names in the order they are listed to users. */
export const NODE_BACKEND_NAMES: readonly string[] = NODE_BACKENDS.map((b) => b.name);

/** The Node registry's backend called `name`; an unknown name is a usage error listing the known ones. */
export function nodeBackend(name: string): SimulatorBackend {
  return backendNamed(NODE_BACKENDS, name);
}

/** The simulator behind a backend name in Node; close it when done. */
export function createNodeSimulator(name: string, options: BackendOptions = {}): ClosableSimulator {
  return nodeBackend(name).create({ memoryBudgetBytes: nodeMemoryBudget(), ...options });
}
