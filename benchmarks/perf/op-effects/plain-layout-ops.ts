import { isTrainable, type TrainingOps, withCustomGradient } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The engine's custom-gradient linear and RoPE as they were before the wasm layout work: tf.transpose and
 * tf.sum(dy, 0) in linear's backward pass, tf.reverse for RoPE's half swap. Used to measure what transpose2d /
 * sumOverRows and the permutation-matMul swap buy.
 */
export const plainLayoutOps: Partial<TrainingOps> = {
  linear: (x, kernel, bias) => {
    const [inFeatures, outFeatures] = kernel.shape;
    const trainKernel = isTrainable(kernel);
    const trainBias = bias !== undefined && isTrainable(bias);
    const x2 = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const inputs: tf.Tensor[] = [x2, ...(trainKernel ? [kernel] : []), ...(trainBias && bias ? [bias] : [])];
    const y2 = withCustomGradient(
      inputs,
      () => ({ value: tf.fused.matMul({ a: x2, b: kernel, bias }), saved: [x2, kernel] }),
      (dy, [xs, k]) => [
        tf.matMul(dy, tf.transpose(k)),
        ...(trainKernel ? [tf.matMul(tf.transpose(xs), dy)] : []),
        ...(trainBias ? [tf.sum(dy, 0)] : []),
      ],
    );
    return tf.reshape(y2, [...x.shape.slice(0, -1), outFeatures]);
  },
  applyRope: (x, cos, sinSigned) => {
    const swap = (t: tf.Tensor) => {
      const d = t.shape[t.shape.length - 1];
      return tf.reshape(tf.reverse(tf.reshape(t, [-1, 2, d / 2]), 1), t.shape);
    };
    return withCustomGradient(
      [x],
      ([xs]) => ({ value: tf.add(tf.mul(xs, cos), tf.mul(swap(xs), sinSigned)), saved: [cos, sinSigned] }),
      (dy, [c, s]) => [tf.add(tf.mul(dy, c), swap(tf.mul(dy, s)))],
    );
  },
};
