// Limits of the webgpu backend that its registry entry needs without loading the simulator's kernels.

/** Widest state the backend attempts; the device's memory decides below that (out-of-memory is reported). */
export const MAX_WEBGPU_QUBITS = 36;
