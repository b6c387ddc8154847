import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { useWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { deviceScalar } from './device-scalar.js';

describe('deviceScalar', function () {
  this.timeout(120_000);
  after(async () => {
    await useTestBackend();
  });

  it('is the number itself off webgpu (the kernels see what they saw before)', async () => {
    await useTestBackend();
    assert.equal(deviceScalar(0.25), 0.25);
  });

  it('on webgpu: one kept scalar per value, surviving tidy, used by ops like the number', async function () {
    await useWebgpuTestBackend(this);
    const inside = tf.tidy(() => deviceScalar(0.25));
    assert.ok(inside instanceof tf.Tensor && !inside.isDisposed, 'kept past tidy');
    assert.equal(deviceScalar(0.25), inside, 'the same tensor for the same value');
    assert.notEqual(deviceScalar(0.5), inside);
    assert.equal(deviceScalar(-0), -0, '-0 is not cached (a Map does not tell it from 0)');
    const x = tf.tensor1d([1, -3, 1e-7]);
    const [a, b] = [tf.mul(x, deviceScalar(1e-6)), tf.mul(x, 1e-6)];
    assert.deepEqual([...(await a.data())], [...(await b.data())]);
    tf.dispose([x, a, b]);
  });
});
