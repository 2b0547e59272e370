/**
 * Finding a WebGPU adapter through the `webgpu` package (Dawn's Node binding) and opening a device with the
 * largest storage-buffer limits the adapter offers. Every failure becomes a MamlError that says what to do:
 * no package or binary, no adapter (no Vulkan driver), device lost, out of memory, shader compile errors.
 */
/// <reference types="@webgpu/types" />
import { MamlError } from '../shared/errors.js';
import { gpuTuning } from './gpu-tuning.js';

export interface GpuDeviceInfo {
  /** Adapter description (vendor, architecture, device). */
  readonly description: string;
  /** True for CPU (software) adapters such as lavapipe. */
  readonly software: boolean;
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly info: GpuDeviceInfo;
  /** Set when the device was lost; every later operation throws it. */
  lostReason: string | undefined;
  destroy(): void;
}

interface WebGpuModule {
  create(options: string[]): GPU;
  globals: object;
}

let modulePromise: Promise<WebGpuModule> | undefined;
/** The GPU instance stays referenced for the life of the process: Dawn crashes if it is collected under a device. */
let instance: GPU | undefined;

async function loadWebGpu(): Promise<WebGpuModule> {
  modulePromise ??= (async () => {
    try {
      const mod = (await import('webgpu')) as unknown as WebGpuModule;
      // The binding's classes (GPUBufferUsage, GPUMapMode…) are used as globals by WebGPU code.
      Object.assign(globalThis, mod.globals);
      return mod;
    } catch (error) {
      modulePromise = undefined;
      throw new MamlError(
        'missing_tool',
        `the webgpu package (Dawn for Node) could not be loaded: ${(error as Error).message}. ` +
          'Install it with `npm install webgpu`; prebuilt binaries exist for Linux x64/arm64, macOS and Windows.',
      );
    }
  })();
  return modulePromise;
}

const NO_ADAPTER =
  'no WebGPU adapter was found: install a Vulkan driver (NVIDIA driver, or Mesa `mesa-vulkan-drivers` with ' +
  '`libvulkan1` for the lavapipe software device) or use --backend statevector';

/** The adapter, or undefined when none exists. Throws only when the webgpu package itself cannot load. */
export async function findAdapter(): Promise<GPUAdapter | undefined> {
  const mod = await loadWebGpu();
  // Dawn instance flags (gpu-tuning.ts), for measuring Dawn's own options; none by default.
  instance ??= mod.create([...gpuTuning().dawnFlags]);
  const gpu = instance;
  const adapter =
    (await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null)) ??
    (await gpu.requestAdapter().catch(() => null));
  return adapter ?? undefined;
}

function describe(adapter: GPUAdapter): { description: string; software: boolean } {
  const i = adapter.info;
  const parts = [i.vendor, i.architecture, i.device, i.description].filter((s) => s && s.length > 0);
  const description = parts.length > 0 ? [...new Set(parts)].join(' ') : 'unnamed adapter';
  const software =
    /llvmpipe|lavapipe|swiftshader|software|cpu/i.test(description) ||
    (i as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { description, software };
}

/** Opens a device with the adapter's largest buffer limits. */
export async function openGpu(): Promise<GpuContext> {
  const adapter = await findAdapter();
  if (!adapter) throw new MamlError('missing_tool', NO_ADAPTER);
  const l = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 10),
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: Math.min(l.maxComputeInvocationsPerWorkgroup, 256),
        maxComputeWorkgroupSizeX: Math.min(l.maxComputeWorkgroupSizeX, 256),
      },
    });
  } catch (error) {
    throw new MamlError('resource_limit', `the WebGPU adapter refused a device: ${(error as Error).message}`);
  }
  const { description, software } = describe(adapter);
  const ctx: GpuContext = {
    device,
    info: {
      description,
      software,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    },
    lostReason: undefined,
    destroy: () => {
      ctx.lostReason ??= 'the simulator was closed';
      device.destroy();
    },
  };
  void device.lost.then((info) => {
    ctx.lostReason ??= `${info.reason}: ${info.message}`;
  });
  return ctx;
}

export function checkAlive(ctx: GpuContext): void {
  if (ctx.lostReason !== undefined) {
    throw new MamlError('internal', `the GPU device was lost (${ctx.lostReason}); results are unavailable`, {
      retryable: true,
    });
  }
}

/** Runs `fn` inside out-of-memory and validation error scopes and turns a captured error into a MamlError. */
export async function guarded<T>(ctx: GpuContext, what: string, fn: () => T): Promise<T> {
  checkAlive(ctx);
  const d = ctx.device;
  d.pushErrorScope('validation');
  d.pushErrorScope('out-of-memory');
  let value: T | undefined;
  let thrown: unknown;
  try {
    value = fn();
  } catch (error) {
    thrown = error;
  }
  const oom = await d.popErrorScope();
  const invalid = await d.popErrorScope();
  checkAlive(ctx);
  if (oom) throw new MamlError('resource_limit', `the GPU ran out of memory while ${what}: ${oom.message}`);
  if (invalid) throw new MamlError('internal', `WebGPU rejected ${what}: ${invalid.message}`);
  if (thrown !== undefined) throw thrown;
  return value as T;
}

/** Compiles WGSL, reporting compile errors with line numbers. */
export async function compileShader(ctx: GpuContext, label: string, code: string): Promise<GPUShaderModule> {
  ctx.device.pushErrorScope('validation');
  const module = ctx.device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const invalid = await ctx.device.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    const text = errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
    throw new MamlError('internal', `the WGSL shader ${label} failed to compile: ${text}`);
  }
  if (invalid) throw new MamlError('internal', `the WGSL shader ${label} was rejected: ${invalid.message}`);
  return module;
}
