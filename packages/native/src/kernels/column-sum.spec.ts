import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { activeNative } from '../enable-native.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { randomTensor as rand } from '../testing/compare-ops.js';
import { columnSumKernel } from './column-sum.js';

/** Sums the native kernel takes: leading axes of float32 tensors (shape, axes, keepDims). */
const taken: [number[], number[], boolean][] = [
  [[1024, 128], [0], false],
  [[1024, 461], [0], false],
  [[16, 64, 128], [0, 1], false],
  [[3, 5, 7], [0], true],
  [[9, 1], [-2], false],
  [[2, 3, 4, 5], [0, 1], true],
];
/** Sums it passes to the backend: inner or non-leading axes, every axis, leading axes out of order. */
const passedOn: [number[], number[] | null][] = [
  [[16, 64, 128], [2]],
  [[6, 8], [1]],
  [
    [4, 5, 6],
    [0, 2],
  ],
  [[7, 3], null],
  [
    [2, 3, 4, 5],
    [1, 0],
  ],
];

/** Values with NaN, +Inf and -Inf in some columns (and both infinities in one, whose sum is NaN). */
function special(shape: number[]): tf.Tensor {
  const values = rand(shape, 4, 3).dataSync() as Float32Array;
  const cols = shape[shape.length - 1];
  values[0] = Number.NaN;
  values[Math.min(1, cols - 1) + (values.length > cols ? cols : 0)] = Number.POSITIVE_INFINITY;
  values[values.length - 1] = Number.NEGATIVE_INFINITY;
  values[values.length - 1 - cols] = Number.POSITIVE_INFINITY;
  return tf.tensor(values, shape);
}

/** The sum, and the gradients of a linear layer x @ W + b (the bias gradient is a sum over rows), read back. */
function run(shape: number[], axes: number[], keepDims: boolean, nonFinite: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = nonFinite ? special(shape) : rand(shape, 1, 3);
    const summed = tf.sum(x, axes, keepDims);
    const inp = rand([40, 24], 2);
    const w = rand([24, 33], 3);
    const bias = rand([33], 5);
    const probe = rand([40, 33], 6);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c }), probe));
    const grads = tf.grads(f)([inp, w, bias]);
    return [summed, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of nativeBackends) {
  describe(`native Sum over leading axes on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const [shape, axes, keepDims] of taken) {
      for (const nonFinite of [false, true]) {
        it(`[${shape}] over [${axes}]${keepDims ? ' keeping dims' : ''}${nonFinite ? ' (NaN, ±Inf)' : ''}: the sum and a linear layer's gradients equal the backend's own kernels bit for bit`, async () => {
          await useStockBackend(backend);
          const expected = run(shape, axes, keepDims, nonFinite);
          await useNativeBackend(backend, false); // tfjs's matmuls on both sides: only Sum differs
          const before = tf.memory().numTensors;
          const actual = run(shape, axes, keepDims, nonFinite);
          assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
          for (const [i, e] of expected.entries()) assert.deepEqual(actual[i], e, i === 0 ? 'sum' : `gradient ${i}`);
          if (nonFinite) {
            assert.ok(Number.isNaN(actual[0][0]), 'NaN reaches its column');
            if (shape[shape.length - 1] > 1)
              assert.ok(actual[0].some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY));
          }
        });
      }
    }

    it('takes sums over leading axes of float32 and passes other axes, full sums and int32 to the backend', async () => {
      await useNativeBackend(backend);
      const native = activeNative();
      assert.ok(native, 'native kernels active');
      const takes = (x: tf.Tensor, axis: number[] | null) => {
        const out = columnSumKernel.run({ x }, { axis: axis as number[], keepDims: false }, native.mem, native.addon);
        if (out === null) return false;
        tf.engine().backend.disposeData((out as tf.TensorInfo).dataId);
        return true;
      };
      tf.tidy(() => {
        for (const [shape, axes] of taken) assert.ok(takes(rand(shape, 1), axes), `[${shape}] over [${axes}]`);
        for (const [shape, axes] of passedOn) assert.ok(!takes(rand(shape, 1), axes), `[${shape}] over [${axes}]`);
        assert.ok(!takes(tf.tensor([1, 2, 3, 4], [2, 2], 'int32'), [0]), 'int32');
      });
    });
  });
}
