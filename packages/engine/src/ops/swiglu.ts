import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';

/**
 * silu(gate) * up, Llama's MLP activation. Gradient with s = sigmoid(gate):
 * dgate = dy * up * s * (1 + gate (1 - s)), dup = dy * gate * s.
 */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [gate, up],
    ([g, u]) => {
      const s = tf.sigmoid(g);
      return { value: tf.mul(tf.mul(g, s), u), saved: [g, u, s] };
    },
    (dy, [g, u, s]) => {
      const silu = tf.mul(g, s);
      const dsilu = tf.mul(s, tf.add(1, tf.mul(g, tf.sub(1, s))));
      return [tf.mul(tf.mul(dy, u), dsilu), tf.mul(dy, silu)];
    },
  );
}
