/**
 * Benchmark harness: each area contributes `BenchSuite`s; `main.ts` runs the selected ones and prints one table
 * with the machine it ran on. Targets are ratios measured in the same run, never wall-clock assertions.
 */
import os from 'node:os';

export interface BenchRow {
  readonly suite: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  /** Target, as text (`> 20 MB/s`, `≥ 0.7 of copy bandwidth`), when the issue sets one. */
  readonly target?: string;
  /** Whether the measured value meets the target; absent when there is no target. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  /** Runs the suite; `quick` asks for smaller sizes (used by the harness self-test). */
  run(options: { quick: boolean; log: (line: string) => void }): Promise<BenchRow[]>;
}

/** Median of `repeat` timings of `fn`, in milliseconds, after one warm-up call. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, repeat = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

export function machineInfo(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const mem = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${model}, ${cpus.length} cores, ${mem} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['suite', 'case', 'value', 'unit', 'target', 'met', 'note'];
  const body = rows.map((r) => [
    r.suite,
    r.case,
    Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4),
    r.unit,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
