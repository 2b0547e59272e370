/**
 * SQL blocks run in a database of their own: each run gets a fresh in-memory PGlite in a sandboxed process
 * (sql/sql-session.ts), shared by the run's SQL blocks and thrown away when the run ends. The run database is
 * never reachable from a block, whether it is PGlite or PostgreSQL. `:name` placeholders are bound from the block's
 * inputs as parameters (never spliced into the text); the output `rows` holds the rows of the last statement that
 * returned any.
 */
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { bindNamedParameters } from './sql/named-parameters.js';
import { SqlSession } from './sql/sql-session.js';

function toParam(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

export const sqlExecutor: Executor = {
  lang: 'sql',
  aliases: ['postgres', 'postgresql', 'psql'],
  version: 'sql-2',
  // Not used to pick a head (it runs on the scheduler); the class of the other data languages.
  headClass: 'ai',
  placement: 'scheduler',
  sandboxed: true,
  attributes: [],
  needs: { tools: [], runResources: true },
  async run(task, context) {
    const started = performance.now();
    if (!context.resources)
      throw new MamlError(
        'internal',
        `block ${task.blockId}: SQL blocks need the run's resources to keep its database`,
      );
    const { text, names } = bindNamedParameters(task.source);
    const missing = names.filter((n) => !(n in task.inputs));
    if (missing.length > 0)
      throw new MamlError(
        'block_failed',
        `block ${task.blockId}: SQL parameter${missing.length > 1 ? 's' : ''} ${missing.map((n) => `:${n}`).join(', ')} not found in the block's inputs`,
      );
    // The first SQL block of a run sets the database process's memory and scratch limits for the whole run.
    const session = await context.resources.get('sql', () =>
      SqlSession.open({
        limits: task.limits,
        unsafeNoSandbox: task.unsafeNoSandbox,
        cacheDir: context.cacheDir,
      }),
    );
    const rows = await session.run({
      blockId: task.blockId,
      text,
      params: names.length === 0 ? null : names.map((n) => toParam(task.inputs[n])),
      timeoutMs: task.limits.timeoutMs,
      maxBytes: task.limits.outputLimitBytes,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    return {
      outputs: { rows },
      stdout: '',
      stderr: '',
      truncated: false,
      durationMs: performance.now() - started,
      sandboxed: session.sandboxed,
    };
  },
};
