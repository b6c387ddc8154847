import * as tf from '@tensorflow/tfjs-core';
import type { WeightStorage } from '../backend/gpu-memory-plan.js';
import { modelErrors } from '../errors.js';
import { type LoadCheckpointOptions, loadCheckpoint } from '../io/checkpoint-load.js';
import type { ModelSource } from '../io/model-source.js';
import type { TensorMap } from '../io/safetensors-read.js';
import { tensorsFromCheckpoint } from '../layers/tensors-from-checkpoint.js';
import { type PackedFormat, type PackedKernel, packCheckpointWeight } from '../ops/packed-kernel.js';
import { MATMUL16_KERNEL } from '../ops/webgpu-matmul16.js';
import { parseDecoderConfig } from './decoder-config.js';
import { DecoderModel } from './decoder-model.js';
import { buildDecoderParams } from './decoder-weights.js';

/** A decoder loaded from a checkpoint, with where it came from. */
export interface LoadedDecoder {
  model: DecoderModel;
  source: ModelSource;
}

/** How to load a decoder. */
export interface LoadDecoderOptions extends LoadCheckpointOptions {
  /**
   * Storage of the frozen projection kernels (q, k, v, o, gate, up, down): f32 (default), or f16 / bf16 / nf4, packed on
   * the CPU from the checkpoint's values and uploaded packed, so no f32 copy of them reaches the GPU (backend webgpu
   * only: elsewhere WEIGHT_STORAGE_UNSUPPORTED). Packed kernels cannot train: for LoRA, whose adapters attach to the
   * linear and stay f32.
   */
  weightStorage?: WeightStorage;
}

/**
 * Loads a Llama / Mistral / Qwen2 checkpoint from a folder or hub repo id (see loadCheckpoint) onto the current
 * tfjs backend. Config and tensor names are checked; errors name the folder and the expected names.
 */
export async function loadDecoder(spec: string, options: LoadDecoderOptions = {}): Promise<LoadedDecoder> {
  const storage = options.weightStorage ?? 'f32';
  if (storage !== 'f32' && !tf.getKernel(MATMUL16_KERNEL, tf.getBackend()))
    throw modelErrors.weightStorageUnsupported(storage, tf.getBackend());
  const checkpoint = await loadCheckpoint(spec, options);
  const dir = checkpoint.source.dir;
  const config = parseDecoderConfig(checkpoint.config, `${dir}/config.json`);
  const packed = storage === 'f32' ? new Map<string, PackedKernel>() : packProjections(checkpoint.tensors, storage);
  const weights = new Map<string, tf.Tensor | PackedKernel>([...tensorsFromCheckpoint(checkpoint.tensors), ...packed]);
  checkpoint.tensors.clear();
  try {
    const params = buildDecoderParams(config, weights, dir);
    return { model: new DecoderModel(config, params, dir), source: checkpoint.source };
  } catch (error) {
    for (const t of weights.values()) if (!t.isDisposed) t.dispose();
    throw error;
  }
}

/**
 * Packs every 2-D float32 `*_proj.weight` of the checkpoint on the CPU (HF [out, in] → packed [in, out] kernel) and
 * drops its f32 values from `tensors`, one weight at a time. Shapes are checked afterwards with the rest.
 */
function packProjections(tensors: TensorMap, format: PackedFormat): Map<string, PackedKernel> {
  const packed = new Map<string, PackedKernel>();
  for (const [name, t] of tensors) {
    if (!name.endsWith('_proj.weight') || t.shape.length !== 2 || t.dtype !== 'float32') continue;
    packed.set(name, packCheckpointWeight(t.data, t.shape[0], t.shape[1], format));
    tensors.delete(name);
  }
  return packed;
}
