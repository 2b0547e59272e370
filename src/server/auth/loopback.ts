/**
 * `--auth none` is refused unless the gateway listens only on a loopback address. A name is judged by what it
 * resolves to (every address), not by its spelling: `localhost` mapped to a LAN address in /etc/hosts is not
 * loopback. The gateway checks the addresses it actually bound as well.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** An IP literal (bracketed or not) in 127.0.0.0/8 or ::1 (or 127/8 mapped into IPv6), or the name `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  return isLoopbackAddress(host);
}

/** An IP literal in 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104; names are not addresses. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

export type HostLookup = (host: string) => Promise<readonly string[]>;

const systemLookup: HostLookup = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

/**
 * Undefined when every address `host` stands for is loopback, else a message naming one that is not. IP literals
 * are judged as they are; names are resolved (a name that does not resolve is not loopback).
 */
export async function nonLoopbackProblem(host: string, lookup: HostLookup = systemLookup): Promise<string | undefined> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return isLoopbackAddress(bare) ? undefined : `${host} is not a loopback address`;
  let addresses: readonly string[];
  try {
    addresses = await lookup(bare);
  } catch (error) {
    return `${host} does not resolve (${(error as Error).message})`;
  }
  const outside = addresses.find((a) => !isLoopbackAddress(a));
  if (addresses.length === 0) return `${host} resolves to no address`;
  return outside === undefined ? undefined : `${host} resolves to ${outside}, which is not a loopback address`;
}
