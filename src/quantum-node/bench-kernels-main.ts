/**
 * Entry point of the CPU kernel benchmark from dist/: `node dist/quantum-node/bench-kernels-main.js [--qubits
 * 22,24,26] [--threads 1,2,4,8] [--json FILE]`. Prints one line per measurement and, with --json, writes
 * {machine, date, rows}. Needs production dependencies only, so it runs on a machine with just Node and dist/.
 */
import { writeFile } from 'node:fs/promises';
import { machineDescription, runKernelBenchmark } from './kernel-benchmark.js';

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
const rows = await runKernelBenchmark({
  qubits: list('--qubits', [22, 24, 26]),
  threads: list('--threads', [1, 2, 4, 8]),
  log: (line) => console.log(line),
});
const json = valueOf('--json');
if (json) await writeFile(json, JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2));
process.exit(0);
