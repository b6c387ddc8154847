import { type Backbone, type BackboneLoadOptions, definePlugin, type PluginContext } from '@lookright/core';
import {
  type BackboneParams,
  backboneForPretraining,
  backboneFromConfig,
  backboneParamsSchema,
  type EncoderConfig,
  type EncoderModel,
  type LoadCheckpointOptions,
  loadEncoder,
  type ModelSource,
  parseEncoderConfig,
  resolveBackboneCheckpoint,
} from '@lookright/engine';
import { checkEncoderMasks } from './check-encoder-masks.js';

/** A BERT / RoBERTa checkpoint resolved to a local folder; `load()` builds the tensor model. */
export interface BertBackbone extends Backbone {
  readonly architecture: 'encoder';
  readonly config: EncoderConfig;
  readonly source: ModelSource;
  /**
   * Loads the weights onto the current tfjs backend (call selectBackend first) for token-level fine-tuning: task
   * head tensors and the pooler are dropped (as *ForTokenClassification builds it).
   */
  load(options?: Pick<LoadCheckpointOptions, 'backend'> & BackboneLoadOptions): Promise<EncoderModel>;
}

async function openCheckpoint(params: { model: string; revision?: string }, ctx: PluginContext) {
  const env = ctx.env as NodeJS.ProcessEnv;
  const { source, rawConfig, configFile } = await resolveBackboneCheckpoint(params, ctx);
  const config = parseEncoderConfig(rawConfig, configFile);
  return {
    architecture: 'encoder',
    modelDir: source.dir,
    numLayers: config.numLayers,
    config,
    source,
    checkMasks: checkEncoderMasks,
    // an encoder loads in f32 whatever the weightStorage: the trainer packs its frozen projections after loading
    load: async ({ weightStorage: _packedAfterLoad, ...options } = {}) => {
      const { model } = await loadEncoder(source.dir, { ...options, env, onNotice: ctx.log });
      model.dropPooler();
      return model;
    },
  } satisfies BertBackbone;
}

export const bertBackbone = definePlugin({
  id: 'backbone:bert',
  kind: 'backbone',
  summary:
    'BERT and RoBERTa encoders from a Hugging Face checkpoint (folder or hub repo id), a BERT made from a config, or one pre-trained from scratch (mlm) by its own cell; always bidirectional',
  paramsSchema: backboneParamsSchema,
  async create(raw, ctx): Promise<BertBackbone | Backbone> {
    const params = raw as BackboneParams;
    if (params.pretrain) return backboneForPretraining('backbone:bert', 'encoder', params.pretrain, checkEncoderMasks);
    if (params.config)
      return backboneFromConfig('backbone:bert', 'encoder', params.config, checkEncoderMasks, (dir) =>
        openCheckpoint({ model: dir }, ctx),
      );
    return openCheckpoint({ model: params.model as string, revision: params.revision }, ctx);
  },
});
