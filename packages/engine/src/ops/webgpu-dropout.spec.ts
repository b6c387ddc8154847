import assert from 'node:assert/strict';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { gpuDropoutMask, webgpuDropout } from './webgpu-dropout.js';

let seed = 1;
const rand = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', seed++);
const variable = (t: tf.Tensor) => tf.variable(t, true, `drop${seed++}`);

describe('dropout masks drawn on the GPU (webgpu)', function () {
  this.timeout(120_000);
  onWebgpuTestBackend();

  const ones = (n: number) => tf.ones([n]);

  it('equals the same hash computed on the CPU, and the same seed gives the same mask', async () => {
    const x = ones(5000);
    const [a, b] = [webgpuDropout(x, 0.25, 7), webgpuDropout(x, 0.25, 7)];
    const [ma, mb] = [await a.data(), await b.data()];
    assert.deepEqual([...ma], [...gpuDropoutMask(5000, 0.25, 7)]);
    assert.deepEqual([...ma], [...mb]);
    const other = await webgpuDropout(x, 0.25, 8).data();
    const differing = ma.filter((v, i) => v !== other[i]).length;
    assert.ok(differing > 1000, `seed 8 changes ${differing} of 5000 elements (expected ~1875)`);
    tf.dispose([x, a, b]);
  });

  it('over 4.3M elements (more than 65,535 workgroups of 64: a folded dispatch) still equals the CPU hash', async () => {
    const n = 4_300_000;
    const x = ones(n);
    const y = webgpuDropout(x, 0.2, 3);
    const [got, want] = [await y.data(), gpuDropoutMask(n, 0.2, 3)];
    const first = got.findIndex((v, i) => v !== want[i]);
    assert.equal(first, -1, `element ${first} differs`);
    tf.dispose([x, y]);
  });

  for (const rate of [0.1, 0.5])
    it(`keeps a fraction 1 - ${rate} within 5 binomial standard deviations, scaled by 1 / (1 - rate)`, async () => {
      const n = 200_000;
      const x = ones(n);
      const y = webgpuDropout(x, rate, 12345);
      const mask = await y.data();
      const keep = Math.fround(1 / (1 - rate));
      const kept = mask.filter((v) => v === keep).length;
      assert.equal(kept + mask.filter((v) => v === 0).length, n, 'every factor is 0 or 1 / (1 - rate)');
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept - n * (1 - rate)) <= 5 * sd, `kept ${kept} of ${n}`);
      tf.dispose([x, y]);
    });

  it('gradient is dy times the same mask; NaN stays NaN where dropped (x · 0, as on the CPU)', async () => {
    const x = variable(rand([6, 50]));
    const dy = rand([6, 50]);
    const g = tf.grad((v: tf.Tensor) => webgpuDropout(v, 0.3, 99))(x, dy);
    const mask = gpuDropoutMask(300, 0.3, 99);
    assert.ok(
      relativeError(
        await g.data(),
        (await dy.data()).map((v, i) => v * mask[i]),
      ) === 0,
    );
    const nan = tf.fill([300], Number.NaN);
    assert.ok((await webgpuDropout(nan, 0.3, 99).data()).every(Number.isNaN));
    assert.equal(webgpuDropout(x, 0, 99), x, 'rate 0: x itself');
    tf.dispose([x, dy, g, nan]);
  });
});
