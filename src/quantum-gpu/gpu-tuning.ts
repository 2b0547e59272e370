/**
 * Measurement knobs of the WebGPU backend. They are process-wide settings, read from the environment once by the
 * process's entry point (`maml` before it runs a command, a head, a head's OpenQASM thread) and configured here
 * as data; the backend itself never reads the environment.
 *
 *   MAML_GPU_SUBMIT_EVERY  dispatches recorded before a batch submits them (0: one submission per batch)
 *   MAML_GPU_ARENA=0       every parameter block gets its own buffer instead of a shared arena
 *   MAML_GPU_MIN_QUBITS    the smallest circuit `auto` sends to the GPU
 *   MAML_WEBGPU_FLAGS      Dawn instance flags, space-separated (e.g. `enable-dawn-features=disable_robustness`)
 */

export interface GpuTuning {
  /** Dispatches per submission; Infinity for one submission per batch. */
  readonly submitEvery: number;
  /** Parameter blocks share one buffer per flush (false: a buffer each). */
  readonly arenas: boolean;
  /**
   * Smallest circuit `auto` sends to the GPU. On an H100 the GPU beats the threaded CPU backend from 8 qubits once
   * the device is open (gpu benchmark, docs/gpu.md), but opening it takes 0.15–0.8 s, which the CPU only spends on
   * a depth-20 circuit from about 20 qubits.
   */
  readonly autoMinQubits: number;
  readonly dawnFlags: readonly string[];
}

export const DEFAULT_GPU_TUNING: GpuTuning = Object.freeze({
  submitEvery: 64,
  arenas: true,
  autoMinQubits: 20,
  dawnFlags: Object.freeze([]) as readonly string[],
});

let current: GpuTuning = DEFAULT_GPU_TUNING;

/** The knobs set in `env`; a value that is not a whole number in range keeps its default. Never throws. */
export function gpuTuningFrom(env: Readonly<Record<string, string | undefined>>): GpuTuning {
  const whole = (name: string, min: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return undefined;
    const value = Number(text);
    return Number.isSafeInteger(value) && value >= min ? value : undefined;
  };
  const submit = whole('MAML_GPU_SUBMIT_EVERY', 0);
  return Object.freeze({
    submitEvery:
      submit === undefined ? DEFAULT_GPU_TUNING.submitEvery : submit === 0 ? Number.POSITIVE_INFINITY : submit,
    arenas: env['MAML_GPU_ARENA'] !== '0',
    autoMinQubits: whole('MAML_GPU_MIN_QUBITS', 1) ?? DEFAULT_GPU_TUNING.autoMinQubits,
    dawnFlags: Object.freeze((env['MAML_WEBGPU_FLAGS'] ?? '').split(/\s+/).filter((f) => f.length > 0)),
  });
}

/** Sets this process's knobs (its entry point calls it once, before any simulation). */
export function configureGpuTuning(tuning: GpuTuning): void {
  current = tuning;
}

export function gpuTuning(): GpuTuning {
  return current;
}
