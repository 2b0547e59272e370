/**
 * What the shared simulation engine needs from a backend's quantum state. The state-vector and MPS backends
 * implement it with plain return values, the WebGPU backend with promises (its reductions and read-backs wait for
 * the device); the engine (branching on measurements, noise trajectories, sampling, observables) is shared and
 * takes either (awaitable.ts).
 */
import type { GlobalPhaseOp, UnitaryOp } from '../circuit.js';
import type { PauliSum } from '../simulator.js';
import type { Awaitable } from './awaitable.js';
import type { Rng } from './prng.js';

/** A measured outcome: bits[j] is the value of the j-th requested qubit. */
export interface Outcome {
  readonly bits: Uint8Array;
  readonly count: number;
}

export interface WeightedOutcome {
  readonly bits: Uint8Array;
  readonly probability: number;
}

/** Sampled basis-state indices (over all qubits), distinct, with their multiplicities. */
export interface IndexCounts {
  readonly index: Float64Array;
  readonly count: Uint32Array;
}

export interface SimState {
  readonly numQubits: number;
  /** Bytes this state holds (for the memory guard on clones). */
  readonly bytes: number;
  clone(): Awaitable<SimState>;
  /** Applies unitaries in order (a backend may fuse them). */
  applyUnitaries(ops: readonly (UnitaryOp | GlobalPhaseOp)[]): Awaitable<void>;
  /** Applies a general (non-unitary, e.g. Kraus) matrix on targets; no renormalisation. */
  applyMatrix(targets: readonly number[], matrix: Float64Array): Awaitable<void>;
  scale(factor: number): Awaitable<void>;
  probabilityOfOne(qubit: number): Awaitable<number>;
  /** Projects `qubit` on `outcome` whose probability was `probability`, and renormalises. */
  collapse(qubit: number, outcome: 0 | 1, probability: number): Awaitable<void>;
  expectation(observable: PauliSum): Awaitable<number>;
  /** `shots` samples of the listed qubits, grouped by outcome. */
  sample(qubits: readonly number[], shots: number, rng: Rng): Awaitable<Outcome[]>;
  /**
   * Optional faster form of `sample` over every qubit, as basis-state indices: the engine uses it when it has no
   * readout error to apply (the GPU's sampler returns indices; turning them into bit arrays would cost a pass).
   */
  sampleCounts?(shots: number, rng: Rng): Awaitable<IndexCounts>;
  /** Exact marginal distribution of the listed qubits (non-zero entries). */
  distribution(qubits: readonly number[]): Awaitable<WeightedOutcome[]>;
  /** Amplitudes, index bit q = qubit q. */
  amplitudes(): Awaitable<{ re: number[]; im: number[] }>;
  /** Truncation error accumulated so far (MPS); 0 for exact backends. */
  readonly truncationError: number;
  /**
   * Gives back what the state holds outside the JavaScript heap (GPU buffers), once the engine is done with it;
   * absent where the garbage collector is enough.
   */
  destroy?(): void;
}
