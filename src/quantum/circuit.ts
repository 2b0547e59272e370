/**
 * The lowered circuit: what the OpenQASM front end produces and every simulator consumes. All gate definitions,
 * modifiers and parameters have been resolved; a unitary is a dense complex matrix on its target qubits.
 *
 * Conventions (shared by every backend; the conformance suite checks them):
 * - Qubit 0 is the least significant bit of a basis-state index. For a matrix on targets [t0, t1, …], row/column
 *   index bit k corresponds to targets[k] (so targets[0] is the matrix's least significant qubit).
 * - Matrices are row-major, interleaved re/im: element (r, c) of a 2^k × 2^k matrix is at 2·(r·2^k + c).
 * - A count bitstring is printed with the highest classical bit first (OpenQASM/Qiskit order): clbit 0 is the
 *   rightmost character.
 */

/** Interleaved complex matrix, dimension 2^k × 2^k for k targets. */
export type ComplexMatrix = Float64Array;

export interface UnitaryOp {
  readonly type: 'unitary';
  readonly targets: readonly number[];
  readonly matrix: ComplexMatrix;
  /** Control qubits; the matrix applies when each control qubit equals the matching controlValue. */
  readonly controls: readonly number[];
  /** 1 for `ctrl @`, 0 for `negctrl @`; same length as `controls`. */
  readonly controlValues: readonly (0 | 1)[];
  /** Source gate name, for diagnostics, fusion reports and benchmarks (`h`, `cx`, `rz`, …). */
  readonly label: string;
  /**
   * Partial derivatives of `matrix` with respect to named circuit parameters (the `input float` parameters), for
   * adjoint gradients. Absent when the gate does not depend on any parameter.
   */
  readonly derivatives?: readonly { readonly param: string; readonly matrix: ComplexMatrix }[];
}

export interface MeasureOp {
  readonly type: 'measure';
  readonly qubit: number;
  readonly clbit: number;
}

export interface ResetOp {
  readonly type: 'reset';
  readonly qubit: number;
}

export interface BarrierOp {
  readonly type: 'barrier';
  readonly qubits: readonly number[];
}

/** Global phase e^{iθ}; unobservable alone, kept so that state vectors match OpenQASM 3 semantics exactly. */
export interface GlobalPhaseOp {
  readonly type: 'gphase';
  readonly angle: number;
}

/** Classical condition: the integer value of `clbits` (clbits[0] least significant) compared with `value`. */
export interface Condition {
  readonly clbits: readonly number[];
  readonly comparison: '==' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: number;
}

export interface ConditionalOp {
  readonly type: 'if';
  readonly condition: Condition;
  readonly then: readonly Operation[];
  readonly else: readonly Operation[];
}

export type NoiseChannel =
  | { readonly kind: 'depolarizing'; readonly p: number }
  | { readonly kind: 'bit_flip'; readonly p: number }
  | { readonly kind: 'phase_flip'; readonly p: number }
  | { readonly kind: 'amplitude_damping'; readonly gamma: number }
  | { readonly kind: 'phase_damping'; readonly gamma: number };

export interface NoiseOp {
  readonly type: 'noise';
  readonly channel: NoiseChannel;
  readonly qubits: readonly number[];
}

export type Operation = UnitaryOp | MeasureOp | ResetOp | BarrierOp | GlobalPhaseOp | ConditionalOp | NoiseOp;

export interface Register {
  readonly name: string;
  /** Index of the register's first bit in the flat qubit or clbit numbering. */
  readonly start: number;
  readonly size: number;
}

export interface Circuit {
  readonly numQubits: number;
  readonly numClbits: number;
  readonly qubitRegisters: readonly Register[];
  readonly clbitRegisters: readonly Register[];
  readonly ops: readonly Operation[];
  /** Names of the `input` parameters the circuit was bound with, in declaration order. */
  readonly parameters: readonly string[];
}
