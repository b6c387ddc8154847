import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type Backbone, definePlugin, type PluginContext } from '@lookright/core';
import {
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

/** `model` as given, or a path relative to the suite's folder when that folder holds it. */
function modelSpec(model: string, revision: string | undefined, ctx: PluginContext): string {
  const local = isAbsolute(model) ? model : resolve(ctx.baseDir, model);
  if (existsSync(join(local, 'config.json'))) return local;
  return revision ? `${model}@${revision}` : model;
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
    const source = await resolveModelSource(modelSpec(params.model, params.revision, ctx), {
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
