/**
 * Starts tfjs-backend-webgpu on a Dawn adapter in Node and makes it the current tfjs backend, guarded against
 * silent errors (see webgpu-guard.ts). Tensors on it must be read with `await t.data()` / `t.array()`: a sync
 * read (`dataSync`) needs OffscreenCanvas, which Node lacks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerMatMul16Kernel } from '../ops/webgpu-matmul16.js';
import { registerWebgpuTrainingKernels } from '../ops/webgpu-training-ops.js';
import {
  formatAdapterLine,
  requestWebgpuAdapter,
  softwareAdapterRequested,
  TFJS_WEBGPU_PACKAGE,
  type WebgpuAdapterDescription,
} from './webgpu-adapter.js';
import { defaultPoolBytes, type GuardedBackend, guardWebgpuBackend } from './webgpu-guard.js';

/** The started backend: its adapter and the device the guard watches. */
/**
 * The generation of lookright's WGSL training kernels (16-bit and NF4 matmul, RMSNorm, SwiGLU, RoPE, masked
 * softmax, AdamW, GPU-drawn dropout masks). A cell computed on webgpu hashes it, so results from other kernels
 * never share a hash; bump it whenever a kernel's numbers change.
 */
export const WEBGPU_KERNELS = 'wgsl-2';

export interface StartedWebgpu {
  adapter: WebgpuAdapterDescription;
  device: GPUDevice;
  /** Dawn's instance and adapter, held for the life of the process: collecting them while the device is in use crashes Dawn. */
  keepAlive: [GPU, GPUAdapter];
}

let started: StartedWebgpu | undefined;

/**
 * Makes `webgpu` the current tfjs backend (once per process: the device is kept), on the software adapter when
 * `software` (default: LOOKRIGHT_WEBGPU_ADAPTER=software), else a hardware one, logging the adapter with `log`.
 * Refuses with the typed errors of requestWebgpuAdapter when no suitable adapter exists.
 */
export async function startWebgpu(
  options: { software?: boolean; log?: (line: string) => void } = {},
): Promise<StartedWebgpu> {
  if (!started) {
    const found = await requestWebgpuAdapter(options.software ?? softwareAdapterRequested());
    const { WebGPUBackend } = (await import(TFJS_WEBGPU_PACKAGE)) as {
      WebGPUBackend: new (device: GPUDevice, info?: GPUAdapterInfo) => tf.KernelBackend;
    };
    installGlobals(found.globals);
    const limits = found.adapter.limits;
    const device = await found.adapter.requestDevice({
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    const backend = new WebGPUBackend(device, found.adapter.info);
    const label = `${found.description.kind} adapter ${found.description.device || found.description.description}`;
    guardWebgpuBackend(
      backend as unknown as GuardedBackend,
      {
        maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
        maxBufferSize: device.limits.maxBufferSize,
        poolBytes: defaultPoolBytes(),
      },
      label,
    );
    tf.registerBackend('webgpu', () => backend, 0);
    registerMatMul16Kernel();
    registerWebgpuTrainingKernels();
    started = { adapter: found.description, device, keepAlive: [found.gpu, found.adapter] };
  }
  if (tf.getBackend() !== 'webgpu' && !(await tf.setBackend('webgpu')))
    throw new Error('tf.setBackend("webgpu") returned false');
  await tf.ready();
  options.log?.(formatAdapterLine(started.adapter));
  return started;
}

/** The adapter of the started backend, or undefined before startWebgpu. */
export function webgpuAdapter(): WebgpuAdapterDescription | undefined {
  return started?.adapter;
}

/** Dawn's GPUBufferUsage, GPUMapMode, ... as globals, and navigator.gpu, which tfjs-backend-webgpu checks for. */
function installGlobals(globals: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(globals))
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  scope.navigator ??= {};
  const nav = scope.navigator;
  if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: {}, configurable: true });
}
