import * as tf from '@tensorflow/tfjs-core';

/**
 * Scales `grads` so their global L2 norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_: factor
 * maxNorm / (norm + 1e-6) when norm exceeds maxNorm). Norm and factor are computed on the backend's device, so no
 * value is read back here. Returns the new tensors and the norm before clipping as a scalar tensor; the caller owns
 * the input tensors and both outputs.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number | null,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    if (maxNorm === null) return { grads: grads.map((g) => tf.clone(g)), norm };
    const factor = tf.where(tf.greater(norm, maxNorm), tf.div(maxNorm, tf.add(norm, 1e-6)), tf.onesLike(norm));
    return { grads: grads.map((g) => tf.mul(g, factor)), norm };
  });
}
