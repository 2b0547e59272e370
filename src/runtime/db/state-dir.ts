/**
 * Where maml keeps things on disk, and who may read them. The embedded run database lives in the state directory
 * (MAML_STATE_DIR, else $XDG_STATE_HOME/maml, else ~/.local/state/maml); caches that can be rebuilt live in
 * $XDG_CACHE_HOME/maml, else ~/.cache/maml.
 *
 * The run database holds every run's inputs and outputs and the audit log, so it is this user's alone: its
 * directories are 0700 and its files 0600. PGlite creates files readable and writable by everyone (its WebAssembly
 * file system ignores the modes PostgreSQL asks for), so the directories are what actually keeps others out;
 * `securePrivateDir` and `securePrivateTree` put both right each time the database is opened, existing state
 * directories included.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$MAML_STATE_DIR`, else `$XDG_STATE_HOME/maml` or ~/.local/state/maml, from the environment the CLI passes. */
export function defaultStateDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env['MAML_STATE_DIR']) return env['MAML_STATE_DIR'];
  const base = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(base, 'maml');
}

/** `$XDG_CACHE_HOME/maml`, else ~/.cache/maml, from the environment the CLI passes (`{}`: the home default). */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'maml');
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates `dir` (and missing parents) as 0700; an existing `dir` loses its group and other bits, unless it is not
 * ours or is sticky (a shared directory such as /tmp given as --state-dir, which must stay as it is).
 */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o1000) === 0)
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, stat.mode & 0o7700);
}

/** Creates `dir` as 0700 and makes everything under it 0700 (directories) or 0600 (files): all of it is ours. */
export function securePrivateTree(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  secureTree(dir);
}

function secureTree(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // removed meanwhile
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o7777) !== PRIVATE_DIR) chmodSync(path, PRIVATE_DIR);
    for (const name of readdirSync(path)) secureTree(join(path, name));
  } else if ((stat.mode & 0o7777) !== PRIVATE_FILE) chmodSync(path, PRIVATE_FILE);
}
