/**
 * A simulator backend as the registry lists it: its name (as `--backend` and the `backend=` attribute spell it),
 * the precisions it computes in, whether a circuit fits it, and how to make its simulator. One file per backend;
 * the pure ones (state vector, MPS, auto) live here, the Node ones (threaded state vector, WebGPU) in
 * src/quantum-node and src/quantum-gpu, gathered by the Node registry. `auto` asks each candidate's `fits` in turn.
 */
import type { Circuit } from '../circuit.js';
import type { SimulateOptions, Simulator } from '../simulator.js';
import type { Awaitable } from '../sim/awaitable.js';

export type Precision = 64 | 128;

/** What a circuit may use, as `fits` sees it. */
export interface FitBudget extends Pick<
  SimulateOptions,
  'memoryLimitBytes' | 'precision' | 'gradients' | 'observables'
> {
  /** Memory the machine can spare when `memoryLimitBytes` is not given (a share of it is used). */
  readonly memoryBudgetBytes?: number;
  /**
   * Set while `auto` chooses: a backend may then decline a circuit it can run but would not run best (the GPU
   * below its break-even width, or on a software adapter).
   */
  readonly choosing?: boolean;
}

export type Fit = { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly reason: string };

export interface BackendOptions {
  /** Precision when SimulateOptions gives none (128 where offered). */
  readonly precision?: Precision;
  /** Memory the machine can spare (the state-vector limit and `auto` use a share of it). */
  readonly memoryBudgetBytes?: number;
  /** Threads for large states (Node backends; 1 never starts workers). */
  readonly threads?: number;
  /** Width from which worker threads are used (Node state vector). */
  readonly minQubits?: number;
}

/** A simulator that may hold threads or a device; close it when done. */
export interface ClosableSimulator extends Simulator {
  close(): Promise<void>;
}

export interface SimulatorBackend {
  readonly name: string;
  /** One line for help texts and docs. */
  readonly summary: string;
  readonly precisions: readonly Precision[];
  /** Whether the circuit can run here within the budget (memory, qubits, a device being present); never throws. */
  fits(circuit: Pick<Circuit, 'numQubits'>, budget: FitBudget): Awaitable<Fit>;
  create(options?: BackendOptions): ClosableSimulator;
}
