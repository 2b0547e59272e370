/**
 * The OpenQASM engine as a block runs it, on the simulation thread (qasm-worker.ts): parseQasm, the qubit cap,
 * then the simulator named by `backend=` in the Node backend registry (statevector, mps, webgpu, auto) under the
 * block's memory limit; or the engine exported by the module named in MAML_QASM_ENGINE. `backend=webgpu` without
 * a GPU adapter fails the block saying so; `auto` falls back to the CPU.
 */
import { MamlError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { parseQasm, registerKeys } from '../../quantum/index.js';
import { createNodeSimulator, NODE_BACKEND_NAMES } from '../../quantum-node/index.js';
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
  const backend = choice(task, 'backend', NODE_BACKEND_NAMES, 'auto');
  // Only an explicit precision= is passed on, so that `auto` may still choose the complex64 GPU backend.
  const precision =
    task.attributes['precision'] === undefined ? undefined : choice(task, 'precision', ['64', '128'], '128');
  const simulator = createNodeSimulator(backend);
  try {
    const result = await simulator
      .simulate(parsed.circuit, {
        shots: options.shots,
        seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
        ...(precision === undefined ? {} : { precision: precision === '64' ? 64 : 128 }),
        probabilities: options.probabilities,
        memoryLimitBytes: task.limits.memoryLimitBytes,
      })
      .catch((error: unknown) => {
        if (backend === 'webgpu' && (error as { code?: unknown }).code === 'missing_tool')
          throw new MamlError(
            'block_failed',
            `backend=webgpu needs a WebGPU adapter, and this head has none: ${(error as Error).message}`,
          );
        throw error;
      });
    // Qiskit's keys: registers separated by spaces, the highest first (one register: unchanged).
    const counts = registerKeys(parsed.circuit, result.counts);
    return options.probabilities && result.probabilities
      ? { counts, probabilities: registerKeys(parsed.circuit, result.probabilities) }
      : { counts };
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
