/**
 * `mps`: matrix product state, memory n·χ² instead of 2^n. Every width fits (the bond dimension is capped and
 * the discarded weight reported), so it is the last candidate of `auto`.
 */
import { createMpsSimulator } from '../sim/mps-simulator.js';
import type { SimulatorBackend } from './backend.js';

export const mpsBackend: SimulatorBackend = {
  name: 'mps',
  summary: 'matrix product state: wide circuits with low entanglement, complex128',
  precisions: [128],
  fits: (circuit) => ({ ok: true, reason: `an MPS of ${circuit.numQubits} qubits grows with its entanglement only` }),
  create: (options = {}) =>
    createMpsSimulator(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }),
};
