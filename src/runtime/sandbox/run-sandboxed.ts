/**
 * Runs one block's program as its own OS process: inside bubblewrap (or, only when explicitly asked, without),
 * in its own cgroup for memory and process limits, with a wall-clock timeout that kills the whole process tree,
 * stdout/stderr capped, and a third pipe (fd 3) on which the block reports its outputs.
 *
 * Descriptors of the spawned process (bwrap.ts SANDBOX_FDS): 3 outputs; 4 the seccomp program; 5 bwrap's
 * arguments, environment included; 6 and 7, only with the network, bwrap's info (child pid) and block
 * descriptors, which hold the block until slirp4netns has configured its network. bwrap closes 4 to 7 before the
 * block starts, so the block sees 0 to 3 only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { TaskLimits } from '../task-spec.js';
import { CappedBuffer } from './capped-buffer.js';
import {
  SANDBOX_CODE_DIR,
  SANDBOX_FDS,
  SANDBOX_SCRATCH_DIR,
  bwrapArgs,
  encodeArgs,
  hostCommand,
  requireBwrap,
  requireSeccompArch,
} from './bwrap.js';
import { createBlockCgroup } from './cgroup.js';
import { SANDBOX_RESOLV_CONF, connectNetwork, requireSlirp4netns } from './network.js';
import type { SandboxNetwork } from './network.js';
import { sandboxIdentity } from './sandbox-user.js';
import type { SandboxIdentity } from './sandbox-user.js';
import { seccompProgram } from './seccomp.js';

export interface SandboxDirs {
  /** Where the request's files are (read-only in the sandbox). */
  readonly code: string;
  /** The writable scratch directory, also HOME and the working directory. */
  readonly scratch: string;
}

export interface SandboxRequest {
  /** The command, built from where the files will be seen by the process. */
  readonly argv: (dirs: SandboxDirs) => readonly string[];
  /** Files written into the code directory before the process starts (name → content). */
  readonly files: Readonly<Record<string, string>>;
  readonly env?: (dirs: SandboxDirs) => Readonly<Record<string, string>>;
  readonly network: boolean;
  readonly limits: TaskLimits;
  readonly readOnlyPaths?: readonly string[];
  readonly unsafeNoSandbox: boolean;
  /** Cancels the run (the process tree is killed as on a timeout). */
  readonly signal?: AbortSignal;
  /**
   * Opens a two-way channel the block keeps as descriptor `SANDBOX_FDS.calls` (a socket pair, no network), and
   * hands the head's end to this function when the process starts (its quantum calls, quantum-calls/).
   */
  readonly channel?: (socket: Duplex) => void;
}

export interface SandboxOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the block wrote on fd 3 (capped like stdout). */
  readonly reported: string;
  readonly truncated: boolean;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly oomKilled: boolean;
  readonly pidsLimitHit: boolean;
  readonly spawnError?: string;
  /** Why the sandbox's network could not be set up (the block was killed before it ran). */
  readonly networkError?: string;
  readonly durationMs: number;
  readonly sandboxed: boolean;
}

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * Runs as `bash -c JOIN keep n files… command…`: closes every descriptor not in `keep` (Node passes on any
 * descriptor it inherited without close-on-exec, and leaves the numbers of 'ignore' entries past 2 untouched),
 * joins the `n` cgroup.procs files so every process of the block is counted, then execs the sandbox. bash,
 * because dash cannot close descriptors above 9.
 */
export const JOIN_CGROUPS = [
  'keep=" $1 "; n=$2; shift 2',
  'for fd in /proc/self/fd/*; do fd=${fd##*/}; case $keep in *" $fd "*) ;; *) eval "exec $fd>&-" ;; esac; done',
  'while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done',
  'exec "$@"',
].join('\n');

/**
 * The block's files on the host: `<mkdtemp>/code` (bound at /maml) and, with the network, `<mkdtemp>/resolv.conf`.
 * The mkdtemp directory stays 0700; under root the code directory belongs to root and the sandbox user's group,
 * 0750, so the sandbox user can read it and not change it, and no other local user can reach it.
 */
