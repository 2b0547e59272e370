/**
 * Simulator factories for Node: the memory budget comes from os.totalmem(), and state vectors of `minQubits` or
 * more run their kernels on worker threads. Simulators that own threads must be closed.
 */
import os from 'node:os';
import type { Circuit, ClosableSimulator, SimulateOptions, SimulationResult } from '../quantum/index.js';
import { createStateVectorSimulator, type StateVectorSimulator } from '../quantum/index.js';
import { createThreadedExecutor, type ThreadedExecutor } from './threaded-executor.js';

/** Memory a simulation may plan on: the machine's total memory (the simulators take a fraction of it). */
export function nodeMemoryBudget(): number {
  return os.totalmem();
}

export interface NodeStateVectorOptions {
  /** Total threads (default: available parallelism); 1 runs single-threaded. */
  readonly threads?: number;
  /** States narrower than this stay single-threaded (default 18). */
  readonly minQubits?: number;
  readonly precision?: 64 | 128;
  readonly fusionQubits?: number;
}

export class ThreadedStateVectorSimulator implements ClosableSimulator {
  readonly name = 'statevector' as const;

  constructor(
    private readonly threaded: StateVectorSimulator,
    private readonly serial: StateVectorSimulator,
    readonly executor: ThreadedExecutor | undefined,
  ) {}

  /** Counters of the last run. */
  get lastStats(): StateVectorSimulator['lastStats'] {
    return this.threaded.lastStats;
  }

  simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    const useThreads = this.executor && (options.threads === undefined || options.threads > 1);
    return (useThreads ? this.threaded : this.serial).simulate(circuit, options);
  }

  async close(): Promise<void> {
    await this.executor?.close();
  }
}

export async function createNodeStateVectorSimulator(
  options: NodeStateVectorOptions = {},
): Promise<ThreadedStateVectorSimulator> {
  const threads = options.threads ?? os.availableParallelism();
  const base = {
    memoryBudgetBytes: nodeMemoryBudget(),
    ...(options.precision ? { precision: options.precision } : {}),
    ...(options.fusionQubits !== undefined ? { fusionQubits: options.fusionQubits } : {}),
  };
  const serial = createStateVectorSimulator(base);
  if (threads <= 1) return new ThreadedStateVectorSimulator(serial, serial, undefined);
  const executor = await createThreadedExecutor({
    threads,
    ...(options.minQubits !== undefined ? { minQubits: options.minQubits } : {}),
  });
  return new ThreadedStateVectorSimulator(createStateVectorSimulator({ ...base, executor }), serial, executor);
}
