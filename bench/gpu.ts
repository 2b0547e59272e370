/**
 * The `gpu` suite: the WebGPU backend's kernels as fractions of the device's copy bandwidth, end-to-end circuits
 * with 100k shots, and the CPU/GPU crossover (all in src/quantum-gpu/gpu-benchmark.ts, which also runs from dist/
 * on the GPU machine). Without an adapter the suite reports why and measures nothing.
 */
import type { BenchRow, BenchSuite } from './harness.js';
import { runGpuBenchmark } from '../src/quantum-gpu/gpu-benchmark.js';

const SUITE = 'gpu';

export const gpuSuite: BenchSuite = {
  name: SUITE,
  async run({ quick, log }): Promise<BenchRow[]> {
    try {
      const { device, rows } = await runGpuBenchmark({ quick, log });
      return [
        { suite: SUITE, case: 'device', value: 1, unit: 'adapter', note: device },
        ...rows.map((r) => ({ suite: SUITE, ...r })),
      ];
    } catch (error) {
      const reason = (error as Error).message;
      log(`gpu: not run: ${reason}`);
      return [{ suite: SUITE, case: 'WebGPU adapter', value: 0, unit: '', note: `not run: ${reason}` }];
    }
  },
};
