import type { Backbone, LayerMaskSpec } from '@lookright/core';
import { modelErrors } from '../errors.js';
import { modelSizePresets } from './model-sizes.js';

const positive = { type: 'integer', minimum: 1 } as const;
const positiveNumber = { type: 'number', exclusiveMinimum: 0 } as const;

/**
 * JSON schema of a backbone's `pretrain` param: a from-scratch pre-training recipe (see @lookright/train's
 * pretrain). Keys left out take the defaults of `lookright pretrain` (defaultPretrainConfig), which the harness
 * fills in before hashing.
 */
export const pretrainParamSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['objective', 'corpus'],
  properties: {
    objective: { enum: ['clm', 'mlm'], description: 'clm: causal Llama decoder (backbone:llama); mlm: BERT encoder' },
    corpus: {
      type: 'string',
      minLength: 1,
      description: 'folder of .txt files, e.g. gutenberg_nltk under LOOKRIGHT_DATA_DIR',
    },
    size: { enum: ['tiny', 'micro'], description: 'architecture size (default tiny)' },
    steps: { ...positive, description: 'optimiser steps' },
    seed: { ...positive, description: 'seed of initialisation and window sampling' },
    maxChars: { ...positive, description: 'characters of text read from the corpus' },
    seqLen: { ...positive, description: 'tokens per training window' },
    batchSize: { ...positive, description: 'windows per step' },
    learningRate: { ...positiveNumber, description: 'peak learning rate (cosine schedule)' },
    warmupRatio: { type: 'number', minimum: 0, maximum: 1, description: 'share of steps warming up' },
  },
  description:
    'Pre-train the model from scratch in its own cell and fine-tune its checkpoint (this, model or config); keys left out take the defaults of `lookright pretrain`.',
} as const;

/** A backbone's `pretrain` param as written in a suite. */
export interface PretrainParam {
  objective: 'clm' | 'mlm';
  corpus: string;
  size?: 'tiny' | 'micro';
  steps?: number;
  seed?: number;
  maxChars?: number;
  seqLen?: number;
  batchSize?: number;
  learningRate?: number;
  warmupRatio?: number;
}

/** The pre-training objective each architecture is trained with. */
export const objectiveOf = { decoder: 'clm', encoder: 'mlm' } as const;

/**
 * A backbone whose weights a pre-training cell makes: objective checked against the architecture (a typed
 * MODEL_PRETRAIN_OBJECTIVE error naming `pretrain.objective`), layer count known from the size (so suites validate
 * and masks are checked), no folder yet; `load()` rejects with MODEL_PRETRAIN_NOT_BUILT. The harness gives each
 * fine-tuning cell the pre-training cell's checkpoint folder as `model` instead.
 */
export function backboneForPretraining(
  backbone: string,
  architecture: 'decoder' | 'encoder',
  pretrain: PretrainParam,
  checkMasks: (specs: readonly LayerMaskSpec[]) => string | null,
): Backbone {
  if (pretrain.objective !== objectiveOf[architecture])
    throw modelErrors.pretrainObjective(backbone, pretrain.objective, objectiveOf[architecture]);
  return {
    architecture,
    modelDir: '',
    numLayers: modelSizePresets[pretrain.size ?? 'tiny'].layers,
    checkMasks,
    load: () => Promise.reject(modelErrors.pretrainNotBuilt(backbone)),
  };
}
