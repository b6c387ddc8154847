import { join } from 'node:path';
import { type Backbone, definePlugin } from '@lookright/core';
import {
  checkpointSpec,
  type EncoderConfig,
  type EncoderModel,
  type LoadCheckpointOptions,
  loadEncoder,
  type ModelSource,
  parseEncoderConfig,
  readCheckpointConfig,
  resolveModelSource,
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
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model'],
    properties: {
      model: { type: 'string', minLength: 1, description: 'checkpoint folder, or hub repo id org/name' },
      revision: { type: 'string', minLength: 1, description: 'hub branch, tag or commit (repo ids only)' },
    },
  } as const,
  async create(params, ctx): Promise<BertBackbone> {
    const env = ctx.env as NodeJS.ProcessEnv;
    const source = await resolveModelSource(checkpointSpec(params.model, params.revision, ctx.baseDir), {
      env,
      onNotice: ctx.log,
    });
    const config = parseEncoderConfig(readCheckpointConfig(source.dir), join(source.dir, 'config.json'));
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
