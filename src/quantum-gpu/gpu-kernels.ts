/**
 * Compiled pipelines and command recording for the GPU state. Pipelines are built once per shader variant and
 * cached; dispatches are recorded into a Batch and submitted together (WebGPU orders dispatches in one pass and
 * inserts the barriers between them). The dispatches' parameters (uniforms, gate lists, matrices) are slices of one
 * arena buffer per batch, written with one queue write: a dispatch costs a bind group, not a buffer allocation.
 */
/// <reference types="@webgpu/types" />
import { MamlError } from '../shared/errors.js';
import { checkAlive, compileShader, guarded, type GpuContext } from './gpu-device.js';
import { gpuTuning } from './gpu-tuning.js';
import {
  blockSumWgsl,
  copyWgsl,
  denseWgsl,
  descentWgsl,
  diagonalWgsl,
  elementwiseWgsl,
  reduceWgsl,
  tileWgsl,
  WG,
} from './wgsl-kernels.js';

export const KERNEL_NAMES = [
  'dense',
  'diagonal',
  'tile',
  'elementwise',
  'reduce',
  'blockSum',
  'descent',
  'copy',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

export class GpuKernels {
  private readonly cache = new Map<string, Promise<GPUComputePipeline>>();

  constructor(readonly ctx: GpuContext) {}

  /** The pipeline of a kernel variant: dense (k, h), tile (t, h, widest gate, most lane bits, swizzle). */
  pipeline(name: KernelName, ...variant: number[]): Promise<GPUComputePipeline> {
    const key = [name, ...variant].join(':');
    let p = this.cache.get(key);
    if (!p) {
      p = this.build(name, key, variant);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private async build(name: KernelName, label: string, v: readonly number[]): Promise<GPUComputePipeline> {
    const [a = 0, b = 0, c = 0, d = 0, e = 0] = v;
    const source = (() => {
      switch (name) {
        case 'dense':
          return denseWgsl(a, b);
        case 'diagonal':
          return diagonalWgsl();
        case 'tile':
          return tileWgsl(a, b, c, d, e === 1);
        case 'elementwise':
          return elementwiseWgsl();
        case 'reduce':
          return reduceWgsl();
        case 'blockSum':
          return blockSumWgsl();
        case 'descent':
          return descentWgsl();
        case 'copy':
          return copyWgsl();
      }
    })();
    const module = await compileShader(this.ctx, label, source);
    return guarded(this.ctx, `building the ${label} pipeline`, () =>
      this.ctx.device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint: 'main' } }),
    );
  }
}

/** Workgroup grid for `threads` threads: x ≤ 32768 workgroups, y as needed; wgx = threads per grid row. */
export function grid(threads: number, perGroup = WG): { x: number; y: number; wgx: number } {
  const groups = Math.max(1, Math.ceil(threads / perGroup));
  const x = Math.min(groups, 32768);
  return { x, y: Math.ceil(groups / x), wgx: x * perGroup };
}

/** A slice of one of the batch's parameter arenas, bound with an offset. */
export interface ArenaSlice {
  readonly arena: Arena;
  /** Which of the arena's buffers (one per flush) holds the slice. */
  readonly gen: number;
  readonly offset: number;
  readonly size: number;
}

type Binding = GPUBuffer | ArenaSlice;

interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  readonly bindings: readonly Binding[];
  readonly x: number;
  readonly y: number;
}

const layouts = new WeakMap<GPUComputePipeline, GPUBindGroupLayout>();

function layoutOf(pipeline: GPUComputePipeline): GPUBindGroupLayout {
  let l = layouts.get(pipeline);
  if (!l) {
    l = pipeline.getBindGroupLayout(0);
    layouts.set(pipeline, l);
  }
  return l;
}

/** Offsets of arena slices: 256 bytes satisfies every adapter's uniform and storage offset alignment. */
const ARENA_ALIGN = 256;

