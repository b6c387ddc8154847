import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { assertClose } from '../testing/compare.js';
import { compareOp, randomTensor as rand } from '../testing/compare-ops.js';
import {
  nativeEmbedding,
  nativeMaskedSoftmax,
  nativeMergeHeads,
  nativeRmsNorm,
  nativeRopeSplitHeads,
  nativeSwiglu,
} from './native-ops.js';

const B = 2;
const S = 5;
const H = 3;
const D = 8;

/** HF rotate_half RoPE tables: cos/sin [S, D/2] of position * theta^(-2i/D). */
function ropeTables(): { cos: tf.Tensor; sin: tf.Tensor } {
  const half = D / 2;
  const c = new Float32Array(S * half);
  const s = new Float32Array(S * half);
  for (let p = 0; p < S; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * 10000 ** ((-2 * i) / D);
      c[p * half + i] = Math.cos(angle);
      s[p * half + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor(c, [S, half]), sin: tf.tensor(s, [S, half]) };
}

function referenceRope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
  const heads = tf.transpose(tf.reshape(x, [B, S, H, D]), [0, 2, 1, 3]);
  const [lo, hi] = tf.split(heads, 2, 3);
  const c = tf.reshape(cos, [1, 1, S, D / 2]);
  const s = tf.reshape(sin, [1, 1, S, D / 2]);
  return tf.concat([tf.sub(tf.mul(lo, c), tf.mul(hi, s)), tf.add(tf.mul(hi, c), tf.mul(lo, s))], 3);
}

for (const backend of nativeBackends) {
  describe(`native fused ops vs tfjs on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    it('RMSNorm forward and gradients', () =>
      compareOp(
        backend,
        'rmsNorm',
        ([x, w]) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6))), w),
        ([x, w]) => nativeRmsNorm(x, w, 1e-6),
        () => [rand([B, S, 16], 1, 3), rand([16], 2)],
      ));

    it('SwiGLU on fused gate|up, forward and gradient', () =>
      compareOp(
        backend,
        'swiglu',
        ([gu]) => {
          const [g, u] = tf.split(gu, 2, -1);
          return tf.mul(tf.mul(g, tf.sigmoid(g)), u);
        },
        ([gu]) => nativeSwiglu(gu),
        () => [rand([B, S, 24], 3, 4)],
      ));

    it('RoPE with head split, forward and gradient', () => {
      const { cos, sin } = ropeTables();
      return compareOp(
        backend,
        'rope',
        ([x]) => referenceRope(x, cos, sin),
        ([x]) => nativeRopeSplitHeads(x, cos, sin, H),
        () => [rand([B, S, H * D], 4)],
      ).finally(() => tf.dispose([cos, sin]));
    });

    it('head merge, forward and gradient', () =>
      compareOp(
        backend,
        'merge',
        ([x]) => tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B, S, H * D]),
        ([x]) => nativeMergeHeads(x),
        () => [rand([B, H, S, D], 5)],
      ));

    it('masked softmax with an additive [B,1,S,S] mask, forward and gradient', () => {
      const maskValues = new Float32Array(B * S * S);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < S; i++)
          for (let j = 0; j < S; j++) maskValues[(b * S + i) * S + j] = j > i || (b === 1 && j === S - 1) ? -1e9 : 0;
      const mask = tf.tensor(maskValues, [B, 1, S, S]);
      const scale = 1 / Math.sqrt(D);
      return compareOp(
        backend,
        'maskedSoftmax',
        ([s]) => tf.softmax(tf.add(tf.mul(s, scale), mask)),
        ([s]) => nativeMaskedSoftmax(s, mask, scale),
        () => [rand([B, H, S, S], 6, 3)],
      ).finally(() => mask.dispose());
    });

    it('embedding gather and scatter-add gradient (repeated ids)', () => {
      const ids = tf.tensor([3, 0, 3, 7, 1, 3], [2, 3], 'int32');
      return compareOp(
        backend,
        'embedding',
        // Reference gradient without UnsortedSegmentSum (wasm lacks it): one-hot rows times the table.
        ([table]) => tf.reshape(tf.matMul(tf.oneHot(tf.reshape(ids, [-1]), 8), table), [2, 3, 4]),
        ([table]) => nativeEmbedding(table, ids),
        () => [rand([8, 4], 7)],
      ).finally(() => ids.dispose());
    });

    it('embedding rejects an id outside the vocabulary, naming it', async () => {
      await useNativeBackend(backend);
      const table = rand([8, 4], 7);
      const ids = tf.tensor([1, 8], [2], 'int32');
      assert.throws(() => nativeEmbedding(table, ids), /token id 8 at position 1 is outside the vocabulary \[0, 8\)/);
      tf.dispose([table, ids]);
    });

    it('NaN and Inf propagate through RMSNorm and masked softmax instead of being clamped', async () => {
      await useNativeBackend(backend);
      const [norm, soft] = tf.tidy(() => {
        const x = tf.tensor([
          [1, Number.NaN, 2],
          [1, 2, 3],
        ]);
        const n = nativeRmsNorm(x, tf.ones([3]), 1e-6).dataSync() as Float32Array;
        const scores = tf.tensor([Number.NaN, 0, 1, Number.POSITIVE_INFINITY, 0, 1, 0, 1, 2], [1, 1, 3, 3]);
        const s = nativeMaskedSoftmax(scores, tf.zeros([3, 3]), 1).dataSync() as Float32Array;
        return [n, s];
      });
      assert.ok(
        [0, 1, 2].every((i) => Number.isNaN(norm[i])),
        `row with NaN becomes NaN: ${norm}`,
      );
      assert.ok(
        [3, 4, 5].every((i) => Number.isFinite(norm[i])),
        'other rows stay finite',
      );
      assert.ok(
        [0, 1, 2].every((i) => Number.isNaN(soft[i])),
        `NaN score row: ${soft.slice(0, 3)}`,
      );
      assert.ok(
        [3, 4, 5].every((i) => Number.isNaN(soft[i])),
        `+Inf score row is not clamped: ${soft.slice(3, 6)}`,
      );
      assertClose(
        soft.slice(6),
        tf.tidy(() => tf.softmax(tf.tensor([0, 1, 2])).dataSync() as Float32Array),
        'finite row',
      );
    });
  });
}