export function writeBlockFiles(
  hostDir: string,
  files: Readonly<Record<string, string>>,
  identity: SandboxIdentity | undefined,
  network: boolean,
): string {
  const code = join(hostDir, 'code');
  mkdirSync(code, { mode: 0o700 });
  for (const [name, content] of Object.entries(files)) {
    const file = join(code, name);
    writeFileSync(file, content, { flag: 'wx' });
    chmodSync(file, 0o644);
  }
  if (identity?.mode === 'setpriv') {
    chownSync(code, 0, identity.gid);
    chmodSync(code, 0o750);
  }
  if (network) {
    writeFileSync(join(hostDir, 'resolv.conf'), SANDBOX_RESOLV_CONF, { flag: 'wx' });
    chmodSync(join(hostDir, 'resolv.conf'), 0o644);
  }
  return code;
}

/** Node types `stdio` as a five-element tuple; the sandbox uses descriptors up to 7. */
export function stdioAt<T extends Readable | Writable>(child: ChildProcess, fd: number): T | undefined {
  return ((child.stdio as unknown as readonly (Readable | Writable | null | undefined)[])[fd] ?? undefined) as
    T | undefined;
}

/**
 * Connects the sandbox's network once bwrap reports its child: slirp4netns joins the network namespace of that
 * child (root) or of bwrap itself, which `unshare --net` put there (user namespaces). The block starts when a
 * byte reaches bwrap's block descriptor; on failure the caller kills the tree and the block never runs.
 */
function startNetwork(
  child: ChildProcess,
  slirp: string,
  identity: SandboxIdentity,
  started: (network: SandboxNetwork) => void,
): Promise<void> {
  const info = stdioAt<Readable>(child, SANDBOX_FDS.info);
  const block = stdioAt<Writable>(child, SANDBOX_FDS.block);
  return new Promise((resolve, reject) => {
    let text = '';
    info?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    info?.on('error', () => undefined);
    block?.on('error', () => undefined);
    info?.on('end', () => {
      const reported = /"child-pid":\s*(\d+)/.exec(text)?.[1];
      if (reported === undefined || child.pid === undefined) {
        reject(new Error('bubblewrap stopped before it reported its sandbox'));
        return;
      }
      const network = connectNetwork(
        slirp,
        identity.mode === 'setpriv' ? Number(reported) : child.pid,
        identity.mode === 'setpriv',
      );
      started(network);
      network.ready.then(() => {
        block?.end('1');
        resolve();
      }, reject);
    });
  });
}

