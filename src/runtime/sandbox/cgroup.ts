/**
 * Per-block cgroups for the memory and process-count limits. cgroup v1 (separate `memory` and `pids` hierarchies,
 * as on the Debian CI machines) and v2 (one unified hierarchy, when this process may delegate into its own
 * cgroup) are both supported. When neither can be created the limits are reported as not enforced: RLIMIT_AS is
 * deliberately not used, because V8 and other JIT runtimes reserve far more address space than they use.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupMode = 'v1' | 'v2' | 'none';

export interface CgroupLimits {
  readonly memoryBytes: number;
  readonly pids: number;
}

/** The cgroup of one block: the `cgroup.procs` files to join and how to read what happened. */
export interface BlockCgroup {
  readonly mode: CgroupMode;
  /** `cgroup.procs` files a process must be written to before it execs the sandbox. */
  readonly procsFiles: readonly string[];
  /** Whether the kernel killed a process for exceeding the memory limit. */
  oomKilled(): boolean;
  /** Whether a fork or clone was refused by the process limit. */
  pidsLimitHit(): boolean;
  /** SIGKILL every process still in the cgroup. */
  killAll(): void;
  /** Remove the cgroup directories (after the processes are gone). */
  remove(): void;
}

const ROOT = '/sys/fs/cgroup';
let detected: { mode: CgroupMode; base: Record<string, string>; reason: string } | undefined;
let counter = 0;

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

function readNumberField(file: string, field: string): number {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [key, value] = line.trim().split(/\s+/);
      if (key === field) return Number(value);
    }
  } catch {
    // a missing file reads as zero
  }
  return 0;
}

function detectV1(): { mode: CgroupMode; base: Record<string, string>; reason: string } | undefined {
  const memory = join(ROOT, 'memory');
  const pids = join(ROOT, 'pids');
  if (!existsSync(join(memory, 'memory.limit_in_bytes')) || !existsSync(join(pids, 'cgroup.procs'))) return undefined;
  const base = { memory: join(memory, 'maml'), pids: join(pids, 'maml') };
  try {
    mkdirSync(base.memory, { recursive: true });
    mkdirSync(base.pids, { recursive: true });
  } catch (error) {
    return { mode: 'none', base: {}, reason: `cgroup v1 found but not writable (${(error as Error).message})` };
  }
  return { mode: 'v1', base, reason: 'cgroup v1 memory and pids controllers' };
}

function detectV2(): { mode: CgroupMode; base: Record<string, string>; reason: string } | undefined {
  if (!existsSync(join(ROOT, 'cgroup.controllers'))) return undefined;
  const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1] ?? '/';
  // A child of our own cgroup can only get controllers if our cgroup delegates them; a sibling "maml" group
  // under the parent is tried first because our own cgroup usually holds processes (the no-internal-process rule).
  for (const parent of [join(ROOT, own, '..'), join(ROOT, own)]) {
    const base = join(parent, 'maml');
    try {
      mkdirSync(base, { recursive: true });
      tryWrite(join(parent, 'cgroup.subtree_control'), '+memory +pids');
      tryWrite(join(base, 'cgroup.subtree_control'), '+memory +pids');
      const enabled = readFileSync(join(base, 'cgroup.subtree_control'), 'utf8');
      if (enabled.includes('memory') && enabled.includes('pids'))
        return { mode: 'v2', base: { unified: base }, reason: 'cgroup v2 memory and pids controllers' };
    } catch {
      // try the next candidate
    }
  }
  return { mode: 'none', base: {}, reason: 'cgroup v2 found but memory/pids controllers cannot be delegated' };
}

/**
 * Creating a cgroup is not enough: in some containers a process may not move into it. A short-lived shell joins
 * a probe group the way every block will, so a refusal is found once, here, and not as a failed block.
 */
