// Where the embedded run database lives: MAML_STATE_DIR, else $XDG_STATE_HOME/maml, else ~/.local/state/maml.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['MAML_STATE_DIR']) return env['MAML_STATE_DIR'];
  const base = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(base, 'maml');
}
