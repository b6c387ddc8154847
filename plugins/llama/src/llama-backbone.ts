import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type Backbone, definePlugin, type LayerMaskSpec, type PluginContext } from '@lookright/core';
import {
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

/** `model` as given, or a path relative to the suite's folder when that folder holds it. */
function modelSpec(model: string, revision: string | undefined, ctx: PluginContext): string {
  const local = isAbsolute(model) ? model : resolve(ctx.baseDir, model);
  if (existsSync(join(local, 'config.json'))) return local;
  return revision ? `${model}@${revision}` : model;
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
    const source = await resolveModelSource(modelSpec(params.model, params.revision, ctx), {
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
