/**
 * Counts keys in Qiskit's convention for programs with several classical registers: each register's bits
 * (highest bit first), registers separated by a space, the highest register (the one declared last, at the
 * highest clbit indices) first: three one-bit registers a, b, c measuring 1, 0, 1 give `"1 0 1"`; `creg a[2];
 * creg b[1];` with a = 01, b = 1 gives `"1 01"`. One register (the usual case) keeps its plain bitstring. The
 * simulators count flat keys (highest clbit first); this rewrites them once, where results leave the engine.
 */
import type { Circuit } from './circuit.js';

/** `counts` (or probabilities) with keys split by register; the same object when there is one register or none. */
export function registerKeys<T>(
  circuit: Pick<Circuit, 'numClbits' | 'clbitRegisters'>,
  counts: Readonly<Record<string, T>>,
): Readonly<Record<string, T>> {
  const registers = [...circuit.clbitRegisters].filter((r) => r.size > 0).sort((a, b) => b.start - a.start);
  if (registers.length < 2) return counts;
  const n = circuit.numClbits;
  const out: Record<string, T> = {};
  for (const [flat, value] of Object.entries(counts)) {
    if (flat.length > n) return counts;
    const key = flat.padStart(n, '0');
    // Clbit b is at character n − 1 − b, so register [start, start + size) is key[n − start − size, n − start).
    const spaced = registers.map((r) => key.slice(n - r.start - r.size, n - r.start)).join(' ');
    Object.defineProperty(out, spaced, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
