/**
 * SQL blocks run against the run database (PGlite by default, PostgreSQL with DATABASE_URL) in the scheduler
 * process, which owns that connection. `:name` placeholders are bound from the block's inputs as parameters
 * (never spliced into the text); the output `rows` holds the rows of the last statement that returned any.
 */
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';

/** Replaces `:name` outside quotes, comments and `::casts` with `$n`; returns the parameter names in order. */
export function bindNamedParameters(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      text += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop;
    } else if (ch === ':' && next === ':') {
      text += '::';
      i += 2;
    } else if (ch === ':' && /[A-Za-z_]/.test(next)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1));
      const name = match?.[0] ?? '';
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += 1 + name.length;
    } else {
      text += ch;
      i += 1;
    }
  }
  return { text, names };
}

function toParam(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

export const sqlExecutor: Executor = {
  lang: 'sql',
  version: 'sql-1',
  headClass: 'ai',
  placement: 'scheduler',
  sandboxed: false,
  async run(task, context) {
    const started = performance.now();
    if (!context.sql) throw new MamlError('internal', `block ${task.blockId}: no run database connection for SQL`);
    const { text, names } = bindNamedParameters(task.source);
    let rows: Record<string, unknown>[] = [];
    try {
      if (names.length === 0) {
        const results = await context.sql.exec(text);
        for (const result of results) if (result.rows.length > 0) rows = result.rows;
      } else {
        const missing = names.filter((n) => !(n in task.inputs));
        if (missing.length > 0)
          throw new MamlError(
            'block_failed',
            `block ${task.blockId}: SQL parameter${missing.length > 1 ? 's' : ''} ${missing.map((n) => `:${n}`).join(', ')} not found in the block's inputs`,
          );
        rows = (
          await context.sql.query(
            text,
            names.map((n) => toParam(task.inputs[n])),
          )
        ).rows;
      }
    } catch (error) {
      if (error instanceof MamlError) throw error;
      throw new MamlError('block_failed', `block ${task.blockId}: SQL error: ${(error as Error).message}`);
    }
    // JSON round trip: bigint and Date values become what every other language would see.
    const plain = JSON.parse(
      JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ) as unknown;
    return {
      outputs: { rows: plain },
      stdout: '',
      stderr: '',
      truncated: false,
      durationMs: performance.now() - started,
      sandboxed: false,
    };
  },
};
