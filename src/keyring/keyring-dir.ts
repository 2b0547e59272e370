/** Where the keyring lives: `--keyring DIR`, else $MAML_KEYRING, else $XDG_CONFIG_HOME/maml/keyring, else ~/.config/maml/keyring. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function resolveKeyringDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag !== undefined && flag !== '') return resolve(cwd, flag);
  const fromEnv = env['MAML_KEYRING'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.config');
  return join(base, 'maml', 'keyring');
}
