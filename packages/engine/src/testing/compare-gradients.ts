import assert from 'node:assert/strict';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';

let weightSeed = 1000;

/**
 * Compares value and gradients (w.r.t. every variable) of a custom-gradient op with tf's autodiff of the same
 * formula written with stock ops: relative error (max|diff| / max|ref|) below `tol` for both. The loss weights
 * each output element by a fixed random tensor. Disposes `vars` and checks that nothing else leaked.
 */
export async function compareWithAutodiff(
  vars: tf.Variable[],
  custom: () => tf.Tensor,
  plain: () => tf.Tensor,
  tol = 2e-5,
): Promise<void> {
  const before = tf.memory().numTensors;
  const [got, ref, ...grads] = tf.tidy(() => {
    const ref = plain();
    const got = custom();
    const weight = tf.randomNormal(ref.shape, 0, 1, 'float32', weightSeed++);
    const g1 = tf.variableGrads(() => tf.sum(tf.mul(custom(), weight)) as tf.Scalar, vars).grads;
    const g2 = tf.variableGrads(() => tf.sum(tf.mul(plain(), weight)) as tf.Scalar, vars).grads;
    return [got, ref, ...vars.flatMap((v) => [g1[v.name], g2[v.name]])];
  });
  // read asynchronously: a GPU backend (webgpu) has no synchronous read in Node
  const values = await Promise.all([got, ref, ...grads].map((t) => t.data()));
  const gotShape = got.shape;
  const refShape = ref.shape;
  tf.dispose([got, ref, ...grads]);
  assert.deepEqual(gotShape, refShape);
  const valueError = relativeError(values[0], values[1]);
  assert.ok(valueError < tol, `value differs by ${valueError}`);
  for (const [i, v] of vars.entries()) {
    const d = relativeError(values[2 + 2 * i], values[3 + 2 * i]);
    assert.ok(d < tol, `gradient of ${v.name} differs by ${d}`);
  }
  tf.dispose(vars);
  assert.equal(tf.memory().numTensors, before - vars.length, 'custom gradient leaks no tensors');
}
