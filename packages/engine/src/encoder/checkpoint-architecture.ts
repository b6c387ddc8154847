import { readCheckpointConfig } from '../io/checkpoint-weights.js';
import { type ModelSource, type ResolveOptions, resolveModelSource } from '../io/model-source.js';

/** model_type values the encoder (backbone:bert) runs. */
export const ENCODER_MODEL_TYPES: readonly string[] = ['bert', 'roberta', 'xlm-roberta'];

/**
 * Whether a checkpoint (folder or hub repo id) is an encoder or a decoder, from its config.json model_type. The
 * model's own loader still checks the config in full.
 */
export async function checkpointArchitecture(
  spec: string,
  options: ResolveOptions = {},
): Promise<{ architecture: 'encoder' | 'decoder'; source: ModelSource }> {
  const source = await resolveModelSource(spec, options);
  const config = readCheckpointConfig(source.dir);
  const type = config.model_type;
  return {
    architecture: typeof type === 'string' && ENCODER_MODEL_TYPES.includes(type) ? 'encoder' : 'decoder',
    source,
  };
}
