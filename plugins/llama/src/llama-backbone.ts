import { type Backbone, definePlugin, type LayerMaskSpec, type PluginContext } from '@lookright/core';
import {
  type BackboneParams,
  backboneForPretraining,
  backboneFromConfig,
  backboneParamsSchema,
  type DecoderConfig,
  type DecoderModel,
  type LoadDecoderOptions,
  loadDecoder,
  type ModelSource,
  parseDecoderConfig,
  resolveBackboneCheckpoint,
} from '@lookright/engine';
import { firstLayers } from './early-exit.js';
import { llamaErrors } from './errors.js';

/** A Llama / Mistral / Qwen2 checkpoint resolved to a local folder; `load()` builds the tensor model. */
export interface LlamaBackbone extends Backbone {
  readonly architecture: 'decoder';
  readonly config: DecoderConfig;
  readonly source: ModelSource;
  /** Loads the weights onto the current tfjs backend (call selectBackend first). */
  load(options?: Pick<LoadDecoderOptions, 'backend' | 'weightStorage'>): Promise<DecoderModel>;
}

// decoders accept every per-layer spec; padding is always masked by the engine's mask builder
const checkMasks = (_specs: readonly LayerMaskSpec[]) => null;

/** backbone:llama's params: a checkpoint or a config, and optionally how many of its layers to use. */
export const llamaParamsSchema = {
  ...backboneParamsSchema,
  properties: {
    ...backboneParamsSchema.properties,
    layers: {
      type: 'integer',
      minimum: 1,
      description: 'early exit: use only the first N layers (masks apply to those N); default all',
    },
  },
} as const;

/** Refuses an early exit deeper than the model. */
function checkLayers(model: string, layers: number | undefined, numLayers: number): number {
  if (layers !== undefined && layers > numLayers) throw llamaErrors.layersAboveModel(model, layers, numLayers);
  return layers ?? numLayers;
}

async function openCheckpoint(params: { model: string; revision?: string; layers?: number }, ctx: PluginContext) {
  const env = ctx.env as NodeJS.ProcessEnv;
  const { source, rawConfig, configFile } = await resolveBackboneCheckpoint(params, ctx);
  const full = parseDecoderConfig(rawConfig, configFile);
  const layers = checkLayers(params.model, params.layers, full.numLayers);
  return {
    architecture: 'decoder',
    modelDir: source.dir,
    numLayers: layers,
    config: { ...full, numLayers: layers },
    source,
    checkMasks,
    load: async (options = {}) => firstLayers((await loadDecoder(source.dir, { ...options, env })).model, layers),
  } satisfies LlamaBackbone;
}

export const llamaBackbone = definePlugin({
  id: 'backbone:llama',
  kind: 'backbone',
  summary:
    'Llama, Mistral and Qwen2 decoders from a Hugging Face checkpoint (folder or hub repo id), a Llama made from a config, or one pre-trained from scratch (clm) by its own cell',
  paramsSchema: llamaParamsSchema,
  async create(raw, ctx): Promise<LlamaBackbone | Backbone> {
    const params = raw as BackboneParams & { layers?: number };
    const { layers } = params;
    if (params.pretrain) {
      const made = backboneForPretraining('backbone:llama', 'decoder', params.pretrain, checkMasks);
      return { ...made, numLayers: checkLayers('pre-trained by its cell', layers, made.numLayers) };
    }
    if (params.config) {
      const made = backboneFromConfig('backbone:llama', 'decoder', params.config, checkMasks, (dir) =>
        openCheckpoint({ model: dir, layers }, ctx),
      );
      return { ...made, numLayers: checkLayers('made from a config', layers, made.numLayers) };
    }
    return openCheckpoint({ model: params.model as string, revision: params.revision, layers }, ctx);
  },
});
