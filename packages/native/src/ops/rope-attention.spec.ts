import assert from 'node:assert/strict';
import { ropeAttention, ropeTables } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { compareOp, randomTensor as rand } from '../testing/compare-ops.js';
import { nativeAttention, nativeRopeAttention } from './engine-ops.js';
import { nativeApplyRope } from './native-ops.js';

/** One case: batch, sequence, heads, kv heads, head size. */
const cases = [
  { b: 2, s: 5, heads: 4, kvHeads: 2, d: 8 },
  { b: 1, s: 7, heads: 3, kvHeads: 3, d: 4 },
  { b: 3, s: 16, heads: 2, kvHeads: 1, d: 16 },
];

/** The engine's [S,1,D] cos and sinSigned tables. */
function tables(s: number, d: number): { cos: tf.Tensor; sinSigned: tf.Tensor } {
  const t = ropeTables({ headDim: d, theta: 10000 }, s);
  return { cos: tf.tensor3d(t.cos, [s, 1, d]), sinSigned: tf.tensor3d(t.sinSigned, [s, 1, d]) };
}

/** A causal additive bias [1,1,S,S]. */
const causal = (s: number) =>
  tf.tensor(
    new Float32Array(s * s).map((_, i) => (i % s > Math.floor(i / s) ? -1e9 : 0)),
    [1, 1, s, s],
  );

/** Value and gradients of sum(op(q, k, v) * probe) w.r.t. q, k and v, read back. */
function valueAndGrads(op: (xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const probe = rand(op(xs).shape, 99);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs);
    return [op(xs), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of nativeBackends) {
  describe(`native ropeAttention (RoPE while splitting heads) on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const { b, s, heads, kvHeads, d } of cases) {
      const shape = { numHeads: heads, numKvHeads: kvHeads, headDim: d };
      const inputs = () => [rand([b, s, heads, d], 1), rand([b, s, kvHeads, d], 2), rand([b, s, kvHeads, d], 3)];
      const what = `B${b} S${s} ${heads}/${kvHeads} heads D${d}`;

      it(`${what}: value and q/k/v gradients match the engine's tfjs ops`, async () => {
        await useStockBackend(backend);
        const { cos, sinSigned } = tables(s, d);
        const bias = causal(s);
        await compareOp(
          backend,
          'ropeAttention',
          ([q, k, v]) => ropeAttention(q, k, v, cos, sinSigned, bias, shape),
          ([q, k, v]) => nativeRopeAttention(q, k, v, cos, sinSigned, bias, shape),
          inputs,
        ).finally(() => tf.dispose([cos, sinSigned, bias]));
      });

      it(`${what}: bit-identical to nativeApplyRope then nativeAttention`, async () => {
        await useNativeBackend(backend);
        const { cos, sinSigned } = tables(s, d);
        const bias = causal(s);
        const xs = inputs();
        const fused = valueAndGrads(([q, k, v]) => nativeRopeAttention(q, k, v, cos, sinSigned, bias, shape), xs);
        const apart = valueAndGrads(
          ([q, k, v]) =>
            nativeAttention(nativeApplyRope(q, cos, sinSigned), nativeApplyRope(k, cos, sinSigned), v, bias, shape),
          xs,
        );
        for (const [i, a] of apart.entries()) assert.deepEqual(fused[i], a, i === 0 ? 'value' : `gradient ${i}`);
        tf.dispose([cos, sinSigned, bias, ...xs]);
      });
    }

    it('a NaN or Inf in q reaches the output rows that attend to it', async () => {
      await useNativeBackend(backend);
      const { cos, sinSigned } = tables(4, 4);
      const bias = causal(4);
      const q = rand([1, 4, 2, 4], 1).dataSync() as Float32Array;
      q[8] = Number.NaN; // position 1, head 0
      q[16 + 4] = Number.POSITIVE_INFINITY; // position 2, head 1
      const qt = tf.tensor(q, [1, 4, 2, 4]);
      const k = rand([1, 4, 2, 4], 2);
      const v = rand([1, 4, 2, 4], 3);
      const out = nativeRopeAttention(qt, k, v, cos, sinSigned, bias, { numHeads: 2, numKvHeads: 2, headDim: 4 });
      const y = out.dataSync();
      const row = (pos: number, head: number) => Array.from(y.slice(pos * 8 + head * 4, pos * 8 + head * 4 + 4));
      assert.ok(row(1, 0).every(Number.isNaN), `NaN row: ${row(1, 0)}`);
      assert.ok(row(2, 1).every(Number.isNaN), `Inf row becomes NaN through softmax: ${row(2, 1)}`);
      assert.ok(row(0, 0).every(Number.isFinite), 'other rows stay finite');
      tf.dispose([cos, sinSigned, bias, qt, k, v, out]);
    });
  });
}
