import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from '../ops/custom-gradient.js';
import type { LayerNormParams } from './encoder-params.js';

/**
 * LayerNorm over the last axis, as torch.nn.LayerNorm: y = weight * (x - mean) / sqrt(var + eps) + bias (biased
 * variance). Fused gradient: with r = rsqrt(var + eps), xhat = (x - mean) r and g = dy * weight,
 * dx = r (g - mean(g) - xhat mean(g xhat)); dweight = sum of dy xhat, dbias = sum of dy over rows. Weight and bias
 * get gradients only when they are trainable tf.Variables.
 */
export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps: number): tf.Tensor {
  const trainWeight = isTrainable(p.weight);
  const trainBias = isTrainable(p.bias);
  const inputs: tf.Tensor[] = [x];
  if (trainWeight) inputs.push(p.weight);
  if (trainBias) inputs.push(p.bias);
  const hidden = p.weight.shape[0];
  return withCustomGradient(
    inputs,
    ([xs]) => {
      const mean = tf.mean(xs, -1, true);
      const centered = tf.sub(xs, mean);
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
      const xhat = tf.mul(centered, r);
      return { value: tf.add(tf.mul(xhat, p.weight), p.bias), saved: [xhat, r, p.weight] };
    },
    (dy, [xhat, r, w]) => {
      const g = tf.mul(dy, w);
      const dx = tf.mul(r, tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(xhat, tf.mean(tf.mul(g, xhat), -1, true))));
      const grads = [dx];
      if (trainWeight) grads.push(tf.sum(tf.reshape(tf.mul(dy, xhat), [-1, hidden]), 0));
      if (trainBias) grads.push(tf.sum(tf.reshape(dy, [-1, hidden]), 0));
      return grads;
    },
  );
}
