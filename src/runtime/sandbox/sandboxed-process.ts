/**
 * A long-lived sandboxed process that the caller talks to: requests on its stdin, answers as lines on fd 3. The
 * sandbox is exactly that of `runSandboxed` (the same bwrap options through `--args`, the same identity and
 * seccomp filter, the same code directory and cgroup), without a network, and there is no wall-clock timeout of
 * its own: the caller times each request and calls `kill()`, which ends the process group and every process left
 * in the cgroup. A run's SQL blocks use one such process for the whole run (executors/sql/).
 *
 * Descriptors of the spawned process (bwrap.ts SANDBOX_FDS): 0 the requests; 3 the answers; 4 the seccomp
 * program and 5 bwrap's arguments, both closed by bwrap before the process starts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
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
import { JOIN_CGROUPS, stdioAt, writeBlockFiles } from './run-sandboxed.js';
import type { SandboxDirs } from './run-sandboxed.js';
import { sandboxIdentity } from './sandbox-user.js';
import { seccompProgram } from './seccomp.js';

export interface SandboxedProcessRequest {
  /** The command, built from where the files will be seen by the process. */
  readonly argv: (dirs: SandboxDirs) => readonly string[];
  /** Files written into the code directory (read-only in the sandbox) before the process starts. */
  readonly files: Readonly<Record<string, string>>;
  readonly env?: (dirs: SandboxDirs) => Readonly<Record<string, string>>;
  readonly limits: Pick<TaskLimits, 'memoryLimitBytes' | 'pidsLimit' | 'scratchBytes' | 'outputLimitBytes'>;
  /** Host paths bound read-only at the same place (the Node binary, a package the process imports). */
  readonly readOnlyPaths?: readonly string[];
  readonly unsafeNoSandbox: boolean;
  /** Longest line accepted on fd 3; a longer one kills the process and sets `lineTooLong`. */
  readonly maxLineBytes: number;
  /** Called with each line the process writes on fd 3, without its newline. */
  readonly onLine: (line: string) => void;
}

export interface ProcessEnd {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The process's stderr, capped like a block's. */
  readonly stderr: string;
  readonly oomKilled: boolean;
  readonly pidsLimitHit: boolean;
  /** A line on fd 3 was longer than `maxLineBytes`. */
  readonly lineTooLong: boolean;
  /** `kill()` was called. */
  readonly killed: boolean;
  readonly spawnError?: string;
}

