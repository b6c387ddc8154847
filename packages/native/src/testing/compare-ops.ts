import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useNativeBackend, useStockBackend } from './backends.js';
import { assertClose, randomFloats } from './compare.js';

/** An op under test: tensors in, one tensor out. */
export type Op = (xs: tf.Tensor[]) => tf.Tensor;

/** A tensor of deterministic floats in [-scale, scale). */
export const randomTensor = (shape: number[], seed: number, scale = 1): tf.Tensor =>
  tf.tensor(
    randomFloats(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
    shape,
  );

/** Value and gradients of sum(op(xs) * probe) w.r.t. every x, read back as arrays. */
function valueAndGrads(op: Op, makeInputs: () => tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const xs = makeInputs();
    const value = op(xs);
    const probe = randomTensor(value.shape, 99);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

/**
 * Runs `reference` with tfjs's stock kernels and `native` with the native ones on `backend`, and asserts equal
 * value and gradients (within REL_TOL) and no leaked tensors.
 */
export async function compareOp(
  backend: string,
  what: string,
  reference: Op,
  native: Op,
  makeInputs: () => tf.Tensor[],
): Promise<void> {
  await useStockBackend(backend);
  const expected = valueAndGrads(reference, makeInputs);
  await useNativeBackend(backend);
  const before = tf.memory().numTensors;
  const actual = valueAndGrads(native, makeInputs);
  assert.equal(tf.memory().numTensors, before, `${what}: tensors leaked`);
  for (const [i, e] of expected.entries()) {
    assertClose(actual[i], e, `${what} ${i === 0 ? 'forward' : `gradient ${i}`}`);
  }
}
