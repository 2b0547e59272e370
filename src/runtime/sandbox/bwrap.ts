/**
 * Finds bubblewrap and builds its command line. The sandbox gets fresh user, pid, ipc, uts, cgroup and (unless
 * the document grants network) net namespaces; the system directories read-only; the block's files read-only at
 * /maml; a size-capped private tmpfs at /tmp as the only writable place; nothing of the user's home, keyring or
 * run database. bwrap can only share or not share the host network, so a host allow-list is not enforced.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MamlError } from '../../shared/index.js';

export const SANDBOX_CODE_DIR = '/maml';
export const SANDBOX_SCRATCH_DIR = '/tmp';
/** The unprivileged identity inside the user namespace. */
const SANDBOX_UID = '1000';

const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC_FILES = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/alternatives',
  '/etc/localtime',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/nsswitch.conf',
  '/etc/mime.types',
  '/etc/python3',
  '/etc/python3.11',
];
const NETWORK_ETC_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/gai.conf', '/etc/host.conf'];

export const INSTALL_BWRAP_HINT =
  'bubblewrap is not installed, so untrusted blocks cannot be sandboxed. Install it with `apt-get install bubblewrap` ' +
  '(Debian/Ubuntu), or pass --unsafe-no-sandbox to run blocks without a sandbox at your own risk.';

const cache = new Map<string, { path: string } | { error: string }>();

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The usable bwrap binary (MAML_BWRAP or PATH), checked once by starting a trivial sandbox. */
export function bwrapStatus(): { path: string } | { error: string } {
  const key = process.env['MAML_BWRAP'] ?? '';
  const known = cache.get(key);
  if (known) return known;
  const status = probeBwrap(key === '' ? findOnPath('bwrap') : existsSync(key) ? key : undefined);
  cache.set(key, status);
  return status;
}

function probeBwrap(path: string | undefined): { path: string } | { error: string } {
  if (!path) return { error: INSTALL_BWRAP_HINT };
  const probe = spawnSync(path, [...systemArgs(false), '--unshare-all', '--die-with-parent', '--', '/bin/true'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.status !== 0)
    return {
      error: `bubblewrap at ${path} cannot create a sandbox here (${(probe.stderr || probe.error?.message || '').trim()}); user namespaces may be disabled. Enable them or pass --unsafe-no-sandbox.`,
    };
  return { path };
}

export function requireBwrap(): string {
  const status = bwrapStatus();
  if ('error' in status) throw new MamlError('missing_tool', status.error, { details: { install: 'bubblewrap' } });
  return status.path;
}

function systemArgs(network: boolean): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const file of network ? [...ETC_FILES, ...NETWORK_ETC_FILES] : ETC_FILES)
    if (existsSync(file)) args.push('--ro-bind', file, file);
  return args;
}

export interface BwrapOptions {
  readonly codeDir: string;
  readonly network: boolean;
  readonly scratchBytes: number;
  readonly env: Readonly<Record<string, string>>;
  /** Host paths (interpreter installations outside /usr) bound read-only at the same place. */
  readonly readOnlyPaths: readonly string[];
}

/** bwrap arguments up to and including `--`; the command inside the sandbox follows. */
export function bwrapArgs(options: BwrapOptions): string[] {
  const args = [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(options.network ? [] : ['--unshare-net']),
    '--uid',
    SANDBOX_UID,
    '--gid',
    SANDBOX_UID,
    '--hostname',
    'maml-sandbox',
    '--die-with-parent',
    // A new session stops the block from pushing keystrokes into the gateway's terminal (TIOCSTI).
    '--new-session',
    ...systemArgs(options.network),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(options.scratchBytes),
    '--tmpfs',
    SANDBOX_SCRATCH_DIR,
    '--ro-bind',
    options.codeDir,
    SANDBOX_CODE_DIR,
  ];
  for (const path of options.readOnlyPaths) if (existsSync(path)) args.push('--ro-bind', path, path);
  args.push('--chdir', SANDBOX_SCRATCH_DIR, '--clearenv');
  for (const [key, value] of Object.entries(options.env)) args.push('--setenv', key, value);
  args.push('--');
  return args;
}
