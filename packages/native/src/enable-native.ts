import { _FusedMatMul, BatchMatMul, backend as currentBackend, getBackend, tidy, zeros } from '@tensorflow/tfjs-core';
import { assertBackendLayout, assertTensorRecord, type BackendMemory, backendMemory } from './backend-memory.js';
import { nativeErrors } from './errors.js';
import { installKernels, isInstalled, uninstallKernels } from './kernel-registry.js';
import { allNativeKernels } from './kernels/all-kernels.js';
import { loadAddon, type NativeAddon } from './native-addon.js';

/** What enableNative() did; `enabled: false` always carries the reason. */
export type NativeStatus =
  | {
      enabled: true;
      backend: 'wasm' | 'cpu';
      blas: string;
      blasThreads: number;
      /** Threads of the element-wise kernels (LOOKRIGHT_NATIVE_KERNEL_THREADS, default blasThreads). */
      kernelThreads: number;
      fastMath: boolean;
    }
  | { enabled: false; reason: string };

export interface EnableNativeOptions {
  /** Where the one-per-process "how to enable" note goes (default: console.warn). */
  log?: (line: string) => void;
  /** Ignore LOOKRIGHT_NATIVE (tests toggling native on and off in one process). */
  ignoreEnv?: boolean;
  /** Load the addon from this file instead of the package's build (tests, custom builds). */
  addonFile?: string;
  /** Replace BatchMatMul and _FusedMatMul with BLAS kernels (default true); false registers only the fused kernels. */
  matmul?: boolean;
}

export const ENABLE_HINT =
  'apt-get install -y g++ make python3 libopenblas-dev, then `pnpm --filter @lookright/native run build`';

const MATMUL_KERNELS = new Set<string>([BatchMatMul, _FusedMatMul]);

let noted = false;
let active: { backend: string; addon: NativeAddon; mem: BackendMemory } | undefined;

/** Lets the next enableNative() print its note again (tests of the note). */
export function resetNativeNote(): void {
  noted = false;
}

function noteOnce(log: (line: string) => void, line: string): void {
  if (noted) return;
  noted = true;
  log(line);
}

/**
 * Threads for the element-wise kernels: LOOKRIGHT_NATIVE_KERNEL_THREADS when set (1-64), else the BLAS thread count
 * (so OPENBLAS_NUM_THREADS=1 keeps a process on one core). Throws NATIVE_KERNEL_THREADS for any other value.
 */
export function kernelThreadCount(blasThreads: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = env.LOOKRIGHT_NATIVE_KERNEL_THREADS;
  if (value === undefined || value === '') return Math.max(1, blasThreads);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw nativeErrors.badKernelThreads(value);
  return n;
}

/**
 * Replaces BatchMatMul and registers the fused kernels on the current tfjs backend (wasm or
 * cpu), after `await tf.setBackend(...)`/`tf.ready()`. Returns why not when it cannot;
 * throws NATIVE_BACKEND_LAYOUT when tfjs's private fields are not what the addon reads.
 * LOOKRIGHT_NATIVE=0 disables it.
 */
export function enableNative(options: EnableNativeOptions = {}): NativeStatus {
  const log = options.log ?? ((line: string) => console.warn(line));
  if (!options.ignoreEnv && process.env.LOOKRIGHT_NATIVE === '0') {
    noteOnce(log, 'lookright: native acceleration off (LOOKRIGHT_NATIVE=0); running pure tfjs.');
    return { enabled: false, reason: 'LOOKRIGHT_NATIVE=0' };
  }
  const name = getBackend();
  if (name !== 'wasm' && name !== 'cpu') return { enabled: false, reason: `backend ${name} is not wasm or cpu` };
  const loaded = loadAddon(options.addonFile);
  if (!loaded.ok) {
    noteOnce(log, `lookright: running pure tfjs (${loaded.reason}). For native acceleration: ${ENABLE_HINT}.`);
    return { enabled: false, reason: loaded.reason };
  }
  const blas = loaded.addon.blasInfo();
  const kernelThreads = kernelThreadCount(blas.threads);
  const instance = currentBackend();
  assertBackendLayout(name, instance);
  tidy(() => assertTensorRecord(name, instance, zeros([2])));
  const mem = backendMemory(name, instance);
  const kernels =
    options.matmul === false ? allNativeKernels.filter((k) => !MATMUL_KERNELS.has(k.kernelName)) : allNativeKernels;
  installKernels(name, kernels, mem, loaded.addon);
  loaded.addon.setKernelThreads(kernelThreads);
  active = { backend: name, addon: loaded.addon, mem };
  return {
    enabled: true,
    backend: name,
    blas: blas.config,
    blasThreads: blas.threads,
    kernelThreads,
    fastMath: loaded.addon.fastMath,
  };
}

/** Restores tfjs's own kernels. */
export function disableNative(): void {
  uninstallKernels();
  active = undefined;
}

/** The addon and backend memory when native kernels are active on the current backend, else undefined. */
export function activeNative(): { addon: NativeAddon; mem: BackendMemory } | undefined {
  return active && active.backend === getBackend() ? active : undefined;
}

/** Whether the named native kernel is registered for the current backend. */
export function nativeKernelActive(kernelName: string): boolean {
  return isInstalled(kernelName, getBackend());
}
