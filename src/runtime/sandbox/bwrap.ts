/**
 * Finds bubblewrap and builds the sandbox's command line. Every block gets new pid, ipc, uts, cgroup and network
 * namespaces; a root filesystem that is read-only except for two size-capped tmpfs mounts (/tmp and /dev/shm);
 * the system directories and a short list of /etc files read-only; its own files read-only at /maml; a /proc
 * whose kernel tunables and kernel-memory files are read-only or hidden; no capability; the seccomp filter of
 * seccomp.ts. Who the block is on the host depends on who runs the gateway (sandbox-user.ts): as an ordinary
 * user, a user namespace in which the block cannot create another; as root, no user namespace and setpriv drops
 * to the unprivileged sandbox user after bwrap has applied the filter.
 *
 * The options go to bwrap through a descriptor (`--args`), never on its command line: environment values such
 * as MAML_INPUTS would otherwise be readable by every local user in `ps`. Only the command (interpreter and
 * file paths under /maml) stays on the command line, because bwrap reads no command from `--args`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { MamlError } from '../../shared/index.js';
import { findOnPath } from './find-on-path.js';
import { hostTools } from './host-tools.js';
import { sandboxIdentity, setprivPrefix } from './sandbox-user.js';
import type { SandboxIdentity } from './sandbox-user.js';
import { seccompProgram } from './seccomp.js';
import { hostSeccompArch } from './syscalls.js';
import type { SeccompArch } from './syscalls.js';

export const SANDBOX_CODE_DIR = '/maml';
export const SANDBOX_SCRATCH_DIR = '/tmp';
/** The block's uid and gid inside its user namespace (user-namespace mode only). */
const NAMESPACE_UID = '1000';

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
const NETWORK_ETC_FILES = ['/etc/hosts', '/etc/gai.conf', '/etc/host.conf'];

/**
 * /proc entries bound read-only over the sandbox's own procfs: kernel tunables (core_pattern, binfmt_misc), the
 * magic SysRq trigger, interrupt and bus settings, filesystem and driver controls. bwrap's own cover for these
 * applies only when the directory itself is writable, which /proc/sys never is.
 */
const READ_ONLY_PROC = ['sys', 'sysrq-trigger', 'irq', 'bus', 'fs', 'driver', 'acpi', 'scsi'];
/** /proc files hidden behind /dev/null on a nodev mount (opening them fails): kernel memory, logs, keys, timers. */
const HIDDEN_PROC = [
  'kcore',
  'kmsg',
  'kallsyms',
  'keys',
  'key-users',
  'timer_list',
  'sched_debug',
  'latency_stats',
  'timer_stats',
  'kpagecount',
  'kpageflags',
  'kpagecgroup',
  'vmallocinfo',
  'slabinfo',
  'config.gz',
];

export const INSTALL_BWRAP_HINT =
  'bubblewrap is not installed, so untrusted blocks cannot be sandboxed. Install it with `apt-get install bubblewrap` ' +
  '(Debian/Ubuntu), or pass --unsafe-no-sandbox to run blocks without a sandbox at your own risk.';

/** Descriptors of the sandboxed process; 3 carries the block's outputs. */
/** `calls`: the block's quantum-call channel (a socket it keeps, only when the request opens one). */
export const SANDBOX_FDS = { outputs: 3, seccomp: 4, args: 5, info: 6, block: 7, calls: 8 } as const;

const cache = new Map<string, { path: string } | { error: string }>();

/** The usable bwrap binary (MAML_BWRAP or PATH), checked once by starting a sandbox configured like a block's. */
export function bwrapStatus(): { path: string } | { error: string } {
  const tools = hostTools();
  const key = `${tools.bwrap ?? ''}\0${tools.sandboxUser ?? ''}\0${tools.path}`;
  const known = cache.get(key);
  if (known) return known;
  const configured = tools.bwrap;
  const status = probeBwrap(
    configured === undefined ? findOnPath('bwrap') : existsSync(configured) ? configured : undefined,
  );
  cache.set(key, status);
  return status;
}

