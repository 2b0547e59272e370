// Where maml keeps things on disk: the embedded run database in the state directory (MAML_STATE_DIR, else
// $XDG_STATE_HOME/maml, else ~/.local/state/maml), caches that can be rebuilt in $XDG_CACHE_HOME/maml (~/.cache/maml).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['MAML_STATE_DIR']) return env['MAML_STATE_DIR'];
  const base = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(base, 'maml');
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'maml');
}
