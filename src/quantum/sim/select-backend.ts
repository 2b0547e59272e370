/**
 * The `auto` rule: the state vector when it fits the memory limit (exact, fastest for dense entanglement),
 * the MPS backend otherwise.
 */
import type { Circuit } from '../circuit.js';
import type { SimulateOptions } from '../simulator.js';
import {
  DEFAULT_BUDGET_FRACTION,
  DEFAULT_MEMORY_LIMIT_BYTES,
  MAX_STATEVECTOR_QUBITS,
  stateVectorBytes,
} from './memory-guard.js';

export interface BackendChoice {
  readonly backend: 'statevector' | 'mps';
  readonly reason: string;
}

export function selectBackend(
  circuit: Pick<Circuit, 'numQubits'>,
  options: Pick<SimulateOptions, 'memoryLimitBytes' | 'precision' | 'gradients' | 'observables'> = {},
  memoryBudgetBytes?: number,
): BackendChoice {
  const limit =
    options.memoryLimitBytes ??
    (memoryBudgetBytes !== undefined
      ? Math.floor(memoryBudgetBytes * DEFAULT_BUDGET_FRACTION)
      : DEFAULT_MEMORY_LIMIT_BYTES);
  const precision = options.precision ?? 128;
  const copies = options.gradients ? 2 + Math.max(1, options.observables?.length ?? 0) : 1;
  const need = stateVectorBytes(circuit.numQubits, precision) * copies;
  if (circuit.numQubits <= MAX_STATEVECTOR_QUBITS && need <= limit) {
    return {
      backend: 'statevector',
      reason: `a ${circuit.numQubits}-qubit state vector needs ${need} bytes of ${limit}`,
    };
  }
  return {
    backend: 'mps',
    reason: `a ${circuit.numQubits}-qubit state vector would need ${need} bytes, over the limit of ${limit}`,
  };
}
