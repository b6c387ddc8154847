import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadAddon } from '../native-addon.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { randomFloats } from '../testing/compare.js';
import { nativeSumsOfSquares } from './sum-squares.js';

/**
 * Gradients of the sizes clipping sees (a scalar, a bias, matrices, an odd length, equal shapes as a model's
 * layers have) at their scales: more than one group of eight, the kernel's unit, and one group not full.
 */
const SHAPES = [
  [1],
  [256],
  [300, 400],
  [100_003],
  [8, 64, 64],
  [2048, 513],
  [256, 256],
  [256, 256],
  [256, 256],
  [64],
  [64],
];
/** An embedding's gradient: only the rows of the batch's tokens are not zero (SPARSE_ROWS of them). */
const SPARSE_SHAPE = [4000, 48];
const SPARSE_ROWS = [0, 7, 8, 1999, 3999];

function sparseGradient(seed: number): Float32Array {
  const [rows, cols] = SPARSE_SHAPE;
  const x = new Float32Array(rows * cols);
  const dense = randomFloats(SPARSE_ROWS.length * cols, seed, 1e-2);
  for (const [k, row] of SPARSE_ROWS.entries()) x.set(dense.subarray(k * cols, (k + 1) * cols), row * cols);
  // zeros of both signs and values whose squares underflow to +0, inside zero runs and beside them
  x[100 * cols + 5] = -0;
  x[101 * cols] = 1e-30;
  x[8 * cols + cols - 1] = -1e-25;
  x[7 * cols + 3] = 0;
  return x;
}

function gradients(specials: boolean): tf.Tensor[] {
  const dense = SHAPES.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomFloats(n, 20 + i, i % 2 ? 1e-3 : 3);
    if (specials && n > 10) {
      x[n >> 1] = i % 3 === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
      x[3] = Number.NEGATIVE_INFINITY;
    }
    return tf.tensor(x, shape);
  });
  const sparse = sparseGradient(40);
  if (specials) sparse[3000 * SPARSE_SHAPE[1] + 1] = Number.NaN;
  return [...dense, tf.tensor(sparse, SPARSE_SHAPE)];
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
