/**
 * The OpenQASM engine as a block runs it, on the simulation thread (qasm-worker.ts): parseQasm, the qubit cap,
 * then the simulator named by `backend=` (createNodeSimulator) under the block's memory limit; or the engine
 * exported by the module named in MAML_QASM_ENGINE.
 */
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { BACKEND_CHOICES, parseQasm } from '../../quantum/index.js';
import type { BackendChoice } from '../../quantum/index.js';
import { createNodeSimulator } from '../../quantum-node/index.js';
import type { TaskSpec } from '../task-spec.js';
import type { QasmEngine, QasmOptions, QasmRun } from './executor.js';

/** Diagnostics quoted in the error message; all of them are in `details.diagnostics`. */
const QUOTED_DIAGNOSTICS = 5;

function choice<T extends string>(task: TaskSpec, name: string, allowed: readonly T[], fallback: T): T {
  const value = task.attributes[name];
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw new MamlError('block_failed', `attribute ${name}=${value} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** A diagnostic moved from block coordinates to document coordinates (the block's code starts at `codeLine`). */
function place(d: Diagnostic, codeLine: number | undefined): Diagnostic & { readonly blockLine: number } {
  const line = codeLine === undefined ? d.line : codeLine + d.line - 1;
  return { ...d, line, blockLine: d.line };
}

function programError(task: TaskSpec, diagnostics: readonly Diagnostic[]): MamlError {
  const placed = diagnostics.filter((d) => d.severity === 'error').map((d) => place(d, task.codeLine));
  if (placed.length === 0) return new MamlError('block_failed', 'the OpenQASM program gave no circuit');
  const quoted = placed.slice(0, QUOTED_DIAGNOSTICS).map((d) => {
    const where = task.codeLine === undefined ? `${d.line}:${d.column}` : `line ${d.line}:${d.column}`;
    const inBlock = task.codeLine === undefined ? '' : ` (block line ${d.blockLine})`;
    return `${where}${inBlock} ${d.code}: ${d.message}`;
  });
  const more = placed.length > QUOTED_DIAGNOSTICS ? `; and ${placed.length - QUOTED_DIAGNOSTICS} more` : '';
  return new MamlError(
    'block_failed',
    `the OpenQASM program has ${placed.length} error${placed.length === 1 ? '' : 's'}: ${quoted.join('; ')}${more}`,
    { details: { diagnostics: placed } },
  );
}

async function projectEngine(task: TaskSpec, options: QasmOptions): Promise<QasmRun> {
  const bindings: Record<string, number> = {};
  for (const [name, value] of Object.entries(task.inputs)) if (typeof value === 'number') bindings[name] = value;
  const parsed = parseQasm(task.source, { bindings });
  if (!parsed.circuit) throw programError(task, parsed.diagnostics);
  const { maxQubits } = task.limits;
  if (parsed.circuit.numQubits > maxQubits)
    throw new MamlError(
      'resource_limit',
      `the program declares ${parsed.circuit.numQubits} qubits; this gateway simulates at most ${maxQubits} (its --max-qubits)`,
      { details: { limit: 'qubits', qubits: parsed.circuit.numQubits, maxQubits } },
    );
  const backend = choice<BackendChoice>(task, 'backend', BACKEND_CHOICES, 'auto');
  const precision = choice(task, 'precision', ['64', '128'], '128') === '64' ? 64 : 128;
  const simulator = createNodeSimulator(backend);
  try {
    const result = await simulator.simulate(parsed.circuit, {
      shots: options.shots,
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
      precision,
      probabilities: options.probabilities,
      memoryLimitBytes: task.limits.memoryLimitBytes,
    });
    return options.probabilities && result.probabilities
      ? { counts: result.counts, probabilities: result.probabilities }
      : { counts: result.counts };
  } finally {
    await simulator.close();
  }
}

const injected = new Map<string, Promise<QasmEngine>>();

async function loadEngine(specifier: string): Promise<QasmEngine> {
  const module = (await import(specifier)) as { qasmEngine?: QasmEngine; default?: QasmEngine };
  const engine = module.qasmEngine ?? module.default;
  if (typeof engine !== 'function')
    throw new MamlError('internal', `MAML_QASM_ENGINE module ${specifier} exports no qasmEngine function`);
  return engine;
}

export async function runQasmEngine(task: TaskSpec, options: QasmOptions, engineModule?: string): Promise<QasmRun> {
  if (engineModule === undefined) return projectEngine(task, options);
  let engine = injected.get(engineModule);
  if (!engine) injected.set(engineModule, (engine = loadEngine(engineModule)));
  return (await engine)(task.source, task.inputs, options);
}
