/** `maml runs list` and `maml runs show <id>`: the runs recorded in the run database. */
import { MamlError } from '../../shared/index.js';
import type { Command } from '../command.js';
import { flag, requirePositionals, stringOption } from '../options.js';
import { openRunDatabase } from '../run-database.js';
import { terminalJson, terminalText } from '../terminal-text.js';

function duration(start: string, end: string | null): string {
  if (!end) return '';
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list recorded runs or show one with its blocks and events',
  help: `Usage: maml runs list [--limit n] [--json]
       maml runs show <run-id or unique prefix> [--json]

Reads the run database (PGlite under --state-dir, default $MAML_STATE_DIR or
~/.local/state/maml; PostgreSQL when DATABASE_URL is set).

Options:
  --limit <n>        how many recent runs to list (default 20)
  --json             print the records as JSON
  --state-dir <dir>  where the embedded run database lives`,
  options: {
    limit: { type: 'string' },
    json: { type: 'boolean' },
    'state-dir': { type: 'string' },
  },
  async run(ctx) {
    const [sub, id] = requirePositionals(ctx, 1, 'a subcommand: `list` or `show <id>`');
    if (sub !== 'list' && sub !== 'show')
      throw new MamlError('usage', `unknown subcommand \`${sub}\`: use list or show`);
    if (sub === 'show' && id === undefined) throw new MamlError('usage', 'missing the run id: maml runs show <id>');
    const limitText = stringOption(ctx, 'limit');
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw new MamlError('usage', `--limit must be a positive integer`);
    const { db, store } = await openRunDatabase(ctx);
    try {
      if (sub === 'list') {
        const runs = await store.listRuns(limit);
        if (flag(ctx, 'json')) ctx.out.print(terminalJson({ runs }, 2));
        else if (runs.length === 0) ctx.out.print('no runs recorded yet (maml run <file>)');
        else
          for (const r of runs)
            ctx.out.print(
              `${r.id}  ${r.status.padEnd(9)}  ${r.startedAt}  ${duration(r.startedAt, r.finishedAt).padStart(7)}  ${terminalText(r.documentPath ?? '')}`,
            );
        return 0;
      }
      const found = await store.getRun(id ?? '');
      if (!found) throw new MamlError('not_found', `no run with id or unique prefix \`${id}\` (see maml runs list)`);
      if (flag(ctx, 'json')) {
        ctx.out.print(terminalJson(found, 2));
        return 0;
      }
      const { run, blocks, events } = found;
      ctx.out.print(`run ${run.id}: ${run.status}`);
      ctx.out.print(terminalText(`document: ${run.documentPath ?? '(unknown)'}  identity: ${run.identity}`));
      ctx.out.print(`started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`);
      ctx.out.print(`inputs: ${terminalJson(run.inputs)}`);
      ctx.out.print(`outputs: ${terminalJson(run.outputs)}`);
      if (run.error) ctx.out.print(`error: ${terminalJson(run.error)}`);
      ctx.out.print('blocks:');
      for (const b of blocks)
        ctx.out.print(
          `  ${terminalText(b.blockId).padEnd(16)} ${b.lang.padEnd(10)} ${(b.head ?? '').padEnd(10)} ${b.status.padEnd(9)} ${b.durationMs === null ? '' : `${Math.round(b.durationMs)} ms`}${b.cached ? ' (cached)' : ''}${b.attempts > 1 ? ` (${b.attempts} attempts)` : ''}`,
        );
      ctx.out.print('events:');
      for (const e of events)
        ctx.out.print(`  ${e.seq}. ${e.at} ${e.type}${e.blockId ? ` ${terminalText(e.blockId)}` : ''}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
