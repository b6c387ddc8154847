import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';

/** [..., D] -> the two halves of the last axis swapped: [x2, x1]. Its own adjoint. */
function swapHalves(x: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const d = shape[shape.length - 1];
  const split = tf.reshape(x, [-1, 2, d / 2]);
  return tf.reshape(tf.reverse(split, 1), shape);
}

/**
 * Rotary position embedding on x [B, S, heads, D] with tables cos / sinSigned broadcastable as [S, 1, D]
 * (see ropeTables). rope(x) = x cos + swapHalves(x) sinSigned, which is transformers' x cos + rotate_half(x) sin.
 * Gradient: dx = dy cos + swapHalves(dy sinSigned).
 */
export function applyRope(x: tf.Tensor, cos: tf.Tensor, sinSigned: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [x],
    ([xs]) => ({ value: tf.add(tf.mul(xs, cos), tf.mul(swapHalves(xs), sinSigned)), saved: [cos, sinSigned] }),
    (dy, [c, s]) => [tf.add(tf.mul(dy, c), swapHalves(tf.mul(dy, s)))],
  );
}
