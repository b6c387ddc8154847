import type { Backbone, LayerMaskSpec } from '@lookright/core';
import { modelErrors } from '../errors.js';
import { checkpointParamsSchema } from '../io/backbone-checkpoint.js';
import { type ModelConfigParam, modelConfigParamSchema, resolveModelSizes } from './model-sizes.js';
import { type PretrainParam, pretrainParamSchema } from './pretrain-param.js';

/**
 * The params of the llama and bert backbones: a checkpoint (`model`, optional `revision`), a model `config`
 * (seeded random weights, a word-level tokenizer from the data) or a `pretrain` recipe (a pre-training cell makes
 * the checkpoint), exactly one of the three.
 */
export const backboneParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...checkpointParamsSchema.properties,
    model: {
      ...checkpointParamsSchema.properties.model,
      description: 'checkpoint folder, or hub repo id org/name (this, config or pretrain)',
    },
    config: modelConfigParamSchema,
    pretrain: pretrainParamSchema,
  },
  oneOf: [{ required: ['model'] }, { required: ['config'] }, { required: ['pretrain'] }],
} as const;

/** backboneParamsSchema's params. */
export interface BackboneParams {
  model?: string;
  revision?: string;
  config?: ModelConfigParam;
  pretrain?: PretrainParam;
}

/**
 * A backbone made from a config, before its folder exists: sizes checked (typed errors naming the key), layer
 * count known (so suites validate and masks are checked), `modelDir` empty until the trainer has written the folder
 * and called `fromConfig.open`; its own `load()` rejects with MODEL_FROM_CONFIG_NOT_BUILT.
 */
export function backboneFromConfig(
  backbone: string,
  architecture: 'decoder' | 'encoder',
  config: ModelConfigParam,
  checkMasks: (specs: readonly LayerMaskSpec[]) => string | null,
  open: (dir: string) => Promise<Backbone>,
): Backbone {
  const sizes = resolveModelSizes(config, backbone, architecture);
  return {
    architecture,
    modelDir: '',
    numLayers: sizes.layers,
    checkMasks,
    load: () => Promise.reject(modelErrors.modelNotBuilt(backbone)),
    fromConfig: { sizes, open },
  };
}