function canJoin(found: { mode: CgroupMode; base: Record<string, string>; reason: string }): boolean {
  const dirs = Object.values(found.base).map((base) => join(base, `probe-${process.pid}`));
  try {
    for (const dir of dirs) mkdirSync(dir, { recursive: true });
    const script = dirs.map((dir) => `echo $$ > ${JSON.stringify(join(dir, 'cgroup.procs'))}`).join(' && ');
    return spawnSync('/bin/sh', ['-c', script], { timeout: 5000 }).status === 0;
  } catch {
    return false;
  } finally {
    for (const dir of dirs) removeDir(dir);
  }
}

/** Which cgroup mode this process can use, detected once; `reason` explains it for docs and `maml doctor`. */
export function cgroupSupport(): { mode: CgroupMode; reason: string } {
  if (!detected) {
    const found = detectV1() ?? detectV2() ?? { mode: 'none', base: {}, reason: 'no cgroup filesystem found' };
    detected =
      found.mode === 'none' || canJoin(found)
        ? found
        : { mode: 'none', base: {}, reason: `${found.reason} exist, but a process cannot join them here` };
  }
  return { mode: detected.mode, reason: detected.reason };
}

function noCgroup(): BlockCgroup {
  return {
    mode: 'none',
    procsFiles: [],
    oomKilled: () => false,
    pidsLimitHit: () => false,
    killAll: () => undefined,
    remove: () => undefined,
  };
}

function killProcs(dir: string): void {
  try {
    for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // cgroup already removed
  }
}

function removeDir(dir: string): void {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      killProcs(dir);
      // Processes take a moment to leave a cgroup after SIGKILL; a short synchronous wait keeps cleanup simple.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** Creates the cgroup for one block execution, named after this process so a supervisor can sweep leftovers. */
export function createBlockCgroup(limits: CgroupLimits): BlockCgroup {
  const support = cgroupSupport();
  if (support.mode === 'none' || !detected) return noCgroup();
  const name = `${process.pid}-${++counter}`;
  if (support.mode === 'v1') {
    const memory = join(detected.base['memory'] ?? '', name);
    const pids = join(detected.base['pids'] ?? '', name);
    try {
      mkdirSync(memory);
      mkdirSync(pids);
      writeFileSync(join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
      // Swap would let a memory bomb grow past the limit; memsw exists only when swap accounting is on.
      tryWrite(join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      writeFileSync(join(pids, 'pids.max'), String(limits.pids));
    } catch {
      removeDir(memory);
      removeDir(pids);
      return noCgroup();
    }
    return {
      mode: 'v1',
      procsFiles: [join(memory, 'cgroup.procs'), join(pids, 'cgroup.procs')],
      oomKilled: () => readNumberField(join(memory, 'memory.oom_control'), 'oom_kill') > 0,
      pidsLimitHit: () => readNumberField(join(pids, 'pids.events'), 'max') > 0,
      killAll: () => {
        killProcs(memory);
        killProcs(pids);
      },
      remove: () => {
        removeDir(memory);
        removeDir(pids);
      },
    };
  }
  const dir = join(detected.base['unified'] ?? '', name);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
    tryWrite(join(dir, 'memory.swap.max'), '0');
    writeFileSync(join(dir, 'pids.max'), String(limits.pids));
  } catch {
    removeDir(dir);
    return noCgroup();
  }
  return {
    mode: 'v2',
    procsFiles: [join(dir, 'cgroup.procs')],
    oomKilled: () => readNumberField(join(dir, 'memory.events'), 'oom_kill') > 0,
    pidsLimitHit: () => readNumberField(join(dir, 'pids.events'), 'max') > 0,
    killAll: () => {
      if (!tryWrite(join(dir, 'cgroup.kill'), '1')) killProcs(dir);
    },
    remove: () => removeDir(dir),
  };
}

/** Removes cgroups left by a process that died (a killed head): their names start with its pid. */
export function sweepCgroupsOf(pid: number): void {
  if (!detected || detected.mode === 'none') return;
  for (const base of Object.values(detected.base)) {
    let names: string[];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) if (name.startsWith(`${pid}-`)) removeDir(join(base, name));
  }
}
