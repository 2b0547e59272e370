/**
 * One checked request evaluated on the state-vector simulator: the OpenQASM program bound with each binding set,
 * the qubit cap, then counts (`run`), expectation values (`expectation`) or values and adjoint-method gradients
 * with respect to the program's `input float` parameters (`gradient`). Runs on the call thread (call-worker.ts).
 * Problems come back as a `CallError` naming the binding set, the program line and column, or the observable.
 */
import { MamlError } from '../../shared/index.js';
import type { PauliSum } from '../../quantum/index.js';
import { StateVectorSimulator, highestQubit, parseObservable, parseQasm, registerKeys } from '../../quantum/index.js';
import type { QuantumCallLimits } from './call-limits.js';
import type { CallError, CallRequest, Evaluation } from './call-messages.js';

export type EvaluationOutcome =
  { readonly ok: true; readonly results: readonly Evaluation[] } | { readonly ok: false; readonly error: CallError };

/** Diagnostics quoted in a message; a program with more errors says how many more. */
const QUOTED = 3;

const simulator = new StateVectorSimulator();

function programError(diagnostics: ReturnType<typeof parseQasm>['diagnostics'], where: string): CallError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const quoted = errors.slice(0, QUOTED).map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`);
  const more = errors.length > QUOTED ? `; and ${errors.length - QUOTED} more` : '';
  return {
    code: 'invalid_program',
    message: `the OpenQASM program${where} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}: ${quoted.join('; ')}${more}`,
  };
}

function readObservables(raw: readonly unknown[]): PauliSum[] | CallError {
  const out: PauliSum[] = [];
  for (const [k, value] of raw.entries()) {
    const read = parseObservable(value);
    if (!read.ok) {
      const at =
        read.problem.column !== undefined
          ? ` at column ${read.problem.column}`
          : read.problem.path
            ? ` at ${read.problem.path}`
            : '';
      const which = raw.length > 1 ? `observable ${k}` : 'the observable';
      return { code: 'invalid_observable', message: `${which}${at}: ${read.problem.message}` };
    }
    out.push(read.value);
  }
  return out;
}

export function evaluate(request: CallRequest, limits: QuantumCallLimits): EvaluationOutcome {
  let observables: PauliSum[] = [];
  if (request.op !== 'run') {
    const read = readObservables(request.observables);
    if (!Array.isArray(read)) return { ok: false, error: read };
    observables = read;
  }
  const results: Evaluation[] = [];
  for (const [k, bindings] of request.bindings.entries()) {
    const where = request.bindings.length > 1 ? ` (binding set ${k})` : '';
    const parsed = parseQasm(request.qasm, { bindings });
    if (!parsed.circuit) return { ok: false, error: programError(parsed.diagnostics, where) };
    const circuit = parsed.circuit;
    if (circuit.numQubits > limits.maxQubits)
      return {
        ok: false,
        error: {
          code: 'limit_exceeded',
          message: `the program declares ${circuit.numQubits} qubits; this block may simulate at most ${limits.maxQubits} (permissions.quantum.qubits, under the gateway's --max-qubits)`,
        },
      };
    const outside = observables.findIndex((o) => highestQubit(o) >= circuit.numQubits);
    if (outside >= 0)
      return {
        ok: false,
        error: {
          code: 'invalid_observable',
          message: `observable ${outside} acts on qubit ${highestQubit(observables[outside] ?? { terms: [] })}, but the program has ${circuit.numQubits} qubits (0 to ${circuit.numQubits - 1})`,
        },
      };
    try {
      const result = simulator.simulateSync(circuit, {
        shots: request.op === 'run' ? request.shots : 0,
        ...(request.seed === undefined ? {} : { seed: request.seed + k }),
        memoryLimitBytes: limits.memoryLimitBytes,
        ...(request.op === 'run' ? {} : { observables }),
        ...(request.op === 'gradient' ? { gradients: true } : {}),
      });
      if (request.op === 'run') results.push({ counts: registerKeys(circuit, result.counts) });
      else if (request.op === 'expectation') results.push({ values: result.expectations ?? [] });
      else results.push({ values: result.expectations ?? [], gradients: result.gradients ?? [] });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code =
        error instanceof MamlError && error.code === 'resource_limit' ? 'limit_exceeded' : 'simulation_failed';
      return { ok: false, error: { code, message: `${message}${where}` } };
    }
  }
  return { ok: true, results };
}
