/**
 * Compiled pipelines and command recording for the GPU state. Pipelines are built once per shader variant and
 * cached; dispatches are recorded into a Batch and submitted together (WebGPU orders dispatches in one pass and
 * inserts the barriers between them). Small uniform buffers carry each dispatch's parameters.
 */
/// <reference types="@webgpu/types" />
import { checkAlive, compileShader, guarded, type GpuContext } from './gpu-device.js';
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

  pipeline(name: KernelName, k = 0, h = 0): Promise<GPUComputePipeline> {
    const key = `${name}:${k}:${h}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.build(name, key, k, h);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private async build(name: KernelName, label: string, k: number, h: number): Promise<GPUComputePipeline> {
    const source = (() => {
      switch (name) {
        case 'dense':
          return denseWgsl(k, h);
        case 'diagonal':
          return diagonalWgsl();
        case 'tile':
          return tileWgsl();
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

interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  readonly group: GPUBindGroup;
  readonly x: number;
  readonly y: number;
}

/** Dispatches recorded for one submission, plus the temporary buffers to free once it is submitted. */
export class Batch {
  private readonly dispatches: Dispatch[] = [];
  private readonly temporaries: GPUBuffer[] = [];
  private readonly copies: { src: GPUBuffer; dst: GPUBuffer; size: number; from: number; to: number }[] = [];

  constructor(private readonly ctx: GpuContext) {}

  get size(): number {
    return this.dispatches.length + this.copies.length;
  }

  uniform(data: ArrayBuffer): GPUBuffer {
    const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    const buf = this.ctx.device.createBuffer({ size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
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

  dispatch(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], x: number, y = 1): void {
    const group = this.ctx.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    if (this.copies.length > 0) this.flushInto();
    this.dispatches.push({ pipeline, group, x, y });
  }

  /** Records a buffer copy; copies and dispatches run in recording order. */
  copy(src: GPUBuffer, dst: GPUBuffer, size: number, from = 0, to = 0): void {
    if (this.dispatches.length > 0) this.flushInto();
    this.copies.push({ src, dst, size, from, to });
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
      const pass = enc.beginComputePass();
      for (const d of this.dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.group);
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
    for (const b of this.temporaries) b.destroy();
    this.temporaries.length = 0;
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
