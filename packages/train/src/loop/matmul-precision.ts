import type { Recipe } from '@lookright/core';
import { bf16MatmulSupport, type NativeStatus, setMatmulPrecision } from '@lookright/native';
import { trainErrors } from '../errors.js';

const F32_INSTEAD = 'f32 (or no matmulPrecision)';

/**
 * Applies the recipe's matmulPrecision for one cell and returns what restores the previous one. `bf16` runs on the
 * native kernels' AMX path, so it refuses (TRAIN_RECIPE_UNSUPPORTED, naming the reason) a run whose native kernels
 * are off or whose CPU has no AMX-BF16, rather than computing in float32 under a bf16 cell.
 */
export function applyMatmulPrecision(
  recipe: Pick<Recipe, 'matmulPrecision'>,
  native: NativeStatus,
  log: (line: string) => void,
): () => void {
  if ((recipe.matmulPrecision ?? 'f32') === 'f32') return () => {};
  if (!native.enabled) {
    throw trainErrors.unsupportedRecipe(
      'matmulPrecision',
      'bf16',
      `${F32_INSTEAD} here: bf16 matmuls run on @lookright/native's kernels, which are off (${native.reason})`,
    );
  }
  const support = bf16MatmulSupport();
  if (!support.ok)
    throw trainErrors.unsupportedRecipe('matmulPrecision', 'bf16', `${F32_INSTEAD} here: ${support.reason}`);
  const restore = setMatmulPrecision('bf16');
  log('matmul precision: bf16 (operands rounded to bfloat16, float32 sums on AMX tiles; everything else float32)');
  return restore;
}
