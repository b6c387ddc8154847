import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { compareWithAutodiff as compare } from '../testing/compare-gradients.js';
import { useTestBackend } from '../testing/test-backend.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layer-norm.js';

let seed = 11;
const rand = (shape: number[], scale = 1) => tf.randomNormal(shape, 0, scale, 'float32', seed++);

describe('encoder ops: custom gradients equal tf autodiff', () => {
  before(async () => {
    await useTestBackend();
  });

  it('layerNorm (trainable input, weight and bias)', async () => {
    const x = tf.variable(rand([2, 5, 16], 3), true, `ln-x${seed}`);
    const weight = tf.variable(rand([16]), true, `ln-w${seed}`) as tf.Variable<tf.Rank.R1>;
    const bias = tf.variable(rand([16]), true, `ln-b${seed}`) as tf.Variable<tf.Rank.R1>;
    const eps = 1e-5;
    await compare(
      [x, weight, bias],
      () => layerNorm(x, { weight, bias }, eps),
      () => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), weight), bias);
      },
    );
  });

  it('layerNorm with frozen weight and bias gives only the input a gradient', async () => {
    const x = tf.variable(rand([3, 8]), true, `ln-x2${seed}`);
    const weight = rand([8]) as tf.Tensor1D;
    const bias = rand([8]) as tf.Tensor1D;
    await compare(
      [x],
      () => layerNorm(x, { weight, bias }, 1e-12),
      () => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), weight), bias);
      },
    );
    tf.dispose([weight, bias]);
  });

  it('gelu is the erf form and its gradient matches autodiff', async () => {
    const x = tf.variable(rand([4, 32], 2), true, `gelu-x${seed}`);
    await compare(
      [x],
      () => gelu(x),
      () => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1)),
    );
  });

  it('gelu runs erf once per forward and backward, and its gradient has the bits of Phi(x) + x phi(x)', async () => {
    const x = rand([3, 7, 19], 2);
    const dy = rand([3, 7, 19]);
    const grad = tf.grad((t: tf.Tensor) => gelu(t));
    const info = await tf.profile(() => {
      grad(x, dy).dispose();
    });
    assert.equal(info.kernels.filter((k) => k.name === 'Erf').length, 1, 'the backward pass recomputed erf');
    const got = grad(x, dy);
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    const want = tf.mul(dy, tf.add(cdf, tf.mul(x, pdf)));
    assert.deepEqual(got.dataSync(), want.dataSync());
    tf.dispose([x, dy, got, cdf, pdf, want]);
  });

  it('gelu at known points (x * Phi(x), Phi from the normal table)', () => {
    // Phi(1) = 0.8413447, Phi(-1) = 0.1586553, Phi(2) = 0.9772499 (standard normal CDF table values)
    const y = gelu(tf.tensor1d([0, 1, -1, 2]));
    const got = Array.from(y.dataSync());
    const want = [0, 0.8413447, -0.1586553, 2 * 0.9772499];
    for (const [i, v] of got.entries()) assert.ok(Math.abs(v - want[i]) < 1e-6, `gelu(${[0, 1, -1, 2][i]}) = ${v}`);
    y.dispose();
  });
});
