/**
 * Observables as blocks write them, read into the engine's `PauliSum`. Three forms:
 *
 * - text: a sum of terms, each an optional real coefficient and Pauli factors `X`, `Y`, `Z` (or `I`) followed by
 *   a qubit index, e.g. `"0.5*Z0 Z1 - 0.2*X0 + 1.5"`. Factors are separated by spaces or `*`; a term with no
 *   factor is a multiple of the identity.
 * - JSON Pauli sum: `{"terms":[{"coefficient":0.5,"ops":[{"qubit":0,"pauli":"Z"},{"qubit":1,"pauli":"Z"}]}]}`.
 * - JSON map from Pauli string (text-form factors) to coefficient: `{"Z0 Z1": 0.5, "X0": -0.2, "": 1.5}`.
 *
 * Reading never throws: a problem comes back with the column of the text (1-based) or the JSON path, and what
 * to write instead.
 */
import type { PauliSum, PauliTerm } from './simulator.js';

/** Most terms one observable may have (a molecular Hamiltonian of 20 qubits has a few thousand). */
export const MAX_OBSERVABLE_TERMS = 100_000;
/** Highest qubit index an observable may name (the simulators are far below it). */
export const MAX_OBSERVABLE_QUBIT = 1023;

export interface ObservableProblem {
  readonly message: string;
  /** Text form: 1-based column of the problem. */
  readonly column?: number;
  /** JSON forms: where in the value (`terms[2].ops[0].qubit`). */
  readonly path?: string;
}

export type ObservableResult =
  { readonly ok: true; readonly value: PauliSum } | { readonly ok: false; readonly problem: ObservableProblem };

type Pauli = 'X' | 'Y' | 'Z';
type Op = PauliTerm['ops'][number];

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const FACTOR = /^([IXYZixyz])(\d+)/;

function fail(message: string, where: { column?: number; path?: string }): ObservableResult {
  return { ok: false, problem: { message, ...where } };
}

/** Adds a factor to a term's ops, refusing a qubit named twice (`Z0 Z0`). */
function addFactor(ops: Op[], letter: string, qubit: number): string | undefined {
  if (!Number.isSafeInteger(qubit) || qubit > MAX_OBSERVABLE_QUBIT)
    return `qubit index ${qubit} is out of range (0 to ${MAX_OBSERVABLE_QUBIT})`;
  const pauli = letter.toUpperCase();
  if (ops.some((o) => o.qubit === qubit))
    return `qubit ${qubit} appears twice in one term; multiply the Paulis out (e.g. Z0 Z0 is the identity)`;
  if (pauli !== 'I') ops.push({ qubit, pauli: pauli as Pauli });
  return undefined;
}

/** Reads Pauli factors (`Z0 Z1`, `X0*Y3`) from `text` starting at `at`; returns where they end. */
function readFactors(text: string, at: number, ops: Op[]): { end: number } | { error: string; column: number } {
  let i = at;
  let first = true;
  for (;;) {
    let j = i;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (!first && text[j] === '*') {
      j++;
      while (text[j] === ' ' || text[j] === '\t') j++;
    }
    const match = FACTOR.exec(text.slice(j));
    if (!match) {
      if (!first && text[i] !== undefined && text[j] === '*')
        return { error: 'expected a Pauli factor such as Z0 after `*`', column: j + 1 };
      return { end: i };
    }
    const problem = addFactor(ops, match[1] ?? '', Number(match[2]));
    if (problem !== undefined) return { error: problem, column: j + 1 };
    i = j + match[0].length;
    first = false;
  }
}

