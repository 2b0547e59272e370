/**
 * OpenQASM blocks run in-process on a head of the `quantum` class with the project's engine: parseQasm, then the
 * simulator named by the `backend=` attribute (createNodeSimulator). An engine injected through the context
 * (MAML_QASM_ENGINE in a head) takes its place.
 *
 * - `input` declarations are bound by name from the block's numeric inputs.
 * - Shots: the `shots=` attribute, else a numeric `shots` input, else 1024.
 * - Seed: the `seed=` attribute, else a numeric `seed` input; without either each run draws a fresh seed.
 * - `backend=statevector|mps|auto` (default auto), `precision=64|128` (default 128), `probabilities=true`.
 * - Outputs: `counts` (bitstrings with the highest classical bit first), and `probabilities` when asked for.
 * - Program errors fail the block with every diagnostic placed at its document line (`codeLine`) and block line.
 */
import { MamlError, serializeError } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { BACKEND_CHOICES, parseQasm } from '../../quantum/index.js';
import type { BackendChoice } from '../../quantum/index.js';
import { createNodeSimulator } from '../../quantum-node/index.js';
import type { TaskSpec } from '../task-spec.js';
import type { Executor, QasmEngine, QasmOptions, QasmRun } from './executor.js';

const DEFAULT_SHOTS = 1024;
/** Diagnostics quoted in the error message; all of them are in `details.diagnostics`. */
const QUOTED_DIAGNOSTICS = 5;

function integer(value: unknown, what: string, min: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min)
    throw new MamlError(
      'block_failed',
      `${what} must be ${min >= 0 ? 'a non-negative' : 'an'} integer, not ${JSON.stringify(value)}`,
    );
  return n;
}

/** Attribute first, then a numeric input of the same name. */
function setting(task: TaskSpec, name: string, min: number): number | undefined {
  const attribute = task.attributes[name];
  if (attribute !== undefined) return integer(attribute, `attribute ${name}=${attribute}`, min);
  const input = task.inputs[name];
  return typeof input === 'number' ? integer(input, `input ${name}`, min) : undefined;
}

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

async function runEngine(task: TaskSpec, options: QasmOptions): Promise<QasmRun> {
  const bindings: Record<string, number> = {};
  for (const [name, value] of Object.entries(task.inputs)) if (typeof value === 'number') bindings[name] = value;
  const parsed = parseQasm(task.source, { bindings });
  if (!parsed.circuit) throw programError(task, parsed.diagnostics);
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

export const qasmExecutor: Executor = {
  lang: 'qasm',
  version: 'qasm-2',
  headClass: 'quantum',
  placement: 'head',
  sandboxed: false,
  async run(task, context) {
    const started = performance.now();
    const shots = setting(task, 'shots', 0) ?? DEFAULT_SHOTS;
    const seed = setting(task, 'seed', Number.MIN_SAFE_INTEGER);
    const options: QasmOptions = {
      shots,
      probabilities: task.attributes['probabilities'] === 'true',
      ...(seed === undefined ? {} : { seed }),
    };
    const injected: QasmEngine | undefined = context.qasmEngine;
    let run: QasmRun;
    try {
      run = injected ? await injected(task.source, task.inputs, options) : await runEngine(task, options);
    } catch (error) {
      const data = serializeError(error);
      throw new MamlError(
        data.code === 'internal' ? 'block_failed' : data.code,
        `block ${task.blockId}: ${data.message}`,
        data.details ? { details: { ...data.details } } : {},
      );
    }
    return {
      outputs: run.probabilities ? { counts: run.counts, probabilities: run.probabilities } : { counts: run.counts },
      stdout: '',
      stderr: '',
      truncated: false,
      durationMs: performance.now() - started,
      sandboxed: false,
    };
  },
};
