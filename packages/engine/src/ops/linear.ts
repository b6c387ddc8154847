import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { sumOverRows, transpose2d } from './transpose-2d.js';

/**
 * y = x @ kernel + bias over the last axis of x. `kernel` is [in, out] (the transpose of an HF nn.Linear weight,
 * transposed once at load). All matMuls are 2-D on [N, in] rows and never use transposeA/B flags: the wasm
 * backend's flagged matMul is ~10x slower, so the backward pass transposes explicitly (transpose2d). Trainable kernel / bias
 * (tf.Variable) get gradients; frozen ones cost nothing in the backward pass.
 */
export function linear(x: tf.Tensor, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const [inFeatures, outFeatures] = kernel.shape;
  const lead = x.shape.slice(0, -1);
  const trainKernel = isTrainable(kernel);
  const trainBias = bias !== undefined && isTrainable(bias);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const inputs: tf.Tensor[] = [x2];
    if (trainKernel) inputs.push(kernel);
    if (trainBias) inputs.push(bias);
    const y2 = withCustomGradient(
      inputs,
      () => ({ value: tf.fused.matMul({ a: x2, b: kernel, bias }), saved: [x2, kernel] }),
      (dy, [xs, k]) => {
        const grads: tf.Tensor[] = [tf.matMul(dy, transpose2d(k))];
        if (trainKernel) grads.push(tf.matMul(transpose2d(xs), dy));
        if (trainBias) grads.push(sumOverRows(dy));
        return grads;
      },
    );
    return tf.reshape(y2, [...lead, outFeatures]);
  });
}
