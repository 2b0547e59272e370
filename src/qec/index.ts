// Quantum error correction: Stim circuits and detector error models, Pauli-frame sampling and an exact
// minimum-weight perfect matching decoder. Pure: no Node I/O.
export { qecDiagnostic, QEC_LIMITS } from './diagnostics.js';
export type { QecResult, QecSource } from './diagnostics.js';
export { parseDem } from './dem.js';
export type { DemComponent, DemError, DetectorErrorModel } from './dem.js';
export { buildMatchingGraph } from './matching-graph.js';
export type { MatchingGraph } from './matching-graph.js';
export { maxWeightMatching } from './blossom.js';
export type { Matching } from './blossom.js';
export { MwpmDecoder } from './mwpm-decoder.js';
export type { DecodeResult, DecoderStats } from './mwpm-decoder.js';
export { readShots, writeShots, SHOT_FORMATS } from './shot-formats.js';
export type { ShotFormat, ShotTable } from './shot-formats.js';
export { parseStimCircuit, GATE_KINDS } from './stim-circuit.js';
export type { CircuitOp, GateKind, StimCircuit } from './stim-circuit.js';
export { QecRng } from './rng.js';
export { FrameSampler } from './frame-sampler.js';
export type { SampleBatch } from './frame-sampler.js';
export { circuitToDem, formatDem, depolarize1Independent, depolarize2Independent } from './error-analysis.js';
export { generateMemoryCircuit, uniformNoise, CODES, BASES, GENERATE_LIMITS } from './generate.js';
export type { Basis, CodeKind, MemorySpec, NoiseParams } from './generate.js';
export { MemoryExperiment, chunkPlan, summarise, perRound, wilson, DECODERS } from './memory-experiment.js';
export type { ChunkResult, DecoderName, ExperimentSummary } from './memory-experiment.js';
export { compileSampleOptions, SAMPLE_OPTION_NAMES, MAX_SHOTS } from './sample-options.js';
export type { SampleOptions } from './sample-options.js';
