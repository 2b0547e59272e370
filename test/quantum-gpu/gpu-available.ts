/**
 * Opens the WebGPU simulator for the GPU tests. Without an adapter the tests skip with the reason, unless
 * MAML_REQUIRE_WEBGPU=1 (set by CI, which installs lavapipe), where a missing adapter fails them.
 */
import { test } from 'node:test';
import { createWebGpuSimulator, type WebGpuSimulator } from '../../src/quantum-gpu/index.js';

export const requireWebGpu = process.env['MAML_REQUIRE_WEBGPU'] === '1';

export async function openOrSkip(name: string): Promise<WebGpuSimulator | undefined> {
  try {
    return await createWebGpuSimulator();
  } catch (error) {
    const reason = (error as Error).message;
    if (requireWebGpu) {
      test(`${name}: a WebGPU adapter is present (MAML_REQUIRE_WEBGPU=1)`, () => {
        throw new Error(`MAML_REQUIRE_WEBGPU=1 but ${reason}`);
      });
    } else {
      test(`${name}: skipped, no WebGPU adapter`, { skip: reason }, () => undefined);
    }
    return undefined;
  }
}
