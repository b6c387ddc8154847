import assert from 'node:assert/strict';
import { fused, matMul, memory, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { resetWasmPackedWeightFallbacks, wasmPackedWeightFallbacks } from '../kernel-registry.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { assertClose, randomFloats } from '../testing/compare.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { name: '2-D', a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
  { name: '2-D transposeA', a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
  { name: '2-D transposeB', a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
  { name: '2-D both transposed', a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
  { name: 'batched', a: [2, 3, 6, 4], b: [2, 3, 4, 5], transposeA: false, transposeB: false },
  {
    name: 'batched transposeB (attention scores)',
    a: [2, 3, 6, 4],
    b: [2, 3, 6, 4],
    transposeA: false,
    transposeB: true,
  },
  { name: 'batched transposeA', a: [3, 4, 6], b: [3, 4, 5], transposeA: true, transposeB: false },
  { name: 'activations x shared weight', a: [2, 6, 4], b: [4, 5], transposeA: false, transposeB: false },
  { name: 'shared left operand', a: [6, 4], b: [3, 4, 5], transposeA: false, transposeB: false },
  { name: 'partial broadcasting (falls back)', a: [2, 1, 3, 4], b: [1, 3, 4, 5], transposeA: false, transposeB: false },
];

function operands(c: Case): [Tensor, Tensor] {
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return [tensor(randomFloats(size(c.a), 1), c.a), tensor(randomFloats(size(c.b), 2), c.b)];
}

for (const backendName of nativeBackends) {
  describe(`native BatchMatMul on ${backendName}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backendName));

    for (const c of cases) {
      it(`matches tfjs: ${c.name}`, async () => {
        await useStockBackend(backendName);
        const expected = tidy(() => {
          const [a, b] = operands(c);
          return matMul(a, b, c.transposeA, c.transposeB);
        });
        await useNativeBackend(backendName);
        const actual = tidy(() => {
          const [a, b] = operands(c);
          return matMul(a, b, c.transposeA, c.transposeB);
        });
        assert.deepEqual(actual.shape, expected.shape);
        assertClose(actual, expected, c.name);
        actual.dispose();
        expected.dispose();
      });
    }

    it('leaves no tensors behind', async () => {
      await useNativeBackend(backendName);
      const before = memory().numTensors;
      tidy(() => {
        const [a, b] = operands(cases[4]);
        matMul(a, b).dataSync();
      });
      assert.equal(memory().numTensors, before);
    });

    it('propagates NaN and Inf', async () => {
      await useNativeBackend(backendName);
      const out = tidy(() =>
        matMul(
          tensor([
            [Number.NaN, 1],
            [1, 1],
          ]),
          tensor([
            [1, 0],
            [0, Number.POSITIVE_INFINITY],
          ]),
        ),
      );
      const v = out.dataSync();
      out.dispose();
      assert.ok(Number.isNaN(v[0]), `NaN row stays NaN, got ${v[0]}`);
      assert.equal(v[3], Number.POSITIVE_INFINITY);
    });
  });
}

describe('native matmul fallback accounting', () => {
  beforeEach(function () {
    requireAddon(this);
  });

  it('counts wasm fallbacks to the weight-caching kernels (the fused AdamW then stops updating in place)', async () => {
    await useNativeBackend('wasm');
    resetWasmPackedWeightFallbacks();
    tidy(() => matMul(tensor(randomFloats(12, 1), [2, 1, 2, 3]), tensor(randomFloats(12, 2), [1, 2, 3, 2])).dataSync());
    assert.equal(wasmPackedWeightFallbacks(), 1);
    tidy(() => matMul(tensor(randomFloats(6, 1), [2, 3]), tensor(randomFloats(6, 2), [3, 2])).dataSync());
    assert.equal(wasmPackedWeightFallbacks(), 1, 'a handled matmul is not a fallback');
    const a = tensor(randomFloats(6, 1), [2, 3]);
    const b = tensor(randomFloats(6, 2), [3, 2]);
    const relu = tidy(() => fused.matMul({ a, b, activation: 'relu' }).dataSync());
    assert.equal(wasmPackedWeightFallbacks(), 2, 'a fused matmul with relu goes to wasm and is counted');
    const linear = tidy(() => fused.matMul({ a, b }).dataSync());
    assert.equal(wasmPackedWeightFallbacks(), 2);
    assert.deepEqual(
      Array.from(relu),
      Array.from(linear).map((v) => Math.max(v, 0)),
    );
    a.dispose();
    b.dispose();
    resetWasmPackedWeightFallbacks();
    await useStockBackend('wasm');
  });
});
