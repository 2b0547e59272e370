/**
 * Guards against pathological programs. Exceeding one stops lowering with an `unroll_limit` (or
 * `too_many_qubits`) diagnostic instead of exhausting memory or time.
 */

/** Largest circuit the IR accepts (qubits, and classical bits). */
export const MAX_QUBITS = 1000;
/** Work units (gate applications while building matrices, emitted operations, loop iterations) per program. */
export const MAX_WORK = 2_000_000;
/** Gate calls nested inside gate definitions (each level is a gate whose body calls another). */
export const MAX_GATE_DEPTH = 64;
/** A user-defined gate on at most this many qubits is lowered to one dense matrix; a wider one is inlined. */
export const MAX_MATRIX_QUBITS = 3;
/** The same for the gates of qelib1.inc (c3x, c3sqrtx, rc3x and c4x act on 4 and 5 qubits). */
export const MAX_LIBRARY_MATRIX_QUBITS = 5;
