/**
 * The run database a command works on: PostgreSQL when DATABASE_URL is set (or, without it, when `.maml.yaml`
 * gives `database.url`), else the embedded PGlite database in the state directory (`--state-dir`,
 * $MAML_STATE_DIR, ~/.local/state/maml), which this process then holds under its lock until the database is
 * closed. Migrated before use.
 */
import { join } from 'node:path';
import {
  compileRuntimeOptions,
  defaultCacheDir,
  defaultStateDir,
  openRunStore,
  type Database,
  type RunStore,
} from '../runtime/index.js';
import type { CommandContext } from './command.js';
import { stringOption } from './options.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from './project-config.js';

/** Directory of the embedded database: `--state-dir`, else $MAML_STATE_DIR or ~/.local/state/maml, plus `db`. */
export function runDataDir(ctx: CommandContext): string {
  return join(stringOption(ctx, 'state-dir') ?? defaultStateDir(process.env), 'db');
}

/** Whether the run database is PostgreSQL (DATABASE_URL, or `database.url` in .maml.yaml). */
export function usesDatabaseUrl(ctx: CommandContext): boolean {
  return databaseUrlFrom(loadProjectConfig(ctx.cwd)) !== undefined;
}

/** Where rebuildable caches go: $XDG_CACHE_HOME/maml, else ~/.cache/maml (RuntimeOptions.cacheDir). */
export function runCacheDir(): string {
  return defaultCacheDir(process.env);
}

/** The run database alone (no heads, no signers), configured as `maml run` configures it. */
export async function openRunDatabase(ctx: CommandContext): Promise<{ db: Database; store: RunStore }> {
  const config = loadProjectConfig(ctx.cwd);
  reportConfigWarnings(config, (text) => ctx.out.error(text));
  const url = databaseUrlFrom(config);
  const { database } = compileRuntimeOptions(url === undefined ? { dataDir: runDataDir(ctx) } : { databaseUrl: url });
  return openRunStore(database);
}
