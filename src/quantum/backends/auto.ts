/**
 * `auto`: the first of its candidates whose `fits` accepts the circuit (asked with `choosing: true`), in the
 * order given: in Node the GPU, then the state vector, then MPS. A candidate that fails for want of its device or
 * of memory (`missing_tool`, `resource_limit`) while a later one remains leaves the circuit to the next.
 */
import { MamlError } from '../../shared/errors.js';
import type { Circuit } from '../circuit.js';
import type { SimulateOptions, SimulationResult } from '../simulator.js';
import type { BackendOptions, ClosableSimulator, FitBudget, SimulatorBackend } from './backend.js';

export interface AutoChoice {
  readonly backend: string;
  readonly reason: string;
}

/** Errors that mean "not here", after which the next candidate may run the circuit. */
const FALL_THROUGH = new Set(['missing_tool', 'resource_limit']);

export class AutoSimulator implements ClosableSimulator {
  readonly name = 'auto' as const;
  /** The choice made for the last circuit, with its reason. */
  lastChoice: AutoChoice | undefined;
  private readonly made = new Map<string, ClosableSimulator>();

  constructor(
    private readonly candidates: readonly SimulatorBackend[],
    private readonly options: BackendOptions = {},
  ) {
    if (candidates.length === 0) throw new MamlError('internal', 'auto needs at least one candidate backend');
  }

  private simulator(backend: SimulatorBackend): ClosableSimulator {
    let made = this.made.get(backend.name);
    if (!made) this.made.set(backend.name, (made = backend.create(this.options)));
    return made;
  }

  async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    const budget: FitBudget = {
      ...options,
      choosing: true,
      ...(this.options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: this.options.memoryBudgetBytes }),
    };
    const last = this.candidates.length - 1;
    let declined = '';
    for (const [i, backend] of this.candidates.entries()) {
      const fit =
        i === last ? { ok: true, reason: declined || 'the last candidate' } : await backend.fits(circuit, budget);
      if (!fit.ok) {
        declined = fit.reason;
        continue;
      }
      this.lastChoice = { backend: backend.name, reason: fit.reason };
      try {
        return await this.simulator(backend).simulate(circuit, options);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (i === last || typeof code !== 'string' || !FALL_THROUGH.has(code)) throw error;
        declined = `${backend.name}: ${(error as Error).message}`;
      }
    }
    throw new MamlError('internal', 'auto found no backend');
  }

  async close(): Promise<void> {
    const made = [...this.made.values()];
    this.made.clear();
    for (const simulator of made) await simulator.close();
  }
}

/** The `auto` entry of a registry, over `candidates` (a function, so that it may list the registry it is in). */
export function autoBackend(candidates: () => readonly SimulatorBackend[]): SimulatorBackend {
  return {
    name: 'auto',
    summary: 'the first backend that fits: in Node the GPU for wide circuits, then the state vector, then MPS',
    precisions: [128, 64],
    fits: () => ({ ok: true, reason: 'auto always has a last candidate' }),
    create: (options = {}) => new AutoSimulator(candidates(), options),
  };
}
