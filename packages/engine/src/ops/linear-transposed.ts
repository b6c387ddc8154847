import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { transpose2d } from './transpose-2d.js';

/**
 * y = x @ weight^T over the last axis of x, for a weight kept in HF's [out, in] layout (a tied LM head reading the
 * [vocab, hidden] embedding table). The forward pass transposes the weight explicitly; the backward pass needs
 * no transpose of it: dx = dy @ weight, dweight = dy^T @ x (only when weight is a trainable tf.Variable).
 */
export function linearTransposed(x: tf.Tensor, weight: tf.Tensor2D): tf.Tensor {
  const [outFeatures, inFeatures] = weight.shape;
  const lead = x.shape.slice(0, -1);
  const trainWeight = isTrainable(weight);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const y2 = withCustomGradient(
      trainWeight ? [x2, weight] : [x2],
      () => ({ value: tf.matMul(x2, transpose2d(weight)), saved: [x2, weight] }),
      (dy, [xs, w]) => (trainWeight ? [tf.matMul(dy, w), tf.matMul(transpose2d(dy), xs)] : [tf.matMul(dy, w)]),
    );
    return tf.reshape(y2, [...lead, outFeatures]);
  });
}
