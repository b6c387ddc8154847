import type { TokenHead } from '@lookright/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { TokenBatch } from '../batching/encoded-sentence.js';
import { lossGradients } from '../optim/optimiser-step.js';
import type { SeededRng } from '../rng.js';
import type { SequenceEncoder } from './sequence-encoder.js';

/** Loss and gradients (one per variable, in order) of one micro-batch, on the device; the caller owns them. */
export interface MicroBatchResult {
  loss: tf.Scalar;
  grads: tf.Tensor[];
  tokens: number;
}

/**
 * Forward and backward pass of one micro-batch inside tf.tidy. Dropout seeds for the encoder and the head are
 * drawn from `dropout`, so the same stream state gives the same masks.
 */
export function microBatchGradients(
  encoder: SequenceEncoder,
  head: TokenHead,
  batch: TokenBatch,
  variables: readonly tf.Variable[],
  dropout: SeededRng,
): MicroBatchResult {
  const encoderSeed = dropout.nextUint32();
  const headSeed = dropout.nextUint32();
  const { loss, grads } = lossGradients(variables, () => {
    const hidden = encoder.hiddenStates({ ids: batch.ids, lengths: batch.lengths }, encoderSeed);
    return head.loss(hidden, { positions: batch.positions, labels: batch.labels }, headSeed);
  });
  return { loss, grads, tokens: batch.lengths.reduce((a, n) => a + n, 0) };
}