export interface SandboxedProcess {
  readonly sandboxed: boolean;
  /** Writes one line to the process's stdin (ignored once it has ended). */
  send(line: string): void;
  /** Closes its stdin: a process that reads to the end then exits on its own. */
  endInput(): void;
  /** SIGKILL to the process group and every process in the cgroup. */
  kill(): void;
  /** Settles once the process is gone and its cgroup and files are removed; never rejects. */
  readonly ended: Promise<ProcessEnd>;
}

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Splits a stream into lines, refusing to buffer a line longer than `max` bytes. */
function readLines(stream: Readable, max: number, onLine: (line: string) => void, onTooLong: () => void): void {
  let pending: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  stream.on('data', (chunk: Buffer) => {
    if (overflowed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      onLine(Buffer.concat(pending).toString('utf8'));
      pending = [];
      size = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    size += rest.length;
    if (size > max) {
      overflowed = true;
      pending = [];
      onTooLong();
      return;
    }
    if (rest.length > 0) pending.push(rest);
  });
}

export function startSandboxedProcess(request: SandboxedProcessRequest): SandboxedProcess {
  const bwrap = request.unsafeNoSandbox ? undefined : requireBwrap();
  const identity = bwrap ? sandboxIdentity() : undefined;
  const filter = bwrap ? seccompProgram(requireSeccompArch()) : undefined;
  const hostDir = mkdtempSync(join(tmpdir(), 'maml-proc-'));
  let hostScratch: string | undefined;
  const cleanupFiles = (): void => {
    rmSync(hostDir, { recursive: true, force: true });
    if (hostScratch) rmSync(hostScratch, { recursive: true, force: true });
  };
  const cgroup = createBlockCgroup({ memoryBytes: request.limits.memoryLimitBytes, pids: request.limits.pidsLimit });
  let argv: string[];
  let env: Record<string, string>;
  let dirs: SandboxDirs;
  let argsData: Buffer | undefined;
  try {
    const hostCode = writeBlockFiles(hostDir, request.files, identity, false);
    hostScratch = bwrap ? undefined : mkdtempSync(join(tmpdir(), 'maml-scratch-'));
    dirs = bwrap
      ? { code: SANDBOX_CODE_DIR, scratch: SANDBOX_SCRATCH_DIR }
      : { code: hostCode, scratch: hostScratch ?? hostCode };
    env = { PATH: BASE_PATH, HOME: dirs.scratch, TMPDIR: dirs.scratch, LANG: 'C.UTF-8', ...request.env?.(dirs) };
    const inner = request.argv(dirs);
    const command = bwrap && identity ? hostCommand(bwrap, identity, false, inner) : [...inner];
    argsData =
      bwrap && identity
        ? encodeArgs(
            bwrapArgs({
              identity,
              codeDir: hostCode,
              network: false,
              scratchBytes: request.limits.scratchBytes,
              env,
              readOnlyPaths: request.readOnlyPaths ?? [],
              fds: { seccomp: SANDBOX_FDS.seccomp },
            }),
          )
        : undefined;
    const keep = [0, 1, 2, SANDBOX_FDS.outputs, ...(bwrap ? [SANDBOX_FDS.seccomp, SANDBOX_FDS.args] : [])];
    argv = ['-c', JOIN_CGROUPS, 'maml-sandbox', keep.join(' '), String(cgroup.procsFiles.length)];
    argv.push(...cgroup.procsFiles, ...command);
  } catch (error) {
    cgroup.remove();
    cleanupFiles();
    throw error;
  }
  const child = spawn('/bin/bash', argv, {
    stdio: ['pipe', 'ignore', 'pipe', 'pipe', bwrap ? 'pipe' : 'ignore', bwrap ? 'pipe' : 'ignore'],
    // Own process group, so kill() reaches everything the process started; bwrap's --die-with-parent ends
    // the sandbox if this process dies, and without bwrap the process sees its stdin close.
    detached: true,
    // The sandbox gets only `env` (through bwrap's --clearenv and --setenv), never the gateway's variables.
    env: bwrap ? { PATH: BASE_PATH } : env,
    cwd: bwrap ? '/' : dirs.scratch,
  });
  for (const fd of [SANDBOX_FDS.seccomp, SANDBOX_FDS.args]) {
    const stream = stdioAt<Writable>(child, fd);
    stream?.on('error', () => undefined);
    stream?.end(fd === SANDBOX_FDS.seccomp ? filter : argsData);
  }
  const stderr = new CappedBuffer(request.limits.outputLimitBytes);
  let killed = false;
  let lineTooLong = false;
  let exited = false;
  const kill = (): void => {
    killed = true;
    if (child.pid !== undefined && !exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    cgroup.killAll();
  };
  child.stdin?.on('error', () => undefined);
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const answers = stdioAt<Readable>(child, SANDBOX_FDS.outputs);
  if (answers)
    readLines(answers, request.maxLineBytes, request.onLine, () => {
      lineTooLong = true;
      kill();
    });
  const ended = new Promise<ProcessEnd>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void => {
      if (exited) return;
      exited = true;
      // Anything that left the process group (a daemonised grandchild) still sits in the cgroup.
      cgroup.killAll();
      const end: ProcessEnd = {
        exitCode: code,
        signal,
        stderr: stderr.text(),
        oomKilled: cgroup.oomKilled(),
        pidsLimitHit: cgroup.pidsLimitHit(),
        lineTooLong,
        killed,
      };
      cgroup.remove();
      cleanupFiles();
      resolve(spawnError === undefined ? end : { ...end, spawnError });
    };
    child.on('error', (error) => finish(null, null, error.message));
    child.on('close', (code, signal) => finish(code, signal));
  });
  return {
    sandboxed: bwrap !== undefined,
    send(line) {
      if (!exited && child.stdin?.writable) child.stdin.write(`${line}\n`);
    },
    endInput() {
      child.stdin?.end();
    },
    kill,
    ended,
  };
}
