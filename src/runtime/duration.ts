/**
 * The `timeout=` attribute of a code block: a number with a unit (`500ms`, `30s`, `2m`, `1h`); a bare number is
 * seconds. Returns undefined for anything else so the caller can report a diagnostic.
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
