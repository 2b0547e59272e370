/**
 * Measurement counts (`{"00": 510, "11": 514}`) as histogram bars: outcomes in bitstring order, each with its
 * share of the shots. Outputs that are not counts are recognised here too, so the page draws a histogram only for
 * a bitstring-keyed object of non-negative integers. At most `maxBars` bars: beyond that, the most frequent
 * outcomes are kept and the rest are summed into one "other" bar. Pure, tested under Node.
 */

export interface Bar {
  readonly label: string;
  readonly count: number;
  readonly share: number;
}

export function isCounts(value: unknown): value is Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(([k, v]) => /^[01]+( [01]+)*$/.test(k) && Number.isSafeInteger(v) && (v as number) >= 0)
  );
}

export function histogram(counts: Readonly<Record<string, number>>, maxBars = 32): Bar[] {
  const entries = Object.entries(counts);
  const total = entries.reduce((n, [, c]) => n + c, 0) || 1;
  let kept = entries;
  let other = 0;
  if (entries.length > maxBars) {
    const byCount = [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    kept = byCount.slice(0, maxBars - 1);
    other = byCount.slice(maxBars - 1).reduce((n, [, c]) => n + c, 0);
  }
  const bars = kept
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([label, count]) => ({ label, count, share: count / total }));
  if (other > 0) bars.push({ label: 'other', count: other, share: other / total });
  return bars;
}
