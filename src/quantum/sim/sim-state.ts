/**
 * What the shared simulation engine needs from a backend's quantum state. The state-vector and MPS backends
 * implement it; the engine (branching on measurements, noise trajectories, sampling, observables) is shared.
 */
import type { GlobalPhaseOp, UnitaryOp } from '../circuit.js';
import type { PauliSum } from '../simulator.js';
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

export interface SimState {
  readonly numQubits: number;
  /** Bytes this state holds (for the memory guard on clones). */
  readonly bytes: number;
  clone(): SimState;
  /** Applies unitaries in order (a backend may fuse them). */
  applyUnitaries(ops: readonly (UnitaryOp | GlobalPhaseOp)[]): void;
  /** Applies a general (non-unitary, e.g. Kraus) matrix on targets; no renormalisation. */
  applyMatrix(targets: readonly number[], matrix: Float64Array): void;
  scale(factor: number): void;
  probabilityOfOne(qubit: number): number;
  /** Projects `qubit` on `outcome` whose probability was `probability`, and renormalises. */
  collapse(qubit: number, outcome: 0 | 1, probability: number): void;
  expectation(observable: PauliSum): number;
  /** `shots` samples of the listed qubits, grouped by outcome. */
  sample(qubits: readonly number[], shots: number, rng: Rng): Outcome[];
  /** Exact marginal distribution of the listed qubits (non-zero entries). */
  distribution(qubits: readonly number[]): WeightedOutcome[];
  /** Amplitudes, index bit q = qubit q. */
  amplitudes(): { re: number[]; im: number[] };
  /** Truncation error accumulated so far (MPS); 0 for exact backends. */
  readonly truncationError: number;
}
