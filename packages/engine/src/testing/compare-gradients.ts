import assert from 'node:assert/strict';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';

let weightSeed = 1000;

/**
 * Compares value and gradients (w.r.t. every variable) of a custom-gradient op with tf's autodiff of the same
 * formula written with stock ops: relative error (max|diff| / max|ref|) below `tol` for both. The loss weights
 * each output element by a fixed random tensor. Disposes `vars` and checks that nothing else leaked.
 */
export function compareWithAutodiff(
  vars: tf.Variable[],
  custom: () => tf.Tensor,
  plain: () => tf.Tensor,
  tol = 2e-5,
): void {
  const before = tf.memory().numTensors;
  const rel = (a: tf.Tensor, b: tf.Tensor) => relativeError(a.dataSync(), b.dataSync());
  tf.tidy(() => {
    const ref = plain();
    const got = custom();
    assert.deepEqual(got.shape, ref.shape);
    assert.ok(rel(got, ref) < tol, `value differs by ${rel(got, ref)}`);
    const weight = tf.randomNormal(ref.shape, 0, 1, 'float32', weightSeed++);
    const g1 = tf.variableGrads(() => tf.sum(tf.mul(custom(), weight)) as tf.Scalar, vars).grads;
    const g2 = tf.variableGrads(() => tf.sum(tf.mul(plain(), weight)) as tf.Scalar, vars).grads;
    for (const v of vars) {
      const d = rel(g1[v.name], g2[v.name]);
      assert.ok(d < tol, `gradient of ${v.name} differs by ${d}`);
    }
  });
  tf.dispose(vars);
  assert.equal(tf.memory().numTensors, before - vars.length, 'custom gradient leaks no tensors');
}
