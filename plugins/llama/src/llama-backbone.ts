import { join } from 'node:path';
import { type Backbone, definePlugin, type LayerMaskSpec } from '@lookright/core';
import {
  checkpointSpec,
  type DecoderConfig,
  type DecoderModel,
  type LoadCheckpointOptions,
  loadDecoder,
  type ModelSource,
  parseDecoderConfig,
  readCheckpointConfig,
  resolveModelSource,
} from '@lookright/engine';

/** A Llama / Mistral / Qwen2 checkpoint resolved to a local folder; `load()` builds the tensor model. */
export interface LlamaBackbone extends Backbone {
  readonly architecture: 'decoder';
  readonly config: DecoderConfig;
  readonly source: ModelSource;
  /** Loads the weights onto the current tfjs backend (call selectBackend first). */
  load(options?: Pick<LoadCheckpointOptions, 'backend'>): Promise<DecoderModel>;
}

export const llamaBackbone = definePlugin({
  id: 'backbone:llama',
  kind: 'backbone',
  summary: 'Llama, Mistral and Qwen2 decoders from a Hugging Face checkpoint (folder or hub repo id)',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['model'],
    properties: {
      model: { type: 'string', minLength: 1, description: 'checkpoint folder, or hub repo id org/name' },
      revision: { type: 'string', minLength: 1, description: 'hub branch, tag or commit (repo ids only)' },
    },
  } as const,
  async create(params, ctx): Promise<LlamaBackbone> {
    const env = ctx.env as NodeJS.ProcessEnv;
    const source = await resolveModelSource(checkpointSpec(params.model, params.revision, ctx.baseDir), {
      env,
      onNotice: ctx.log,
    });
    const config = parseDecoderConfig(readCheckpointConfig(source.dir), join(source.dir, 'config.json'));
    return {
      architecture: 'decoder',
      modelDir: source.dir,
      numLayers: config.numLayers,
      config,
      source,
      // decoders accept every per-layer spec; padding is always masked by the engine's mask builder
      checkMasks: (_specs: readonly LayerMaskSpec[]) => null,
      load: async (options = {}) => (await loadDecoder(source.dir, { ...options, env })).model,
    };
  },
});
