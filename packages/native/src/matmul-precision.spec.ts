import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { fused, grad, matMul, sum, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { matmulPrecision, setMatmulPrecision } from './matmul-precision.js';
import { nativeBackends, requireAddon, requireAmxBf16, useNativeBackend, useStockBackend } from './testing/backends.js';
import { randomFloats } from './testing/compare.js';

const bits = (t: Tensor) => Buffer.from((t.dataSync() as Float32Array).buffer);

for (const backendName of nativeBackends) {
  describe(`matmul precision bf16 on ${backendName}`, () => {
    after(() => useStockBackend(backendName));

    it('routes tf.matMul, fused.matMul and their gradients through gemmBf16, and restores float32', async function () {
      const addon = requireAmxBf16(this);
      await useNativeBackend(backendName);
      const [m, k, n] = [37, 70, 45];
      const a = randomFloats(m * k, 1);
      const b = randomFloats(k * n, 2);
      const bias = randomFloats(n, 3);
      const direct = (
        x: Float32Array,
        y: Float32Array,
        mm: number,
        nn: number,
        kk: number,
        ta: boolean,
        tb: boolean,
      ) => {
        const c = new Float32Array(mm * nn);
        addon.gemmBf16(x, y, c, 1, 1, mm, nn, kk, ta, tb);
        return Buffer.from(c.buffer);
      };
      const f32 = tidy(() => matMul(tensor(a, [m, k]), tensor(b, [k, n])));
      const restore = setMatmulPrecision('bf16');
      try {
        assert.equal(matmulPrecision(), 'bf16');
        const product = tidy(() => matMul(tensor(a, [m, k]), tensor(b, [k, n])));
        assert.ok(bits(product).equals(direct(a, b, m, n, k, false, false)), 'matMul is gemmBf16');
        assert.ok(!bits(product).equals(bits(f32)), 'and not the float32 product');
        const withBias = tidy(() => fused.matMul({ a: tensor(a, [m, k]), b: tensor(b, [k, n]), bias: tensor(bias) }));
        const c = new Float32Array(m * n);
        addon.gemmBf16(a, b, c, 1, 1, m, n, k, false, false, bias);
        assert.ok(bits(withBias).equals(Buffer.from(c.buffer)), 'fused.matMul with a bias is gemmBf16 with it');
        // d/dA sum(A B) = ones · Bᵀ and d/dB = Aᵀ · ones: both products run in bf16 too
        const ones = new Float32Array(m * n).fill(1);
        const dA = tidy(() => grad((x: Tensor) => sum(matMul(x, tensor(b, [k, n]))))(tensor(a, [m, k])));
        assert.ok(bits(dA).equals(direct(ones, b, m, k, n, false, true)), 'dA = dY · Bᵀ in bf16');
        const dB = tidy(() => grad((y: Tensor) => sum(matMul(tensor(a, [m, k]), y)))(tensor(b, [k, n])));
        assert.ok(bits(dB).equals(direct(a, ones, k, n, m, true, false)), 'dB = Aᵀ · dY in bf16');
        for (const t of [product, withBias, dA, dB]) t.dispose();
      } finally {
        restore();
      }
      assert.equal(matmulPrecision(), 'f32');
      const after = tidy(() => matMul(tensor(a, [m, k]), tensor(b, [k, n])));
      assert.ok(bits(after).equals(bits(f32)), 'float32 again after restore');
      after.dispose();
      f32.dispose();
    });
  });
}

describe('setMatmulPrecision', () => {
  after(() => useStockBackend('wasm'));

  it('refuses bf16 while the native kernels are off (NATIVE_NOT_ENABLED), and stays f32', async () => {
    await useStockBackend('wasm');
    assert.throws(
      () => setMatmulPrecision('bf16'),
      (err: unknown) => err instanceof LookrightError && err.code === 'NATIVE_NOT_ENABLED' && /bf16/.test(err.message),
    );
    assert.equal(matmulPrecision(), 'f32');
  });

  it('refuses bf16 with the native kernels on but without the matmul kernels', async function () {
    requireAddon(this);
    await useNativeBackend('wasm', false);
    assert.throws(
      () => setMatmulPrecision('bf16'),
      (err: unknown) => (err as LookrightError).code === 'NATIVE_NOT_ENABLED',
    );
    assert.equal(matmulPrecision(), 'f32');
  });
});
