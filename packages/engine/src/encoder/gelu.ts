import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from '../ops/custom-gradient.js';

/**
 * The exact GELU that transformers calls 'gelu': x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)). Gradient:
 * Phi(x) + x phi(x), with phi(x) = exp(-x^2 / 2) / sqrt(2 pi); x and Phi(x) are saved (erf runs once per step, not
 * again in the backward pass; the same ops on the same values, so the same bits).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [x],
    ([xs]) => {
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(xs, Math.SQRT1_2)), 1), 0.5);
      return { value: tf.mul(xs, cdf), saved: [xs, cdf] };
    },
    (dy, [xs, cdf]) => {
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(xs), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return [tf.mul(dy, tf.add(cdf, tf.mul(xs, pdf)))];
    },
  );
}
