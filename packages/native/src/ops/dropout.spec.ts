import assert from 'node:assert/strict';
import { seededDropout } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { randomTensor as rand } from '../testing/compare-ops.js';
import { nativeSeededDropout } from './native-ops.js';

const cases: { shape: number[]; rate: number; seed: number }[] = [
  { shape: [16, 64, 32], rate: 0.1, seed: 7 },
  { shape: [3, 5], rate: 0.5, seed: 0 },
  { shape: [2, 3, 4, 5], rate: 0.9, seed: 2 ** 32 - 1 },
  { shape: [1], rate: 0.25, seed: 123456789 },
];

/** x with NaN, ±Inf and -0 among random values. */
function special(shape: number[]): tf.Tensor {
  const x = rand(shape, 4, 2).dataSync() as Float32Array;
  const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
  for (let i = 0; i < x.length; i += 3) x[i] = odd[(i / 3) % odd.length];
  return tf.tensor(x, shape);
}

/** Value and gradient of sum(dropout(x) * probe) w.r.t. x, read back. */
function valueAndGrad(dropout: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const probe = rand(x.shape, 9);
    const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(dropout(xi), probe)))(x);
    return [dropout(x), g].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of nativeBackends) {
  describe(`native seeded dropout on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const { shape, rate, seed } of cases) {
      for (const odd of [false, true]) {
        it(`[${shape}] rate ${rate} seed ${seed}${odd ? ' with NaN, ±Inf, -0' : ''}: the engine's mask, value and gradient bit for bit`, async () => {
          const make = () => (odd ? special(shape) : rand(shape, 3));
          await useStockBackend(backend);
          const x0 = make();
          const expected = valueAndGrad((x) => seededDropout(x, rate, seed), x0);
          x0.dispose();
          await useNativeBackend(backend);
          const x1 = make();
          const before = tf.memory().numTensors;
          const actual = valueAndGrad((x) => nativeSeededDropout(x, rate, seed), x1);
          assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
          x1.dispose();
          assert.deepEqual(actual[0], expected[0], 'value');
          assert.deepEqual(actual[1], expected[1], 'gradient');
          const dropped = actual[0].filter((v) => v === 0).length;
          assert.ok(
            odd || shape[0] < 16 || Math.abs(dropped / actual[0].length - rate) < 0.05,
            `dropped share ${dropped}`,
          );
        });
      }
    }

    it('rate 0 returns x itself; a non-float32 x is refused with a typed error', async () => {
      await useNativeBackend(backend);
      const x = rand([4], 1);
      assert.equal(nativeSeededDropout(x, 0, 1), x);
      const ints = tf.tensor([1, 2], [2], 'int32');
      assert.throws(() => nativeSeededDropout(ints, 0.5, 1), /LookrightDropout/);
      tf.dispose([x, ints]);
    });
  });
}
