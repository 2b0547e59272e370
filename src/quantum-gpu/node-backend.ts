/**
 * The GPU decision of the Node layer: `webgpu` always runs on the GPU (complex64), `auto` runs there when an
 * adapter is found, it is a hardware device (a software one such as lavapipe is slower than the CPU backend),
 * the circuit has at least GPU_AUTO_MIN_QUBITS qubits and complex128 was not asked for; everything else goes to
 * the CPU backends unchanged. The pure `selectBackend` of src/quantum stays as it is.
 */
import { MamlError } from '../shared/errors.js';
import { BACKEND_CHOICES } from '../quantum/index.js';
import type { BackendChoice, Circuit, SimulateOptions, SimulationResult, Simulator } from '../quantum/index.js';
import { findAdapter } from './gpu-device.js';
import { createWebGpuSimulator, type WebGpuSimulator } from './webgpu-simulator.js';

/**
 * Smallest circuit `auto` sends to the GPU. On an H100 the GPU beats the threaded CPU backend from 8 qubits once the
 * device is open (gpu benchmark, docs/gpu.md), but opening it takes 0.15–0.8 s, which the CPU only spends on a
 * depth-20 circuit from about 20 qubits. MAML_GPU_MIN_QUBITS overrides it.
 */
export const GPU_AUTO_MIN_QUBITS = 20;

export function gpuAutoMinQubits(): number {
  const env = Number(process.env['MAML_GPU_MIN_QUBITS']);
  return Number.isInteger(env) && env > 0 ? env : GPU_AUTO_MIN_QUBITS;
}

let shared: Promise<WebGpuSimulator> | undefined;
let probed: Promise<boolean> | undefined;

/** The process-wide GPU simulator, opened on first use. */
export function sharedWebGpuSimulator(): Promise<WebGpuSimulator> {
  shared ??= createWebGpuSimulator();
  shared.catch(() => (shared = undefined));
  return shared;
}

/** Whether a hardware adapter exists (probed once per process; never throws). */
export function hardwareGpuAvailable(): Promise<boolean> {
  probed ??= findAdapter()
    .then((a) => a !== undefined && !/llvmpipe|lavapipe|swiftshader/i.test(`${a.info.device} ${a.info.description}`))
    .catch(() => false);
  return probed;
}

/** Whether `auto` should run this circuit on the GPU. */
export async function autoPrefersGpu(circuit: Pick<Circuit, 'numQubits'>, options: SimulateOptions): Promise<boolean> {
  if (options.precision === 128 || options.gradients) return false;
  if (circuit.numQubits < gpuAutoMinQubits()) return false;
  return hardwareGpuAvailable();
}

/**
 * Wraps a CPU backend lookup with the GPU: `withWebGpu(backend, getSimulator)`. The backend name is validated by
 * the caller; `webgpu` opens the device on first use and fails with a clear message when there is none.
 */
/** Every `--backend` value once the GPU is available: the CPU choices plus `webgpu`. */
export const GPU_BACKEND_CHOICES = [...BACKEND_CHOICES, 'webgpu'] as const;

export function withWebGpu(backend: string, cpu: (choice: BackendChoice) => Simulator): Simulator {
  if (backend === 'webgpu') {
    return {
      name: 'webgpu',
      async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
        // Asking for the webgpu backend is asking for complex64, its only precision.
        const { precision: _precision, ...rest } = options;
        return (await sharedWebGpuSimulator()).simulate(circuit, rest);
      },
    };
  }
  const fallback = (): Simulator => {
    if (backend === 'auto' || backend === 'statevector' || backend === 'mps') return cpu(backend as BackendChoice);
    throw new MamlError('usage', `unknown backend \`${backend}\``);
  };
  if (backend !== 'auto') return fallback();
  const cpuSim = fallback();
  return {
    name: cpuSim.name,
    async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
      if (await autoPrefersGpu(circuit, options)) {
        try {
          return await (await sharedWebGpuSimulator()).simulate(circuit, options);
        } catch (error) {
          // A device that cannot be opened or cannot hold the state leaves the run to the CPU.
          const code = (error as { code?: string }).code;
          if (code !== 'missing_tool' && code !== 'resource_limit') throw error;
        }
      }
      return cpuSim.simulate(circuit, options);
    },
  };
}
