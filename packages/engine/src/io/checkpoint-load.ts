import { assertModelFits, type ModelMemoryEstimate } from '../backend/memory-check.js';
import { checkpointWeightFiles, readCheckpointConfig, readCheckpointWeights } from './checkpoint-weights.js';
import { type ModelSource, type ResolveOptions, resolveModelSource } from './model-source.js';
import type { TensorMap } from './safetensors-read.js';
import { readSafetensorsLayout } from './safetensors-read.js';

/** A loaded checkpoint: where it came from, its config.json and every tensor (float32 / int32 / uint8). */
export interface Checkpoint {
  source: ModelSource;
  config: Record<string, unknown>;
  tensors: TensorMap;
  /** Absolute paths of the safetensors files read (one, or the shards). */
  weightFiles: string[];
  /** Memory estimate made before loading (exact parameter count from the safetensors headers). */
  memory: ModelMemoryEstimate;
}

/** Options for loading: how to resolve a repo id, and the backend whose heap limit must not be exceeded. */
export interface LoadCheckpointOptions extends ResolveOptions {
  /** Backend name (`wasm`, `cpu`, `tensorflow`, ...); a model too big for its heap is refused before loading. */
  backend?: string;
}

/**
 * Loads a checkpoint from a folder or hub repo id: resolves it (see resolveModelSource), reads config.json, counts
 * the parameters from the safetensors headers and refuses a model too big for `options.backend`, then reads all
 * tensors. Tensor names are not checked here: the model code calls assertTensorNames with the names its config implies.
 */
export async function loadCheckpoint(spec: string, options: LoadCheckpointOptions = {}): Promise<Checkpoint> {
  const source = await resolveModelSource(spec, options);
  const config = readCheckpointConfig(source.dir);
  const { files } = checkpointWeightFiles(source.dir);
  const parameters = countParameters(files);
  const memory = assertModelFits(source.dir, config, options.backend ?? 'none', { parameters });
  const tensors = readCheckpointWeights(source.dir);
  return { source, config, tensors, weightFiles: files, memory };
}

/** Sums the element counts of every tensor in the given safetensors files, reading only their headers. */
export function countParameters(files: readonly string[]): number {
  let total = 0;
  for (const file of files)
    for (const entry of readSafetensorsLayout(file).entries) total += entry.shape.reduce((a, b) => a * b, 1);
  return total;
}
