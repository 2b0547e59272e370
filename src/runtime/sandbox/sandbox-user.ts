/**
 * Who a block runs as on the host. A gateway running as an ordinary user sandboxes blocks in a user namespace:
 * the block is that user on the host and has no capability outside its namespaces. A gateway running as root
 * never lets a block be root: blocks run as the dedicated system user `maml-sandbox` (or `MAML_SANDBOX_USER`, a
 * name or a numeric uid), switched to by setpriv inside the sandbox. A missing `maml-sandbox` user is created on
 * first use, the way the keyring creates a missing head key, and said once on stderr; uid or gid 0 is refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { MamlError } from '../../shared/index.js';
import { hostTools } from './host-tools.js';

export const DEFAULT_SANDBOX_USER = 'maml-sandbox';

export const CREATE_SANDBOX_USER_COMMAND = `useradd --system --no-create-home --user-group --shell /usr/sbin/nologin ${DEFAULT_SANDBOX_USER}`;

export type SandboxIdentity =
  /** The gateway is not root: a user namespace maps the block to the gateway's own uid. */
  | { readonly mode: 'userns'; readonly uid: number }
  /** The gateway is root: bwrap runs without a user namespace and setpriv drops to this uid and gid. */
  | { readonly mode: 'setpriv'; readonly uid: number; readonly gid: number; readonly user: string };

const SETPRIV = '/usr/bin/setpriv';

let cached: { key: string; identity: SandboxIdentity } | undefined;

interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** `getent passwd KEY` (a name or a uid), through NSS like every other tool on the machine. */
function lookup(key: string): PasswdEntry | undefined {
  const result = spawnSync('getent', ['passwd', key], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) return undefined;
  const [name, , uid, gid] = result.stdout.trim().split('\n')[0]?.split(':') ?? [];
  if (name === undefined || uid === undefined || gid === undefined) return undefined;
  return { name, uid: Number(uid), gid: Number(gid) };
}

function refuse(message: string): never {
  // The same code as a missing bubblewrap: the sandbox cannot be set up until the operator acts.
  throw new MamlError('missing_tool', message, { details: { install: CREATE_SANDBOX_USER_COMMAND } });
}

/** Creates the default sandbox user; two heads may race, so an existing user afterwards is success too. */
function createDefaultUser(): PasswdEntry {
  const [command, ...args] = CREATE_SANDBOX_USER_COMMAND.split(' ');
  const result = spawnSync(command ?? 'useradd', args, { encoding: 'utf8', timeout: 30_000 });
  const entry = lookup(DEFAULT_SANDBOX_USER);
  if (entry) {
    if (result.status === 0)
      process.stderr.write(
        `maml: created the system user ${DEFAULT_SANDBOX_USER} (uid ${entry.uid}); blocks run as this user, never as root\n`,
      );
    return entry;
  }
  return refuse(
    `maml runs as root, so blocks must run as the unprivileged user ${DEFAULT_SANDBOX_USER}, which does not exist and could not be created (${(result.stderr || result.error?.message || '').trim()}). Create it with \`${CREATE_SANDBOX_USER_COMMAND}\`, or set MAML_SANDBOX_USER to another unprivileged user.`,
  );
}

function resolveRootIdentity(spec: string | undefined): SandboxIdentity {
  if (!existsSync(SETPRIV))
    throw new MamlError(
      'missing_tool',
      `maml runs as root and drops blocks to an unprivileged user with ${SETPRIV}, which is missing: apt-get install util-linux`,
      { details: { install: 'util-linux' } },
    );
  let entry: PasswdEntry | undefined;
  if (spec === undefined || spec === '' || spec === DEFAULT_SANDBOX_USER)
    entry = lookup(DEFAULT_SANDBOX_USER) ?? createDefaultUser();
  else {
    entry = lookup(spec);
    if (!entry && /^\d+$/.test(spec)) entry = { name: spec, uid: Number(spec), gid: Number(spec) };
    if (!entry)
      refuse(
        `MAML_SANDBOX_USER=${spec} is not a user on this machine: create it, or unset MAML_SANDBOX_USER to use ${DEFAULT_SANDBOX_USER}`,
      );
  }
  if (entry.uid === 0 || entry.gid === 0)
    refuse(
      `the sandbox user ${entry.name} has uid ${entry.uid} and gid ${entry.gid}: blocks never run as root or group root; set MAML_SANDBOX_USER to an unprivileged user`,
    );
  return { mode: 'setpriv', uid: entry.uid, gid: entry.gid, user: entry.name };
}

/** The identity blocks run under, resolved once per value of MAML_SANDBOX_USER. Throws a MamlError saying how to fix it. */
export function sandboxIdentity(): SandboxIdentity {
  const uid = process.getuid?.() ?? 0;
  const spec = hostTools().sandboxUser;
  const key = `${uid}:${spec ?? ''}`;
  if (cached?.key === key) return cached.identity;
  const identity: SandboxIdentity = uid === 0 ? resolveRootIdentity(spec) : { mode: 'userns', uid };
  cached = { key, identity };
  return identity;
}

/**
 * The command prefix that drops root inside the sandbox: the block gets the sandbox user's uid and gid, no
 * supplementary groups, empty capability sets (permitted and effective go with the uid change; inheritable,
 * ambient and bounding are cleared here) and no_new_privs.
 */
export function setprivPrefix(identity: Extract<SandboxIdentity, { mode: 'setpriv' }>): string[] {
  return [
    SETPRIV,
    `--reuid=${identity.uid}`,
    `--regid=${identity.gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
  ];
}
