/**
 * Entry point of the GPU benchmark from dist/: `node dist/quantum-gpu/bench-main.js [--quick] [--json FILE]
 * [--max-qubits N] [--sizes 24,30] [--only kernels,circuits,variants,crossover]`. Prints one line per measurement and, with --json, writes {device, rows}.
 */
import { writeFile } from 'node:fs/promises';
import { runGpuBenchmark } from './gpu-benchmark.js';

const args = process.argv.slice(2);
const valueOf = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const maxText = valueOf('--max-qubits');
const sizes = valueOf('--sizes')?.split(',').map(Number);
const parts = valueOf('--only')?.split(',') as ('kernels' | 'circuits' | 'variants' | 'crossover')[] | undefined;
const result = await runGpuBenchmark({
  quick: args.includes('--quick'),
  log: (line) => console.log(line),
  ...(maxText !== undefined ? { maxQubits: Number(maxText) } : {}),
  ...(sizes ? { sizes } : {}),
  ...(valueOf('--tile-qubits') ? { tileQubits: Number(valueOf('--tile-qubits')) } : {}),
  ...(valueOf('--tile-low') ? { tileLowQubits: Number(valueOf('--tile-low')) } : {}),
  ...(parts ? { parts } : {}),
});
const json = valueOf('--json');
if (json) await writeFile(json, JSON.stringify(result, null, 2));
process.exit(0);