function probeBwrap(path: string | undefined): { path: string } | { error: string } {
  if (!path) return { error: INSTALL_BWRAP_HINT };
  let identity: SandboxIdentity;
  let arch: SeccompArch;
  try {
    identity = sandboxIdentity();
    arch = requireSeccompArch();
  } catch (error) {
    return { error: (error as Error).message };
  }
  // The probe's options are not secret, so they go on the command line and the filter comes on stdin.
  const args = [
    ...bwrapArgs({
      identity,
      network: false,
      scratchBytes: 1024 * 1024,
      env: {},
      readOnlyPaths: [],
      fds: { seccomp: 0 },
    }),
    '--',
    ...sandboxCommand(identity, ['/bin/true']),
  ];
  const probe = spawnSync(path, args, { input: seccompProgram(arch), encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) {
    const said = (probe.stderr || probe.error?.message || '').trim();
    const why =
      identity.mode === 'userns'
        ? 'it needs bubblewrap 0.8 or later and unprivileged user namespaces; enable them'
        : 'it needs bubblewrap 0.8 or later';
    return {
      error: `bubblewrap at ${path} cannot create a sandbox here (${said}); ${why}, or pass --unsafe-no-sandbox.`,
    };
  }
  return { path };
}

export function requireBwrap(): string {
  const status = bwrapStatus();
  if ('error' in status) throw new MamlError('missing_tool', status.error, { details: { install: 'bubblewrap' } });
  return status.path;
}

/** The architecture whose syscall table the filter uses; other architectures are refused, not run unfiltered. */
export function requireSeccompArch(): SeccompArch {
  const arch = hostSeccompArch();
  if (arch === undefined)
    throw new MamlError(
      'unsupported',
      `the block sandbox's seccomp filter has no system call table for ${process.arch}; pass --unsafe-no-sandbox to run blocks unsandboxed`,
    );
  return arch;
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
  // bwrap running as root creates a bind target's missing parents 0700, which the sandbox user cannot traverse.
  args.push('--perms', '0755', '--dir', '/etc');
  for (const file of network ? [...ETC_FILES, ...NETWORK_ETC_FILES] : ETC_FILES)
    if (existsSync(file)) args.push('--ro-bind', file, file);
  return args;
}

function procArgs(): string[] {
  const args = ['--proc', '/proc'];
  // Sources are the host's /proc; a missing entry cannot be a bind target inside the new procfs either.
  for (const name of READ_ONLY_PROC)
    if (existsSync(`/proc/${name}`)) args.push('--ro-bind', `/proc/${name}`, `/proc/${name}`);
  for (const name of HIDDEN_PROC) if (existsSync(`/proc/${name}`)) args.push('--ro-bind', '/dev/null', `/proc/${name}`);
  return args;
}

const underSystemDir = (path: string): boolean => SYSTEM_DIRS.some((dir) => path === dir || path.startsWith(`${dir}/`));

/**
 * Read-only binds of interpreter installations outside /usr. bwrap would create the missing parents with the
 * modes of the host's (0700 for /root), which the unprivileged sandbox user could not traverse, so each parent is
 * created first as an empty 0755 directory.
 */
function readOnlyPathArgs(paths: readonly string[]): string[] {
  const args: string[] = [];
  const made = new Set<string>(['/', SANDBOX_SCRATCH_DIR, SANDBOX_CODE_DIR]);
  for (const path of paths) {
    if (underSystemDir(path) || !existsSync(path)) continue;
    const parents: string[] = [];
    for (let dir = dirname(path); !made.has(dir); dir = dirname(dir)) parents.unshift(dir);
    for (const dir of parents) {
      args.push('--perms', '0755', '--dir', dir);
      made.add(dir);
    }
    args.push('--ro-bind', path, path);
  }
  return args;
}

export interface BwrapOptions {
  readonly identity: SandboxIdentity;
  /** Host directory bound read-only at /maml (the probe binds none). */
  readonly codeDir?: string;
  /** Whether the block was granted the network; its namespace is then connected by network.ts. */
  readonly network: boolean;
  /** Host file bound read-only at /etc/resolv.conf when the network is granted. */
  readonly resolvConf?: string;
  readonly scratchBytes: number;
  readonly env: Readonly<Record<string, string>>;
  /** Host paths (interpreter installations outside /usr) bound read-only at the same place. */
  readonly readOnlyPaths: readonly string[];
  /** Descriptors bwrap reads the filter from and, with the network, reports the child pid on and waits on. */
  readonly fds: { readonly seccomp: number; readonly info?: number; readonly block?: number };
}

function namespaceArgs(identity: SandboxIdentity, network: boolean): string[] {
  const common = [
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'maml-sandbox',
    '--die-with-parent',
    // A new session stops the block from pushing keystrokes into the gateway's terminal (TIOCSTI).
    '--new-session',
  ];
  if (identity.mode === 'setpriv')
    // No user namespace: bwrap is real root, keeps only what setpriv needs to drop to the sandbox user, and the
    // network namespace is always new (slirp4netns, running as root, connects it when the network is granted).
    return [
      ...common,
      '--unshare-net',
      '--cap-drop',
      'ALL',
      '--cap-add',
      'CAP_SETUID',
      '--cap-add',
      'CAP_SETGID',
      '--cap-add',
      'CAP_SETPCAP',
    ];
  return [
    ...common,
    '--unshare-user',
    '--disable-userns',
    '--uid',
    NAMESPACE_UID,
    '--gid',
    NAMESPACE_UID,
    // With the network granted, hostCommand's `unshare --net` made the namespace (owned by a user namespace the
    // gateway's user can enter, so an unprivileged slirp4netns can connect it).
    ...(network ? [] : ['--unshare-net']),
    '--cap-drop',
    'ALL',
  ];
}

/** bwrap's options, up to but not including `--`; pass them through `--args` (see hostCommand). */
export function bwrapArgs(options: BwrapOptions): string[] {
  const size = String(options.scratchBytes);
  const args = [
    ...namespaceArgs(options.identity, options.network),
    ...systemArgs(options.network),
    ...(options.network && options.resolvConf ? ['--ro-bind', options.resolvConf, '/etc/resolv.conf'] : []),
    ...procArgs(),
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--perms',
    '1777',
    '--size',
    size,
    '--tmpfs',
    SANDBOX_SCRATCH_DIR,
    ...(options.codeDir === undefined ? [] : ['--ro-bind', options.codeDir, SANDBOX_CODE_DIR]),
    ...readOnlyPathArgs(options.readOnlyPaths),
    // bwrap's root is a tmpfs without a size; nothing may be written to it once the mount points exist.
    '--remount-ro',
    '/',
    '--seccomp',
    String(options.fds.seccomp),
    ...(options.fds.info === undefined ? [] : ['--info-fd', String(options.fds.info)]),
    ...(options.fds.block === undefined ? [] : ['--block-fd', String(options.fds.block)]),
    '--chdir',
    SANDBOX_SCRATCH_DIR,
    '--clearenv',
  ];
  for (const [key, value] of Object.entries(options.env)) args.push('--setenv', key, value);
  return args;
}

/** The command bwrap execs: under root, setpriv first drops to the sandbox user. */
export function sandboxCommand(identity: SandboxIdentity, command: readonly string[]): string[] {
  return identity.mode === 'setpriv' ? [...setprivPrefix(identity), ...command] : [...command];
}

/**
 * What runs on the host, all of it visible in `ps`: bwrap reading its options from a descriptor, then the
 * command; behind `unshare --user --net` when an unprivileged gateway grants the network (see namespaceArgs).
 */
export function hostCommand(
  bwrap: string,
  identity: SandboxIdentity,
  network: boolean,
  command: readonly string[],
): string[] {
  const run = [bwrap, '--args', String(SANDBOX_FDS.args), '--', ...sandboxCommand(identity, command)];
  if (identity.mode === 'setpriv' || !network) return run;
  const unshare = findOnPath('unshare');
  if (unshare === undefined)
    throw new MamlError('missing_tool', 'network-granted blocks need unshare: apt-get install util-linux', {
      details: { install: 'util-linux' },
    });
  return [unshare, '--user', '--map-current-user', '--net', '--', ...run];
}

/** The `--args` payload: every argument followed by a NUL byte. */
export function encodeArgs(args: readonly string[]): Buffer {
  const bad = args.find((arg) => arg.includes('\0'));
  if (bad !== undefined)
    throw new MamlError('internal', `a sandbox argument contains a NUL byte: ${JSON.stringify(bad)}`);
  return Buffer.from(args.map((arg) => `${arg}\0`).join(''), 'utf8');
}
