/**
 * The GPU state vector: 2^n complex64 amplitudes split into 2^(n−c) chunks of 2^c, one storage buffer each (c is
 * bounded by the adapter's maxStorageBufferBindingSize and maxBufferSize, or forced smaller for tests). A gate on
 * qubits below c runs on each chunk alone; a target qubit ≥ c pairs chunks (2^h buffers bound for h such
 * targets); a control qubit ≥ c only selects which chunks run. Runs of gates are planned into tile passes
 * (gpu-pass-plan.ts), each applying many gates in workgroup memory on a chosen set of qubits; gates no tile takes
 * are fused into dense blocks of up to `fusionQubits` qubits, and blocks that stay diagonal run the diagonal
 * kernel, which never needs chunk pairs.
 */
/// <reference types="@webgpu/types" />
import { MamlError } from '../shared/errors.js';
import type { GlobalPhaseOp, PauliSum, UnitaryOp } from '../quantum/index.js';
import { compileOp, fuseGates, type Outcome, type Rng, type WeightedOutcome } from '../quantum/index.js';
import { guarded, type GpuContext } from './gpu-device.js';
import { Batch, grid, type ArenaSlice, type GpuKernels } from './gpu-kernels.js';
import { MAX_TILE_GATE_QUBITS, planPasses, type PassPlanOptions, type PlannedPass } from './gpu-pass-plan.js';
import {
  DESCENT_THREADS,
  MAX_DENSE_QUBITS,
  MAX_DIAG_LOCAL_QUBITS,
  REDUCE_GROUPS,
  MAX_TILE_LANE_BITS,
  MAX_TILE_QUBITS,
  TILE_LANE_BITS,
  TILE_LOW_QUBITS,
  TILE_QUBITS,
  tileLayout,
  WG,
} from './wgsl-kernels.js';

/** Largest state read back whole (amplitudes, exact distributions): 2^26 complex64 = 512 MiB. */
export const MAX_READBACK_QUBITS = 26;
/** High (chunk-selecting) targets one dense dispatch may bind: 2^3 storage buffers, WebGPU's guaranteed 8. */
export const MAX_HIGH_TARGETS = 3;

export interface GpuStats {
  /** Passes over the state by kernel (one pass may take one dispatch per chunk or chunk group). */
  passes: { dense: number; diagonal: number; tile: number; elementwise: number };
  /** Compute dispatches of those passes. */
  dispatches: number;
  /** Dispatches that bound more than one chunk (a tile or a dense target containing chunk-selecting qubits). */
  chunkPairDispatches: number;
  /** Circuit gates merged into fused blocks (dense blocks, and blocks inside tile passes). */
  fusedGates: number;
  /** Circuit gates applied inside tile passes. */
  tileGates: number;
}

export function emptyGpuStats(): GpuStats {
  return {
    passes: { dense: 0, diagonal: 0, tile: 0, elementwise: 0 },
    dispatches: 0,
    chunkPairDispatches: 0,
    fusedGates: 0,
    tileGates: 0,
  };
}

/** Passes over the state recorded in `s`, all kernels. */
export function statePasses(s: GpuStats): number {
  return s.passes.dense + s.passes.diagonal + s.passes.tile + s.passes.elementwise;
}

/** How gate runs are planned into tile passes and how the tile kernel is shaped (simulator options too). */
export interface TileOptions {
  /** Plan tile passes (default true); false runs every gate through the dense and diagonal kernels. */
  readonly tiles?: boolean;
  /**
   * Widest tile in qubits, up to MAX_TILE_QUBITS (default TILE_QUBITS, or less where the adapter's workgroup memory
   * is smaller); tests go smaller.
   */
  readonly tileQubits?: number;
  /** Low qubits every tile contains (default TILE_LOW_QUBITS). */
  readonly tileLowQubits?: number;
  /** Widest fused block inside a tile pass, at most 3 (default TILE_FUSION_QUBITS). */
  readonly tileFusionQubits?: number;
  /** Run light tile passes through the dense and diagonal kernels when cheaper (default true; lightTilePass). */
  readonly denseLightPasses?: boolean;
  /** Threads of a tile workgroup as log2, 1 to MAX_TILE_LANE_BITS (default: defaultTileLaneBits). */
  readonly tileLaneBits?: number;
  /** Swizzled workgroup-memory slots in tiles against bank conflicts (default false: slower on the H100). */
  readonly tileSwizzle?: boolean;
}

const TILE_OPTION_KEYS = [
  'tiles',
  'tileQubits',
  'tileLowQubits',
  'tileFusionQubits',
  'denseLightPasses',
  'tileLaneBits',
  'tileSwizzle',
] as const;

