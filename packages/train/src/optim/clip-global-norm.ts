import { deviceScalar } from '@lookright/engine';
import { nativeSumsOfSquares } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';

/**
 * tf.sum(tf.square(g)) for each gradient: one native pass over each, split over the kernel threads, when
 * @lookright/native's kernels are on (bit-identical to the two ops), else the tfjs ops.
 */
function sumsOfSquares(grads: readonly tf.Tensor[]): tf.Tensor[] {
  return nativeSumsOfSquares(grads) ?? grads.map((g) => tf.sum(tf.square(g)));
}

/**
 * The global L2 norm of `grads` and the factor that clips it to `maxNorm` (torch.nn.utils.clip_grad_norm_: factor
 * maxNorm / (norm + 1e-6) when norm exceeds maxNorm, else 1; null when `maxNorm` is null), both scalar tensors on
 * the backend's device, so no value is read back here. The caller owns both.
 */
export function globalNormClipFactor(
  grads: readonly tf.Tensor[],
  maxNorm: number | null,
): { norm: tf.Scalar; factor: tf.Scalar | null } {
  const norm = tf.tidy(() => tf.sqrt(sumInOrder(sumsOfSquares(grads))) as tf.Scalar);
  if (maxNorm === null) return { norm, factor: null };
  const factor = tf.tidy(() =>
    tf.where(
      tf.greater(norm, deviceScalar(maxNorm)),
      tf.div(deviceScalar(maxNorm), tf.add(norm, deviceScalar(1e-6))),
      tf.onesLike(norm),
    ),
  ) as tf.Scalar;
  return { norm, factor };
}

/**
 * Scales `grads` so their global L2 norm is at most `maxNorm` (see globalNormClipFactor). Returns the new tensors
 * and the norm before clipping as a scalar tensor; the caller owns the input tensors and both outputs.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number | null,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const { norm, factor } = globalNormClipFactor(grads, maxNorm);
  const clipped = tf.tidy(() => grads.map((g) => (factor ? tf.mul(g, factor) : tf.clone(g))));
  factor?.dispose();
  return { grads: clipped, norm };
}

/**
 * Inputs a GPU kernel may bind besides its output: WebGPU's maxStorageBuffersPerShaderStage is 8 in compatibility
 * mode, and tfjs-backend-webgpu's AddN binds every input (73 gradients failed with a device validation error).
 */
const MAX_ADDN_INPUTS = 7;

/** tf.addN in chunks small enough for any WebGPU device, folding left to right as addN does (same float32 sums). */
function sumInOrder(tensors: readonly tf.Tensor[]): tf.Tensor {
  let total = tf.addN(tensors.slice(0, MAX_ADDN_INPUTS) as tf.Tensor[]);
  for (let i = MAX_ADDN_INPUTS; i < tensors.length; i += MAX_ADDN_INPUTS - 1)
    total = tf.addN([total, ...tensors.slice(i, i + MAX_ADDN_INPUTS - 1)]);
  return total;
}