export async function runSandboxed(request: SandboxRequest): Promise<SandboxOutcome> {
  const bwrap = request.unsafeNoSandbox ? undefined : requireBwrap();
  const identity = bwrap ? sandboxIdentity() : undefined;
  const slirp = bwrap && request.network ? requireSlirp4netns() : undefined;
  const filter = bwrap ? seccompProgram(requireSeccompArch()) : undefined;
  const hostDir = mkdtempSync(join(tmpdir(), 'maml-block-'));
  let hostScratch: string | undefined;
  let network: SandboxNetwork | undefined;
  const cgroup = createBlockCgroup({ memoryBytes: request.limits.memoryLimitBytes, pids: request.limits.pidsLimit });
  try {
    const hostCode = writeBlockFiles(hostDir, request.files, identity, slirp !== undefined);
    hostScratch = bwrap ? undefined : mkdtempSync(join(tmpdir(), 'maml-scratch-'));
    const dirs: SandboxDirs = bwrap
      ? { code: SANDBOX_CODE_DIR, scratch: SANDBOX_SCRATCH_DIR }
      : { code: hostCode, scratch: hostScratch ?? hostCode };
    const env = {
      PATH: BASE_PATH,
      HOME: dirs.scratch,
      TMPDIR: dirs.scratch,
      LANG: 'C.UTF-8',
      ...request.env?.(dirs),
    };
    const inner = request.argv(dirs);
    const command = bwrap && identity ? hostCommand(bwrap, identity, slirp !== undefined, inner) : [...inner];
    const argsData =
      bwrap && identity
        ? encodeArgs(
            bwrapArgs({
              identity,
              codeDir: hostCode,
              network: slirp !== undefined,
              resolvConf: join(hostDir, 'resolv.conf'),
              scratchBytes: request.limits.scratchBytes,
              env,
              readOnlyPaths: request.readOnlyPaths ?? [],
              fds: {
                seccomp: SANDBOX_FDS.seccomp,
                ...(slirp ? { info: SANDBOX_FDS.info, block: SANDBOX_FDS.block } : {}),
              },
            }),
          )
        : undefined;
    const keep = [0, 1, 2, SANDBOX_FDS.outputs];
    if (bwrap) keep.push(SANDBOX_FDS.seccomp, SANDBOX_FDS.args);
    if (slirp) keep.push(SANDBOX_FDS.info, SANDBOX_FDS.block);
    if (request.channel) keep.push(SANDBOX_FDS.calls);
    const argv = [
      '-c',
      JOIN_CGROUPS,
      'maml-sandbox',
      keep.join(' '),
      String(cgroup.procsFiles.length),
      ...cgroup.procsFiles,
      ...command,
    ];
    const stdout = new CappedBuffer(request.limits.outputLimitBytes);
    const stderr = new CappedBuffer(request.limits.outputLimitBytes);
    const reported = new CappedBuffer(request.limits.outputLimitBytes);
    const started = performance.now();
    let timedOut = false;
    let cancelled = false;
    let networkError: string | undefined;
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>(
      (resolve) => {
        const withNetwork = slirp !== undefined;
        const child = spawn('/bin/bash', argv, {
          stdio: [
            'ignore',
            'pipe',
            'pipe',
            'pipe',
            bwrap ? 'pipe' : 'ignore',
            bwrap ? 'pipe' : 'ignore',
            withNetwork ? 'pipe' : 'ignore',
            withNetwork ? 'pipe' : 'ignore',
            ...(request.channel ? (['pipe'] as const) : []),
          ],
          // Own process group: a timeout kills the group, and bwrap's --die-with-parent takes the rest.
          detached: true,
          // The sandbox gets only `env` (through bwrap's --clearenv and --setenv), never the gateway's variables.
          env: bwrap ? { PATH: BASE_PATH } : env,
          cwd: bwrap ? '/' : dirs.scratch,
        });
        const killTree = (): void => {
          if (child.pid !== undefined) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // the group is already gone
            }
          }
          cgroup.killAll();
        };
        const timer = setTimeout(() => {
          timedOut = true;
          killTree();
        }, request.limits.timeoutMs);
        const onAbort = (): void => {
          cancelled = true;
          killTree();
        };
        request.signal?.addEventListener('abort', onAbort, { once: true });
        for (const fd of [SANDBOX_FDS.seccomp, SANDBOX_FDS.args]) {
          const stream = stdioAt<Writable>(child, fd);
          stream?.on('error', () => undefined);
          stream?.end(fd === SANDBOX_FDS.seccomp ? filter : argsData);
        }
        if (slirp && identity)
          startNetwork(child, slirp, identity, (started) => (network = started)).catch((error: Error) => {
            networkError = error.message;
            killTree();
          });
        const calls = request.channel ? stdioAt<Duplex>(child, SANDBOX_FDS.calls) : undefined;
        if (calls && request.channel) request.channel(calls);
        child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
        const fd3 = child.stdio[SANDBOX_FDS.outputs];
        if (fd3 && 'on' in fd3) fd3.on('data', (chunk: Buffer) => reported.push(chunk));
        child.on('error', (error) => {
          clearTimeout(timer);
          resolve({ code: null, signal: null, error: error.message });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          // Anything that escaped the process group (a daemonised grandchild) still sits in the cgroup.
          cgroup.killAll();
          resolve({ code, signal });
        });
      },
    );
    const outcome: SandboxOutcome = {
      exitCode: result.code,
      signal: result.signal,
      stdout: stdout.text(),
      stderr: stderr.text(),
      reported: reported.text(),
      truncated: stdout.truncated || stderr.truncated || reported.truncated,
      timedOut,
      cancelled,
      oomKilled: cgroup.oomKilled(),
      pidsLimitHit: cgroup.pidsLimitHit(),
      durationMs: performance.now() - started,
      sandboxed: bwrap !== undefined,
      ...(networkError === undefined || timedOut || cancelled ? {} : { networkError }),
    };
    return result.error === undefined ? outcome : { ...outcome, spawnError: result.error };
  } finally {
    network?.close();
    cgroup.remove();
    rmSync(hostDir, { recursive: true, force: true });
    if (hostScratch) rmSync(hostScratch, { recursive: true, force: true });
  }
}
