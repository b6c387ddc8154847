/**
 * What the packed-weight matmul specs (matmul16.spec.ts, nf4.spec.ts) and the fused-LoRA spec share: seeded inputs,
 * the relative difference of two tensors, and the check of linear16 against tf.matMul on the same f32 weights.
 */
import assert from 'node:assert/strict';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { linear16 } from './linear-16.js';
import type { PackedKernel } from './packed-kernel.js';

/**
 * linear16 against tf.matMul on the same (widened or dequantised) weights: only the f32 summation order differs, so
 * max|diff| / max|ref| stays within a few f32 ulps times sqrt(K); 1e-5 holds with room for the specs' K (up to 130).
 */
export const SAME_WEIGHTS = 1e-5;

/** `n` deterministic values in [-0.8, 0.8], different for each `seed`. */
export const seeded = (n: number, seed: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * 0.8);

/** max|ours - ref| / max|ref|, read asynchronously (webgpu has no synchronous read in Node). */
export async function tensorRelative(ours: tf.Tensor, ref: tf.Tensor): Promise<number> {
  return relativeError(await ours.data(), await ref.data());
}

/**
 * Asserts that linear16(x, packed) equals tf.matMul(x, weights), and its gradient for x tf's autodiff of that, under
 * the loss Σ y·dy, both within SAME_WEIGHTS; `weights` are the packed ones as f32 ([in, out]). Returns the values of
 * linear16(x, packed) for further checks.
 */
export async function assertLinear16EqualsMatMul(
  x: tf.Tensor2D,
  packed: PackedKernel,
  weights: tf.Tensor2D,
  dy: tf.Tensor2D,
): Promise<Float32Array> {
  const y = linear16(x, packed);
  const yRef = tf.matMul(x, weights);
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(linear16(xi, packed), dy)))(x);
  const dxRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xi as tf.Tensor2D, weights), dy)))(x);
  try {
    const valueError = await tensorRelative(y, yRef);
    assert.ok(valueError <= SAME_WEIGHTS, `value vs tf.matMul on the same weights: ${valueError}`);
    const dxError = await tensorRelative(dx, dxRef);
    assert.ok(dxError <= SAME_WEIGHTS, `dx vs tf autodiff on the same weights: ${dxError}`);
    return (await y.data()) as Float32Array;
  } finally {
    tf.dispose([y, yRef, dx, dxRef]);
  }
}
