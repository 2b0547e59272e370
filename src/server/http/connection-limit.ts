/**
 * A bound on open connections that still answers: a connection beyond `--max-connections` is accepted and its
 * request answered `503` with `Retry-After` and `Connection: close`, instead of being reset (what Node's
 * `server.maxConnections` does) or left to the kernel. The bound exists for file descriptors: past the process's
 * open-files limit accept() fails, libuv closes the connection unanswered (the client sees a reset) and the
 * embedded database cannot open its files, so the default stays well below that limit. `maml serve` first raises
 * the soft open-files limit to the hard one, as Go programs do at start: the usual soft limit, 1,024, is too
 * few for a thousand clients at once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** File descriptors kept for everything but client connections: database files, heads, workers, logs. */
const RESERVED_FDS = 256;
const MIN_CONNECTIONS = 64;
const MAX_DEFAULT_CONNECTIONS = 10_000;

/** The soft and hard open-files limits (Linux, /proc/self/limits), or undefined where they cannot be read. */
export function openFilesLimits(limits = '/proc/self/limits'): { soft: number; hard: number } | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync(limits, 'utf8'));
    if (!m?.[1] || !m[2]) return undefined;
    const value = (text: string): number => (text === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(text));
    return { soft: value(m[1]), hard: value(m[2]) };
  } catch {
    return undefined;
  }
}

/** The soft open-files limit, or undefined where it cannot be read. */
export function openFilesLimit(): number | undefined {
  return openFilesLimits()?.soft;
}

/**
 * Raises this process's soft open-files limit to its hard limit with util-linux `prlimit` (Node has no
 * setrlimit). Returns the soft limit now in force; where it cannot be read or raised it is left as it was.
 */
export function raiseOpenFilesLimit(): number | undefined {
  const limits = openFilesLimits();
  if (!limits || limits.soft >= limits.hard) return limits?.soft;
  const hard = limits.hard === Number.MAX_SAFE_INTEGER ? 'unlimited' : String(limits.hard);
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`], {
      stdio: 'ignore',
      timeout: 5000,
    });
  } catch {
    // No prlimit (not Linux, or a minimal image): the soft limit stays, and --max-connections follows it.
  }
  return openFilesLimit();
}

/** The default `--max-connections`: the open-files limit less a reserve, within [64, 10,000]; 1,000 if unknown. */
export function defaultMaxConnections(fileLimit = openFilesLimit()): number {
  if (fileLimit === undefined) return 1000;
  return Math.max(MIN_CONNECTIONS, Math.min(MAX_DEFAULT_CONNECTIONS, fileLimit - RESERVED_FDS));
}

const OVER_LIMIT = Symbol('over the connection limit');

type Marked = Socket & { [OVER_LIMIT]?: true };

export class ConnectionLimit {
  private count = 0;

  /** Counts the server's connections; those that arrive while `max` are open are marked to be refused. */
  constructor(
    server: Server,
    readonly max: number,
  ) {
    server.prependListener('connection', (socket: Marked) => {
      this.count++;
      socket.once('close', () => this.count--);
      if (this.count > max) socket[OVER_LIMIT] = true;
    });
  }

  get open(): number {
    return this.count;
  }

  /** Whether requests on this connection are to be answered 503 (it arrived over the limit). */
  refuses(socket: Socket): boolean {
    return (socket as Marked)[OVER_LIMIT] === true;
  }
}
