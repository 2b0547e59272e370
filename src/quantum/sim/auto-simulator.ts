/**
 * The `auto` backend: each circuit goes to the state vector when it fits the memory limit and to the MPS
 * simulator otherwise (the rule of select-backend.ts). Results name the backend that really ran.
 */
import type { Circuit } from '../circuit.js';
import type { SimulateOptions, SimulationResult, Simulator } from '../simulator.js';
import { selectBackend, type BackendChoice } from './select-backend.js';

export class AutoSimulator implements Simulator {
  readonly name = 'auto' as const;
  /** The choice made for the last circuit, with its reason. */
  lastChoice: BackendChoice | undefined;

  constructor(
    readonly stateVector: Simulator,
    readonly mps: Simulator,
    /** Memory the machine can spare; undefined uses the default limit. */
    private readonly memoryBudgetBytes?: number,
  ) {}

  simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    const choice = selectBackend(circuit, options, this.memoryBudgetBytes);
    this.lastChoice = choice;
    return (choice.backend === 'statevector' ? this.stateVector : this.mps).simulate(circuit, options);
  }
}
