import type * as tf from '@tensorflow/tfjs-core';

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

/** One nn.Linear: kernel [in, out] (the HF weight transposed once at load), optional bias and LoRA pair. */
export interface LinearParams {
  kernel: tf.Tensor2D;
  bias?: tf.Tensor1D;
  lora?: LoraParams;
}
