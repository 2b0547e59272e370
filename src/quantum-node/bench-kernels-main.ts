/**
 * Entry point of the CPU kernel benchmark from dist/: `node dist/quantum-node/bench-kernels-main.js [--qubits
 * 22,24,26] [--threads 1,2,4,8] [--json FILE]`. Prints one line per measurement and, with --json, writes
 * {machine, date, rows}. Needs production dependencies only, so it runs on a machine with just Node and dist/.
 */
import { writeFile } from 'node:fs/promises';
import { machineDescription, runKernelBenchmark, type KernelRow } from './kernel-benchmark.js';

const args = process.argv.slice(2);
const valueOf = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const list = (name: string, fallback: number[]): number[] => {
  const text = valueOf(name);
  return text === undefined ? fallback : text.split(',').map(Number);
};
const machine = machineDescription();
console.log(machine);
const json = valueOf('--json');
const threads = list('--threads', [1, 2, 4, 8]);
const rows: KernelRow[] = [];
// One size at a time, writing the JSON after each, so a run stopped at a time limit still leaves its figures.
for (const n of list('--qubits', [22, 24, 26])) {
  rows.push(...(await runKernelBenchmark({ qubits: [n], threads, log: (line) => console.log(line) })));
  if (json) await writeFile(json, JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2));
}
process.exit(0);
