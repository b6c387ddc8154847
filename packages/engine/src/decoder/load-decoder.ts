import { type LoadCheckpointOptions, loadCheckpoint } from '../io/checkpoint-load.js';
import type { ModelSource } from '../io/model-source.js';
import { tensorsFromCheckpoint } from '../layers/tensors-from-checkpoint.js';
import { parseDecoderConfig } from './decoder-config.js';
import { DecoderModel } from './decoder-model.js';
import { buildDecoderParams } from './decoder-weights.js';

/** A decoder loaded from a checkpoint, with where it came from. */
export interface LoadedDecoder {
  model: DecoderModel;
  source: ModelSource;
}

/**
 * Loads a Llama / Mistral / Qwen2 checkpoint from a folder or hub repo id (see loadCheckpoint) onto the current
 * tfjs backend. Config and tensor names are checked; errors name the folder and the expected names.
 */
export async function loadDecoder(spec: string, options: LoadCheckpointOptions = {}): Promise<LoadedDecoder> {
  const checkpoint = await loadCheckpoint(spec, options);
  const dir = checkpoint.source.dir;
  const config = parseDecoderConfig(checkpoint.config, `${dir}/config.json`);
  const weights = tensorsFromCheckpoint(checkpoint.tensors);
  checkpoint.tensors.clear();
  try {
    const params = buildDecoderParams(config, weights, dir);
    return { model: new DecoderModel(config, params, dir), source: checkpoint.source };
  } catch (error) {
    for (const t of weights.values()) if (!t.isDisposed) t.dispose();
    throw error;
  }
}
