/**
 * Memory guard for state vectors: refuses a state that does not fit the limit, saying how many qubits would fit
 * and pointing at the MPS backend. Pure code cannot read the machine's memory, so callers pass a budget (the Node
 * area passes a fraction of os.totalmem()); without one the limit is DEFAULT_MEMORY_LIMIT_BYTES.
 */
import { MamlError } from '../../shared/errors.js';

/** Limit when neither the caller nor the options give one: 2 GiB (a 27-qubit complex128 state). */
export const DEFAULT_MEMORY_LIMIT_BYTES = 2 * 2 ** 30;
/** Share of a caller-given memory budget a state may take by default. */
export const DEFAULT_BUDGET_FRACTION = 0.5;
/** Largest state-vector width: indices stay within 32-bit integer arithmetic. */
export const MAX_STATEVECTOR_QUBITS = 30;

export function stateVectorBytes(numQubits: number, precision: 64 | 128): number {
  return (precision === 64 ? 8 : 16) * 2 ** numQubits;
}

/** Largest n whose state (times `copies`) fits in `limitBytes`. */
export function maxQubitsFitting(limitBytes: number, precision: 64 | 128, copies = 1): number {
  let n = 0;
  while (n < MAX_STATEVECTOR_QUBITS && stateVectorBytes(n + 1, precision) * copies <= limitBytes) n++;
  return n;
}

function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(b % 2 ** 30 === 0 ? 0 : 1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(b % 2 ** 20 === 0 ? 0 : 1)} MiB`;
  return `${b} bytes`;
}

export function checkStateVectorMemory(numQubits: number, precision: 64 | 128, limitBytes: number, copies = 1): void {
  const need = stateVectorBytes(numQubits, precision) * copies;
  if (numQubits <= MAX_STATEVECTOR_QUBITS && need <= limitBytes) return;
  const fit = maxQubitsFitting(limitBytes, precision, copies);
  const what = copies > 1 ? `${copies} copies of a ` : 'a ';
  throw new MamlError(
    'resource_limit',
    `${what}${numQubits}-qubit complex${precision} state vector needs ${formatBytes(need)} but the memory limit is ` +
      `${formatBytes(limitBytes)}: at most ${fit} qubits fit. Use the MPS backend (backend "mps") for larger ` +
      'circuits with low entanglement, or raise memoryLimitBytes.',
    { details: { qubits: numQubits, requiredBytes: need, limitBytes, maxQubits: fit } },
  );
}
