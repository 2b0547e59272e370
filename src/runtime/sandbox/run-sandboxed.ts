/**
 * Runs one block's program as its own OS process: inside bubblewrap (or, only when explicitly asked, without),
 * in its own cgroup for memory and process limits, with a wall-clock timeout that kills the whole process tree,
 * stdout/stderr capped, and a third pipe (fd 3) on which the block reports its outputs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskLimits } from '../task-spec.js';
import { CappedBuffer } from './capped-buffer.js';
import { SANDBOX_CODE_DIR, SANDBOX_SCRATCH_DIR, bwrapArgs, requireBwrap } from './bwrap.js';
import { createBlockCgroup } from './cgroup.js';

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
  readonly durationMs: number;
  readonly sandboxed: boolean;
}

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

// Joins the cgroups given as "$1 files…" and then execs the sandbox, so every process of the block is counted.
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

export async function runSandboxed(request: SandboxRequest): Promise<SandboxOutcome> {
  const bwrap = request.unsafeNoSandbox ? undefined : requireBwrap();
  const hostCode = mkdtempSync(join(tmpdir(), 'maml-block-'));
  const hostScratch = bwrap ? undefined : mkdtempSync(join(tmpdir(), 'maml-scratch-'));
  const dirs: SandboxDirs = bwrap
    ? { code: SANDBOX_CODE_DIR, scratch: SANDBOX_SCRATCH_DIR }
    : { code: hostCode, scratch: hostScratch ?? hostCode };
  for (const [name, content] of Object.entries(request.files)) writeFileSync(join(hostCode, name), content);
  const env = {
    PATH: BASE_PATH,
    HOME: dirs.scratch,
    TMPDIR: dirs.scratch,
    LANG: 'C.UTF-8',
    ...request.env?.(dirs),
  };
  const inner = request.argv(dirs);
  const cgroup = createBlockCgroup({ memoryBytes: request.limits.memoryLimitBytes, pids: request.limits.pidsLimit });
  const command = bwrap
    ? [
        bwrap,
        ...bwrapArgs({
          codeDir: hostCode,
          network: request.network,
          scratchBytes: request.limits.scratchBytes,
          env,
          readOnlyPaths: request.readOnlyPaths ?? [],
        }),
        ...inner,
      ]
    : [...inner];
  const argv = ['-c', JOIN_CGROUPS, 'sh', String(cgroup.procsFiles.length), ...cgroup.procsFiles, ...command];
  const stdout = new CappedBuffer(request.limits.outputLimitBytes);
  const stderr = new CappedBuffer(request.limits.outputLimitBytes);
  const reported = new CappedBuffer(request.limits.outputLimitBytes);
  const started = performance.now();
  let timedOut = false;
  let cancelled = false;
  try {
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>(
      (resolve) => {
        const child = spawn('/bin/sh', argv, {
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          // Own process group: a timeout kills the group, and bwrap's --die-with-parent takes the rest.
          detached: true,
          env: bwrap ? { PATH: BASE_PATH } : env,
          cwd: dirs.scratch,
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
        child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
        const fd3 = child.stdio[3];
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
    };
    return result.error === undefined ? outcome : { ...outcome, spawnError: result.error };
  } finally {
    cgroup.remove();
    rmSync(hostCode, { recursive: true, force: true });
    if (hostScratch) rmSync(hostScratch, { recursive: true, force: true });
  }
}
