/**
 * `statevector`: complex128 (default) or complex64 amplitudes on the calling thread. It fits while 2^n amplitudes
 * (times the copies gradients need) stay within the memory limit and 30 qubits (select-backend.ts).
 */
import { selectBackend } from '../sim/select-backend.js';
import { createStateVectorSimulator } from '../sim/statevector-simulator.js';
import type { FitBudget, Fit, SimulatorBackend } from './backend.js';
import type { Circuit } from '../circuit.js';

/** The state-vector rule of every registry (the Node one runs the same states on worker threads). */
export function stateVectorFits(circuit: Pick<Circuit, 'numQubits'>, budget: FitBudget): Fit {
  const choice = selectBackend(circuit, budget, budget.memoryBudgetBytes);
  return { ok: choice.backend === 'statevector', reason: choice.reason };
}

export const stateVectorBackend: SimulatorBackend = {
  name: 'statevector',
  summary: 'exact state vector, complex128 or complex64',
  precisions: [128, 64],
  fits: stateVectorFits,
  create: (options = {}) =>
    createStateVectorSimulator({
      ...(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }),
      ...(options.precision ? { precision: options.precision } : {}),
    }),
};
