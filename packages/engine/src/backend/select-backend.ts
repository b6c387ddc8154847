import { availableParallelism } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { engineErrors } from '../errors.js';
import type { BackendDescription, BackendName, ResolvedBackendName } from './backend-description.js';
import { WASM_HEAP_LIMIT_BYTES } from './memory-check.js';
import { isPackageInstalled, loadNativeTfjs, NATIVE_PACKAGES, seesNvidiaGpu } from './native-tfjs.js';
import { startWasm } from './wasm-backend.js';
import { softwareAdapterRequested, TFJS_WEBGPU_PACKAGE } from './webgpu-adapter.js';
import { startWebgpu } from './webgpu-backend.js';
import { probeHardwareWebgpu } from './webgpu-probe.js';

const TFJS_VERSION = '4.22.0';

/**
 * Initialises tfjs on the requested backend and describes it, for the run log.
 * - `auto`: tfjs-node-gpu when installed and the NVIDIA driver reports a GPU, else webgpu when a hardware WebGPU
 *   adapter exists, else tfjs-node when installed, else wasm;
 * - `webgpu`: tfjs-backend-webgpu on Dawn; a hardware adapter, or the software one with LOOKRIGHT_WEBGPU_ADAPTER=software;
 * - `wasm` / `cpu`: the tfjs packages bundled with the engine;
 * - `tensorflow` / `tensorflow-gpu`: tfjs-node / tfjs-node-gpu, refused with install instructions when absent.
 * One process can hold only one of tfjs-node and tfjs-node-gpu.
 */
export async function selectBackend(requested: BackendName): Promise<BackendDescription> {
  const { name, reason } = resolveAuto(requested);
  try {
    switch (name) {
      case 'wasm': {
        const { threads, simd } = await startWasm();
        const pkg = `@tensorflow/tfjs-backend-wasm@${TFJS_VERSION}`;
        return { ...base(requested, name, reason, pkg), threads, simd, heapLimitBytes: WASM_HEAP_LIMIT_BYTES };
      }
      case 'cpu':
        await setTfjsBackend('cpu');
        return {
          ...base(requested, name, reason, `@tensorflow/tfjs-backend-cpu@${TFJS_VERSION}`),
          threads: 1,
          simd: false,
        };
      case 'webgpu': {
        // `auto` chose webgpu for a hardware adapter; only an explicit `webgpu` may use the software one
        const { adapter } = await startWebgpu({ software: requested === 'webgpu' && softwareAdapterRequested() });
        const pkg = `${TFJS_WEBGPU_PACKAGE}@${TFJS_VERSION}`;
        return { ...base(requested, name, reason, pkg), threads: 1, simd: false, adapter };
      }
      default: {
        await loadNativeTfjs(name);
        await setTfjsBackend('tensorflow');
        const pkg = `${NATIVE_PACKAGES[name]}@${TFJS_VERSION}`;
        return { ...base(requested, name, reason, pkg), threads: availableParallelism(), simd: false };
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'LookrightError') throw error;
    throw engineErrors.backendUnavailable(name, error instanceof Error ? error.message : String(error));
  }
}

/** What `auto` resolves to on this machine, with the reason; other names resolve to themselves. */
export function resolveAuto(requested: BackendName): { name: ResolvedBackendName; reason: string } {
  if (requested !== 'auto') return { name: requested, reason: 'requested' };
  const gpuInstalled = isPackageInstalled(NATIVE_PACKAGES['tensorflow-gpu']);
  if (gpuInstalled && seesNvidiaGpu())
    return { name: 'tensorflow-gpu', reason: 'auto: tfjs-node-gpu installed and a GPU is visible' };
  const gpuNote = gpuInstalled ? 'tfjs-node-gpu installed but no GPU visible' : 'tfjs-node-gpu not installed';
  const webgpu = probeHardwareWebgpu();
  if (webgpu.found) return { name: 'webgpu', reason: `auto: ${gpuNote}; hardware WebGPU adapter ${webgpu.adapter}` };
  const webgpuNote = `no hardware WebGPU adapter (${webgpu.reason})`;
  if (isPackageInstalled(NATIVE_PACKAGES.tensorflow))
    return { name: 'tensorflow', reason: `auto: ${gpuNote}; ${webgpuNote}; tfjs-node installed` };
  return { name: 'wasm', reason: `auto: ${gpuNote}; ${webgpuNote}; tfjs-node not installed` };
}

function base(requested: BackendName, name: ResolvedBackendName, reason: string, pkg: string) {
  return { name, requested, reason, tfjsBackend: tf.getBackend(), package: pkg, native: false };
}

async function setTfjsBackend(name: string): Promise<void> {
  if (tf.getBackend() !== name && !(await tf.setBackend(name)))
    throw new Error(`tf.setBackend("${name}") returned false`);
  await tf.ready();
}