/** The text form, e.g. `"0.5*Z0 Z1 - 0.2*X0"`. */
export function parseObservableText(text: string): ObservableResult {
  const terms: PauliTerm[] = [];
  let i = 0;
  const skip = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  skip();
  if (i >= text.length) return fail('the observable is empty; write e.g. "0.5*Z0 Z1 - 0.2*X0"', { column: 1 });
  while (i < text.length) {
    let sign = 1;
    if (terms.length > 0) {
      if (text[i] !== '+' && text[i] !== '-')
        return fail(`expected + or - between terms, found ${JSON.stringify(text[i])}`, { column: i + 1 });
    }
    while (text[i] === '+' || text[i] === '-') {
      if (text[i] === '-') sign = -sign;
      i++;
      skip();
    }
    const start = i;
    let coefficient = 1;
    const number = NUMBER.exec(text.slice(i));
    if (number) {
      coefficient = Number(number[0]);
      i += number[0].length;
      skip();
      if (text[i] === '*') {
        i++;
        skip();
        if (!FACTOR.test(text.slice(i))) return fail('expected a Pauli factor such as Z0 after `*`', { column: i + 1 });
      }
    }
    const ops: Op[] = [];
    const factors = readFactors(text, i, ops);
    if ('error' in factors) return fail(factors.error, { column: factors.column });
    if (!number && factors.end === i)
      return fail(
        `expected a coefficient or a Pauli factor (X, Y, Z or I and a qubit index, e.g. Z0), found ${JSON.stringify(text.slice(i, i + 8))}`,
        { column: start + 1 },
      );
    i = factors.end;
    skip();
    if (terms.length >= MAX_OBSERVABLE_TERMS)
      return fail(`more than ${MAX_OBSERVABLE_TERMS} terms`, { column: start + 1 });
    terms.push({ coefficient: sign * coefficient, ops });
  }
  return { ok: true, value: { terms } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The JSON Pauli-sum form, `{"terms":[{"coefficient":…,"ops":[{"qubit":…,"pauli":"Z"}]}]}`. */
function fromPauliSumJson(value: Record<string, unknown>): ObservableResult {
  const raw = value['terms'];
  if (!Array.isArray(raw)) return fail('`terms` must be a list of {coefficient, ops}', { path: 'terms' });
  if (raw.length > MAX_OBSERVABLE_TERMS) return fail(`more than ${MAX_OBSERVABLE_TERMS} terms`, { path: 'terms' });
  const terms: PauliTerm[] = [];
  for (const [t, term] of raw.entries()) {
    const path = `terms[${t}]`;
    if (!isRecord(term) || !finite(term['coefficient']) || !Array.isArray(term['ops']))
      return fail('each term must be {"coefficient": number, "ops": [{"qubit": n, "pauli": "X"|"Y"|"Z"}]}', { path });
    const ops: Op[] = [];
    for (const [k, op] of (term['ops'] as unknown[]).entries()) {
      const opPath = `${path}.ops[${k}]`;
      const qubit = isRecord(op) ? op['qubit'] : undefined;
      const pauli = isRecord(op) ? op['pauli'] : undefined;
      if (typeof qubit !== 'number' || !Number.isInteger(qubit) || qubit < 0)
        return fail('`qubit` must be a whole number', { path: `${opPath}.qubit` });
      if (typeof pauli !== 'string' || !/^[IXYZ]$/.test(pauli))
        return fail('`pauli` must be "X", "Y", "Z" or "I"', { path: `${opPath}.pauli` });
      const problem = addFactor(ops, pauli, qubit);
      if (problem !== undefined) return fail(problem, { path: opPath });
    }
    terms.push({ coefficient: term['coefficient'], ops });
  }
  return { ok: true, value: { terms } };
}

/** The JSON map form, `{"Z0 Z1": 0.5, "X0": -0.2, "": 1.5}`. */
function fromMapJson(value: Record<string, unknown>): ObservableResult {
  const entries = Object.entries(value);
  if (entries.length > MAX_OBSERVABLE_TERMS) return fail(`more than ${MAX_OBSERVABLE_TERMS} terms`, { path: '' });
  const terms: PauliTerm[] = [];
  for (const [key, coefficient] of entries) {
    const path = JSON.stringify(key);
    if (!finite(coefficient)) return fail('the coefficient must be a finite number', { path });
    const ops: Op[] = [];
    const factors = readFactors(key, 0, ops);
    if ('error' in factors) return fail(`${factors.error} (column ${factors.column})`, { path });
    if (key.slice(factors.end).trim() !== '')
      return fail(`${JSON.stringify(key)} is not a Pauli string; write factors such as "Z0 Z1" ("" is the identity)`, {
        path,
      });
    terms.push({ coefficient, ops });
  }
  return { ok: true, value: { terms } };
}

/** Any of the three forms; the result says which part is wrong. */
export function parseObservable(value: unknown): ObservableResult {
  if (typeof value === 'string') return parseObservableText(value);
  if (isRecord(value)) return Array.isArray(value['terms']) ? fromPauliSumJson(value) : fromMapJson(value);
  return fail(
    'an observable is a string such as "0.5*Z0 Z1 - 0.2*X0", {"terms":[{"coefficient":…,"ops":[…]}]} or {"Z0 Z1": 0.5}',
    {},
  );
}

/** Highest qubit an observable acts on, or -1 for a multiple of the identity. */
export function highestQubit(observable: PauliSum): number {
  let most = -1;
  for (const term of observable.terms) for (const op of term.ops) most = Math.max(most, op.qubit);
  return most;
}
