import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadAddon } from '../native-addon.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { randomFloats } from '../testing/compare.js';
import { nativeSumsOfSquares } from './sum-squares.js';

/** Gradients of the sizes clipping sees (a scalar, a bias, matrices, an odd length) at their scales. */
const SHAPES = [[1], [256], [300, 400], [100_003], [8, 64, 64], [2048, 513]];

function gradients(specials: boolean): tf.Tensor[] {
  return SHAPES.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomFloats(n, 20 + i, i % 2 ? 1e-3 : 3);
    if (specials && n > 10) {
      x[n >> 1] = i % 3 === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
      x[3] = Number.NEGATIVE_INFINITY;
    }
    return tf.tensor(x, shape);
  });
}

/** Each value's bits (NaN payloads and -0 distinct). */
function bits(ts: tf.Tensor[]): number[] {
  return ts.map((t) => new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer)[0]);
}

for (const backend of nativeBackends) {
  describe(`nativeSumsOfSquares on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const specials of [false, true]) {
      it(`equals tf.sum(tf.square(g)) bit for bit${specials ? ' with NaN and ±Inf' : ''}, with 1 and 2 threads`, async () => {
        await useStockBackend(backend);
        const stock = gradients(specials);
        const expected = tf.tidy(() => bits(stock.map((g) => tf.sum(tf.square(g)))));
        tf.dispose(stock);
        await useNativeBackend(backend);
        const addon = loadAddon();
        assert.ok(addon.ok);
        const previous = addon.addon.kernelThreads();
        const xs = gradients(specials);
        try {
          for (const threads of [1, 2]) {
            addon.addon.setKernelThreads(threads);
            const before = tf.memory().numTensors;
            const sums = nativeSumsOfSquares(xs);
            assert.ok(sums, 'the native kernel ran');
            assert.equal(tf.memory().numTensors, before + xs.length, 'one scalar per gradient, nothing else kept');
            assert.deepEqual(
              sums.map((s) => s.shape),
              xs.map(() => []),
            );
            assert.deepEqual(bits(sums), expected, `${threads} thread(s)`);
            tf.dispose(sums);
          }
        } finally {
          addon.addon.setKernelThreads(previous);
          tf.dispose(xs);
        }
      });
    }

    it('returns null (the caller runs the tfjs ops) for a non-float32 or empty tensor, an empty list or without native', async () => {
      await useNativeBackend(backend);
      const ints = tf.tensor([1, 2], [2], 'int32');
      const floats = tf.tensor([1, 2]);
      assert.equal(nativeSumsOfSquares([floats, ints]), null);
      assert.equal(nativeSumsOfSquares([]), null);
      const empty = tf.zeros([0, 3]);
      assert.equal(nativeSumsOfSquares([floats, empty]), null);
      empty.dispose();
      await useStockBackend(backend);
      assert.equal(nativeSumsOfSquares([floats]), null);
      tf.dispose([ints, floats]);
    });
  });
}
