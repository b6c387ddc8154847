/**
 * Scalar constants kept on the GPU. tfjs turns a number operand (`tf.mul(x, 0.25)`) into a fresh scalar tensor held
 * on the CPU and, on webgpu, uploads it at every use; a kept scalar per value is uploaded once. Other backends get
 * the number back unchanged, so their kernels and numbers stay as they were (the value is the same f32 either way).
 */
import * as tf from '@tensorflow/tfjs-core';

const kept = new Map<number, tf.Scalar>();

/**
 * `value` as an operand for tfjs ops: on webgpu a scalar tensor kept for the life of the process (one per distinct
 * value; the few constants of a model: LoRA scaling, the loss's and clipping's constants), elsewhere `value`.
 */
export function deviceScalar(value: number): tf.Scalar | number {
  if (tf.getBackend() !== 'webgpu' || Object.is(value, -0)) return value;
  let s = kept.get(value);
  if (!s || s.isDisposed) {
    s = tf.keep(tf.scalar(value));
    kept.set(value, s);
  }
  return s;
}
