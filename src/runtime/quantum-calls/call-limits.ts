/**
 * The bounds on one block's `maml.quantum` calls: the block's `permissions.quantum` under the operator's caps.
 * Calls (circuit evaluations), qubits per circuit, total simulator time (never more than the block's own
 * timeout), shots per run, and the size of what may cross the channel.
 */
import type { TaskSpec } from '../task-spec.js';

export interface QuantumCallLimits {
  /** Most circuit evaluations over the block's life (a batch of n binding sets counts n). */
  readonly maxCalls: number;
  readonly maxQubits: number;
  /** Total simulator time, in milliseconds. */
  readonly maxTimeMs: number;
  readonly maxShots: number;
  /** Memory the simulator may use for one state (the block's memory limit). */
  readonly memoryLimitBytes: number;
  /** Longest request line (the OpenQASM source, observables and bindings, as JSON). */
  readonly maxRequestBytes: number;
  /** Most binding sets in one batch call. */
  readonly maxBatch: number;
  /** Most observables in one call. */
  readonly maxObservables: number;
}

export const DEFAULT_QUANTUM_CALLS = 100_000;
/** A state of 24 qubits is 256 MiB in complex128: the most a block gets unless its permission says otherwise. */
export const DEFAULT_QUANTUM_QUBITS = 24;
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const MAX_BATCH = 4096;
export const MAX_OBSERVABLES = 256;

/** The limits of a task's calls, or undefined when its permissions forbid them. */
export function quantumCallLimits(task: TaskSpec): QuantumCallLimits | undefined {
  const permission = task.permissions.quantum;
  if (permission === false) return undefined;
  return {
    maxCalls: permission?.calls ?? DEFAULT_QUANTUM_CALLS,
    maxQubits: Math.min(permission?.qubits ?? DEFAULT_QUANTUM_QUBITS, task.limits.maxQubits),
    maxTimeMs: Math.min(permission?.timeMs ?? task.limits.timeoutMs, task.limits.timeoutMs),
    maxShots: task.limits.maxShots,
    memoryLimitBytes: task.limits.memoryLimitBytes,
    maxRequestBytes: MAX_REQUEST_BYTES,
    maxBatch: MAX_BATCH,
    maxObservables: MAX_OBSERVABLES,
  };
}
