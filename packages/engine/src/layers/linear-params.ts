import type * as tf from '@tensorflow/tfjs-core';
import type { PackedKernel } from '../ops/packed-kernel.js';

/** A LoRA pair on one projection: y += scaling * dropout(x) @ a @ b. */
export interface LoraParams {
  /** [in, r]: PEFT's lora_A.weight transposed. */
  a: tf.Tensor2D;
  /** [r, out]: PEFT's lora_B.weight transposed. */
  b: tf.Tensor2D;
  /** lora_alpha / r */
  scaling: number;
  /** dropout rate on the adapter's input, training only */
  dropout: number;
}

/**
 * One nn.Linear: kernel [in, out] (the HF weight transposed once at load), optional bias and LoRA pair. A frozen
 * kernel may be held in 16 bits (PackedKernel, recipe weightStorage on webgpu; see packFrozenWeights).
 */
export interface LinearParams {
  kernel: tf.Tensor2D | PackedKernel;
  bias?: tf.Tensor1D;
  lora?: LoraParams;
}
