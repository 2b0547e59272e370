/**
 * The quantum-call channel between a sandboxed block and its head: one JSON object per line in each direction,
 * over a socket the block inherits as descriptor `QUANTUM_CALL_FD` (MAML_QUANTUM_FD in its environment). The
 * block's `maml.quantum` helpers (python.ts, js-runner.ts) write requests and read the reply with the same id.
 *
 * Request: `{"id": 1, "op": "run"|"expectation"|"gradient", "qasm": "...", "bindings": [{"theta": 0.1}, …],
 * "observables": ["0.5*Z0 Z1", …], "shots": 1024, "seed": 7}`: one evaluation per binding set (a single call
 * sends one set), `observables` for expectation and gradient, `shots` and `seed` for run.
 * Embedding helpers: `{"id": 2, "op": "encode", "encoding": "angle"|"amplitude", "features": [0.1, …],
 * "rotation": "ry"}` answers one `{qasm, qubits, rotations, maxControls}` (no simulation, not counted).
 * Reply: `{"id": 1, "ok": true, "results": [...]}` with one result per binding set, or
 * `{"id": 1, "ok": false, "error": {"code": "...", "message": "..."}}` (`id` null when the request had none).
 */

/** The descriptor a block's quantum channel has inside the sandbox. */
export const QUANTUM_CALL_FD = 8;

export const CALL_OPS = ['run', 'expectation', 'gradient'] as const;
export type CallOp = (typeof CALL_OPS)[number];

/** A request as the head understands it once checked (read-request.ts). */
export interface CallRequest {
  readonly id: number;
  readonly op: CallOp;
  readonly qasm: string;
  readonly bindings: readonly Readonly<Record<string, number>>[];
  /** Raw observables (parsed where the circuit is known); empty for `run`. */
  readonly observables: readonly unknown[];
  readonly shots: number;
  readonly seed?: number;
}

/** An embedding helper's request (src/quantum/embedding.ts), answered on the head without simulating. */
export interface EncodeRequest {
  readonly id: number;
  readonly op: 'encode';
  readonly encoding: 'angle' | 'amplitude';
  readonly features: readonly unknown[];
  readonly rotation: 'rx' | 'ry' | 'rz';
}

export type Evaluation =
  | { readonly counts: Readonly<Record<string, number>> }
  | { readonly values: readonly number[] }
  | { readonly values: readonly number[]; readonly gradients: readonly Readonly<Record<string, number>>[] }
  | { readonly qasm: string; readonly qubits: number; readonly rotations: number; readonly maxControls: number };

/** Stable codes a block can branch on (`QuantumError.code` in Python, `error.code` in JavaScript). */
export type CallErrorCode =
  | 'invalid_request'
  | 'request_too_large'
  | 'invalid_program'
  | 'invalid_observable'
  | 'limit_exceeded'
  | 'simulation_failed';

export interface CallError {
  readonly code: CallErrorCode;
  readonly message: string;
}

export type CallReply =
  | { readonly id: number; readonly ok: true; readonly results: readonly Evaluation[] }
  | { readonly id: number | null; readonly ok: false; readonly error: CallError };
