import { type CellFilter, type Recipe, recipeSchema, validatorOf } from '@lookright/core';
import { harnessErrors } from '../errors.js';
import { type CellPoint, matchesFilter } from './cell-filter.js';

const validateRecipe = validatorOf(recipeSchema);

/** A suite's `overrides:` entry. */
export interface Override {
  when: CellFilter;
  recipe: Partial<Recipe>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Objects merge key by key (so `lora: {r: 8}` keeps alpha); arrays and scalars replace. */
function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return structuredClone(patch);
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/**
 * The cell's recipe: the suite's recipe with the schema's defaults filled, then each override whose `when`
 * matches the cell merged in, in the order written (so `lora: {r: 8}` keeps the default alpha). Invalid results
 * are errors.
 */
export function resolveRecipe(
  base: Partial<Recipe> | undefined,
  overrides: readonly Override[] | undefined,
  point: CellPoint,
  cellName: string,
): Recipe {
  let recipe: unknown = structuredClone(base ?? {});
  validateRecipe(recipe); // fills top-level defaults (lora's object among them) before overrides merge into them
  for (const override of overrides ?? []) {
    if (matchesFilter(override.when, point)) recipe = deepMerge(recipe, override.recipe);
  }
  if (!validateRecipe(recipe)) {
    const detail = (validateRecipe.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw harnessErrors.recipeInvalid(cellName, detail);
  }
  return withLoraDefaults(recipe as Recipe);
}

/** ajv fills no defaults inside oneOf, so `lora: {r: 8}` gets alpha, dropout and targets here. */
function withLoraDefaults(recipe: Recipe): Recipe {
  if (!isPlainObject(recipe.lora)) return recipe;
  return { ...recipe, lora: { ...recipeSchema.properties.lora.default, ...recipe.lora } } as Recipe;
}
