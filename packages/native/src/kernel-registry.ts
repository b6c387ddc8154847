import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { BackendMemory } from './backend-memory.js';
import type { NativeKernel } from './kernels/native-kernel.js';
import type { NativeAddon } from './native-addon.js';

interface Installed {
  kernelName: string;
  backendName: string;
  original: KernelConfig | undefined;
}

const installed: Installed[] = [];

/**
 * Per-kernel wall time in ms, collected when LOOKRIGHT_NATIVE_PROFILE=1 (see kernelTimes()); with
 * LOOKRIGHT_NATIVE_PROFILE=shapes, per kernel and input shapes (and matmul transpose flags).
 */
const times = new Map<string, { ms: number; calls: number }>();
const profiling = process.env.LOOKRIGHT_NATIVE_PROFILE === '1' || process.env.LOOKRIGHT_NATIVE_PROFILE === 'shapes';
const profilingShapes = process.env.LOOKRIGHT_NATIVE_PROFILE === 'shapes';

/** The profile's key for one call: the kernel name, or with shapes e.g. `BatchMatMul [1024,256] [256,256] T:-/B`. */
function profileKey(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): string {
  if (!profilingShapes) return kernelName;
  const shapes = Object.values(inputs).map((t) => `[${t?.shape ?? ''}]`);
  const flags =
    attrs.transposeA || attrs.transposeB ? ` T:${attrs.transposeA ? 'A' : '-'}/${attrs.transposeB ? 'B' : '-'}` : '';
  return `${kernelName} ${shapes.join(' ')}${flags}`;
}

/** Wall time spent in each native kernel (and in the originals it fell back to) since the last call. */
export function kernelTimes(): Record<string, { ms: number; calls: number }> {
  const out = Object.fromEntries(times);
  times.clear();
  return out;
}

function timed<T>(name: string, f: () => T): T {
  if (!profiling) return f();
  const t0 = performance.now();
  const out = f();
  const rec = times.get(name) ?? { ms: 0, calls: 0 };
  rec.ms += performance.now() - t0;
  rec.calls += 1;
  times.set(name, rec);
  return out;
}

/** Kernels whose wasm originals cache packed weights per tensor id (XNNPACK). */
const PACKED_WEIGHT_KERNELS = new Set(['BatchMatMul', '_FusedMatMul']);
let wasmPackedFallbacks = 0;

/**
 * How many times a native matmul handed a case back to wasm's own (weight-caching) kernel.
 * fusedAdamWUpdate stops updating in place once this is non-zero.
 */
export function wasmPackedWeightFallbacks(): number {
  return wasmPackedFallbacks;
}

/** Forgets earlier fallbacks (tests that need a clean process state). */
export function resetWasmPackedWeightFallbacks(): void {
  wasmPackedFallbacks = 0;
}

/**
 * Registers each native kernel for `backendName`, replacing (and remembering) the backend's
 * own kernel of the same name. A `null` from the native kernel runs the original.
 */
export function installKernels(
  backendName: string,
  kernels: readonly NativeKernel[],
  mem: BackendMemory,
  addon: NativeAddon,
): void {
  for (const kernel of kernels) {
    if (installed.some((k) => k.kernelName === kernel.kernelName && k.backendName === backendName)) continue;
    const original = getKernel(kernel.kernelName, backendName);
    if (original) unregisterKernel(kernel.kernelName, backendName);
    const fallback = original?.kernelFunc;
    const kernelFunc = (args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: unknown }) => {
      // an input whose memory holds another dtype's values (the cpu backend's lossless Cast) goes to the backend
      const ownDtype = Object.values(args.inputs).every((t) => !t || mem.holdsOwnDtype(t));
      const out = ownDtype
        ? timed(profileKey(kernel.kernelName, args.inputs, args.attrs ?? {}), () =>
            kernel.run(args.inputs, args.attrs ?? {}, mem, addon),
          )
        : null;
      if (out !== null) return out;
      if (backendName === 'wasm' && PACKED_WEIGHT_KERNELS.has(kernel.kernelName)) wasmPackedFallbacks += 1;
      if (!fallback)
        throw new Error(`native kernel ${kernel.kernelName} has no ${backendName} fallback for these inputs`);
      return timed(`${kernel.kernelName}(fallback)`, () => fallback(args as Parameters<KernelFunc>[0]));
    };
    registerKernel({ kernelName: kernel.kernelName, backendName, kernelFunc: kernelFunc as KernelFunc });
    installed.push({ kernelName: kernel.kernelName, backendName, original });
  }
}

/** Removes every native kernel and restores the originals. */
export function uninstallKernels(): void {
  for (const k of installed.splice(0)) {
    unregisterKernel(k.kernelName, k.backendName);
    if (k.original) registerKernel(k.original);
  }
}

/**
 * Runs `fn` with the backend's own kernels in place of the named native ones (for A/B measurements of one native
 * kernel inside one process), then puts the native kernels back. Names without a native kernel are ignored.
 */
export function withOriginalKernels<T>(kernelNames: readonly string[], fn: () => T): T {
  const swapped = installed.filter((k) => kernelNames.includes(k.kernelName) && k.original !== undefined);
  const natives = swapped.map((k) => getKernel(k.kernelName, k.backendName) as KernelConfig);
  for (const k of swapped) {
    unregisterKernel(k.kernelName, k.backendName);
    registerKernel(k.original as KernelConfig);
  }
  try {
    return fn();
  } finally {
    for (const [i, k] of swapped.entries()) {
      unregisterKernel(k.kernelName, k.backendName);
      registerKernel(natives[i]);
    }
  }
}

/** Whether a native kernel of this name is registered for the backend. */
export function isInstalled(kernelName: string, backendName: string): boolean {
  return installed.some((k) => k.kernelName === kernelName && k.backendName === backendName);
}
