import * as tf from '@tensorflow/tfjs-core';
import type { AdamW } from './adamw.js';
import { globalNormClipFactor } from './clip-global-norm.js';

/** A scalar loss and its gradients (one per variable, in order), still on the device; the caller owns all. */
export interface LossGradients {
  loss: tf.Scalar;
  grads: tf.Tensor[];
}

/** Forward and backward pass of `lossFn` inside tf.tidy: the loss and the gradient of every variable. */
export function lossGradients(variables: readonly tf.Variable[], lossFn: () => tf.Scalar): LossGradients {
  const [loss, ...grads] = tf.tidy(() => {
    const result = tf.variableGrads(lossFn, variables as tf.Variable[]);
    return [result.value, ...variables.map((v) => result.grads[v.name])];
  });
  return { loss: loss as tf.Scalar, grads };
}

/**
 * One optimiser update, shared by fine-tuning and pre-training: clips `grads` to a global norm (null: no clipping;
 * the clipping factor is applied inside the optimiser's update, so no clipped copy is made) and applies them at
 * `learningRate`. Takes ownership of `grads` (disposed here); returns the norm before clipping as a scalar tensor
 * (the caller disposes it).
 */
export function optimiserStep(
  optimizer: AdamW,
  grads: tf.Tensor[],
  clipNorm: number | null,
  learningRate: number,
): tf.Scalar {
  const { norm, factor } = globalNormClipFactor(grads, clipNorm);
  try {
    optimizer.apply(grads, learningRate, factor);
  } finally {
    tf.dispose(grads);
    factor?.dispose();
  }
  return norm;
}
