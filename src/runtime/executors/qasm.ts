/**
 * OpenQASM blocks run on a head of the `quantum` class with the project's engine (qasm-engine.ts: parseQasm,
 * then the simulator named by the `backend=` attribute), or the engine exported by the module its `qasm-engine`
 * tool names (MAML_QASM_ENGINE), on a simulation thread of the head (qasm-thread.ts) so that the block's timeout
 * and a cancel stop it and the head keeps answering heartbeats.
 *
 * - `input` declarations are bound by name from the block's numeric inputs.
 * - Shots: the `shots=` attribute, else a numeric `shots` input, else 1024; at most the task's `maxShots`.
 * - Seed: the `seed=` attribute, else a numeric `seed` input; without either each run draws a fresh seed.
 * - `backend=statevector|mps|webgpu|auto` (default auto: the Node backend registry, src/quantum-node/backends.ts), `precision=64|128` (default 128), `probabilities=true`.
 * - Outputs: `counts` (bitstrings with the highest classical bit first), and `probabilities` when asked for.
 * - Program errors fail the block with every diagnostic placed at its document line (`codeLine`) and block line.
 *
 * The attributes are checked when the run is planned; the checks here stay for callers that run a task directly
 * and for the `shots` input, which is only known on the head.
 */
import { NODE_BACKEND_NAMES } from '../../quantum-node/backends.js';
import { MamlError, serializeError } from '../../shared/index.js';
import type { TaskSpec } from '../task-spec.js';
import { booleanAttribute, choiceAttribute, integerAttribute, isTrueAttribute } from './attributes.js';
import type { Executor, QasmOptions } from './executor.js';
import { runOnQasmThread } from './qasm-thread.js';
import { toolFrom } from './tools.js';
import type { ToolSpec } from './tools.js';

const DEFAULT_SHOTS = 1024;

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
function setting(task: TaskSpec, name: string, min: number): { value: number; from: string } | undefined {
  const attribute = task.attributes[name];
  if (attribute !== undefined)
    return { value: integer(attribute, `attribute ${name}=${attribute}`, min), from: `${name}=${attribute}` };
  const input = task.inputs[name];
  return typeof input === 'number'
    ? { value: integer(input, `input ${name}`, min), from: `the input ${name}=${input}` }
    : undefined;
}

const ENGINE: ToolSpec = {
  name: 'qasm-engine',
  env: 'MAML_QASM_ENGINE',
  description: "module (an import() specifier) whose `qasmEngine` export replaces the project's OpenQASM engine",
};

export const qasmExecutor: Executor = {
  lang: 'qasm',
  aliases: ['openqasm', 'qasm2', 'qasm3', 'openqasm2', 'openqasm3'],
  version: 'qasm-2',
  headClass: 'quantum',
  placement: 'head',
  sandboxed: false,
  attributes: [
    integerAttribute({
      name: 'shots',
      description: 'measurement samples (default: the `shots` input, else 1024)',
      example: '1024',
      signed: false,
      cap: { of: (limits) => limits.maxShots, flag: '--max-shots', unit: 'shots' },
    }),
    integerAttribute({
      name: 'seed',
      description: 'seed of the sampler (default: the `seed` input, else a fresh one per run)',
      example: '42',
      signed: true,
    }),
    choiceAttribute('backend', 'simulator (default auto)', NODE_BACKEND_NAMES),
    choiceAttribute('precision', 'bits of a complex amplitude (default 128)', ['64', '128']),
    booleanAttribute('probabilities', 'also output the exact probabilities'),
  ],
  needs: { tools: [ENGINE], runResources: false },
  async run(task, context) {
    const started = performance.now();
    const shots = setting(task, 'shots', 0);
    if (shots && shots.value > task.limits.maxShots)
      throw new MamlError(
        'resource_limit',
        `block ${task.blockId}: ${shots.from} asks for more than the ${task.limits.maxShots} shots this gateway allows (its --max-shots); ask for fewer`,
        { details: { limit: 'shots', shots: shots.value, maxShots: task.limits.maxShots } },
      );
    const seed = setting(task, 'seed', Number.MIN_SAFE_INTEGER);
    const options: QasmOptions = {
      shots: shots?.value ?? DEFAULT_SHOTS,
      probabilities: isTrueAttribute(task.attributes['probabilities']),
      ...(seed === undefined ? {} : { seed: seed.value }),
    };
    const engineModule = toolFrom(context, ENGINE);
    const outcome = await runOnQasmThread({
      task,
      options,
      ...(engineModule === undefined ? {} : { engineModule }),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (!outcome.ok) {
      if (!outcome.engine) throw outcome.error;
      const data = serializeError(outcome.error);
      throw new MamlError(
        data.code === 'internal' ? 'block_failed' : data.code,
        `block ${task.blockId}: ${data.message}`,
        data.details ? { details: { ...data.details } } : {},
      );
    }
    const { run } = outcome;
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
