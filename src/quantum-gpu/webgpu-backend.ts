/**
 * `webgpu`: complex64 state vectors on a GPU through WebGPU (webgpu-simulator.ts). Asked for by name, it fits
 * when an adapter is found (lavapipe included) and the state is within its width and the memory limit; it runs
 * in complex64 whatever precision was asked for, since that is what asking for this backend means. While `auto`
 * chooses, it also declines what it would not run best: complex128 or gradients, circuits under
 * GPU_AUTO_MIN_QUBITS, and software adapters (slower than the CPU backend). The device is opened on first use,
 * once per process, and the webgpu package is loaded only then.
 */
import type {
  Circuit,
  ClosableSimulator,
  Fit,
  FitBudget,
  SimulateOptions,
  SimulationResult,
} from '../quantum/index.js';
import { findAdapter } from './gpu-device.js';
import { DEFAULT_GPU_TUNING, gpuTuning } from './gpu-tuning.js';
import { MAX_WEBGPU_QUBITS } from './webgpu-limits.js';
import type { WebGpuSimulator } from './webgpu-simulator.js';
import type { SimulatorBackend } from '../quantum/index.js';

/** Smallest circuit `auto` sends to the GPU by default (gpu-tuning.ts says why; MAML_GPU_MIN_QUBITS sets it). */
export const GPU_AUTO_MIN_QUBITS = DEFAULT_GPU_TUNING.autoMinQubits;

export function gpuAutoMinQubits(): number {
  return gpuTuning().autoMinQubits;
}

let shared: Promise<WebGpuSimulator> | undefined;
let probed: Promise<{ found: boolean; hardware: boolean; reason: string }> | undefined;

/** The process-wide GPU simulator, opened on first use (the kernels' modules are loaded only then). */
export function sharedWebGpuSimulator(): Promise<WebGpuSimulator> {
  shared ??= import('./webgpu-simulator.js').then((m) => m.createWebGpuSimulator());
  shared.catch(() => (shared = undefined));
  return shared;
}

/** Whether an adapter exists and whether it is a hardware one (probed once per process; never throws). */
function probe(): Promise<{ found: boolean; hardware: boolean; reason: string }> {
  probed ??= findAdapter().then(
    (a) =>
      a === undefined
        ? { found: false, hardware: false, reason: 'no WebGPU adapter was found' }
        : {
            found: true,
            hardware: !/llvmpipe|lavapipe|swiftshader/i.test(`${a.info.device} ${a.info.description}`),
            reason: `adapter ${a.info.description || a.info.device || a.info.vendor}`,
          },
    (error: unknown) => ({ found: false, hardware: false, reason: (error as Error).message }),
  );
  return probed;
}

/** Whether a hardware adapter exists (probed once per process; never throws). */
export async function hardwareGpuAvailable(): Promise<boolean> {
  return (await probe()).hardware;
}

async function webGpuFits(circuit: Pick<Circuit, 'numQubits'>, budget: FitBudget): Promise<Fit> {
  const n = circuit.numQubits;
  if (budget.choosing) {
    if (budget.precision === 128 || budget.gradients)
      return { ok: false, reason: 'the GPU computes in complex64 without gradients' };
    if (n < gpuAutoMinQubits())
      return { ok: false, reason: `${n} qubits are below the GPU's break-even width of ${gpuAutoMinQubits()}` };
  }
  if (n > MAX_WEBGPU_QUBITS)
    return { ok: false, reason: `the webgpu backend simulates at most ${MAX_WEBGPU_QUBITS} qubits` };
  const bytes = 8 * 2 ** n;
  if (budget.memoryLimitBytes !== undefined && bytes > budget.memoryLimitBytes) {
    return {
      ok: false,
      reason: `a ${n}-qubit complex64 state needs ${bytes} bytes, over the limit of ${budget.memoryLimitBytes}`,
    };
  }
  const gpu = await probe();
  if (!gpu.found) return { ok: false, reason: gpu.reason };
  if (budget.choosing && !gpu.hardware)
    return { ok: false, reason: `${gpu.reason} is a software device, slower than the CPU` };
  return { ok: true, reason: `${gpu.reason} holds a ${n}-qubit complex64 state` };
}

class SharedWebGpu implements ClosableSimulator {
  readonly name = 'webgpu' as const;

  async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    // Asking for the webgpu backend is asking for complex64, its only precision.
    const { precision: _precision, ...rest } = options;
    return (await sharedWebGpuSimulator()).simulate(circuit, rest);
  }

  /** The device is shared by the process and stays open. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const webGpuBackend: SimulatorBackend = {
  name: 'webgpu',
  summary: 'state vector on a GPU through WebGPU/Vulkan, complex64',
  precisions: [64],
  fits: webGpuFits,
  create: () => new SharedWebGpu(),
};
