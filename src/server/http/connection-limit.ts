/**
 * A bound on open connections that still answers: a connection beyond `--max-connections` is accepted and its
 * request answered `503` with `Retry-After` and `Connection: close`, instead of being reset (what Node's
 * `server.maxConnections` does) or left to the kernel. The bound exists for file descriptors: past the process's
 * open-files limit accept() fails, libuv closes the connection unanswered (the client sees a reset) and the
 * embedded database cannot open its files, so the default stays well below that limit. (Node raises its soft
 * open-files limit to the hard one at start, so the hard limit is the one that counts.) A burst of connections
 * larger than the limit still takes a descriptor each until it is answered: the limit cannot make room for more
 * connections than the process may open.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** File descriptors kept for everything but client connections: database files, heads, workers, logs. */
const RESERVED_FDS = 256;
const MIN_CONNECTIONS = 64;
const MAX_DEFAULT_CONNECTIONS = 10_000;

/** The soft open-files limit (Linux, /proc/self/limits), or undefined where it cannot be read. */
export function openFilesLimit(limits = '/proc/self/limits'): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(limits, 'utf8'));
    if (!m?.[1]) return undefined;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
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
