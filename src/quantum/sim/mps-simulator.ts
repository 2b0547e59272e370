/**
 * The matrix-product-state Simulator: memory grows with n·χ² instead of 2^n, exact while the bond dimension
 * stays under the cap (GHZ, Bernstein–Vazirani, adders on basis states), approximate beyond it with the discarded
 * weight reported as `truncationError`.
 */
import { MamlError } from '../../shared/errors.js';
import type { Circuit } from '../circuit.js';
import type { SimulateOptions, SimulationResult, Simulator } from '../simulator.js';
import { runEngine } from './engine.js';
import { DEFAULT_MEMORY_LIMIT_BYTES } from './memory-guard.js';
import { MpsState } from './mps-state.js';

/** Bond dimension cap when neither the simulator nor the options give one. */
export const DEFAULT_MAX_BOND = 64;

export interface MpsSimulatorOptions {
  readonly maxBondDimension?: number;
  readonly memoryBudgetBytes?: number;
}

export class MpsSimulator implements Simulator {
  readonly name = 'mps' as const;

  constructor(private readonly config: MpsSimulatorOptions = {}) {}

  /** Nothing to release: the state lives on the JavaScript heap (present so that every backend can be closed). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    try {
      return Promise.resolve(this.simulateSync(circuit, options));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  simulateSync(circuit: Circuit, options: SimulateOptions = {}): SimulationResult {
    const chi = options.maxBondDimension ?? this.config.maxBondDimension ?? DEFAULT_MAX_BOND;
    if (!Number.isInteger(chi) || chi < 1) {
      throw new MamlError('usage', `maxBondDimension must be a positive integer, got ${chi}`);
    }
    const limit = options.memoryLimitBytes ?? this.config.memoryBudgetBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
    return runEngine(circuit, options, {
      name: 'mps',
      memoryLimitBytes: limit,
      create: () => MpsState.zero(circuit.numQubits, chi),
    });
  }
}

export function createMpsSimulator(options: MpsSimulatorOptions = {}): MpsSimulator {
  return new MpsSimulator(options);
}
