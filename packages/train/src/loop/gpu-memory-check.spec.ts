import assert from 'node:assert/strict';
import { LookrightError, type Recipe, recipeSchema, validatorOf } from '@lookright/core';
import type { BackendDescription } from '@lookright/engine';
import { assertWeightStorageSupported, checkGpuMemoryPlan } from './gpu-memory-check.js';

const recipe = (over: Partial<Recipe>): Recipe => {
  const r = structuredClone(over) as Recipe;
  validatorOf(recipeSchema)(r); // fills the defaults
  return r;
};
const backend = (name: 'wasm' | 'webgpu'): BackendDescription => ({
  name,
  requested: name,
  reason: 'requested',
  tfjsBackend: name,
  package: name,
  native: false,
  threads: 1,
  simd: false,
});
const unsupported = (e: unknown) =>
  e instanceof LookrightError && e.code === 'TRAIN_RECIPE_UNSUPPORTED' && /weightStorage/.test(e.message);

describe('weightStorage and the GPU plan of a cell', () => {
  it('accepts f32 or no weightStorage anywhere, 16 bits only on webgpu with LoRA', () => {
    assertWeightStorageSupported(backend('wasm'), recipe({}));
    assertWeightStorageSupported(backend('wasm'), recipe({ weightStorage: 'f32' }));
    assertWeightStorageSupported(backend('webgpu'), recipe({ weightStorage: 'bf16' }));
    assertWeightStorageSupported(backend('webgpu'), recipe({ weightStorage: 'nf4' }));
    assert.throws(() => assertWeightStorageSupported(backend('wasm'), recipe({ weightStorage: 'nf4' })), unsupported);
    assert.throws(() => assertWeightStorageSupported(backend('wasm'), recipe({ weightStorage: 'bf16' })), unsupported);
    assert.throws(
      () => assertWeightStorageSupported(backend('webgpu'), recipe({ weightStorage: 'f16', lora: false })),
      unsupported,
    );
  });

  it('plans nothing off webgpu', () => {
    assert.equal(
      checkGpuMemoryPlan(backend('wasm'), '/nonexistent', recipe({}), 9, {}, () => {}),
      null,
    );
  });
});
