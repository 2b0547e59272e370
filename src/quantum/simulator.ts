/**
 * The interface every simulator backend implements (state vector in complex128/complex64, matrix product state,
 * later WebGPU). One shared conformance suite runs against each implementation.
 */
import type { Circuit, NoiseChannel } from './circuit.js';

export type BackendName = 'statevector' | 'mps' | 'webgpu';

/** One term of a Pauli-sum observable: coefficient × ⊗ P_q over the listed qubits (identity elsewhere). */
export interface PauliTerm {
  readonly coefficient: number;
  readonly ops: readonly { readonly qubit: number; readonly pauli: 'X' | 'Y' | 'Z' }[];
}

export interface PauliSum {
  readonly terms: readonly PauliTerm[];
}

export interface NoiseModel {
  /** Channels applied to every qubit a unitary touched, after the unitary. */
  readonly global?: readonly NoiseChannel[];
  /** Channels applied after gates with this label (`cx`, `h`, …), on the gate's qubits. */
  readonly perGate?: Readonly<Record<string, readonly NoiseChannel[]>>;
  /** Classical readout flips: P(read 1 | 0) and P(read 0 | 1). */
  readonly readout?: { readonly p01: number; readonly p10: number };
}

export interface SimulateOptions {
  /** Number of measurement samples; 0 skips sampling. Default 1024. */
  readonly shots?: number;
  /** Seed for the sampling PRNG: same seed, same counts on every machine. */
  readonly seed?: number;
  /** 128 = complex128 (default), 64 = complex64. */
  readonly precision?: 64 | 128;
  readonly probabilities?: boolean;
  /** Return the final state vector (only for small n). */
  readonly stateVector?: boolean;
  /** Expectation values ⟨ψ|H|ψ⟩ of each observable on the pre-measurement state. */
  readonly observables?: readonly PauliSum[];
  /** Adjoint-method gradients of each observable with respect to `circuit.parameters`. */
  readonly gradients?: boolean;
  readonly noise?: NoiseModel;
  /** MPS only: bond dimension cap. */
  readonly maxBondDimension?: number;
  /** Memory the state may use; the backend refuses a state that would not fit, saying what would. */
  readonly memoryLimitBytes?: number;
  /** Worker threads for large states (0 or 1 = single-threaded). */
  readonly threads?: number;
}

export interface SimulationResult {
  readonly backend: BackendName;
  readonly qubits: number;
  readonly shots: number;
  /** Bitstring (highest clbit first) → count. */
  readonly counts: Readonly<Record<string, number>>;
  readonly probabilities?: Readonly<Record<string, number>>;
  readonly stateVector?: { readonly re: readonly number[]; readonly im: readonly number[] };
  readonly expectations?: readonly number[];
  /** gradients[i][param] = ∂⟨H_i⟩/∂param. */
  readonly gradients?: readonly Readonly<Record<string, number>>[];
  /** State vector: the amplitude precision the run used (64 = complex64, 128 = complex128). */
  readonly precision?: 64 | 128;
  /** MPS: sum of discarded squared singular values. */
  readonly truncationError?: number;
  readonly durationMs: number;
}

export interface Simulator {
  /** The backend, or `auto` for one that picks per circuit (its results name the backend that ran). */
  readonly name: BackendName | 'auto';
  simulate(circuit: Circuit, options?: SimulateOptions): Promise<SimulationResult>;
}
