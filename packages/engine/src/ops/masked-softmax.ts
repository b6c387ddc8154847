import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';

/**
 * softmax(scores * scale + bias) over the last axis, float32. `bias` is an additive mask (0 or float32 min,
 * broadcastable to scores) and gets no gradient. Gradient: dscores = scale * y * (dy - sum(dy * y)).
 */
export function maskedSoftmax(scores: tf.Tensor, bias: tf.Tensor, scale: number): tf.Tensor {
  return withCustomGradient(
    [scores],
    ([s]) => {
      const y = tf.softmax(tf.add(tf.mul(s, scale), bias));
      return { value: y, saved: [y] };
    },
    (dy, [y]) => [tf.mul(tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true))), scale)],
  );
}
