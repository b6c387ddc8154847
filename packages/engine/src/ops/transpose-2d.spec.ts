import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { sumOverRows, transpose2d } from './transpose-2d.js';

describe('transpose2d and sumOverRows', () => {
  before(async () => {
    await useTestBackend();
  });

  // [1024, 256] and [128, 512] take the rank-3 route on wasm; the others are below its size or row multiple.
  for (const shape of [
    [1024, 256],
    [128, 512],
    [688, 256],
    [64, 9],
    [3, 5],
  ] as const) {
    it(`transposes [${shape}] exactly as tf.transpose`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.randomNormal([...shape], 0, 1, 'float32', shape[0]) as tf.Tensor2D;
        const got = transpose2d(x);
        assert.deepEqual(got.shape, [shape[1], shape[0]]);
        assert.deepEqual(got.dataSync(), tf.transpose(x).dataSync());
      });
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('sums over rows as tf.sum(x, 0)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1024, 256], 0, 1, 'float32', 7) as tf.Tensor2D;
      const got = sumOverRows(x).dataSync();
      const want = tf.sum(x, 0).dataSync();
      assert.equal(got.length, 256);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4, `column ${i}`);
    });
  });
});
