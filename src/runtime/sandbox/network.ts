/**
 * Outbound network for blocks granted `permissions.network`: the block keeps its own network namespace and
 * slirp4netns connects it to the outside through a user-mode TCP/IP stack (tap0, 10.0.2.100/24, gateway
 * 10.0.2.2, DNS 10.0.2.3). `--disable-host-loopback` refuses connections to 10.0.2.2, the alias slirp gives the
 * host's 127.0.0.1, so the run database, Redis and other services that listen on the host's loopback stay out of
 * reach; the block's own 127.0.0.1 is its own loopback. Without slirp4netns a network-granted block fails with
 * the install hint: it never falls back to the host's network namespace.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { MamlError } from '../../shared/index.js';
import { CappedBuffer } from './capped-buffer.js';
import { findOnPath } from './find-on-path.js';
import { hostTools } from './host-tools.js';

export const INSTALL_SLIRP_HINT =
  'blocks granted permissions.network run in their own network namespace, connected through slirp4netns, which is not installed: apt-get install slirp4netns';

/** The resolver slirp4netns answers on; the block's /etc/resolv.conf names it. */
export const SANDBOX_RESOLV_CONF = 'nameserver 10.0.2.3\n';

/** The slirp4netns binary (MAML_SLIRP4NETNS or PATH), or a MamlError with the install hint. */
export function requireSlirp4netns(): string {
  const configured = hostTools().slirp4netns;
  const path = configured === undefined ? findOnPath('slirp4netns') : existsSync(configured) ? configured : undefined;
  if (path === undefined)
    throw new MamlError('missing_tool', INSTALL_SLIRP_HINT, { details: { install: 'slirp4netns' } });
  return path;
}

export interface SandboxNetwork {
  /** Resolves once the tap device is configured; rejects with slirp4netns's own words when it cannot be. */
  readonly ready: Promise<void>;
  /** Stops slirp4netns (it also stops by itself when this process dies: its exit descriptor closes). */
  close(): void;
}

/**
 * Starts slirp4netns on the network namespace of `pid`. As root it sandboxes itself (`--enable-sandbox`: a
 * read-only view of /etc and /run, every capability but CAP_NET_BIND_SERVICE dropped); in both modes it applies
 * its own seccomp filter.
 */
export function connectNetwork(slirp: string, pid: number, asRoot: boolean): SandboxNetwork {
  const args = [
    '--configure',
    '--mtu=65520',
    '--disable-host-loopback',
    '--enable-seccomp',
    ...(asRoot ? ['--enable-sandbox'] : []),
    '--ready-fd=3',
    '--exit-fd=4',
    String(pid),
    'tap0',
  ];
  const child = spawn(slirp, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  });
  const stderr = new CappedBuffer(16 * 1024);
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const readyPipe = child.stdio[3] as Readable | null;
  const exitPipe = child.stdio[4] as Writable | null;
  const ready = new Promise<void>((resolve, reject) => {
    const fail = (why: string): void => {
      const said = stderr
        .text()
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('WARNING'))
        .slice(-3)
        .join('; ');
      reject(new Error(`slirp4netns ${why}${said ? `: ${said}` : ''}`));
    };
    readyPipe?.once('data', () => resolve());
    readyPipe?.on('error', () => undefined);
    child.once('error', (error) => fail(`could not start (${error.message})`));
    child.once('exit', (code, signal) => fail(signal ? `was killed by ${signal}` : `exited with status ${code}`));
  });
  // A settled promise that nobody awaits must not become an unhandled rejection.
  ready.catch(() => undefined);
  return {
    ready,
    close: () => {
      exitPipe?.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
