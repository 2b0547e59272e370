/**
 * The exclusive lock on an embedded run database. PGlite is one PostgreSQL in one process: two processes on the same
 * data directory each cache pages and write WAL as if alone, the files diverge, and the database stops opening. So
 * whoever opens it first holds `<data dir>.lock`, and every other process is refused, told who holds it.
 *
 * Node has no flock(2), so the lock is a file that exists only while held:
 *
 * - Taking it is `link(2)` of a fully written temporary file to the lock's name, which fails if the name exists:
 *   of two processes exactly one succeeds, and nobody ever reads a half-written lock.
 * - It records the holder's pid, its start time (field 22 of /proc/<pid>/stat), the boot id and the host. A holder
 *   is dead when its pid is gone, when that pid now belongs to a process started at another time (the pid was
 *   reused), or when the lock was written before the last boot. A lock written on another host (a state directory
 *   on a network file system) cannot be checked and counts as held.
 * - A dead holder's lock is broken by whoever first creates `<lock>.break-<fingerprint of that lock>` (with the same
 *   link rule): inside that guard it checks that the lock still has exactly the dead holder's bytes before removing
 *   it, then tries to take the lock like anybody else. Two processes can never both remove a lock or remove the one
 *   a third just took, since every lock's bytes are unique (they hold a random nonce). A guard left by a breaker
 *   that died is itself broken the same way, one level down.
 * - It is removed on close, at process exit, and on SIGINT or SIGTERM when nothing else handles them (a command
 *   that handles them, such as `maml serve`, closes the database itself). After kill -9 it stays, dead, and the next
 *   process takes it over.
 */
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { MamlError } from '../../shared/index.js';

export interface LockHolder {
  readonly pid: number;
  /** Clock ticks after boot at which the process started (Linux), to tell a reused pid from the holder. */
  readonly startTime?: string;
  readonly bootId?: string;
  readonly host: string;
  /** The holder's command line, as the refusal shows it. */
  readonly command: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  readonly nonce: string;
}

export interface StateLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours; idempotent. */
  release(): void;
}

/** How many guard levels a break may go down (each is a breaker that died while breaking). */
const MAX_DEPTH = 3;
const ATTEMPTS = 50;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function procStartTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' start at field 3.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id');
}

function currentHolder(): LockHolder {
  const startTime = procStartTime(process.pid);
  const boot = bootId();
  return {
    pid: process.pid,
    ...(startTime === undefined ? {} : { startTime }),
    ...(boot === undefined ? {} : { bootId: boot }),
    host: hostname(),
    command: ['maml', ...process.argv.slice(2)].join(' ').slice(0, 300),
    since: new Date().toISOString(),
    nonce: randomBytes(16).toString('hex'),
  };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder is certainly gone. A lock that is not ours to read (not JSON) is also gone. */
function isDead(text: string): boolean {
  const holder = parseHolder(text);
  if (!holder) return true;
  if (holder.host !== hostname()) return false;
  const boot = bootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the pid exists under another user; its start time below still tells whether it is the holder.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const started = procStartTime(holder.pid);
  return holder.startTime !== undefined && started !== undefined && started !== holder.startTime;
}

/** Creates `path` holding `content` if it does not exist; false if it does. */
function createExclusive(path: string, content: string): boolean {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, content, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}

function removeIfEnoent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes `path` with `content`, breaking a dead holder's lock safely; else returns the holder's text, `stale` when
 * that holder is dead but another process is breaking its lock.
 */
type Taken = { held: true } | { held: false; holder: string; stale: boolean };

function take(path: string, content: string, depth: number): Taken {
  let last = '';
  let stale = false;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusive(path, content)) return { held: true };
    const existing = readText(path);
    if (existing === undefined) continue;
    last = existing;
    stale = isDead(existing);
    if (!stale || depth >= MAX_DEPTH) return { held: false, holder: existing, stale };
    const fingerprint = createHash('sha256').update(existing).digest('hex').slice(0, 16);
    const guard = `${path}.break-${fingerprint}`;
    if (take(guard, content, depth + 1).held) {
      try {
        if (readText(path) === existing) removeIfEnoent(path);
      } finally {
        removeIfEnoent(guard);
      }
    } else pause(20); // someone else is breaking this lock right now
  }
  return { held: false, holder: last, stale };
}

function describe(text: string, lockPath: string): string {
  const holder = parseHolder(text);
  if (!holder) return `an unreadable lock (${lockPath})`;
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  return `pid ${holder.pid}${where} (\`${holder.command}\`), since ${holder.since}`;
}

const held = new Set<StateLock>();
let handlersInstalled = false;

function releaseAll(): void {
  for (const lock of [...held]) lock.release();
}

function onSignal(signal: NodeJS.Signals): void {
  // A command with its own handler (maml serve, maml run) shuts down and closes the database itself.
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function removeHandlers(): void {
  if (!handlersInstalled || held.size > 0) return;
  handlersInstalled = false;
  process.off('exit', releaseAll);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/**
 * Takes the lock of the embedded database in `dataDir`, or throws `conflict` naming the holder and what to do.
 * `what` names the directory for the message (the state directory, usually `dataDir`'s parent).
 */
export function lockDataDir(dataDir: string, what = dirname(dataDir)): StateLock {
  const path = `${dataDir}.lock`;
  const holder = currentHolder();
  const content = `${JSON.stringify(holder)}\n`;
  const result = take(path, content, 0);
  if (!result.held) {
    const holderText = describe(result.holder, path);
    throw new MamlError(
      'conflict',
      result.stale
        ? `the state directory ${what} is being taken over from a process that died (${holderText}) by another ` +
            'maml process, which will hold it; try again once that process is done.'
        : `the state directory ${what} is in use by another maml process: ${holderText}. ` +
            'Its embedded database allows one process at a time (two would corrupt it). Wait for that process to ' +
            'finish, send your runs to it if it is `maml serve` (POST /v1/runs on its URL), set DATABASE_URL to ' +
            'share a PostgreSQL database between processes, or use another --state-dir.',
      { details: { lock: path, holder: parseHolder(result.holder) ?? null } },
    );
  }
  // Guards left by breakers that died: with the lock ours, no break of an older lock can remove anything.
  try {
    for (const name of readdirSync(dirname(path)))
      if (name.startsWith(`${basename(path)}.break-`)) removeIfEnoent(join(dirname(path), name));
  } catch {
    // litter only
  }
  const lock: StateLock = {
    path,
    holder,
    release() {
      if (!held.delete(lock)) return;
      try {
        if (readText(path) === content.trim()) unlinkSync(path);
      } catch {
        // already gone
      }
      removeHandlers();
    },
  };
  held.add(lock);
  installHandlers();
  return lock;
}
