/**
 * The `statevector` simulator of Node (the Node registry's, backends.ts): the memory budget is this machine's and
 * state vectors of `minQubits` or more run their kernels on worker threads. The threads start on the first circuit
 * that needs them, so small circuits never pay for them. Close the simulator when done.
 */
import os from 'node:os';
import type { Circuit, ClosableSimulator, SimulateOptions, SimulationResult } from '../quantum/index.js';
import { createStateVectorSimulator, type StateVectorSimulator } from '../quantum/index.js';
import {
  createNodeStateVectorSimulator,
  nodeMemoryBudget,
  type ThreadedStateVectorSimulator,
} from './node-simulators.js';

/** States narrower than this stay on the calling thread: a pass is cheaper than waking workers. */
export const DEFAULT_THREADED_MIN_QUBITS = 18;

export interface NodeSimulatorOptions {
  /** Default precision when SimulateOptions gives none (128). */
  readonly precision?: 64 | 128;
  /** Total threads for large states (default: available parallelism); 1 never starts workers. */
  readonly threads?: number;
  /** Width from which the worker threads are used (default DEFAULT_THREADED_MIN_QUBITS). */
  readonly minQubits?: number;
}

/** A state-vector simulator that runs small states serially and large ones on lazily started worker threads. */
export class NodeStateVectorSimulator implements ClosableSimulator {
  readonly name = 'statevector' as const;
  private readonly serial: StateVectorSimulator;
  private threaded: Promise<ThreadedStateVectorSimulator> | undefined;
  /** Whether the last circuit ran on the worker threads. */
  lastThreaded = false;
  private last: { lastStats: StateVectorSimulator['lastStats'] };

  constructor(private readonly options: NodeSimulatorOptions = {}) {
    this.serial = createStateVectorSimulator({
      memoryBudgetBytes: nodeMemoryBudget(),
      ...(options.precision ? { precision: options.precision } : {}),
    });
    this.last = this.serial;
  }

  /** Counters of the last run (kernel passes, fusion, precision). */
  get lastStats(): StateVectorSimulator['lastStats'] {
    return this.last.lastStats;
  }

  async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    const threads = options.threads ?? this.options.threads ?? os.availableParallelism();
    const minQubits = this.options.minQubits ?? DEFAULT_THREADED_MIN_QUBITS;
    if (threads > 1 && circuit.numQubits >= minQubits) {
      this.threaded ??= createNodeStateVectorSimulator({
        threads,
        minQubits,
        ...(this.options.precision ? { precision: this.options.precision } : {}),
      });
      const simulator = await this.threaded;
      this.last = simulator;
      this.lastThreaded = true;
      return simulator.simulate(circuit, { ...options, threads });
    }
    this.last = this.serial;
    this.lastThreaded = false;
    return this.serial.simulate(circuit, options);
  }

  async close(): Promise<void> {
    const threaded = this.threaded;
    this.threaded = undefined;
    if (threaded) await (await threaded).close();
  }
}
