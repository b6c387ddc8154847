import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums gradients of several micro-batches and hands back their mean, so `accumulation` micro-batches of size b
 * step like one batch of size accumulation·b (each micro-batch loss being a mean, as in the Trainer).
 */
export class GradientAccumulator {
  private sums: tf.Tensor[] | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds one micro-batch's gradients (kept; the caller may dispose its own copies). */
  add(grads: readonly tf.Tensor[]): void {
    const previous = this.sums;
    this.sums = previous ? grads.map((g, i) => tf.add(previous[i], g)) : grads.map((g) => tf.clone(g));
    if (previous) tf.dispose(previous);
    this.count += 1;
  }

  /**
   * The mean gradient so far, and a reset. The caller owns the returned tensors. One micro-batch's gradients are
   * returned as they are: dividing by 1 changes no number but costs a kernel (and, on a GPU, a scalar upload) per
   * gradient.
   */
  take(): tf.Tensor[] {
    if (!this.sums) throw new Error('GradientAccumulator.take() before any add()');
    const sums = this.sums;
    const mean = this.count === 1 ? sums : sums.map((s) => tf.div(s, this.count));
    if (this.count !== 1) tf.dispose(sums);
    this.sums = null;
    this.count = 0;
    return mean;
  }

  dispose(): void {
    if (this.sums) tf.dispose(this.sums);
    this.sums = null;
    this.count = 0;
  }
}
