import * as tf from '@tensorflow/tfjs-core';

/**
 * Scales `grads` so their global L2 norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_: factor
 * maxNorm / (norm + 1e-6) when norm exceeds maxNorm). Returns the new tensors and the norm before clipping; the
 * caller owns both input and output tensors.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number | null,
): { grads: tf.Tensor[]; norm: number } {
  const normTensor = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  const norm = normTensor.dataSync()[0];
  normTensor.dispose();
  if (maxNorm === null || !(norm > maxNorm)) return { grads: grads.map((g) => tf.clone(g)), norm };
  const factor = maxNorm / (norm + 1e-6);
  return { grads: grads.map((g) => tf.mul(g, factor)), norm };
}
