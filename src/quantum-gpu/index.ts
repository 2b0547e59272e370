// Node-only GPU backend of the quantum engine: WGSL compute shaders through WebGPU (Dawn's Node binding).
export {
  createWebGpuSimulator,
  chunkQubitsFor,
  DEFAULT_GPU_FUSION_QUBITS,
  MAX_GPU_FUSION_QUBITS,
  MAX_CHUNK_QUBITS,
  MAX_WEBGPU_QUBITS,
  WebGpuSimulator,
} from './webgpu-simulator.js';
export type { WebGpuSimulatorOptions } from './webgpu-simulator.js';
export { findAdapter, openGpu } from './gpu-device.js';
export type { GpuContext, GpuDeviceInfo } from './gpu-device.js';
export { emptyGpuStats, GpuState, MAX_HIGH_TARGETS, MAX_READBACK_QUBITS } from './gpu-state.js';
export type { GpuStats } from './gpu-state.js';
export { DEFAULT_GPU_TUNING, configureGpuTuning, gpuTuning, gpuTuningFrom } from './gpu-tuning.js';
export type { GpuTuning } from './gpu-tuning.js';
export {
  GPU_AUTO_MIN_QUBITS,
  gpuAutoMinQubits,
  hardwareGpuAvailable,
  sharedWebGpuSimulator,
  webGpuBackend,
} from './webgpu-backend.js';
