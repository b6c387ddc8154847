import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { sumOverRows } from './transpose-2d.js';

/**
 * RMSNorm over the last axis: y = weight * x / sqrt(mean(x^2) + eps), as Llama's LlamaRMSNorm. Fused gradient:
 * with r = rsqrt(mean(x^2) + eps), xhat = x r and g = dy * weight, dx = r (g - xhat mean(g xhat)) and
 * dweight = sum over rows of dy xhat. The weight gets a gradient only when it is a trainable tf.Variable.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  const trainWeight = isTrainable(weight);
  const inputs: tf.Tensor[] = trainWeight ? [x, weight] : [x];
  return withCustomGradient(
    inputs,
    ([xs]) => {
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(xs), -1, true), eps));
      const xhat = tf.mul(xs, r);
      return { value: tf.mul(xhat, weight), saved: [xhat, r, weight] };
    },
    (dy, [xhat, r, w]) => {
      const g = tf.mul(dy, w);
      const dx = tf.mul(r, tf.sub(g, tf.mul(xhat, tf.mean(tf.mul(g, xhat), -1, true))));
      if (!trainWeight) return [dx];
      const hidden = w.shape[0];
      return [dx, sumOverRows(tf.reshape(tf.mul(dy, xhat), [-1, hidden]))];
    },
  );
}
