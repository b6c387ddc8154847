import { type Backbone, definePlugin } from '@lookright/core';
import {
  checkpointParamsSchema,
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
  load(options?: Pick<LoadCheckpointOptions, 'backend'>): Promise<EncoderModel>;
}

export const bertBackbone = definePlugin({
  id: 'backbone:bert',
  kind: 'backbone',
  summary: 'BERT and RoBERTa encoders from a Hugging Face checkpoint (folder or hub repo id); always bidirectional',
  paramsSchema: checkpointParamsSchema,
  async create(params, ctx): Promise<BertBackbone> {
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
      load: async (options = {}) => {
        const { model } = await loadEncoder(source.dir, { ...options, env, onNotice: ctx.log });
        model.dropPooler();
        return model;
      },
    };
  },
});
