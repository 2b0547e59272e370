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

// Simulators (state vector, MPS), gate helpers and backend selection.
export * from './sim/index.js';