/** Parameter bytes of one usage (uniform, or read-only storage), written to the GPU as one buffer per flush. */
class Arena {
  private data = new Uint8Array(1 << 16);
  private used = 0;
  private readonly buffers: GPUBuffer[] = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly usage: number,
  ) {}

  add(bytes: ArrayBuffer): ArenaSlice {
    const size = Math.max(16, Math.ceil(bytes.byteLength / 16) * 16);
    const offset = this.used;
    const end = offset + size;
    if (end > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < end) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    this.data.set(new Uint8Array(bytes), offset);
    this.used = Math.ceil(end / ARENA_ALIGN) * ARENA_ALIGN;
    return { arena: this, gen: this.buffers.length, offset, size };
  }

  /** Writes what was added since the last flush into a new buffer (queue writes land before a later submit). */
  flush(): void {
    if (this.used === 0) return;
    const buf = this.ctx.device.createBuffer({ size: this.used, usage: this.usage | GPUBufferUsage.COPY_DST });
    this.ctx.device.queue.writeBuffer(buf, 0, this.data.buffer, 0, this.used);
    this.buffers.push(buf);
    this.used = 0;
  }

  buffer(gen: number): GPUBuffer {
    const b = this.buffers[gen];
    if (!b) throw new MamlError('internal', `parameter arena ${gen} of ${this.buffers.length} was never written`);
    return b;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }
}

/** Dispatches recorded for one submission, plus the temporary buffers to free once it is submitted. */
export class Batch {
  private readonly dispatches: Dispatch[] = [];
  private readonly temporaries: GPUBuffer[] = [];
  private readonly copies: { src: GPUBuffer; dst: GPUBuffer; size: number; from: number; to: number }[] = [];
  private readonly uniforms: Arena;
  private readonly readOnly: Arena;
  private recorded = 0;

  constructor(private readonly ctx: GpuContext) {
    this.uniforms = new Arena(ctx, GPUBufferUsage.UNIFORM);
    this.readOnly = new Arena(ctx, GPUBufferUsage.STORAGE);
  }

  /** Dispatches and copies recorded so far (including those already moved into the encoder). */
  get size(): number {
    return this.recorded;
  }

  /** A uniform block for one or more dispatches. */
  uniform(data: ArrayBuffer): ArenaSlice | GPUBuffer {
    if (gpuTuning().arenas) return this.uniforms.add(data);
    return this.single(data, GPUBufferUsage.UNIFORM);
  }

  /** Read-only storage parameters (gate lists, matrices) for one or more dispatches. */
  params(data: ArrayBuffer): ArenaSlice | GPUBuffer {
    if (gpuTuning().arenas) return this.readOnly.add(data);
    return this.single(data, GPUBufferUsage.STORAGE);
  }

  private single(data: ArrayBuffer, usage: number): GPUBuffer {
    const buf = this.ctx.device.createBuffer({
      size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
      usage: usage | GPUBufferUsage.COPY_DST,
    });
    this.ctx.device.queue.writeBuffer(buf, 0, data);
    this.temporaries.push(buf);
    return buf;
  }

