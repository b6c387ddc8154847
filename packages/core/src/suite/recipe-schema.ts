import type { FromSchema } from 'json-schema-to-ts';

/**
 * The fine-tuning recipe. Every default is the paper's: LoRA r=64 alpha=16 dropout 0.1 on q,v; head dropout 0.1;
 * AdamW (0.9, 0.95) eps 1e-5 wd 0.1; clip 1.0; cosine; lr 2e-4; 5 epochs; batch 16 x accumulation 4; 128 tokens;
 * first sub-word labelled.
 */
export const recipeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    epochs: { type: 'integer', minimum: 1, default: 5 },
    maxSteps: {
      type: ['integer', 'null'],
      minimum: 1,
      default: null,
      description: 'stop after this many optimiser steps',
    },
    learningRate: { type: 'number', exclusiveMinimum: 0, default: 2e-4 },
    schedule: { enum: ['cosine', 'linear', 'constant'], default: 'cosine' },
    warmupRatio: { type: 'number', minimum: 0, maximum: 1, default: 0 },
    batchSize: { type: 'integer', minimum: 1, default: 16 },
    gradientAccumulation: { type: 'integer', minimum: 1, default: 4 },
    maxLength: { type: 'integer', minimum: 4, default: 128 },
    weightDecay: { type: 'number', minimum: 0, default: 0.1 },
    betas: {
      type: 'array',
      prefixItems: [
        { type: 'number', minimum: 0, exclusiveMaximum: 1 },
        { type: 'number', minimum: 0, exclusiveMaximum: 1 },
      ],
      minItems: 2,
      maxItems: 2,
      default: [0.9, 0.95],
    },
    eps: { type: 'number', exclusiveMinimum: 0, default: 1e-5 },
    clipNorm: { type: ['number', 'null'], exclusiveMinimum: 0, default: 1.0 },
    headDropout: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
    labelSubwords: { enum: ['first', 'all'], default: 'first' },
    lora: {
      oneOf: [
        { const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            r: { type: 'integer', minimum: 1, default: 64 },
            alpha: { type: 'number', exclusiveMinimum: 0, default: 16 },
            dropout: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
            targets: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { enum: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] },
              default: ['q', 'v'],
            },
          },
        },
      ],
      default: { r: 64, alpha: 16, dropout: 0.1, targets: ['q', 'v'] },
    },
    earlyStoppingPatience: { type: ['integer', 'null'], minimum: 1, default: null },
    trainLimit: {
      type: ['integer', 'null'],
      minimum: 1,
      default: null,
      description: 'use the first N train sentences',
    },
    devLimit: { type: ['integer', 'null'], minimum: 1, default: null },
    testLimit: { type: ['integer', 'null'], minimum: 1, default: null },
    backend: { enum: ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'], default: 'auto' },
    logEvery: { type: 'integer', minimum: 1, default: 10 },
    weightStorage: {
      enum: ['f32', 'f16', 'bf16', 'nf4'],
      description:
        'frozen base weights on backend webgpu: f32 (default when absent), 16 bits (f16, bf16) or 4-bit NormalFloat (nf4, as in QLoRA, blocks of 64 with f32 absmax) widened to f32 inside the matmul; absent or f32 leaves the cell hash as it was',
    },
    matmulPrecision: {
      enum: ['f32', 'bf16'],
      description:
        'operands of every matmul: f32 (default when absent) or bf16 (both operands rounded to bfloat16, products summed in float32 on Intel AMX tiles, through @lookright/native; outputs, weights, gradients and every other op stay f32); absent or f32 leaves the cell hash as it was',
    },
  },
} as const;

export type Recipe = FromSchema<typeof recipeSchema, { keepDefaultedPropertiesOptional: false }>;

/**
 * The recipe as a content hash sees it: `weightStorage: f32` is the same as no weightStorage, and `matmulPrecision:
 * f32` as no matmulPrecision (each computes in f32), so they are left out and every cell hash from before the keys
 * existed stays as it was.
 */
export function recipeForHash(recipe: Recipe): Recipe {
  const { weightStorage, matmulPrecision, ...rest } = recipe;
  return {
    ...rest,
    ...(weightStorage !== undefined && weightStorage !== 'f32' && { weightStorage }),
    ...(matmulPrecision !== undefined && matmulPrecision !== 'f32' && { matmulPrecision }),
  } as Recipe;
}
