import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { dropoutMask, seededDropout } from './dropout.js';

describe('seeded dropout', () => {
  before(async () => {
    await useTestBackend();
  });

  it('drops close to `rate` of the elements and scales the rest by 1 / (1 - rate)', () => {
    for (const rate of [0.1, 0.5, 0.9]) {
      const mask = dropoutMask(200_000, rate, 11);
      const dropped = mask.filter((m) => m === 0).length / mask.length;
      assert.ok(Math.abs(dropped - rate) < 0.005, `rate ${rate}: dropped ${dropped}`);
      assert.ok(mask.every((m) => m === 0 || m === Math.fround(1 / (1 - rate))));
    }
  });

  it('gives the same mask for the same seed and a different one for another seed', () => {
    assert.deepEqual(dropoutMask(1000, 0.3, 5), dropoutMask(1000, 0.3, 5));
    assert.notDeepEqual(dropoutMask(1000, 0.3, 5), dropoutMask(1000, 0.3, 6));
  });

  it('returns x itself at rate 0 and passes dy * mask back', () => {
    const x = tf.variable(tf.randomNormal([4, 50], 0, 1, 'float32', 3));
    assert.equal(seededDropout(x, 0, 1), x);
    const { value, grads } = tf.variableGrads(() => tf.sum(seededDropout(x, 0.25, 9)) as tf.Scalar, [x]);
    const mask = dropoutMask(200, 0.25, 9);
    assert.deepEqual(Array.from(grads[x.name].dataSync()), Array.from(mask));
    const xs = x.dataSync();
    const expected = mask.reduce((s, m, i) => s + m * xs[i], 0);
    assert.ok(Math.abs(value.dataSync()[0] - expected) < 1e-3);
    tf.dispose([x, value, grads[x.name]]);
  });
});
