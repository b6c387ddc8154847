import { type Backbone, definePlugin, type LayerMaskSpec } from '@lookright/core';
import {
  checkpointParamsSchema,
  type DecoderConfig,
  type DecoderModel,
  type LoadCheckpointOptions,
  loadDecoder,
  type ModelSource,
  parseDecoderConfig,
  resolveBackboneCheckpoint,
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
  paramsSchema: checkpointParamsSchema,
  async create(params, ctx): Promise<LlamaBackbone> {
    const env = ctx.env as NodeJS.ProcessEnv;
    const { source, rawConfig, configFile } = await resolveBackboneCheckpoint(params, ctx);
    const config = parseDecoderConfig(rawConfig, configFile);
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
