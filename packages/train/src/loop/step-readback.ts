import * as tf from '@tensorflow/tfjs-core';
import { trainErrors } from '../errors.js';

/** One optimiser step whose loss and gradient norm are still on the device. */
export interface PendingStep {
  step: number;
  /** The micro-batch losses of the step (scalars); the step's loss is their mean. */
  losses: tf.Scalar[];
  gradNorm: tf.Scalar;
  lr: number;
  tokens: number;
  seconds: number;
}

/** A step as logged to steps.jsonl, progress and trackers. */
export interface StepRecord {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
  seconds: number;
}

/**
 * Holds the device scalars of recent steps and reads them back in one asynchronous transfer (a GPU backend cannot
 * read synchronously in Node, and each read stalls its queue). `take()` checks every value: a NaN or infinite loss
 * or gradient norm stops the run with the first step it happened at.
 */
export class StepReadback {
  private pending: PendingStep[] = [];

  get size(): number {
    return this.pending.length;
  }

  /** Takes ownership of the step's tensors. */
  push(step: PendingStep): void {
    this.pending.push(step);
  }

  /** Reads every pending step back (one transfer), checks it, disposes its tensors and returns the records. */
  async take(): Promise<StepRecord[]> {
    const steps = this.pending;
    this.pending = [];
    if (steps.length === 0) return [];
    const scalars = steps.flatMap((s) => [...s.losses, s.gradNorm]);
    const stacked = tf.stack(scalars);
    tf.dispose(scalars);
    let values: Float32Array;
    try {
      values = (await stacked.data()) as Float32Array;
    } finally {
      stacked.dispose();
    }
    let offset = 0;
    return steps.map((s) => {
      const losses = Array.from(values.subarray(offset, offset + s.losses.length));
      const gradNorm = values[offset + s.losses.length];
      offset += s.losses.length + 1;
      const bad = losses.find((l) => !Number.isFinite(l));
      if (bad !== undefined) throw trainErrors.nonFiniteLoss(s.step, bad);
      if (!Number.isFinite(gradNorm)) throw trainErrors.nonFiniteGradNorm(s.step, gradNorm);
      const loss = losses.reduce((a, x) => a + x, 0) / losses.length;
      return { step: s.step, loss, lr: s.lr, gradNorm, tokens: s.tokens, seconds: s.seconds };
    });
  }

  /** Disposes the tensors of steps never read (a run that stops with an error). */
  dispose(): void {
    for (const s of this.pending) tf.dispose([...s.losses, s.gradNorm]);
    this.pending = [];
  }
}
