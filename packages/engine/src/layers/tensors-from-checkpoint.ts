import * as tf from '@tensorflow/tfjs-core';
import type { TensorMap } from '../io/safetensors-read.js';

/** Turns a checkpoint's loaded tensors into tfjs tensors (float32 stays float32). */
export function tensorsFromCheckpoint(tensors: TensorMap): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, t] of tensors) out.set(name, tf.tensor(t.data, t.shape, t.dtype === 'uint8' ? 'int32' : t.dtype));
  return out;
}
