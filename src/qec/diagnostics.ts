/**
 * Diagnostics of the QEC area: every problem in a Stim circuit, a detector error model or a syndrome file is one
 * of these, with the 1-based line (and column) it was found on. Parsers collect them and never throw on input.
 */
import { diagnostic } from '../shared/diagnostic.js';
import type { Diagnostic } from '../shared/diagnostic.js';

export type QecSource = 'stim' | 'dem' | 'syndromes' | 'qec';

export function qecDiagnostic(source: QecSource, code: string, message: string, line: number, column = 1): Diagnostic {
  return diagnostic({
    code,
    severity: 'error',
    message,
    place: { line, column, offset: 0 },
    ruleId: `qec/${code}`,
    source,
  });
}

/** A result that either holds a value or the diagnostics that stopped it. */
export type QecResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function ok<T>(value: T): QecResult<T> {
  return { ok: true, value };
}

export function fail<T>(diagnostics: readonly Diagnostic[]): QecResult<T> {
  return { ok: false, diagnostics };
}

/** Splits one line's text at the first `#` (Stim and DEM comments) and trims it. */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash < 0 ? line : line.slice(0, hash)).trim();
}

/** A parsed number argument list `(a, b, c)`; `undefined` when the text is not a list of finite numbers. */
export function parseArgs(text: string): number[] | undefined {
  const inner = text.trim();
  if (inner === '') return [];
  const out: number[] = [];
  for (const part of inner.split(',')) {
    const t = part.trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
    out.push(Number(t));
  }
  return out;
}

/** Upper bounds that keep a hostile file from exhausting memory once `repeat` blocks are unrolled. */
export const QEC_LIMITS = {
  /** Detectors or qubits (ids above this are refused). */
  maxIndex: 1_000_000,
  /** Qubit indices of a Stim circuit (the sampler and the DEM converter hold state per qubit). */
  maxQubits: 100_000,
  /** Observables (the decoder packs them into a 32-bit mask). */
  maxObservables: 32,
  /** Instructions or error mechanisms after unrolling `repeat` blocks. */
  maxUnrolled: 2_000_000,
  /** Qubits × (detectors + observables) bits of sensitivity that circuit → DEM may hold (twice: X and Z). */
  maxSensitivityBits: 2 ** 32,
  /** Nesting depth of `repeat` blocks. */
  maxDepth: 64,
} as const;
