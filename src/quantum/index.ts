export type {
  BarrierOp,
  Circuit,
  ComplexMatrix,
  Condition,
  ConditionalOp,
  GlobalPhaseOp,
  MeasureOp,
  NoiseChannel,
  NoiseOp,
  Operation,
  Register,
  ResetOp,
  UnitaryOp,
} from './circuit.js';
export type {
  BackendName,
  NoiseModel,
  PauliSum,
  PauliTerm,
  SimulateOptions,
  SimulationResult,
  Simulator,
} from './simulator.js';

// OpenQASM front end, reference simulator and backend lookup.
export * from './qasm/index.js';
export { applyGate } from './linalg/apply-gate.js';
export type { GateAction } from './linalg/apply-gate.js';
export { createReferenceSimulator, simulateReference, isStatic, REFERENCE_MAX_QUBITS } from './reference-simulator.js';
export * from './backends/index.js';

// Simulators (state vector, MPS), gate helpers and backend selection.
export * from './sim/index.js';

// Observables as documents and blocks write them (text and JSON Pauli sums).
export { parseObservable, parseObservableText, highestQubit, MAX_OBSERVABLE_TERMS } from './observables.js';
export type { ObservableProblem, ObservableResult } from './observables.js';
// Classical data into qubits: angle and amplitude encodings as OpenQASM programs.
export { angleEncoding, amplitudeEncoding, MAX_AMPLITUDES, MAX_ANGLE_FEATURES } from './embedding.js';
export type { AngleRotation, Embedding, EmbeddingResult } from './embedding.js';
// Counts keys split by classical register, as Qiskit writes them.
export { registerKeys } from './register-keys.js';
