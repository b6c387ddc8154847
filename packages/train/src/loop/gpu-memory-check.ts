import { join } from 'node:path';
import type { Recipe } from '@lookright/core';
import {
  assertGpuPlanFits,
  type BackendDescription,
  defaultPoolBytes,
  formatGpuMemoryPlan,
  type GpuMemoryPlan,
  gpuDeviceMemory,
  planGpuMemory,
  readCheckpointConfig,
} from '@lookright/engine';
import { trainErrors } from '../errors.js';

/**
 * Refuses a recipe whose weightStorage (packed frozen weights: 16 bits or nf4) this run cannot honour: it needs backend webgpu
 * (the only one with the packed-weight matmul) and LoRA (without it no weight is frozen).
 */
export function assertWeightStorageSupported(backend: BackendDescription, recipe: Recipe): void {
  const storage = recipe.weightStorage ?? 'f32';
  if (storage === 'f32') return;
  if (backend.name !== 'webgpu')
    throw trainErrors.unsupportedRecipe(
      'weightStorage',
      storage,
      `f32 (or no weightStorage) on backend ${backend.name}; packed (16-bit or nf4) frozen weights need backend webgpu`,
    );
  if (!recipe.lora)
    throw trainErrors.unsupportedRecipe(
      'weightStorage',
      storage,
      'f32 (or no weightStorage) with lora: false; packed storage is for the frozen base weights of LoRA',
    );
}

/**
 * On backend webgpu, before any weight is loaded: works out the run's GPU memory plan from the model folder's
 * config.json and the recipe, logs it, and refuses (GPU_MEMORY_PLAN_TOO_LARGE, with the numbers) a run that
 * cannot fit the adapter's buffer limits or its memory. Other backends: nothing to do (returns null).
 */
export function checkGpuMemoryPlan(
  backend: BackendDescription,
  modelDir: string,
  recipe: Recipe,
  labels: number,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): GpuMemoryPlan | null {
  const adapter = backend.adapter;
  if (backend.name !== 'webgpu' || !adapter) return null;
  const lora = recipe.lora ? { r: recipe.lora.r, targets: recipe.lora.targets, dropout: recipe.lora.dropout } : null;
  const plan = planGpuMemory({
    config: readCheckpointConfig(modelDir),
    file: join(modelDir, 'config.json'),
    lora,
    labels,
    batchSize: recipe.batchSize,
    maxLength: recipe.maxLength,
    gradientAccumulation: recipe.gradientAccumulation,
    weightStorage: recipe.weightStorage ?? 'f32',
    poolBytes: defaultPoolBytes(env),
    limits: adapter.limits,
    deviceMemory: gpuDeviceMemory(adapter, env),
  });
  for (const line of formatGpuMemoryPlan(plan)) log(line);
  return assertGpuPlanFits(plan);
}