  storage(size: number, data?: ArrayBuffer): GPUBuffer {
    const buf = this.ctx.device.createBuffer({
      size: Math.max(16, Math.ceil(size / 16) * 16),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    if (data) this.ctx.device.queue.writeBuffer(buf, 0, data);
    this.temporaries.push(buf);
    return buf;
  }

  dispatch(pipeline: GPUComputePipeline, bindings: readonly Binding[], x: number, y = 1): void {
    if (this.copies.length > 0) this.flushInto();
    this.dispatches.push({ pipeline, bindings, x, y });
    this.recorded++;
    // Dispatches recorded before a batch submits them and goes on recording (the GPU starts meanwhile).
    if (this.dispatches.length >= gpuTuning().submitEvery) this.submitPart();
  }

  /** Error scopes opened by the first partial submission, closed by submit(). */
  private scoped = false;

  /**
   * Submits what is recorded so far without waiting, so that the GPU starts on a long batch while the host records
   * the rest. Errors of these submissions are collected by error scopes that submit() closes.
   */
  private submitPart(): void {
    if (!this.scoped) {
      this.ctx.device.pushErrorScope('validation');
      this.ctx.device.pushErrorScope('out-of-memory');
      this.scoped = true;
    }
    this.flushInto();
    this.ctx.device.queue.submit([this.encoder().finish()]);
    this.pendingEncoder = undefined;
    // Temporaries stay until submit(): later dispatches may bind them again.
  }

  /** Records a buffer copy; copies and dispatches run in recording order. */
  copy(src: GPUBuffer, dst: GPUBuffer, size: number, from = 0, to = 0): void {
    if (this.dispatches.length > 0) this.flushInto();
    this.copies.push({ src, dst, size, from, to });
    this.recorded++;
  }

  private pendingEncoder: GPUCommandEncoder | undefined;

  private encoder(): GPUCommandEncoder {
    this.pendingEncoder ??= this.ctx.device.createCommandEncoder();
    return this.pendingEncoder;
  }

  /** Moves recorded dispatches into the encoder (one compute pass), then any recorded copies. */
  private flushInto(): void {
    const enc = this.encoder();
    if (this.dispatches.length > 0) {
      this.uniforms.flush();
      this.readOnly.flush();
      const pass = enc.beginComputePass();
      for (const d of this.dispatches) {
        const group = this.ctx.device.createBindGroup({
          layout: layoutOf(d.pipeline),
          entries: d.bindings.map((b, binding) =>
            'arena' in b
              ? { binding, resource: { buffer: b.arena.buffer(b.gen), offset: b.offset, size: b.size } }
              : { binding, resource: { buffer: b } },
          ),
        });
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(d.x, d.y);
      }
      pass.end();
      this.dispatches.length = 0;
    }
    for (const c of this.copies) enc.copyBufferToBuffer(c.src, c.from, c.dst, c.to, c.size);
    this.copies.length = 0;
  }

  /** Submits everything recorded; with `readBack`, also copies that buffer range into a mappable one and maps it. */
  async submit(what: string, readBack?: { buffer: GPUBuffer; size: number }): Promise<ArrayBuffer | undefined> {
    let staging: GPUBuffer | undefined;
    let failure: unknown;
    try {
      await guarded(this.ctx, what, () => {
        this.flushInto();
        const enc = this.encoder();
        if (readBack) {
          staging = this.ctx.device.createBuffer({
            size: readBack.size,
            usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
          });
          enc.copyBufferToBuffer(readBack.buffer, 0, staging, 0, readBack.size);
        }
        this.ctx.device.queue.submit([enc.finish()]);
        this.pendingEncoder = undefined;
      });
    } catch (error) {
      failure = error;
    }
    for (const b of this.temporaries) b.destroy();
    this.temporaries.length = 0;
    this.uniforms.destroy();
    this.readOnly.destroy();
    if (this.scoped) {
      // The scopes opened by partial submissions close after the final one's own scopes.
      this.scoped = false;
      const oom = await this.ctx.device.popErrorScope();
      const invalid = await this.ctx.device.popErrorScope();
      if (oom) failure ??= new MamlError('resource_limit', `the GPU ran out of memory while ${what}: ${oom.message}`);
      if (invalid) failure ??= new MamlError('internal', `WebGPU rejected ${what}: ${invalid.message}`);
    }
    if (failure !== undefined) throw failure;
    checkAlive(this.ctx);
    if (!staging) return undefined;
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (error) {
      checkAlive(this.ctx);
      throw error instanceof Error ? error : new Error(`${what}: ${String(error)}`);
    }
    const data = staging.getMappedRange().slice(0);
    staging.unmap();
    staging.destroy();
    return data;
  }
}
