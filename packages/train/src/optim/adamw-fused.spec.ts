import assert from 'node:assert/strict';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '@lookright/native/testing';
import { ADAMW_CASES, ADAMW_STEPS as STEPS, trainAdamW as train } from '../testing/adamw-cases.js';

for (const backend of nativeBackends) {
  describe(`the trainer's AdamW with native kernels on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const { name, config, clipNorm, poison } of ADAMW_CASES) {
      for (const matmul of [true, false]) {
        const path = matmul ? 'in place (BLAS matmul on)' : 'into fresh buffers (tfjs matmul)';
        it(`is bit-identical to its tfjs ops over ${STEPS} steps: ${name}, ${path}`, async () => {
          await useStockBackend(backend);
          const expected = await train(config, clipNorm, poison);
          assert.equal(expected.keptBuffer, false, 'the tfjs path assigns new buffers');
          await useNativeBackend(backend, matmul);
          const actual = await train(config, clipNorm, poison);
          assert.equal(actual.keptBuffer, backend === 'cpu' || matmul, 'the fused update did not run in place');
          actual.bits.forEach((a, i) => {
            const diff = a.findIndex((x, j) => x !== expected.bits[i][j]);
            assert.equal(diff, -1, `tensor ${i} differs at element ${diff}`);
          });
          if (poison) {
            const first = new Float32Array(actual.bits[0].buffer);
            assert.ok(first.slice(5, 8).every(Number.isNaN), 'NaN/Inf gradients did not make their weights NaN');
            assert.ok(Number.isFinite(first[0]), 'a finite gradient gave a non-finite weight');
          }
        });
      }
    }
  });
}
