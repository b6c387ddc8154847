import * as tf from '@tensorflow/tfjs-core';

/** What an op's forward pass returns: its value plus the tensors its backward pass needs. */
export interface ForwardResult<T extends tf.Tensor> {
  value: T;
  saved: tf.Tensor[];
}

/**
 * Runs `forward` with a hand-written gradient: `backward(dy, saved)` returns one gradient per input, in order.
 * Only `inputs` receive gradients; anything the op closes over is a constant. Tensors needed by `backward` must
 * travel through `saved` (tfjs disposes forward intermediates before the backward pass).
 */
export function withCustomGradient<T extends tf.Tensor>(
  inputs: tf.Tensor[],
  forward: (inputs: tf.Tensor[]) => ForwardResult<T>,
  backward: (dy: T, saved: tf.Tensor[]) => tf.Tensor[],
): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { value, saved } = forward(args.slice(0, -1) as tf.Tensor[]);
    save(saved);
    return { value, gradFunc: (dy: T, s: tf.Tensor[]) => backward(dy, s) };
  });
  return op(...inputs) as T;
}

/**
 * Whether a weight receives gradients: trainable tf.Variables do, plain tensors and frozen variables are
 * constants (their gradient is never computed, which is what keeps frozen LoRA base weights cheap).
 */
export function isTrainable(t: tf.Tensor | undefined): t is tf.Variable {
  return t instanceof tf.Variable && t.trainable;
}
