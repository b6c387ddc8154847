import type { LayerMaskSpec } from '@lookright/core';
import type { DecoderModel } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Next-token cross-entropy of a causal decoder over windows of equal length: position t predicts token t+1.
 * Runs inside the caller's tf.tidy / variableGrads.
 */
export function clmLoss(
  model: DecoderModel,
  windows: number[][],
  specs: readonly LayerMaskSpec[],
  dropoutSeed: number | null,
): tf.Scalar {
  const inputs = windows.map((w) => w.slice(0, -1));
  const targets = windows.map((w) => w.slice(1));
  const ids = tf.tensor2d(inputs, undefined, 'int32');
  const mask = tf.onesLike(ids) as tf.Tensor2D;
  const out = model.forward(ids, mask, specs, {
    outputLogits: true,
    training: dropoutSeed !== null,
    seed: dropoutSeed ?? 0,
  });
  const logits = out.logits as tf.Tensor3D;
  const gold = tf.oneHot(tf.tensor2d(targets, undefined, 'int32'), logits.shape[2]);
  return tf.neg(tf.mean(tf.sum(tf.mul(gold, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}
