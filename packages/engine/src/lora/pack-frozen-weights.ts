import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { isPackedKernel, type PackedFormat, packKernel } from '../ops/packed-kernel.js';
import { MATMUL16_KERNEL } from '../ops/webgpu-matmul16.js';
import { type LoraModel, loraModules } from './lora-modules.js';

/**
 * Stores every frozen projection kernel of the model (q, k, v, o, gate, up, down of each layer; not trainable
 * variables, not embeddings or norms) packed (16 bits: half the memory; nf4: about a seventh), freeing its f32 copy. Only the
 * webgpu backend has the 16-bit matmul; elsewhere it refuses with WEIGHT_STORAGE_UNSUPPORTED before changing
 * anything. Returns how many kernels were packed.
 */
export async function packFrozenWeights(model: LoraModel, format: PackedFormat): Promise<number> {
  const backend = tf.getBackend();
  if (!tf.getKernel(MATMUL16_KERNEL, backend)) throw modelErrors.weightStorageUnsupported(format, backend);
  let packed = 0;
  for (const { linear: p } of loraModules(model)) {
    const kernel = p.kernel;
    if (isPackedKernel(kernel) || (kernel instanceof tf.Variable && kernel.trainable)) continue;
    p.kernel = await packKernel(kernel, format);
    kernel.dispose();
    packed++;
  }
  return packed;
}
