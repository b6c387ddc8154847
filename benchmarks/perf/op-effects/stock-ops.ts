import type { AttentionShape, TrainingOps } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The engine's training ops written with stock tfjs ops only, so tfjs autodiff (transposeA/B-flag matMul
 * gradients, slice/concat gradients, repeated K/V heads) is what the backward pass runs. Used to measure what each
 * custom gradient buys.
 */
export const stockOps: Partial<TrainingOps> = {
  linear: (x, k, b) => {
    const y = tf.matMul(tf.reshape(x, [-1, k.shape[0]]), k);
    return tf.reshape(b ? tf.add(y, b) : y, [...x.shape.slice(0, -1), k.shape[1]]);
  },
  rmsNorm: (x, w, eps) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w),
  swiglu: (g, u) => tf.mul(tf.mul(g, tf.sigmoid(g)), u),
  applyRope: (x, cos, sinSigned) => {
    const [x1, x2] = tf.split(x, 2, -1);
    const [negSin, sin] = tf.split(sinSigned, 2, -1);
    const sinTable = tf.concat([tf.neg(negSin), sin], -1);
    return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(x2), x1], -1), sinTable));
  },
  attention: (q, k, v, bias, s: AttentionShape) => {
    const [b, n] = q.shape;
    const group = s.numHeads / s.numKvHeads;
    const repeat = (t: tf.Tensor) =>
      group === 1
        ? t
        : tf.reshape(
            tf.concat(
              Array.from({ length: group }, () => tf.expandDims(t, 3)),
              3,
            ),
            [b, n, s.numHeads, s.headDim],
          );
    const qt = tf.transpose(q, [0, 2, 1, 3]);
    const kt = tf.transpose(repeat(k), [0, 2, 1, 3]);
    const vt = tf.transpose(repeat(v), [0, 2, 1, 3]);
    const probs = tf.softmax(tf.add(tf.div(tf.matMul(qt, kt, false, true), Math.sqrt(s.headDim)), bias));
    return tf.reshape(tf.transpose(tf.matMul(probs, vt), [0, 2, 1, 3]), [b, n, s.numHeads * s.headDim]);
  },
};
