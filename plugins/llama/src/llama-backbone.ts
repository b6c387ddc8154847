import { type Backbone, definePlugin, type LayerMaskSpec, type PluginContext } from '@lookright/core';
import {
  type BackboneParams,
  backboneFromConfig,
  backboneParamsSchema,
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

// decoders accept every per-layer spec; padding is always masked by the engine's mask builder
const checkMasks = (_specs: readonly LayerMaskSpec[]) => null;

async function openCheckpoint(params: { model: string; revision?: string }, ctx: PluginContext) {
  const env = ctx.env as NodeJS.ProcessEnv;
  const { source, rawConfig, configFile } = await resolveBackboneCheckpoint(params, ctx);
  const config = parseDecoderConfig(rawConfig, configFile);
  return {
    architecture: 'decoder',
    modelDir: source.dir,
    numLayers: config.numLayers,
    config,
    source,
    checkMasks,
    load: async (options = {}) => (await loadDecoder(source.dir, { ...options, env })).model,
  } satisfies LlamaBackbone;
}

export const llamaBackbone = definePlugin({
  id: 'backbone:llama',
  kind: 'backbone',
  summary:
    'Llama, Mistral and Qwen2 decoders from a Hugging Face checkpoint (folder or hub repo id), or a Llama made from a config',
  paramsSchema: backboneParamsSchema,
  async create(raw, ctx): Promise<LlamaBackbone | Backbone> {
    const params = raw as BackboneParams;
    if (params.config)
      return backboneFromConfig('backbone:llama', 'decoder', params.config, checkMasks, (dir) =>
        openCheckpoint({ model: dir }, ctx),
      );
    return openCheckpoint({ model: params.model as string, revision: params.revision }, ctx);
  },
});
