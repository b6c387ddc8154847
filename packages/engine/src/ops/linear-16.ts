import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { matMul16, type PackedKernel } from './packed-kernel.js';
import { sumOverRows } from './transpose-2d.js';

/**
 * y = x @ kernel + bias over the last axis of x for a frozen kernel held in 16 bits (PackedKernel, backend webgpu):
 * the 16-bit matmul kernel widens each weight to f32 and accumulates in f32. The kernel never gets a gradient;
 * dx = dy @ kernel^T reads the same packed words, and a trainable bias gets the row sum of dy.
 */
export function linear16(x: tf.Tensor, kernel: PackedKernel, bias?: tf.Tensor1D): tf.Tensor {
  const [inFeatures, outFeatures] = kernel.shape;
  const lead = x.shape.slice(0, -1);
  const trainBias = bias !== undefined && isTrainable(bias);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const y2 = withCustomGradient(
      trainBias ? [x2, bias] : [x2],
      () => {
        const product = matMul16(x2, kernel);
        return { value: bias ? tf.add(product, bias) : product, saved: [] };
      },
      (dy) => {
        const dx = matMul16(dy as tf.Tensor2D, kernel, true);
        return trainBias ? [dx, sumOverRows(dy)] : [dx];
      },
    );
    return tf.reshape(y2, [...lead, outFeatures]);
  });
}
