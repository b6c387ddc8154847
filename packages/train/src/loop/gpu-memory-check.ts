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
