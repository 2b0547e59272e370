/**
 * Durations as people write them in block attributes and operator settings: a number with a unit (`500ms`,
 * `30s`, `2m`, `1h`); a bare number is seconds. Returns whole milliseconds, at least 1, or undefined for anything
 * else so the caller can report a diagnostic. An upper bound is the caller's business (see run-limits.ts): the
 * value may exceed what a timer can hold.
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest delay Node's timers keep: setTimeout stores it as a signed 32-bit integer and turns anything larger
 * into 1 ms (with a TimeoutOverflowWarning), so a longer timeout would fire at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  // `0`, `0s` and `0.2ms` (which rounds to 0) are not timeouts: a zero timer fires before the block starts.
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** `90000` → `1m 30s`, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join(' ');
}
