import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';

/**
 * Rows of `table` [V, H] for integer `ids` of any shape; returns [...ids.shape, H]. When the table is a trainable
 * tf.Variable, its gradient is a scatter-add of the output gradient into [V, H] (tf.scatterND sums duplicate
 * ids), which runs on wasm; tfjs's stock gather gradient needs UnsortedSegmentSum, which wasm lacks and cpu runs
 * slowly.
 */
export function embedding(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const [vocab, hidden] = table.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(ids, [-1]);
    const outShape = [...ids.shape, hidden];
    if (!isTrainable(table)) return tf.reshape(tf.gather(table, flat), outShape);
    const rows = withCustomGradient(
      [table],
      ([t]) => ({ value: tf.gather(t, flat), saved: [flat] }),
      (dy, [index]) => [tf.scatterND(tf.reshape(index, [-1, 1]), dy, [vocab, hidden])],
    );
    return tf.reshape(rows, outShape);
  });
}
