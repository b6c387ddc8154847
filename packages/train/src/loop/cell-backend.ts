import type { Recipe } from '@lookright/core';
import {
  type BackendDescription,
  formatAdapterLine,
  replaceTrainingOps,
  selectBackend,
  webgpuTrainingOps,
} from '@lookright/engine';
import { enableNative, type NativeStatus, nativeTrainingOps } from '@lookright/native';
import { applyMatmulPrecision } from './matmul-precision.js';

/** The numerics a cell runs with: the tfjs backend and whether the native kernels are on (and in which matmul precision). */
export interface CellNumerics {
  backend: BackendDescription;
  native: NativeStatus;
}

/**
 * Selects the recipe's backend, turns the native kernels on when they load (or, on webgpu, lookright's fused WGSL
 * kernels), and runs `fn` with the engine's ops routed through them; the process-wide ops are restored afterwards. Training and predicting from an exported
 * adapter both go through here, so both compute with the same kernels (and round the same way).
 */
export async function withCellNumerics<T>(
  recipe: Pick<Recipe, 'backend' | 'matmulPrecision'>,
  log: (line: string) => void,
  fn: (numerics: CellNumerics) => Promise<T>,
): Promise<T> {
  const backend = await selectBackend(recipe.backend);
  log(`backend: ${backend.name} (${backend.reason}; ${backend.package}, threads ${backend.threads})`);
  if (backend.adapter) log(formatAdapterLine(backend.adapter));
  const native = enableNative({ log });
  log(
    native.enabled
      ? `native kernels: ${native.blas}, ${native.blasThreads} BLAS threads, ${native.kernelThreads} kernel threads`
      : `native kernels off: ${native.reason}`,
  );
  const restoreOps = native.enabled
    ? replaceTrainingOps(nativeTrainingOps())
    : backend.name === 'webgpu'
      ? replaceTrainingOps(webgpuTrainingOps())
      : () => {};
  try {
    const restorePrecision = applyMatmulPrecision(recipe, native, log);
    try {
      return await fn({ backend, native });
    } finally {
      restorePrecision();
    }
  } finally {
    restoreOps();
  }
}

/** The first `n` items (all when `n` is null): the recipe's trainLimit / devLimit / testLimit. */
export function limitSplit<T>(items: readonly T[] | undefined, n: number | null): T[] {
  return (items ?? []).slice(0, n ?? undefined);
}
