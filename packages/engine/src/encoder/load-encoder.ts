import { type LoadCheckpointOptions, loadCheckpoint } from '../io/checkpoint-load.js';
import type { ModelSource } from '../io/model-source.js';
import { tensorsFromCheckpoint } from '../layers/tensors-from-checkpoint.js';
import { parseEncoderConfig } from './encoder-config.js';
import { EncoderModel } from './encoder-model.js';
import { buildEncoderParams } from './encoder-weights.js';

/** An encoder loaded from a checkpoint, with where it came from and what of the checkpoint it dropped. */
export interface LoadedEncoder {
  model: EncoderModel;
  source: ModelSource;
  /** `bert.` / `roberta.` when the weights were saved from a head model, else ''. */
  prefix: string;
  /** Task-head tensors outside the prefix (e.g. `cls.predictions.*`), not loaded. */
  droppedHeadTensors: string[];
}

/**
 * Loads a BERT / RoBERTa checkpoint from a folder or hub repo id (see loadCheckpoint) onto the current tfjs
 * backend. Weight names may carry the `bert.` / `roberta.` prefix of a head model; that model's head tensors are
 * dropped and reported through `options.onNotice`. Config and names are checked; errors name the folder and the
 * expected names.
 */
export async function loadEncoder(spec: string, options: LoadCheckpointOptions = {}): Promise<LoadedEncoder> {
  const checkpoint = await loadCheckpoint(spec, options);
  const dir = checkpoint.source.dir;
  const config = parseEncoderConfig(checkpoint.config, `${dir}/config.json`);
  const weights = tensorsFromCheckpoint(checkpoint.tensors);
  checkpoint.tensors.clear();
  try {
    const { params, split } = buildEncoderParams(config, weights, dir);
    if (split.head.length) {
      options.onNotice?.(
        `${dir}: not loading ${split.head.length} task-head tensor(s) outside ${split.prefix}: ${split.head.join(', ')}`,
      );
    }
    return {
      model: new EncoderModel(config, params, dir),
      source: checkpoint.source,
      prefix: split.prefix,
      droppedHeadTensors: split.head,
    };
  } catch (error) {
    for (const t of weights.values()) if (!t.isDisposed) t.dispose();
    throw error;
  }
}