/** The tile options of a larger options object (only those that are set). */
export function tileOptionsOf(o: TileOptions): TileOptions {
  const out: Record<string, unknown> = {};
  for (const k of TILE_OPTION_KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out as TileOptions;
}

export interface GpuStateConfig extends TileOptions {
  readonly ctx: GpuContext;
  readonly kernels: GpuKernels;
  readonly numQubits: number;
  /** log2 of the amplitudes per chunk (≤ numQubits). */
  readonly chunkQubits: number;
  readonly fusionQubits: number;
  readonly stats: GpuStats;
}

/**
 * Widest block the gates of a tile pass are fused into, at most MAX_TILE_GATE_QUBITS (a smaller simulator
 * fusionQubits caps it further). The gpu benchmark compares blocks of 2 and 3 qubits.
 */
export const TILE_FUSION_QUBITS = 2;

/**
 * Cost of a tile pass in passes at copy speed, from the gpu benchmark on an H100 (2026-11-22, 128 threads per 2^11
 * tile): one gate alone in a tile pass runs at about 0.68 of copy bandwidth (about 1.5 passes), a pass of ~21
 * fused gates at 0.16–0.18 (about 6). A tile pass whose gates the dense and diagonal kernels run in no more fused
 * blocks than this goes through them.
 */
export const TILE_PASS_COST = 1.5;
export const TILE_GATE_COST = 0.2;
/** Cost of one fused dense block (up to 4 qubits): about 0.8 of copy bandwidth in a depth-20 circuit. */
export const DENSE_BLOCK_COST = 1.25;
/**
 * Most dense blocks a tile pass may become: near break-even the model is not precise enough (at 28 qubits, moving
 * depth-20 passes of 6–9 blocks out of tiles cost 0.65 s against 0.49–0.51 s), so only clearly light passes move.
 */
export const LIGHT_PASS_MAX_BLOCKS = 3;

/**
 * Threads of a tile workgroup (log2) when none are asked for: TILE_LANE_BITS on a GPU; on a software adapter
 * (lavapipe) MAX_TILE_LANE_BITS, whose shaders (8 amplitudes per thread) LLVM compiles in about 2 s instead of 7–13 s
 * for 16 per thread. Speed there is no concern; the thread layouts are tested explicitly.
 */
export function defaultTileLaneBits(ctx: GpuContext): number {
  return ctx.info.software ? MAX_TILE_LANE_BITS : TILE_LANE_BITS;
}

/** Widest tile the device's workgroup memory holds (2^t complex64 amplitudes), at most MAX_TILE_QUBITS. */
export function deviceTileQubits(ctx: GpuContext): number {
  const bytes = ctx.device.limits.maxComputeWorkgroupStorageSize;
  return Math.max(1, Math.min(MAX_TILE_QUBITS, Math.floor(Math.log2(bytes / 8))));
}

interface Block {
  readonly targets: readonly number[];
  readonly matrix: Float64Array;
  readonly controls: readonly number[];
  readonly controlValues: readonly (0 | 1)[];
}

function isDiagonal(k: number, matrix: Float64Array): boolean {
  const targets = Array.from({ length: k }, (_, j) => j);
  const kind = compileOp(k, targets, matrix).kind;
  return kind === 'diagonal' || kind === 'identity';
}

/** x with zero bits inserted at the ascending bit positions `at` (the inverse of gathering the other bits). */
function insertZeros(x: number, at: readonly number[]): number {
  let r = x;
  for (const p of at) {
    const lo = r % 2 ** p;
    r = (r - lo) * 2 + lo;
  }
  return r;
}

function parity(x: number): number {
  let p = 0;
  while (x > 0) {
    p ^= x & 1;
    x = Math.floor(x / 2);
  }
  return p;
}

export class GpuState {
  readonly numQubits: number;
  readonly truncationError = 0;
  private readonly c: number;
  private readonly chunkAmps: number;
  private destroyed = false;

  private constructor(
    readonly cfg: GpuStateConfig,
    readonly buffers: GPUBuffer[],
  ) {
    this.numQubits = cfg.numQubits;
    this.c = cfg.chunkQubits;
    this.chunkAmps = 2 ** this.c;
  }

  get bytes(): number {
    return 8 * 2 ** this.numQubits;
  }

  get chunks(): number {
    return this.buffers.length;
  }

  /**
   * State buffers are pooled per device: Dawn does not give a destroyed buffer's memory back to the driver while
   * the device lives (measured on the H100: after one 33-qubit state was destroyed, even a 2 GiB allocation failed),
   * so a destroyed state's buffers are kept and the next state of the same chunk size reuses them. The pool goes
   * with the device.
   */
  private static async allocate(cfg: GpuStateConfig): Promise<GPUBuffer[]> {
    const count = 2 ** (cfg.numQubits - cfg.chunkQubits);
    const size = 8 * 2 ** cfg.chunkQubits;
    const free = poolOf(cfg.ctx, size);
    const reused = free.splice(0, Math.min(count, free.length));
    if (reused.length === count) return reused;
    try {
      return [...reused, ...(await GpuState.allocateOnce(cfg, count - reused.length))];
    } catch (error) {
      free.push(...reused);
      throw error;
    }
  }

  private static async allocateOnce(cfg: GpuStateConfig, count: number): Promise<GPUBuffer[]> {
    const size = 8 * 2 ** cfg.chunkQubits;
    const buffers: GPUBuffer[] = [];
    try {
      await guarded(cfg.ctx, `allocating a ${cfg.numQubits}-qubit state (${count} × ${size} bytes)`, () => {
        for (let i = 0; i < count; i++) {
          buffers.push(
            cfg.ctx.device.createBuffer({
              size,
              usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
            }),
          );
        }
      });
    } catch (error) {
      for (const b of buffers) b.destroy();
      throw error;
    }
    return buffers;
  }

  static async zero(cfg: GpuStateConfig): Promise<GpuState> {
    const buffers = await GpuState.allocate(cfg);
    // Pooled buffers hold an earlier state: clear every chunk, then set amplitude 0 to 1.
    const encoder = cfg.ctx.device.createCommandEncoder();
    for (const b of buffers) encoder.clearBuffer(b);
    cfg.ctx.device.queue.submit([encoder.finish()]);
    const first = buffers[0];
    if (first) cfg.ctx.device.queue.writeBuffer(first, 0, new Float32Array([1, 0]));
    return new GpuState(cfg, buffers);
  }

  async clone(): Promise<GpuState> {
    const buffers = await GpuState.allocate(this.cfg);
    const batch = new Batch(this.cfg.ctx);
    this.buffers.forEach((b, i) => batch.copy(b, buffers[i] as GPUBuffer, 8 * this.chunkAmps));
    await batch.submit('copying the state');
    return new GpuState(this.cfg, buffers);
  }

  /** Gives the buffers back to the device's pool (or destroys them when the device is lost). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.cfg.ctx.lostReason !== undefined) {
      for (const b of this.buffers) b.destroy();
      return;
    }
    poolOf(this.cfg.ctx, 8 * this.chunkAmps).push(...this.buffers);
  }

  async release(): Promise<void> {
    this.destroy();
  }

  private buf(i: number): GPUBuffer {
    const b = this.buffers[i];
    if (!b) throw new MamlError('internal', `chunk ${i} of ${this.buffers.length} does not exist`);
    return b;
  }

  // ---- unitaries ----------------------------------------------------------------------------------------------

  async applyUnitaries(ops: readonly (UnitaryOp | GlobalPhaseOp)[]): Promise<void> {
    const batch = new Batch(this.cfg.ctx);
    let run: UnitaryOp[] = [];
    const flush = async (): Promise<void> => {
      if (run.length > 0) await this.recordUnitaries(batch, run);
      run = [];
    };
    for (const op of ops) {
      if (op.type === 'unitary') run.push(op);
      else {
        await flush();
        await this.recordElementwise(batch, 0, 0, [Math.cos(op.angle), Math.sin(op.angle)]);
      }
    }
    await flush();
    await batch.submit('applying gates');
  }

  async applyMatrix(targets: readonly number[], matrix: Float64Array): Promise<void> {
    const batch = new Batch(this.cfg.ctx);
    await this.recordBlock(batch, { targets, matrix, controls: [], controlValues: [] });
    await batch.submit('applying a matrix');
  }

  /** Options of the pass planner for this state. */
  planOptions(): PassPlanOptions {
    const t = Math.min(this.cfg.tileQubits ?? TILE_QUBITS, deviceTileQubits(this.cfg.ctx));
    return {
      numQubits: this.numQubits,
      chunkQubits: this.c,
      tileQubits: t,
      lowQubits: this.cfg.tileLowQubits ?? TILE_LOW_QUBITS,
      maxChunkBits: MAX_HIGH_TARGETS,
      fusionQubits: Math.min(
        this.cfg.fusionQubits,
        this.cfg.tileFusionQubits ?? TILE_FUSION_QUBITS,
        MAX_TILE_GATE_QUBITS,
      ),
    };
  }

  /** Plans the passes of a gate run (exposed for the benchmark and tests). */
  plan(ops: readonly UnitaryOp[]): PlannedPass[] {
    if (this.cfg.tiles === false) return ops.map((op) => ({ kind: 'op', op }));
    return planPasses(ops, this.planOptions());
  }

  /** Records planned passes `repeat` times into one submission (the benchmark times kernels this way). */
  async applyPlan(plan: readonly PlannedPass[], repeat = 1): Promise<void> {
    const batch = new Batch(this.cfg.ctx);
    for (let r = 0; r < repeat; r++) await this.recordPlan(batch, plan);
    await batch.submit('applying planned passes');
  }

  private async recordUnitaries(batch: Batch, ops: readonly UnitaryOp[]): Promise<void> {
    await this.recordPlan(batch, this.plan(ops));
  }

  private async recordPlan(batch: Batch, plan: readonly PlannedPass[]): Promise<void> {
    // Consecutive single-gate passes are fused into dense blocks together.
    let loose: UnitaryOp[] = [];
    for (const pass of plan) {
      if (pass.kind === 'op') {
        loose.push(pass.op);
        continue;
      }
      if (this.lightTilePass(pass)) {
        loose.push(...pass.source);
        continue;
      }
      if (loose.length > 0) await this.recordFused(batch, loose);
      loose = [];
      await this.recordTilePass(batch, pass);
    }
    if (loose.length > 0) await this.recordFused(batch, loose);
  }

  /**
   * Whether a tile pass is cheaper through the dense and diagonal kernels (the cost rule of docs/gpu.md): each
   * fused dense block costs DENSE_BLOCK_COST passes at copy speed, a tile pass TILE_PASS_COST plus TILE_GATE_COST
   * per (fused) tile gate.
   */
  private lightTilePass(pass: Extract<PlannedPass, { kind: 'tile' }>): boolean {
    if (this.cfg.denseLightPasses === false) return false;
    const tileCost = TILE_PASS_COST + TILE_GATE_COST * pass.gates.length;
    // Fusing is host work: skip it where even one dense block per circuit gate would be cheaper.
    if (DENSE_BLOCK_COST * pass.source.length <= tileCost) return true;
    const f = this.cfg.fusionQubits;
    if (f < 2) return false;
    const blocks = fuseGates(pass.source, f, f).length;
    return blocks <= LIGHT_PASS_MAX_BLOCKS && DENSE_BLOCK_COST * blocks <= tileCost;
  }

  private async recordFused(batch: Batch, ops: readonly UnitaryOp[]): Promise<void> {
    const f = this.cfg.fusionQubits;
    if (f < 2 || ops.length === 1) {
      for (const op of ops) await this.recordBlock(batch, op);
      return;
    }
    // Diagonal blocks are capped at the same width, so that every block fits the dense kernel.
    for (const block of fuseGates(ops, f, f)) {
      if (block.kind === 'op') await this.recordBlock(batch, block.op);
      else {
        this.cfg.stats.fusedGates += block.gates;
        const matrix = block.kind === 'block' ? block.matrix : diagonalMatrix(block.diagonal);
        await this.recordBlock(batch, { targets: block.qubits, matrix, controls: [], controlValues: [] });
      }
    }
  }

  /**
   * One tile pass: a dispatch per group of 2^h chunks (h = chunk-selecting qubits in the tile), a workgroup per
   * tile. The gate list and matrices are shared by the dispatches; each group gets its own parameters.
   */
  private async recordTilePass(batch: Batch, pass: Extract<PlannedPass, { kind: 'tile' }>): Promise<void> {
    const c = this.c;
    const S = pass.qubits;
    const local = S.filter((q) => q < c);
    const high = S.filter((q) => q >= c);
    const h = high.length;
    const lbits = local.length;
    const tmax = this.planOptions().tileQubits;
    if (S.length > tmax || h > MAX_HIGH_TARGETS || lbits > c) {
      throw new MamlError('internal', `a tile on qubits ${S.join(',')} does not fit ${tmax}-qubit tiles`);
    }
    const t = S.length;
    const lanesOpt = this.cfg.tileLaneBits ?? defaultTileLaneBits(this.cfg.ctx);
    const layout = tileLayout(t, h, lanesOpt);
    const { lanes, laneBits, per, record } = layout;
    let complexes = 0;
    for (const g of pass.gates) complexes += g.matrices.length / 2;
    const G = new Uint32Array(4 * record * Math.max(1, pass.gates.length));
    const M = new Float32Array(2 * Math.max(1, complexes));
    let mo = 0;
    pass.gates.forEach((g, i) => {
      const p = g.positions;
      const sl = g.selectors;
      const r = 4 * record * i;
      G.set([p.length, sl.length, mo, 0, p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, 0], r);
      G.set([sl[0] ?? 0, sl[1] ?? 0, sl[2] ?? 0, sl[3] ?? 0], r + 8);
      // Group offsets: the tile index of a thread's g-th group of the gate, less the lane's bits.
      const groups = Math.max(1, 2 ** (t - p.length) / lanes);
      for (let gi = 0; gi < groups; gi++) G[r + 12 + gi] = insertZeros(gi * lanes, p);
      M.set(g.matrices, 2 * mo);
      mo += g.matrices.length / 2;
      if (g.gates > 1) this.cfg.stats.fusedGates += g.gates;
    });
    // Local offset of a thread's amplitude e: its tile bits from laneBits up to the local ones.
    const eoff = new Uint32Array(4 * Math.ceil(per / 4));
    for (let e = 0; e < per; e++) {
      let off = 0;
      for (let j = laneBits; j < lbits; j++) if (((e * lanes) >> j) & 1) off += 2 ** (local[j] ?? 0);
      eoff[e] = off;
    }
    const kmax = pass.gates.reduce((m, g) => Math.max(m, g.positions.length), 1);
    const pipeline = await this.cfg.kernels.pipeline(
      'tile',
      t,
      h,
      kmax,
      lanesOpt,
      this.cfg.tileSwizzle === true ? 1 : 0,
    );
    const uG = batch.params(G.buffer);
    const uM = batch.params(M.buffer);
    const tiles = 2 ** (c - lbits);
    const g = grid(tiles, 1);
    const highMask = high.reduce((m, q) => m + 2 ** (q - c), 0);
    let groups = 0;
    for (let ch = 0; ch < this.chunks; ch++) {
      if (highMask > 0 && andNum(ch, highMask) !== 0) continue;
      const params = new Uint32Array(4 + 16 + eoff.length);
      params.set([tiles, pass.gates.length, c, ch]);
      local.forEach((q, j) => (params[4 + j] = q));
      params.set(eoff, 20);
      const bufs: (GPUBuffer | ArenaSlice)[] = [batch.uniform(params.buffer), uG, uM];
      for (let j = 0; j < 2 ** h; j++) {
        let other = ch;
        high.forEach((q, i) => {
          if ((j >> i) & 1) other += 2 ** (q - c);
        });
        bufs.push(this.buf(other));
      }
      batch.dispatch(pipeline, bufs, g.x, g.y);
      groups++;
    }
    this.cfg.stats.passes.tile++;
    this.cfg.stats.dispatches += groups;
    if (h > 0) this.cfg.stats.chunkPairDispatches += groups;
    this.cfg.stats.tileGates += pass.ops;
  }

  private async recordBlock(batch: Batch, op: Block): Promise<void> {
    const k = op.targets.length;
    if (isDiagonal(k, op.matrix)) {
      // Controls join the diagonal: entries are 1 where a control does not hold.
      const qubits = [...op.targets, ...op.controls];
      const dim = 2 ** qubits.length;
      const d = new Float64Array(2 * dim);
      const kdim = 2 ** k;
      for (let x = 0; x < dim; x++) {
        let active = true;
        op.controls.forEach((_, j) => {
          if (((x >> (k + j)) & 1) !== (op.controlValues[j] ?? 1)) active = false;
        });
        const l = x % kdim;
        d[2 * x] = active ? (op.matrix[2 * (l * kdim + l)] ?? 0) : 1;
        d[2 * x + 1] = active ? (op.matrix[2 * (l * kdim + l) + 1] ?? 0) : 0;
      }
      const localCount = qubits.filter((q) => q < this.c).length;
      if (localCount <= MAX_DIAG_LOCAL_QUBITS) {
        await this.recordDiagonal(batch, qubits, d);
        return;
      }
      if (qubits.length <= MAX_DENSE_QUBITS) {
        const full = new Float64Array(2 * dim * dim);
        for (let x = 0; x < dim; x++) {
          full[2 * (x * dim + x)] = d[2 * x] ?? 0;
          full[2 * (x * dim + x) + 1] = d[2 * x + 1] ?? 0;
        }
        await this.recordDense(batch, { targets: qubits, matrix: full, controls: [], controlValues: [] });
        return;
      }
    }
    await this.recordDense(batch, op);
  }

  private async recordDiagonal(batch: Batch, qubits: readonly number[], d: Float64Array): Promise<void> {
    const c = this.c;
    const localIdx = qubits.map((q, j) => [q, j] as const).filter(([q]) => q < c);
    const highIdx = qubits.map((q, j) => [q, j] as const).filter(([q]) => q >= c);
    const pipeline = await this.cfg.kernels.pipeline('diagonal');
    const g = grid(this.chunkAmps);
    const params = new Uint32Array(4 + 16);
    params.set([this.chunkAmps, g.wgx, localIdx.length, 0]);
    localIdx.forEach(([q], j) => (params[4 + j] = q));
    const uParams = batch.uniform(params.buffer);
    const seen = new Map<string, ArenaSlice | GPUBuffer>();
    for (let ch = 0; ch < this.chunks; ch++) {
      let hi = 0;
      for (const [q, j] of highIdx) if (Math.floor(ch / 2 ** (q - c)) % 2 === 1) hi += 2 ** j;
      const dl = new Float32Array(2 ** MAX_DIAG_LOCAL_QUBITS * 2);
      let identity = true;
      for (let l = 0; l < 2 ** localIdx.length; l++) {
        let x = hi;
        localIdx.forEach(([, j], i) => {
          if ((l >> i) & 1) x += 2 ** j;
        });
        const re = d[2 * x] ?? 0;
        const im = d[2 * x + 1] ?? 0;
        if (re !== 1 || im !== 0) identity = false;
        dl[2 * l] = re;
        dl[2 * l + 1] = im;
      }
      if (identity) continue;
      const key = Array.from(dl.subarray(0, 2 ** (localIdx.length + 1))).join(',');
      let uD = seen.get(key);
      if (!uD) {
        uD = batch.uniform(dl.buffer);
        seen.set(key, uD);
      }
      batch.dispatch(pipeline, [uParams, uD, this.buf(ch)], g.x, g.y);
      this.cfg.stats.dispatches++;
    }
    this.cfg.stats.passes.diagonal++;
  }

  private async recordDense(batch: Batch, op: Block): Promise<void> {
    const c = this.c;
    const T = op.targets;
    const k = T.length;
    if (k > MAX_DENSE_QUBITS) {
      throw new MamlError(
        'unsupported',
        `the webgpu backend applies dense gates on at most ${MAX_DENSE_QUBITS} qubits; this one has ${k}`,
      );
    }
    const localIdx = T.map((q, j) => [q, j] as const).filter(([q]) => q < c);
    const highIdx = T.map((q, j) => [q, j] as const).filter(([q]) => q >= c);
    const h = highIdx.length;
    if (h > MAX_HIGH_TARGETS) {
      throw new MamlError(
        'unsupported',
        `a ${k}-qubit gate with ${h} target qubits above the ${c}-qubit chunk size binds more than ` +
          `${2 ** MAX_HIGH_TARGETS} buffers; use a larger chunk size or split the gate`,
      );
    }
    const kl = localIdx.length;
    const dim = 2 ** k;
    // m (kernel order: local bits low, high bits above) → index in the op's own order.
    const orig = (m: number): number => {
      let x = 0;
      localIdx.forEach(([, j], i) => {
        if ((m >> i) & 1) x |= 1 << j;
      });
      highIdx.forEach(([, j], i) => {
        if ((m >> (kl + i)) & 1) x |= 1 << j;
      });
      return x;
    };
    const mat = new Float32Array(Math.max(4, dim * dim * 2));
    for (let r = 0; r < dim; r++) {
      const or = orig(r);
      for (let cc = 0; cc < dim; cc++) {
        const oc = orig(cc);
        mat[2 * (r * dim + cc)] = op.matrix[2 * (or * dim + oc)] ?? 0;
        mat[2 * (r * dim + cc) + 1] = op.matrix[2 * (or * dim + oc) + 1] ?? 0;
      }
    }
    const localControls = op.controls.map((q, j) => [q, op.controlValues[j] ?? 1] as const).filter(([q]) => q < c);
    const highControls = op.controls.map((q, j) => [q, op.controlValues[j] ?? 1] as const).filter(([q]) => q >= c);
    const ins = [...localIdx.map(([q]) => q), ...localControls.map(([q]) => q)].sort((a, b) => a - b);
    let cbits = 0;
    for (const [q, v] of localControls) if (v === 1) cbits |= 1 << q;
    const count = 2 ** (c - ins.length);
    const g = grid(count);
    const params = new Uint32Array(4 + 32 + 64);
    params.set([count, g.wgx, ins.length, cbits >>> 0]);
    ins.forEach((q, j) => (params[4 + j] = q));
    for (let l = 0; l < 2 ** kl; l++) {
      let off = 0;
      localIdx.forEach(([q], i) => {
        if ((l >> i) & 1) off |= 1 << q;
      });
      params[36 + l] = off >>> 0;
    }
    const pipeline = await this.cfg.kernels.pipeline('dense', k, h);
    const uParams = batch.uniform(params.buffer);
    const uMat = batch.uniform(mat.buffer);
    const highMask = highIdx.reduce((m, [q]) => m + 2 ** (q - c), 0);
    for (let ch = 0; ch < this.chunks; ch++) {
      if (highMask > 0 && andNum(ch, highMask) !== 0) continue;
      if (highControls.some(([q, v]) => Math.floor(ch / 2 ** (q - c)) % 2 !== v)) continue;
      const bufs: (GPUBuffer | ArenaSlice)[] = [uParams, uMat];
      for (let j = 0; j < 2 ** h; j++) {
        let other = ch;
        highIdx.forEach(([q], i) => {
          if ((j >> i) & 1) other += 2 ** (q - c);
        });
        bufs.push(this.buf(other));
      }
      batch.dispatch(pipeline, bufs, g.x, g.y);
      this.cfg.stats.dispatches++;
      if (h > 0) this.cfg.stats.chunkPairDispatches++;
    }
    this.cfg.stats.passes.dense++;
  }

  /** ψ ← f·ψ where (local index & mask) == val, zero elsewhere, on every chunk. */
  private async recordElementwise(
    batch: Batch,
    mask: number,
    val: number,
    f: readonly [number, number],
    chunks?: readonly number[],
  ): Promise<void> {
    const pipeline = await this.cfg.kernels.pipeline('elementwise');
    const g = grid(this.chunkAmps);
    const data = new ArrayBuffer(32);
    new Uint32Array(data, 0, 4).set([this.chunkAmps, g.wgx, mask >>> 0, val >>> 0]);
    new Float32Array(data, 16, 2).set(f);
    const u = batch.uniform(data);
    for (const ch of chunks ?? this.buffers.keys()) {
      batch.dispatch(pipeline, [u, this.buf(ch)], g.x, g.y);
      this.cfg.stats.dispatches++;
    }
    this.cfg.stats.passes.elementwise++;
  }

  async scale(factor: number): Promise<void> {
    const batch = new Batch(this.cfg.ctx);
    await this.recordElementwise(batch, 0, 0, [factor, 0]);
    await batch.submit('scaling the state');
  }

  // ---- reductions ---------------------------------------------------------------------------------------------

  /**
   * Runs the reduction kernel once per job and returns each job's complex sum (f32 partials added in f64).
   * Job: chunk A, chunk B (B[i ^ flip] pairs with A[i]), masks as in reduceWgsl.
   */
  private async reduce(
    jobs: readonly { a: number; b: number; flip: number; sign: number; fmask: number; fval: number }[],
  ): Promise<[number, number][]> {
    if (jobs.length === 0) return [];
    const pipeline = await this.cfg.kernels.pipeline('reduce');
    const groups = Math.min(REDUCE_GROUPS, Math.ceil(this.chunkAmps / WG));
    const batch = new Batch(this.cfg.ctx);
    const outBytes = jobs.length * groups * 8;
    const out = batch.storage(outBytes);
    jobs.forEach((j, i) => {
      const p = new Uint32Array([
        this.chunkAmps,
        groups * WG,
        j.flip >>> 0,
        j.sign >>> 0,
        j.fmask >>> 0,
        j.fval >>> 0,
        i * groups,
        0,
      ]);
      batch.dispatch(pipeline, [batch.uniform(p.buffer), this.buf(j.a), this.buf(j.b), out], groups, 1);
    });
    const data = await batch.submit('summing over the state', { buffer: out, size: outBytes });
    const f = new Float32Array(data ?? new ArrayBuffer(0));
    return jobs.map((_, i) => {
      let re = 0;
      let im = 0;
      for (let w = 0; w < groups; w++) {
        re += f[2 * (i * groups + w)] ?? 0;
        im += f[2 * (i * groups + w) + 1] ?? 0;
      }
      return [re, im];
    });
  }

  private chunkList(): number[] {
    return [...this.buffers.keys()];
  }

  async normSquared(): Promise<number> {
    const sums = await this.reduce(
      this.chunkList().map((ch) => ({ a: ch, b: ch, flip: 0, sign: 0, fmask: 0, fval: 0 })),
    );
    return sums.reduce((s, [re]) => s + re, 0);
  }

  async probabilityOfOne(qubit: number): Promise<number> {
    const c = this.c;
    const all = this.chunkList();
    if (qubit < c) {
      const bit = (1 << qubit) >>> 0;
      const sums = await this.reduce([
        ...all.map((ch) => ({ a: ch, b: ch, flip: 0, sign: 0, fmask: 0, fval: 0 })),
        ...all.map((ch) => ({ a: ch, b: ch, flip: 0, sign: 0, fmask: bit, fval: bit })),
      ]);
      const total = sums.slice(0, all.length).reduce((s, [re]) => s + re, 0);
      const one = sums.slice(all.length).reduce((s, [re]) => s + re, 0);
      return total > 0 ? Math.min(1, one / total) : 0;
    }
    const sums = await this.reduce(all.map((ch) => ({ a: ch, b: ch, flip: 0, sign: 0, fmask: 0, fval: 0 })));
    let total = 0;
    let one = 0;
    sums.forEach(([re], ch) => {
      total += re;
      if (Math.floor(ch / 2 ** (qubit - c)) % 2 === 1) one += re;
    });
    return total > 0 ? Math.min(1, one / total) : 0;
  }

  async collapse(qubit: number, outcome: 0 | 1, probability: number): Promise<void> {
    const f = 1 / Math.sqrt(probability * (await this.normSquared()));
    const batch = new Batch(this.cfg.ctx);
    const c = this.c;
    if (qubit < c) {
      const bit = (1 << qubit) >>> 0;
      await this.recordElementwise(batch, bit, outcome === 1 ? bit : 0, [f, 0]);
    } else {
      const keep: number[] = [];
      const drop: number[] = [];
      for (const ch of this.chunkList()) (Math.floor(ch / 2 ** (qubit - c)) % 2 === outcome ? keep : drop).push(ch);
      await this.recordElementwise(batch, 0, 0, [f, 0], keep);
      await this.recordElementwise(batch, 0, 1, [0, 0], drop);
    }
    await batch.submit('collapsing the state');
  }

  async expectation(observable: PauliSum): Promise<number> {
    const c = this.c;
    const jobs: { a: number; b: number; flip: number; sign: number; fmask: number; fval: number }[] = [];
    const meta: { term: number; negate: boolean }[] = [];
    const masks = observable.terms.map((term) => {
      let flip = 0;
      let sign = 0;
      let flipHigh = 0;
      let signHigh = 0;
      let ys = 0;
      for (const { qubit, pauli } of term.ops) {
        const low = qubit < c;
        const b = low ? (1 << qubit) >>> 0 : 2 ** (qubit - c);
        if (pauli === 'X' || pauli === 'Y') {
          if (low) flip ^= b;
          else flipHigh = xorNum(flipHigh, b);
        }
        if (pauli === 'Z' || pauli === 'Y') {
          if (low) sign ^= b;
          else signHigh = xorNum(signHigh, b);
        }
        if (pauli === 'Y') ys++;
      }
      return { flip: flip >>> 0, sign: sign >>> 0, flipHigh, signHigh, ys };
    });
    masks.forEach((m, t) => {
      for (const ch of this.chunkList()) {
        jobs.push({ a: ch, b: xorNum(ch, m.flipHigh), flip: m.flip, sign: m.sign, fmask: 0, fval: 0 });
        meta.push({ term: t, negate: parity(andNum(ch, m.signHigh)) === 1 });
      }
    });
    const sums = await this.reduce(jobs);
    const per = observable.terms.map(() => [0, 0]);
    sums.forEach(([re, im], i) => {
      const m = meta[i];
      const acc = m ? per[m.term] : undefined;
      if (!m || !acc) return;
      acc[0] = (acc[0] ?? 0) + (m.negate ? -re : re);
      acc[1] = (acc[1] ?? 0) + (m.negate ? -im : im);
    });
    let e = 0;
    observable.terms.forEach((term, t) => {
      const [sr = 0, si = 0] = per[t] ?? [];
      const ys = masks[t]?.ys ?? 0;
      const v = [sr, -si, -sr, si][ys & 3] ?? 0;
      e += term.coefficient * v;
    });
    return e;
  }

  // ---- sampling -----------------------------------------------------------------------------------------------

  /**
   * Samples basis indices: block sums of |ψ|² on the GPU (the first level of the tree, read back: at most 2^20
   * numbers), sorted seeded uniforms assigned to blocks on the host in f64, then one workgroup per shot descends
   * inside its block on the GPU. Only the block sums and one index per shot cross the bus.
   */
  async sampleIndices(shots: number, rng: Rng): Promise<Float64Array> {
    const n = this.numQubits;
    const c = this.c;
    const b = Math.min(c, Math.max(8, n - 20));
    const block = 2 ** b;
    const perChunk = 2 ** (c - b);
    const blocks = perChunk * this.chunks;
    const sumPipe = await this.cfg.kernels.pipeline('blockSum');
    const batch = new Batch(this.cfg.ctx);
    const out = batch.storage(4 * blocks);
    const g = grid(perChunk, 1);
    for (let ch = 0; ch < this.chunks; ch++) {
      const p = new Uint32Array([perChunk, block, ch * perChunk, 0]);
      batch.dispatch(sumPipe, [batch.uniform(p.buffer), this.buf(ch), out], g.x, g.y);
    }
    const sums = new Float32Array(
      (await batch.submit('summing block probabilities', { buffer: out, size: 4 * blocks })) ?? new ArrayBuffer(0),
    );
    let total = 0;
    for (const s of sums) total += s;
    const u = new Float64Array(shots);
    for (let s = 0; s < shots; s++) u[s] = rng.next() * total;
    u.sort();
    let lastNonZero = 0;
    for (let j = sums.length - 1; j >= 0; j--) {
      if ((sums[j] ?? 0) > 0) {
        lastNonZero = j;
        break;
      }
    }
    // Per shot: its block and the residual inside it.
    const shotBlock = new Float64Array(shots);
    const residual = new Float32Array(shots);
    let j = 0;
    let start = 0;
    for (let s = 0; s < shots; s++) {
      const us = u[s] ?? 0;
      while (j < blocks - 1 && start + (sums[j] ?? 0) <= us) {
        start += sums[j] ?? 0;
        j++;
      }
      if (start + (sums[j] ?? 0) > us) {
        shotBlock[s] = j;
        residual[s] = us - start;
      } else {
        shotBlock[s] = lastNonZero;
        residual[s] = sums[lastNonZero] ?? 0;
      }
    }
    const descent = await this.cfg.kernels.pipeline('descent');
    const seg = Math.ceil(block / DESCENT_THREADS);
    const indices = new Float64Array(shots);
    const batch2 = new Batch(this.cfg.ctx);
    const result = batch2.storage(4 * Math.max(1, shots));
    const outs: { ch: number; first: number; count: number }[] = [];
    let s = 0;
    while (s < shots) {
      const ch = Math.floor((shotBlock[s] ?? 0) / perChunk);
      let e = s;
      while (e < shots && Math.floor((shotBlock[e] ?? 0) / perChunk) === ch) e++;
      const count = e - s;
      const q = new Uint32Array(2 * count);
      const rf = new Uint32Array(residual.buffer, 4 * s, count);
      for (let i = 0; i < count; i++) {
        q[2 * i] = (shotBlock[s + i] ?? 0) - ch * perChunk;
        q[2 * i + 1] = rf[i] ?? 0;
      }
      const qb = batch2.storage(q.byteLength, q.buffer);
      const o = batch2.storage(4 * count);
      const gg = grid(count, 1);
      const p = new Uint32Array([count, block, seg, gg.x]);
      batch2.dispatch(descent, [batch2.uniform(p.buffer), this.buf(ch), qb, o], gg.x, gg.y);
      batch2.copy(o, result, 4 * count, 0, 4 * s);
      outs.push({ ch, first: s, count });
      s = e;
    }
    const idx = new Uint32Array(
      (await batch2.submit('sampling', { buffer: result, size: 4 * Math.max(1, shots) })) ?? new ArrayBuffer(0),
    );
    for (const { ch, first, count } of outs) {
      for (let i = 0; i < count; i++) {
        const sb = (shotBlock[first + i] ?? 0) - ch * perChunk;
        indices[first + i] = ch * this.chunkAmps + sb * block + (idx[first + i] ?? 0);
      }
    }
    return indices;
  }

  /**
   * Sampled basis indices as distinct values, ascending, with their multiplicities. The sampler walks sorted
   * uniforms, so its indices come out ascending already; the sort is kept for the rare shot that rounding moves
   * to the last block with weight.
   */
  async sampleCounts(shots: number, rng: Rng): Promise<{ index: Float64Array; count: Uint32Array }> {
    const idx = (await this.sampleIndices(shots, rng)).sort();
    const index = new Float64Array(shots);
    const count = new Uint32Array(shots);
    let d = 0;
    let s = 0;
    while (s < shots) {
      const v = idx[s] ?? 0;
      let e = s + 1;
      while (e < shots && idx[e] === v) e++;
      index[d] = v;
      count[d] = e - s;
      d++;
      s = e;
    }
    return { index: index.subarray(0, d), count: count.subarray(0, d) };
  }

  async sample(qubits: readonly number[], shots: number, rng: Rng): Promise<Outcome[]> {
    const { index, count } = await this.sampleCounts(shots, rng);
    return Array.from(index, (v, i) => ({ bits: bitsOf(v, qubits), count: count[i] ?? 0 }));
  }

  // ---- read-back ----------------------------------------------------------------------------------------------

  private checkReadback(what: string): void {
    if (this.numQubits > MAX_READBACK_QUBITS) {
      throw new MamlError(
        'resource_limit',
        `${what} of a ${this.numQubits}-qubit state would copy ${8 * 2 ** this.numQubits} bytes from the GPU; ` +
          `the webgpu backend reads back states of at most ${MAX_READBACK_QUBITS} qubits (sampling and ` +
          'expectation values work at any size)',
      );
    }
  }

  private async readChunk(ch: number): Promise<Float32Array> {
    const batch = new Batch(this.cfg.ctx);
    const data = await batch.submit('reading the state', { buffer: this.buf(ch), size: 8 * this.chunkAmps });
    return new Float32Array(data ?? new ArrayBuffer(0));
  }

  async amplitudes(): Promise<{ re: number[]; im: number[] }> {
    this.checkReadback('returning the amplitudes');
    const re: number[] = [];
    const im: number[] = [];
    for (let ch = 0; ch < this.chunks; ch++) {
      const f = await this.readChunk(ch);
      for (let i = 0; i < this.chunkAmps; i++) {
        re.push(f[2 * i] ?? 0);
        im.push(f[2 * i + 1] ?? 0);
      }
    }
    return { re, im };
  }

  async distribution(qubits: readonly number[]): Promise<WeightedOutcome[]> {
    this.checkReadback('an exact distribution');
    const acc = new Map<number, number>();
    let total = 0;
    for (let ch = 0; ch < this.chunks; ch++) {
      const f = await this.readChunk(ch);
      for (let i = 0; i < this.chunkAmps; i++) {
        const w = (f[2 * i] ?? 0) ** 2 + (f[2 * i + 1] ?? 0) ** 2;
        if (w === 0) continue;
        total += w;
        const index = ch * this.chunkAmps + i;
        let key = 0;
        qubits.forEach((q, j) => (key += (Math.floor(index / 2 ** q) % 2) * 2 ** j));
        acc.set(key, (acc.get(key) ?? 0) + w);
      }
    }
    return [...acc].map(([key, w]) => ({
      bits: Uint8Array.from(qubits, (_, j) => Math.floor(key / 2 ** j) % 2),
      probability: w / total,
    }));
  }
}

function bitsOf(index: number, qubits: readonly number[]): Uint8Array {
  // Indices pass 2^32 from 33 qubits on: split into two 32-bit halves for the shifts.
  const lo = index % 4294967296;
  const hi = Math.floor(index / 4294967296);
  const out = new Uint8Array(qubits.length);
  for (let j = 0; j < qubits.length; j++) {
    const q = qubits[j] ?? 0;
    out[j] = q < 32 ? (lo >>> q) & 1 : (hi >>> (q - 32)) & 1;
  }
  return out;
}

/** Bitwise and/xor of non-negative integers below 2^53 (chunk indices may pass 2^31). */
function andNum(a: number, b: number): number {
  let r = 0;
  let bit = 1;
  while (a > 0 && b > 0) {
    if (a % 2 === 1 && b % 2 === 1) r += bit;
    a = Math.floor(a / 2);
    b = Math.floor(b / 2);
    bit *= 2;
  }
  return r;
}

function xorNum(a: number, b: number): number {
  let r = 0;
  let bit = 1;
  while (a > 0 || b > 0) {
    if (a % 2 !== b % 2) r += bit;
    a = Math.floor(a / 2);
    b = Math.floor(b / 2);
    bit *= 2;
  }
  return r;
}

/** The dense matrix of a diagonal given as interleaved entries. */
function diagonalMatrix(diagonal: Float64Array): Float64Array {
  const dim = diagonal.length / 2;
  const m = new Float64Array(2 * dim * dim);
  for (let l = 0; l < dim; l++) {
    m[2 * (l * dim + l)] = diagonal[2 * l] ?? 0;
    m[2 * (l * dim + l) + 1] = diagonal[2 * l + 1] ?? 0;
  }
  return m;
}

const pools = new WeakMap<GpuContext, Map<number, GPUBuffer[]>>();

/** Free state buffers of one size on one device. */
function poolOf(ctx: GpuContext, size: number): GPUBuffer[] {
  let bySize = pools.get(ctx);
  if (!bySize) {
    bySize = new Map();
    pools.set(ctx, bySize);
  }
  let free = bySize.get(size);
  if (!free) {
    free = [];
    bySize.set(size, free);
  }
  return free;
}
