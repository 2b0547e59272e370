/**
 * Backend names as users write them (`--backend`, the `backend=` attribute) and the simulator each one means in a
 * pure context: `statevector` (complex128, or complex64 with `precision: 64`), `mps`, and `auto`, which picks per
 * circuit. Node code uses createNodeSimulator from src/quantum-node instead, which adds worker threads and the
 * machine's memory budget. The reference simulator is not among them: it is the oracle of the tests.
 */
import { MamlError } from '../shared/errors.js';
import { AutoSimulator } from './sim/auto-simulator.js';
import { createMpsSimulator } from './sim/mps-simulator.js';
import { createStateVectorSimulator } from './sim/statevector-simulator.js';
import type { Simulator } from './simulator.js';

export const BACKEND_CHOICES = ['statevector', 'mps', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface GetSimulatorOptions {
  /** Default precision when SimulateOptions gives none (128). */
  readonly precision?: 64 | 128;
  /** Memory the caller can spare; the state-vector limit and the `auto` rule use a fraction of it. */
  readonly memoryBudgetBytes?: number;
}

export function getSimulator(backend: BackendChoice, options: GetSimulatorOptions = {}): Simulator {
  const budget = options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes };
  const stateVector = (): Simulator =>
    createStateVectorSimulator({ ...budget, ...(options.precision ? { precision: options.precision } : {}) });
  switch (backend) {
    case 'statevector':
      return stateVector();
    case 'mps':
      return createMpsSimulator();
    case 'auto':
      return new AutoSimulator(stateVector(), createMpsSimulator(), options.memoryBudgetBytes);
    default: {
      const never: never = backend;
      throw new MamlError('usage', `unknown backend ${String(never)}; use one of ${BACKEND_CHOICES.join(', ')}`);
    }
  }
}
