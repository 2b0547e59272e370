/**
 * Finding a block's processes from the host, sandboxed or not: a block runs `sleep <marker>` with a unique
 * marker (a number such as 3600.123456), and /proc is searched for command lines holding it. Linux only.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** A `sleep` argument no other process has: an hour and a random fraction. */
export function sleepMarker(): string {
  return `3600.${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

/** Pids of live processes whose command line contains `marker` (zombies have none, so they do not count). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Resolves once a process with `marker` runs (the test's own timeout bounds the wait). */
export async function untilProcessWith(marker: string): Promise<number[]> {
  for (;;) {
    const pids = processesWith(marker);
    if (pids.length > 0) return pids;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
