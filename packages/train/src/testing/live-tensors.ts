import * as tf from '@tensorflow/tfjs-core';

/** One tensor still alive when a `LiveTensorTracker` is asked: its shape, dtype and where it was created. */
export interface LiveTensor {
  shape: number[];
  dtype: string;
  /** The creation stack, lookright frames first (node_modules frames dropped). */
  stack: string;
}

/** Records the tensors created while it is installed, to list those nobody disposed. */
export interface LiveTensorTracker {
  /** Tensors created since `install` (or the last `reset`) that are still alive. */
  survivors(): LiveTensor[];
  /** Forgets what was recorded so far (e.g. after a warm-up run). */
  reset(): void;
  /** Restores the engine's own methods. */
  uninstall(): void;
}

type TrackingEngine = {
  trackTensor(t: tf.Tensor, backend: unknown): void;
  disposeTensor(t: tf.Tensor): void;
};

/**
 * Wraps the tfjs engine's `trackTensor` / `disposeTensor` (test-only: it captures a stack per tensor, which is
 * slow) so a test can name the tensors that outlive a piece of work: `tf.memory().numTensors` says how many, this
 * says which and from where.
 */
export function trackLiveTensors(): LiveTensorTracker {
  const engine = tf.engine() as unknown as TrackingEngine;
  const originalTrack = engine.trackTensor;
  const originalDispose = engine.disposeTensor;
  const live = new Map<tf.Tensor, string>();
  engine.trackTensor = function (this: TrackingEngine, t, backend) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    live.set(t, stack);
    return originalTrack.call(this, t, backend);
  };
  engine.disposeTensor = function (this: TrackingEngine, t) {
    live.delete(t);
    return originalDispose.call(this, t);
  };
  return {
    survivors: () =>
      [...live]
        .filter(([t]) => !t.isDisposed)
        .map(([t, stack]) => ({
          shape: [...t.shape],
          dtype: t.dtype,
          stack: stack
            .split('\n')
            .slice(1)
            .filter((line) => !line.includes('node_modules') && !line.includes('live-tensors'))
            .map((line) => line.trim())
            .join('\n'),
        })),
    reset: () => live.clear(),
    uninstall: () => {
      engine.trackTensor = originalTrack;
      engine.disposeTensor = originalDispose;
    },
  };
}
