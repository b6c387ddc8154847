import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import {
  fromBf16Bits,
  fromF16Bits,
  type HalfFormat,
  packHalves,
  toBf16Bits,
  toF16Bits,
  unpackHalves,
} from './half-precision.js';
import { linear16 } from './linear-16.js';
import { matMul16, packKernel } from './packed-kernel.js';
import { assertLinear16EqualsMatMul, seeded } from './packed-matmul-checks.js';

/** Unit roundoff of each format: |round(w) - w| <= U * |w| in the normal range. */
const ROUNDOFF: Record<HalfFormat, number> = { bf16: 2 ** -8, f16: 2 ** -11 };

describe('16-bit weights: conversion and packing (CPU)', () => {
  it('rounds to the nearest bf16 and f16, ties to even, with f16 overflow, subnormals and underflow', () => {
    assert.equal(toBf16Bits(1), 0x3f80);
    assert.equal(toF16Bits(1), 0x3c00);
    assert.equal(toF16Bits(-2), 0xc000);
    assert.equal(toF16Bits(65504), 0x7bff);
    assert.equal(toF16Bits(70000), 0x7c00, 'beyond the f16 range: Infinity');
    assert.equal(toF16Bits(2 ** -24), 1, 'smallest f16 subnormal');
    assert.equal(toF16Bits(2 ** -26), 0, 'below half of it: zero');
    // 1 + 2^-8 lies halfway between bf16 1 and 1 + 2^-7: ties to the even 1; 1 + 3 * 2^-8 rounds up to 1 + 2^-6
    assert.equal(toBf16Bits(1 + 2 ** -8), 0x3f80);
    assert.equal(toBf16Bits(1 + 3 * 2 ** -8), 0x3f82);
    assert.equal(toF16Bits(1 + 2 ** -11), 0x3c00);
    assert.equal(fromBf16Bits(0xc040), -3);
    assert.equal(fromF16Bits(0x3555), 0.333251953125);
    assert.ok(Number.isNaN(fromBf16Bits(toBf16Bits(Number.NaN))));
  });

  it('round-trips within the unit roundoff of each format', () => {
    for (const format of ['bf16', 'f16'] as const) {
      const values = seeded(4001, 3).map((v, i) => v * 10 ** ((i % 7) - 3));
      const back = unpackHalves(packHalves(values, 1, values.length, format), 1, values.length, format);
      for (const [i, v] of values.entries()) {
        if (format === 'f16' && Math.abs(v) < 2 ** -14) continue; // subnormal: absolute, not relative, error
        assert.ok(Math.abs(back[i] - v) <= ROUNDOFF[format] * Math.abs(v), `${format} ${v} -> ${back[i]}`);
      }
    }
  });

  it('packs two halves per word, even column low, an odd last column padded with zero', () => {
    const words = packHalves([1, -2, 3, 0.5, 4, 1.5], 2, 3, 'bf16');
    assert.deepEqual(
      [...words].map((w) => w >>> 0),
      [((0xc000 << 16) | 0x3f80) >>> 0, 0x4040, ((0x4080 << 16) | 0x3f00) >>> 0, 0x3fc0],
    );
    assert.deepEqual([...unpackHalves(words, 2, 3, 'bf16')], [1, -2, 3, 0.5, 4, 1.5]);
  });

  it('refuses the 16-bit matmul on a backend without the kernel', async () => {
    await useTestBackend();
    const w = await packKernel(tf.ones([4, 4]) as tf.Tensor2D, 'bf16');
    try {
      assert.throws(
        () => matMul16(tf.ones([2, 4]) as tf.Tensor2D, w),
        (e: unknown) => e instanceof LookrightError && e.code === 'WEIGHT_STORAGE_UNSUPPORTED',
      );
    } finally {
      w.dispose();
    }
  });
});

describe('16-bit weight matmul on webgpu (f32 accumulation)', function () {
  this.timeout(120_000);
  onWebgpuTestBackend();

  // 19 x 37 @ 37 x 21 crosses the 16-deep tiles; 70 x 40 @ 40 x 133 the 64 x 64 output blocks; odd widths leave a
  // padded half in each row of W
  const shapes = [
    [19, 37, 21],
    [70, 40, 133],
  ] as const;
  for (const format of ['bf16', 'f16'] as const)
    for (const [m, k, n] of shapes)
      it(`${format} ${m}x${k} @ ${k}x${n}: value and dx equal tf.matMul on the widened weights; value within the rounding bound of f32`, async () => {
        const xs = seeded(m * k, 1);
        const ws = seeded(k * n, 2);
        const x = tf.tensor2d(xs, [m, k]);
        const w32 = tf.tensor2d(ws, [k, n]);
        const packed = await packKernel(w32, format);
        const widened = tf.tensor2d(unpackHalves(await packed.words.data(), k, n, format), [k, n]);
        const dy = tf.tensor2d(seeded(m * n, 3), [m, n]);
        try {
          const y = await assertLinear16EqualsMatMul(x, packed, widened, dy);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let exact = 0;
              let magnitude = 0;
              for (let p = 0; p < k; p++) {
                exact += xs[i * k + p] * ws[p * n + j];
                magnitude += Math.abs(xs[i * k + p] * ws[p * n + j]);
              }
              // each weight moves by at most U|w|: |y16 - y| <= U * sum|x||w|, plus f32 summation (1e-6 * sum)
              const bound = (ROUNDOFF[format] + 1e-6) * magnitude;
              assert.ok(Math.abs(y[i * n + j] - exact) <= bound, `[${i},${j}] ${y[i * n + j]} vs ${exact}`);
            }
        } finally {
          tf.dispose([x, w32, widened, dy]);
          packed.dispose();
        }
      });

  it('adds a bias and gives a trainable bias its gradient; [B, S, in] inputs keep their leading axes', async () => {
    const packed = await packKernel(tf.tensor2d(seeded(8 * 6, 4), [8, 6]), 'bf16');
    const bias = tf.variable(tf.tensor1d(seeded(6, 5)));
    const x = tf.tensor3d(seeded(2 * 3 * 8, 6), [2, 3, 8]);
    try {
      const y = linear16(x, packed, bias);
      assert.deepEqual(y.shape, [2, 3, 6]);
      const { grads } = tf.variableGrads(() => tf.sum(linear16(x, packed, bias)) as tf.Scalar, [bias]);
      assert.deepEqual([...(await grads[bias.name].data())], [6, 6, 6, 6, 6, 6], 'sum over 2 x 3 rows');
      tf.dispose([y, grads[bias.name]]);
    } finally {
      tf.dispose([x, bias]);
      packed.dispose();
    }
  });
});
