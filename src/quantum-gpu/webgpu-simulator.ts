/**
 * The `webgpu` Simulator: complex64 state vectors on a WebGPU device (Dawn through the `webgpu` package). The
 * chunk size follows the adapter's buffer limits unless a test forces it smaller; see gpu-state.ts for the layout.
 */
import { MamlError } from '../shared/errors.js';
import type { Circuit, SimulateOptions, SimulationResult, Simulator } from '../quantum/index.js';
import { runEngineAsync } from '../quantum/index.js';
import { openGpu, type GpuContext, type GpuDeviceInfo } from './gpu-device.js';
import { GpuKernels } from './gpu-kernels.js';
import {
  emptyGpuStats,
  GpuState,
  MAX_HIGH_TARGETS,
  tileOptionsOf,
  type GpuStats,
  type TileOptions,
} from './gpu-state.js';
import { MAX_WEBGPU_QUBITS } from './webgpu-limits.js';
import { MAX_DENSE_QUBITS, MAX_TILE_LANE_BITS, MAX_TILE_QUBITS } from './wgsl-kernels.js';

/** Widest chunk: 2^28 amplitudes (2 GiB), so local indices and shifts stay in u32. */
export const MAX_CHUNK_QUBITS = 28;
export { MAX_WEBGPU_QUBITS } from './webgpu-limits.js';
/**
 * Fusion width of the dense blocks (qubits at or above the tile width). Blocks wider than MAX_HIGH_TARGETS are
 * only formed when the state has at most MAX_HIGH_TARGETS chunk-selecting qubits, so no block binds more than
 * 2^MAX_HIGH_TARGETS buffers. The gpu benchmark times widths 3 and 4 on a depth-20 random circuit.
 */
export const DEFAULT_GPU_FUSION_QUBITS = 4;
/** Widest fused block (a 2^5 × 2^5 matrix stays in one uniform buffer). */
export const MAX_GPU_FUSION_QUBITS = 5;

export interface WebGpuSimulatorOptions extends TileOptions {
  /** Amplitudes per buffer as log2; default the largest the adapter binds. Small values exercise chunk pairs. */
  readonly chunkQubits?: number;
  /** Dense fusion width, 1 to MAX_HIGH_TARGETS (default DEFAULT_GPU_FUSION_QUBITS); 1 turns fusion off. */
  readonly fusionQubits?: number;
  /** An open device to use instead of opening one. */
  readonly context?: GpuContext;
}

export function chunkQubitsFor(info: GpuDeviceInfo): number {
  const bytes = Math.min(info.maxStorageBufferBindingSize, info.maxBufferSize);
  return Math.min(MAX_CHUNK_QUBITS, Math.floor(Math.log2(bytes / 8)));
}

export class WebGpuSimulator implements Simulator {
  readonly name = 'webgpu' as const;
  /** Counters of the last run (passes by kernel, chunk-pair dispatches, fused gates). */
  lastStats: GpuStats = emptyGpuStats();
  private readonly kernels: GpuKernels;
  private readonly maxChunk: number;
  private readonly fusionQubits: number;

  constructor(
    readonly ctx: GpuContext,
    options: WebGpuSimulatorOptions = {},
  ) {
    this.kernels = new GpuKernels(ctx);
    const adapterChunk = chunkQubitsFor(ctx.info);
    const forced = options.chunkQubits;
    if (forced !== undefined && (!Number.isInteger(forced) || forced < 1 || forced > adapterChunk)) {
      throw new MamlError(
        'usage',
        `chunkQubits must be an integer from 1 to ${adapterChunk} on this adapter, got ${forced}`,
      );
    }
    this.maxChunk = forced ?? adapterChunk;
    const f = options.fusionQubits ?? DEFAULT_GPU_FUSION_QUBITS;
    if (!Number.isInteger(f) || f < 1 || f > Math.min(MAX_GPU_FUSION_QUBITS, MAX_DENSE_QUBITS)) {
      throw new MamlError('usage', `fusionQubits must be an integer from 1 to ${MAX_GPU_FUSION_QUBITS}, got ${f}`);
    }
    this.fusionQubits = f;
    for (const [name, v, max] of [
      ['tileQubits', options.tileQubits, MAX_TILE_QUBITS],
      ['tileLowQubits', options.tileLowQubits, MAX_TILE_QUBITS],
      ['tileFusionQubits', options.tileFusionQubits, MAX_TILE_QUBITS],
      ['tileLaneBits', options.tileLaneBits, MAX_TILE_LANE_BITS],
    ] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max)) {
        throw new MamlError('usage', `${name} must be an integer from 1 to ${max}, got ${v}`);
      }
    }
    this.tileOptions = tileOptionsOf(options);
  }

  private readonly tileOptions: TileOptions;

  get info(): GpuDeviceInfo {
    return this.ctx.info;
  }

  /** Chunk width used for an n-qubit state. */
  chunkQubits(n: number): number {
    return Math.min(n, this.maxChunk);
  }

  /** Fusion width for an n-qubit state: capped at MAX_HIGH_TARGETS when more chunk-selecting qubits exist. */
  fusionWidth(n: number): number {
    return n - this.chunkQubits(n) > MAX_HIGH_TARGETS
      ? Math.min(this.fusionQubits, MAX_HIGH_TARGETS)
      : this.fusionQubits;
  }

  async simulate(circuit: Circuit, options: SimulateOptions = {}): Promise<SimulationResult> {
    if (options.precision === 128) {
      throw new MamlError(
        'unsupported',
        'the webgpu backend computes in complex64 only (WGSL has no 64-bit floats); ask for precision 64 or use ' +
          'the statevector backend for complex128',
      );
    }
    const n = circuit.numQubits;
    if (n > MAX_WEBGPU_QUBITS) {
      throw new MamlError(
        'resource_limit',
        `the webgpu backend simulates at most ${MAX_WEBGPU_QUBITS} qubits, got ${n}`,
      );
    }
    const bytes = 8 * 2 ** n;
    if (options.memoryLimitBytes !== undefined && bytes > options.memoryLimitBytes) {
      throw new MamlError(
        'resource_limit',
        `a ${n}-qubit complex64 state needs ${bytes} bytes but the memory limit is ${options.memoryLimitBytes}`,
      );
    }
    const stats = emptyGpuStats();
    this.lastStats = stats;
    const cfg = {
      ctx: this.ctx,
      kernels: this.kernels,
      numQubits: n,
      chunkQubits: this.chunkQubits(n),
      fusionQubits: this.fusionWidth(n),
      stats,
      ...this.tileOptions,
    };
    // The engine of the CPU backends, driven asynchronously: GPU reductions and read-backs are awaited.
    const result = await runEngineAsync(circuit, options, {
      name: 'webgpu',
      create: () => GpuState.zero(cfg),
      memoryLimitBytes: options.memoryLimitBytes ?? Number.POSITIVE_INFINITY,
    });
    return { ...result, precision: 64 };
  }

  close(): void {
    this.ctx.destroy();
  }
}

/** Opens the adapter's device; throws MamlError('missing_tool') with what to install when there is none. */
export async function createWebGpuSimulator(options: WebGpuSimulatorOptions = {}): Promise<WebGpuSimulator> {
  const ctx = options.context ?? (await openGpu());
  return new WebGpuSimulator(ctx, options);
}
