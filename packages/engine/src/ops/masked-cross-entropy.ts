import * as tf from '@tensorflow/tfjs-core';
import { deviceScalar } from './device-scalar.js';

/** The label value that marks a position as not scored (sub-words after the first, padding, special tokens). */
export const IGNORE_INDEX = -100;

/**
 * Mean cross-entropy over positions whose label is not -100, like torch's `ignore_index`. `logits` is
 * [batch, tokens, labels]; `labels` is [batch, tokens] int32. Returns 0 when no position is scored.
 */
export function maskedCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const numLabels = logits.shape[2];
    const scored = tf.cast(tf.notEqual(labels, IGNORE_INDEX), 'float32');
    const safeLabels = tf.cast(tf.maximum(labels, 0), 'int32');
    const gold = tf.oneHot(safeLabels, numLabels);
    const logProbs = tf.logSoftmax(logits);
    const goldLogProb = tf.sum(tf.mul(gold, logProbs), -1);
    const total = tf.neg(tf.sum(tf.mul(goldLogProb, scored)));
    return tf.div(total, tf.maximum(tf.sum(scored), deviceScalar(1))) as tf.Scalar;
  });
}

/** A dense [batch, tokens] label matrix with -100 everywhere except the scored positions. */
export function denseLabels(positions: number[][], labels: number[][], tokens: number): tf.Tensor2D {
  const values = new Int32Array(positions.length * tokens).fill(IGNORE_INDEX);
  positions.forEach((row, b) => {
    row.forEach((p, i) => {
      values[b * tokens + p] = labels[b][i];
    });
  });
  return tf.tensor2d(values, [positions.length, tokens], 'int32');
}
