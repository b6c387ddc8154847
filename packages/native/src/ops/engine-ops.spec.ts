import * as tf from '@tensorflow/tfjs-core';
import { nativeBackends, requireAddon, useStockBackend } from '../testing/backends.js';
import { compareOp, randomTensor as rand } from '../testing/compare-ops.js';
import { nativeAttention, nativeLinear } from './engine-ops.js';
import { nativeApplyRope, nativeMaskedSoftmax, nativeSwigluPair } from './native-ops.js';

const B = 2;
const S = 5;
const D = 8;

/** transformers-style full tables: cos [S,1,D] = [c, c], sinSigned [S,1,D] = [-s, s]. */
function fullTables(): { cos: tf.Tensor; sinSigned: tf.Tensor } {
  const cos = new Float32Array(S * D);
  const sin = new Float32Array(S * D);
  for (let p = 0; p < S; p++) {
    for (let i = 0; i < D / 2; i++) {
      const a = p * 500 ** ((-2 * i) / D);
      cos[p * D + i] = cos[p * D + i + D / 2] = Math.cos(a);
      sin[p * D + i] = -Math.sin(a);
      sin[p * D + i + D / 2] = Math.sin(a);
    }
  }
  return { cos: tf.tensor(cos, [S, 1, D]), sinSigned: tf.tensor(sin, [S, 1, D]) };
}

/** Reference GQA attention: K/V heads repeated by gather, plain softmax. */
function referenceAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor, heads: number, kvHeads: number) {
  // Repeat each K/V head for its group by slicing and concatenating (gather's gradient needs
  // UnsortedSegmentSum, which wasm lacks).
  const repeat = (t: tf.Tensor) => {
    const perHead = tf.split(tf.transpose(t, [0, 2, 1, 3]), kvHeads, 1);
    return tf.concat(
      Array.from({ length: heads }, (_, h) => perHead[Math.floor(h / (heads / kvHeads))]),
      1,
    );
  };
  const qh = tf.transpose(q, [0, 2, 1, 3]);
  const kh = repeat(k);
  const vh = repeat(v);
  const scores = tf.add(tf.mul(tf.matMul(qh, tf.transpose(kh, [0, 1, 3, 2])), 1 / Math.sqrt(D)), bias);
  const out = tf.matMul(tf.softmax(scores), vh);
  return tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B, S, heads * D]);
}

for (const backend of nativeBackends) {
  describe(`native ops in the engine's signatures vs tfjs on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    it('linear with bias (fused matmul kernel), all gradients', async () => {
      await useStockBackend(backend);
      const w = tf.variable(rand([6, 4], 2));
      const b = tf.variable(rand([4], 3));
      return compareOp(
        backend,
        'linear',
        ([x, wi, bi]) => tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, 6]), wi), bi), [B, S, 4]),
        ([x, wi, bi]) => nativeLinear(x, wi as tf.Tensor2D, bi as tf.Tensor1D),
        () => [rand([B, S, 6], 1), w, b],
      ).finally(() => tf.dispose([w, b]));
    });

    it('swiglu on separate gate and up', () =>
      compareOp(
        backend,
        'swigluPair',
        ([g, u]) => tf.mul(tf.mul(g, tf.sigmoid(g)), u),
        ([g, u]) => nativeSwigluPair(g, u),
        () => [rand([B, S, 7], 4, 4), rand([B, S, 7], 5)],
      ));

    it("RoPE in [B,S,H,D] with the engine's full cos / signed-sin tables", () => {
      const { cos, sinSigned } = fullTables();
      const swapHalves = (x: tf.Tensor) => {
        const [lo, hi] = tf.split(x, 2, 3); // (reversing split's array in place would corrupt tfjs's tape)
        return tf.concat([hi, lo], 3);
      };
      return compareOp(
        backend,
        'applyRope',
        ([x]) => tf.add(tf.mul(x, cos), tf.mul(swapHalves(x), sinSigned)),
        ([x]) => nativeApplyRope(x, cos, sinSigned),
        () => [rand([B, S, 3, D], 6)],
      ).finally(() => tf.dispose([cos, sinSigned]));
    });

    it('masked softmax with a padding mask broadcast over rows [B,1,1,S]', () => {
      const pad = new Float32Array(B * S);
      pad[S + S - 1] = -3.4e38;
      const mask = tf.tensor(pad, [B, 1, 1, S]);
      return compareOp(
        backend,
        'rowMask',
        ([s]) => tf.softmax(tf.add(tf.mul(s, 0.5), mask)),
        ([s]) => nativeMaskedSoftmax(s, mask, 0.5),
        () => [rand([B, 2, S, S], 7, 3)],
      ).finally(() => mask.dispose());
    });

    it('grouped-query attention (4 heads, 2 kv heads) with a causal bias', () => {
      const causal = new Float32Array(S * S).map((_, i) => (i % S > Math.floor(i / S) ? -1e9 : 0));
      const bias = tf.tensor(causal, [1, 1, S, S]);
      return compareOp(
        backend,
        'attention',
        ([q, k, v]) => referenceAttention(q, k, v, bias, 4, 2),
        ([q, k, v]) => nativeAttention(q, k, v, bias, { numHeads: 4, numKvHeads: 2, headDim: D }),
        () => [rand([B, S, 4, D], 8), rand([B, S, 2, D], 9), rand([B, S, 2, D], 10)],
      ).finally(() => bias.dispose());
    });
  });
}
