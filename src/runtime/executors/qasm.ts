/**
 * OpenQASM blocks run in-process on a head of the `quantum` class with the injected engine (the project's
 * simulator once wired in), falling back to the small exact engine in qasm-fallback.ts. Attributes: `shots`
 * (default: the `shots` input, else 1024), `seed`, `probabilities=true`. `input` parameters are bound from the block's inputs by name.
 */
import { MamlError, serializeError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { fallbackQasmEngine } from './qasm-fallback.js';

function intAttribute(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new MamlError('block_failed', `attribute ${name}=${value} must be a non-negative integer`);
  return n;
}

export const qasmExecutor: Executor = {
  lang: 'qasm',
  version: 'qasm-1',
  headClass: 'quantum',
  placement: 'head',
  sandboxed: false,
  async run(task, context) {
    const started = performance.now();
    const engine = context.qasmEngine ?? fallbackQasmEngine;
    // The `shots` attribute wins; a numeric `shots` workflow input (as in the quick start) comes next.
    const inputShots = typeof task.inputs['shots'] === 'number' ? task.inputs['shots'] : 1024;
    const shots = intAttribute(task.attributes['shots'], 'shots', inputShots) ?? inputShots;
    const seed = intAttribute(task.attributes['seed'], 'seed', undefined);
    const probabilities = task.attributes['probabilities'] === 'true';
    let run;
    try {
      run = await engine(task.source, task.inputs, { shots, probabilities, ...(seed === undefined ? {} : { seed }) });
    } catch (error) {
      const data = serializeError(error);
      throw new MamlError(
        data.code === 'internal' ? 'block_failed' : data.code,
        `block ${task.blockId}: ${data.message}`,
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
