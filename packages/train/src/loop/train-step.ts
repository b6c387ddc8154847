import type { TokenHead } from '@lookright/core';
import type * as tf from '@tensorflow/tfjs-core';
import { dispose as tfDispose } from '@tensorflow/tfjs-core';
import type { TokenBatch } from '../batching/encoded-sentence.js';
import type { AdamW } from '../optim/adamw.js';
import { GradientAccumulator } from '../optim/gradient-accumulator.js';
import { lossGradients, optimiserStep } from '../optim/optimiser-step.js';
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

/** What one optimiser step of fine-tuning reads and advances. */
export interface StepParts {
  encoder: SequenceEncoder;
  head: TokenHead;
  /** The trainable variables, in the optimiser's order. */
  variables: readonly tf.Variable[];
  optimizer: AdamW;
  /** Dropout seeds of the encoder and the head are drawn from it, two per micro-batch. */
  dropout: SeededRng;
  /** Global-norm clipping (null: none). */
  clipNorm: number | null;
}

/**
 * The trainer's step, as fineTune's loop runs it (and `pnpm bench:train` measures it): each micro-batch's forward
 * and backward pass adds its gradients to a pending sum; `update` then applies their mean as one clipped AdamW step.
 */
export class TrainerStep {
  private readonly accumulator = new GradientAccumulator();

  constructor(readonly parts: StepParts) {}

  /** Micro-batches whose gradients wait for the next update. */
  get pending(): number {
    return this.accumulator.size;
  }

  /** Forward and backward pass of `batch`, its gradients kept for the next update; the caller owns `loss`. */
  addMicroBatch(batch: TokenBatch): { loss: tf.Scalar; tokens: number } {
    const { encoder, head, variables, dropout } = this.parts;
    const micro = microBatchGradients(encoder, head, batch, variables, dropout);
    this.accumulator.add(micro.grads);
    tfDispose(micro.grads);
    return { loss: micro.loss, tokens: micro.tokens };
  }

  /** One optimiser update at `lr` with the pending gradients' mean; returns the norm before clipping (caller owns). */
  update(lr: number): tf.Scalar {
    return optimiserStep(this.parts.optimizer, this.accumulator.take(), this.parts.clipNorm, lr);
  }

  /** Frees pending gradients (e.g. of a run stopped between micro-batches). */
  dispose(): void {
    this.accumulator.dispose();
  }
}
