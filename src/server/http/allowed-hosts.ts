/**
 * The `Host` names the gateway answers to, against DNS rebinding: a page on `http://evil.example:8000` whose name
 * the attacker re-points at 127.0.0.1 reaches the gateway with `Host: evil.example:8000`, and is refused. Allowed:
 * the listen address (every interface address when it listens on 0.0.0.0 or ::, with the machine's host name),
 * `localhost` and the loopback addresses when it listens on loopback (or on every interface), and the names given
 * with `--allowed-hosts`. Ports are not compared: a proxy in front may use its own.
 */
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { isLoopbackHost } from '../auth/loopback.js';

/** `name`, `name:port`, `[v6]` or `[v6]:port` (RFC 9110 §7.2 `Host = uri-host [ ":" port ]`, without user info). */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/;

/** The host name of a Host header or `--allowed-hosts` entry in one spelling: lower case, no brackets, no final dot. */
export function hostName(value: string): string | undefined {
  const m = HOST_HEADER.exec(value.trim());
  if (!m?.[1]) return undefined;
  return m[1]
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

export class AllowedHosts {
  private readonly names = new Set<string>();
  private loopback = false;

  constructor(extra: readonly string[]) {
    for (const entry of extra) {
      const name = hostName(entry);
      if (name === undefined) throw new Error(`--allowed-hosts: ${JSON.stringify(entry)} is not a host name`);
      this.names.add(name);
    }
  }

  /** Adds what a listener on `host` (as given to listen) bound to `addresses` answers to. */
  addListener(host: string, addresses: readonly string[]): void {
    const given = hostName(host) ?? host;
    const wildcard = given === '0.0.0.0' || given === '::';
    if (!wildcard) this.names.add(given);
    for (const address of addresses) this.names.add(address.toLowerCase());
    if (wildcard) {
      for (const list of Object.values(networkInterfaces()))
        for (const i of list ?? []) this.names.add(i.address.toLowerCase());
      this.names.add(hostname().toLowerCase());
    }
    if (wildcard || isLoopbackHost(given) || addresses.some(isLoopbackHost)) this.loopback = true;
  }

  allows(name: string): boolean {
    if (this.names.has(name)) return true;
    return this.loopback && (name === 'localhost' || (isIP(name) !== 0 && isLoopbackHost(name)));
  }

  /** The names for a message (loopback shown as its usual spellings). */
  describe(): string {
    const shown = new Set(this.names);
    if (this.loopback) for (const name of ['localhost', '127.0.0.1', '::1']) shown.add(name);
    return [...shown].sort().join(', ');
  }
}

/** Undefined when the Host header names this gateway, else a message saying which names it answers to. */
export function hostProblem(allowed: AllowedHosts, header: string | undefined): string | undefined {
  // HTTP/1.1 requests without Host never get here (Node answers them 400); HTTP/1.0 may omit it and cannot be a
  // browser's rebinding attempt.
  if (header === undefined) return undefined;
  const name = hostName(header);
  if (name !== undefined && allowed.allows(name)) return undefined;
  return `this gateway answers to the host names ${allowed.describe()}, not ${JSON.stringify(header)}; if clients reach it under that name, start it with --allowed-hosts ${name ?? '<name>'}`;
}
