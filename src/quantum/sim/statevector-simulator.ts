/**
 * The state-vector Simulator: complex128 or complex64 amplitudes, gate fusion, kind-specialised kernels, and a
 * pluggable KernelExecutor (serial here; multi-threaded from src/quantum-node).
 */
import { MamlError } from '../../shared/errors.js';
import type { Circuit } from '../circuit.js';
import type { SimulateOptions, SimulationResult, Simulator } from '../simulator.js';
import { adjointGradients } from './adjoint-gradients.js';
import { runEngine } from './engine.js';
import { DEFAULT_FUSION_QUBITS } from './fusion.js';
import { serialExecutor, type KernelExecutor } from './kernel-executor.js';
import { MAX_KERNEL_QUBITS } from './kernels.js';
import {
  checkStateVectorMemory,
  DEFAULT_BUDGET_FRACTION,
  DEFAULT_MEMORY_LIMIT_BYTES,
  stateVectorBytes,
} from './memory-guard.js';
import { emptyStats, StateVectorState, type SvStats } from './statevector-state.js';

export interface StateVectorSimulatorOptions {
  /** Default precision when SimulateOptions gives none (128). */
  readonly precision?: 64 | 128;
  /** Fusion width in qubits (default DEFAULT_FUSION_QUBITS); 0 turns fusion off. */
  readonly fusionQubits?: number;
  /**
   * Cache blocking: tile width in qubits (default DEFAULT_TILE_QUBITS; 0 runs gate by gate), used for states of at
   * least `tileMinQubits` qubits (default DEFAULT_TILE_MIN_QUBITS).
   */
  readonly tileQubits?: number;
  readonly tileMinQubits?: number;
  /** Memory the caller can spare; the default limit is DEFAULT_BUDGET_FRACTION of it. */
  readonly memoryBudgetBytes?: number;
  /** Runs the kernels (default: serial, on the calling thread). */
  readonly executor?: KernelExecutor;
}

/** Tile width of the CPU's cache-blocked passes, chosen by benchmark (docs/benchmarks.md). */
export const DEFAULT_TILE_QUBITS = 14;
/** Smaller states run gate by gate: they fit the cache whole. */
export const DEFAULT_TILE_MIN_QUBITS = 16;
/** Widest tile: 2^20 amplitudes (16 MiB in complex128) per buffer. */
export const MAX_TILE_QUBITS = 20;

export class StateVectorSimulator implements Simulator {
  readonly name = 'statevector' as const;
  /** Counters of the last run (passes by kernel kind, fused blocks), for tests and benchmarks. */
  lastStats: SvStats = emptyStats();
  private readonly executor: KernelExecutor;

  constructor(private readonly config: StateVectorSimulatorOptions = {}) {
    this.executor = config.executor ?? serialExecutor();
    const f = config.fusionQubits ?? DEFAULT_FUSION_QUBITS;
    if (!Number.isInteger(f) || f < 0 || f > MAX_KERNEL_QUBITS) {
      throw new MamlError('usage', `fusionQubits must be an integer from 0 to ${MAX_KERNEL_QUBITS}, got ${f}`);
    }
    const t = config.tileQubits ?? DEFAULT_TILE_QUBITS;
    if (!Number.isInteger(t) || t < 0 || t > MAX_TILE_QUBITS) {
      throw new MamlError('usage', `tileQubits must be an integer from 0 to ${MAX_TILE_QUBITS}, got ${t}`);
    }
    const m = config.tileMinQubits ?? DEFAULT_TILE_MIN_QUBITS;
    if (!Number.isInteger(m) || m < 1) {
      throw new MamlError('usage', `tileMinQubits must be a positive integer, got ${m}`);
    }
  }

  memoryLimit(options: SimulateOptions): number {
    if (options.memoryLimitBytes !== undefined) return options.memoryLimitBytes;
    const budget = this.config.memoryBudgetBytes;
    return budget !== undefined ? Math.floor(budget * DEFAULT_BUDGET_FRACTION) : DEFAULT_MEMORY_LIMIT_BYTES;
  }

  /** Nothing to release: the state lives on the JavaScript heap (present so that every backend can be closed). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    try {
      return Promise.resolve(this.simulateSync(circuit, options));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  simulateSync(circuit: Circuit, options: SimulateOptions = {}): SimulationResult {
    const precision = options.precision ?? this.config.precision ?? 128;
    const limit = this.memoryLimit(options);
    const n = circuit.numQubits;
    const copies = options.gradients ? 2 + Math.max(1, options.observables?.length ?? 0) : 1;
    checkStateVectorMemory(n, precision, limit, copies);
    const stats = emptyStats(precision);
    this.lastStats = stats;
    const ctx = {
      numQubits: n,
      precision,
      executor: this.executor,
      fusionQubits: this.config.fusionQubits ?? DEFAULT_FUSION_QUBITS,
      tileQubits: this.config.tileQubits ?? DEFAULT_TILE_QUBITS,
      tileMinQubits: this.config.tileMinQubits ?? DEFAULT_TILE_MIN_QUBITS,
      stats,
    };
    const result = runEngine(circuit, options, {
      name: 'statevector',
      memoryLimitBytes: Math.max(limit, stateVectorBytes(n, precision)),
      create: () => StateVectorState.zero(ctx),
      gradients: (state, program, opts) =>
        adjointGradients(state as StateVectorState, program.unitaries, opts.observables ?? [], circuit.parameters),
    });
    return { ...result, precision };
  }
}

export function createStateVectorSimulator(options: StateVectorSimulatorOptions = {}): StateVectorSimulator {
  return new StateVectorSimulator(options);
}
