// Public exports of the simulators (state vector, MPS), their building blocks and the gate helpers.
export { Rng, DEFAULT_SEED } from './prng.js';
export {
  StateVectorSimulator,
  createStateVectorSimulator,
  DEFAULT_TILE_QUBITS,
  DEFAULT_TILE_MIN_QUBITS,
  MAX_TILE_QUBITS,
} from './statevector-simulator.js';
export type { StateVectorSimulatorOptions } from './statevector-simulator.js';
export { serialExecutor, tileBuffer, tileRunner } from './kernel-executor.js';
export type { ExecutorOptions, TileKernels } from './kernel-executor.js';
export { createWasmTiles, wasmAvailable, WASM_MAX_GATE_QUBITS } from './wasm-tiles.js';
export type { WasmTiles } from './wasm-tiles.js';
export { applyTiles, compileTilePass, tileBufferLength, tileIsContiguous } from './tile-program.js';
export type { TileKernel, TileProgram } from './tile-program.js';
export { planPasses, coverSets, tileWidth, MAX_TILE_GATE_QUBITS, MAX_TILE_SELECTORS } from './pass-plan.js';
export type { PassPlanOptions, PlannedPass, TileGate } from './pass-plan.js';
export type { KernelExecutor } from './kernel-executor.js';
export { applyCompiled, applyDenseGather, makeScratch, MAX_KERNEL_QUBITS } from './kernels.js';
export { densePlan, DENSE_FORMS } from './dense-plan.js';
export type { DenseForm, DensePlan } from './dense-plan.js';
export type { Amplitudes } from './kernels.js';
export { compileOp, KERNEL_KINDS } from './compiled-op.js';
export type { CompiledOp, KernelKind } from './compiled-op.js';
export { fuseGates, DEFAULT_FUSION_QUBITS } from './fusion.js';
export type { FusedBlock } from './fusion.js';
export { expandGate, multiply, adjoint } from './expand.js';
export {
  checkStateVectorMemory,
  maxQubitsFitting,
  stateVectorBytes,
  DEFAULT_MEMORY_LIMIT_BYTES,
  DEFAULT_BUDGET_FRACTION,
  MAX_STATEVECTOR_QUBITS,
} from './memory-guard.js';
export { StateVectorState, emptyStats, TILE_LOW_QUBITS } from './statevector-state.js';
export type { SvStats, SvContext } from './statevector-state.js';
export * from './gates.js';
export { MpsSimulator, createMpsSimulator, DEFAULT_MAX_BOND } from './mps-simulator.js';
export type { MpsSimulatorOptions } from './mps-simulator.js';
export { MpsState, MPS_DENSE_LIMIT } from './mps-state.js';
export { svd, conjTranspose } from './svd.js';
export type { Svd } from './svd.js';
export { selectBackend } from './select-backend.js';
export type { BackendChoice as SelectedBackend } from './select-backend.js';
export { runEngine, runEngineAsync, DEFAULT_TRAJECTORIES, MAX_STATE_VECTOR_OUTPUT_QUBITS } from './engine.js';
export { runAsync, runSync, settle } from './awaitable.js';
export type { Awaitable, Steps } from './awaitable.js';
export type { EngineBackend } from './engine.js';
export type { SimState, IndexCounts, Outcome, WeightedOutcome } from './sim-state.js';
export { lowerCircuit } from './program.js';
export type { Program as SimProgram, Instr } from './program.js';
