import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { activeNative } from '../enable-native.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { randomTensor as rand } from '../testing/compare-ops.js';
import { addKernel } from './elementwise.js';

/** Shape pairs the native kernels take (equal shapes, a single value on either side) and ones they pass on. */
const taken: [number[], number[]][] = [
  [
    [16, 64, 32],
    [16, 64, 32],
  ],
  [[1024, 32], []],
  [[], [4, 1, 8, 8]],
  [
    [1, 1],
    [6, 8],
  ],
  [[7], [7]],
];
const passedOn: [number[], number[]][] = [
  [
    [6, 1],
    [1, 8],
  ],
  [[5, 9], [9]],
];

/** Value of a*b + a and the gradients of sum((a*b + a) * probe) w.r.t. a and b, read back. */
function run(aShape: number[], bShape: number[], special = false): Float32Array[] {
  return tf.tidy(() => {
    const a = rand(aShape, 1, 3);
    const b = special
      ? tf.tensor(
          Float32Array.from(
            { length: bShape.reduce((p, q) => p * q, 1) },
            (_, i) => [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5][i % 4],
          ),
          bShape,
        )
      : rand(bShape, 2, 3);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.add(tf.mul(x, y), x);
    const probe = rand(f(a, b).shape, 3);
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), probe)))([a, b]);
    return [f(a, b), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of nativeBackends) {
  describe(`native Add and Multiply on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const [aShape, bShape] of [...taken, ...passedOn]) {
      for (const special of [false, true]) {
        it(`[${aShape}] with [${bShape}]${special ? ' (NaN, ±Inf)' : ''}: value and gradients equal the backend's own kernels bit for bit`, async () => {
          await useStockBackend(backend);
          const expected = run(aShape, bShape, special);
          await useNativeBackend(backend);
          const before = tf.memory().numTensors;
          const actual = run(aShape, bShape, special);
          assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
          for (const [i, e] of expected.entries()) assert.deepEqual(actual[i], e, i === 0 ? 'value' : `gradient ${i}`);
          if (special)
            assert.ok(
              actual[0].some((v) => !Number.isFinite(v)),
              'the non-finite values reach the output',
            );
        });
      }
    }

    it('leaves a float32 made by a lossless cast (bool or int32 memory on cpu) to the backend, with equal results', async () => {
      const f = () =>
        tf.tidy(() => {
          const labels = tf.tensor2d([[3, -100, 1, 0]], undefined, 'int32');
          const scored = tf.cast(tf.notEqual(labels, -100), 'float32');
          const ints = tf.cast(labels, 'float32');
          const x = rand([1, 4], 1);
          return [tf.mul(x, scored), tf.add(x, ints), tf.mul(scored, ints)].map((t) => t.dataSync() as Float32Array);
        });
      await useStockBackend(backend);
      const expected = f();
      await useNativeBackend(backend);
      assert.deepEqual(f(), expected);
    });

    it('takes equal shapes and single values, and passes other broadcasts and int32 to the backend', async () => {
      await useNativeBackend(backend);
      const native = activeNative();
      assert.ok(native, 'native kernels active');
      const takes = (a: tf.Tensor, b: tf.Tensor) => {
        const out = addKernel.run({ a, b }, {}, native.mem, native.addon);
        if (out === null) return false;
        tf.engine().backend.disposeData((out as tf.TensorInfo).dataId);
        return true;
      };
      tf.tidy(() => {
        for (const [aShape, bShape] of taken)
          assert.ok(takes(rand(aShape, 1), rand(bShape, 2)), `[${aShape}] + [${bShape}]`);
        for (const [aShape, bShape] of passedOn)
          assert.ok(!takes(rand(aShape, 1), rand(bShape, 2)), `[${aShape}] + [${bShape}]`);
        assert.ok(!takes(tf.tensor([1, 2], [2], 'int32'), tf.tensor([3, 4], [2], 'int32')), 'int32');
      });
    });
  });
}
