import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { attention } from '../ops/attention.js';
import { batchedMatMul } from '../ops/batched-matmul.js';
import { embedding } from '../ops/embedding.js';
import { linear } from '../ops/linear.js';
import { linearTransposed } from '../ops/linear-transposed.js';
import { maskedSoftmax } from '../ops/masked-softmax.js';
import { rmsNorm } from '../ops/rms-norm.js';
import { applyRope } from '../ops/rope.js';
import { ropeTables } from '../ops/rope-tables.js';
import { swiglu } from '../ops/swiglu.js';
import { compareWithAutodiff as compare } from './compare-gradients.js';

let seed = 1;
const rand = (shape: number[], scale = 1) => tf.randomNormal(shape, 0, scale, 'float32', seed++);
const variable = (t: tf.Tensor, name: string) => tf.variable(t, true, `${name}${seed++}`);

/**
 * Registers the mocha tests that compare every custom gradient in ops/ with tf autodiff of the plain op, on the
 * current backend (the caller's `before` selects it): ops-gradients.spec.ts runs them on wasm, the webgpu specs on
 * the GPU adapter.
 */
export function defineOpGradientTests(): void {
  it('linear (trainable kernel and bias)', async () => {
    const x = variable(rand([2, 3, 5]), 'x');
    const k = variable(rand([5, 4]), 'k');
    const b = variable(rand([4]), 'b');
    await compare(
      [x, k, b],
      () => linear(x, k as tf.Variable<tf.Rank.R2>, b as tf.Variable<tf.Rank.R1>),
      () => tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), k), [2, 3, 4]), b),
    );
  });

  it('linear at a size whose transposes take the wasm rank-3 route (128 x 512 rows, 320 x 512 kernel)', async () => {
    const x = variable(rand([2, 64, 512]), 'x');
    const k = variable(rand([512, 320], 0.05), 'k');
    const b = variable(rand([320]), 'b');
    await compare(
      [x, k, b],
      () => linear(x, k as tf.Variable<tf.Rank.R2>, b as tf.Variable<tf.Rank.R1>),
      () => tf.add(tf.reshape(tf.matMul(tf.reshape(x, [128, 512]), k), [2, 64, 320]), b),
      1e-4,
    );
  });

  it('linear with a frozen kernel gives the input gradient only', async () => {
    const x = variable(rand([4, 6]), 'x');
    const k = rand([6, 3]) as tf.Tensor2D;
    await compare(
      [x],
      () => linear(x, k),
      () => tf.matMul(x, k),
    );
    let calls = 0;
    tf.tidy(() => {
      const frozen = tf.variable(rand([6, 3]), false) as tf.Variable<tf.Rank.R2>;
      const xv = tf.variable(rand([4, 6]), true, `xv${seed++}`);
      const { grads } = tf.variableGrads(() => {
        calls++;
        return tf.sum(linear(xv, frozen)) as tf.Scalar;
      });
      assert.deepEqual(Object.keys(grads), [xv.name]);
      tf.dispose([frozen, xv]);
    });
    assert.equal(calls, 1);
    k.dispose();
  });

  it('linear with an [out, in] weight (tied LM head)', async () => {
    const x = variable(rand([2, 3, 5]), 'x');
    const w = variable(rand([7, 5]), 'w');
    await compare(
      [x, w],
      () => linearTransposed(x, w as tf.Variable<tf.Rank.R2>),
      () => tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), w, false, true), [2, 3, 7]),
    );
  });

  it('batched matMul', async () => {
    const a = variable(rand([2, 3, 4, 5]), 'a');
    const b = variable(rand([2, 3, 5, 6]), 'b');
    await compare(
      [a, b],
      () => batchedMatMul(a, b),
      () => tf.matMul(a, b),
    );
  });

  it('RMSNorm (trainable weight)', async () => {
    const x = variable(rand([2, 3, 8], 2), 'x');
    const w = variable(rand([8]), 'w');
    const eps = 1e-5;
    await compare(
      [x, w],
      () => rmsNorm(x, w as tf.Variable<tf.Rank.R1>, eps),
      () => tf.mul(tf.div(x, tf.sqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w),
    );
  });

  it('SwiGLU', async () => {
    const g = variable(rand([3, 7], 2), 'g');
    const u = variable(rand([3, 7]), 'u');
    await compare(
      [g, u],
      () => swiglu(g, u),
      () => tf.mul(tf.mul(g, tf.sigmoid(g)), u),
    );
  });

  it('RoPE', async () => {
    const [b, s, h, d] = [2, 5, 3, 8];
    const x = variable(rand([b, s, h, d]), 'x');
    const { cos, sinSigned } = ropeTables({ headDim: d, theta: 10000 }, s);
    const c = tf.tensor3d(cos, [s, 1, d]);
    const sn = tf.tensor3d(sinSigned, [s, 1, d]);
    const [negSin, sinHalf] = tf.split(sn, 2, -1);
    const sin = tf.concat([tf.neg(negSin), sinHalf], -1); // transformers' sin table: [sin, sin]
    await compare(
      [x],
      () => applyRope(x, c, sn),
      () => {
        const [x1, x2] = tf.split(x, 2, -1);
        return tf.add(tf.mul(x, c), tf.mul(tf.concat([tf.neg(x2), x1], -1), sin));
      },
    );
    tf.dispose([c, sn, sin, negSin, sinHalf]);
  });

  it('masked softmax', async () => {
    const s = variable(rand([2, 2, 4, 4], 3), 's');
    const bias = tf.tensor4d([0, 0, -3.4e38, 0, 0, 0, 0, -3.4e38], [2, 1, 1, 4]);
    await compare(
      [s],
      () => maskedSoftmax(s, bias, 0.5),
      () => tf.softmax(tf.add(tf.mul(s, 0.5), bias)),
    );
    bias.dispose();
  });

  it('grouped-query attention (4 query heads on 2 K/V heads)', async () => {
    const [b, s, h, kvh, d] = [2, 5, 4, 2, 3];
    const q = variable(rand([b, s, h, d]), 'q');
    const k = variable(rand([b, s, kvh, d]), 'k');
    const v = variable(rand([b, s, kvh, d]), 'v');
    const bias = tf.tensor4d(
      Array.from({ length: b * s * s }, (_, n) => (n % s > Math.floor(n / s) % s ? -3.4e38 : 0)),
      [b, 1, s, s],
    );
    await compare(
      [q, k, v],
      () => attention(q, k, v, bias, { numHeads: h, numKvHeads: kvh, headDim: d }),
      () => {
        // reference: every query head slices its own K/V head, stock matMul with transposeB
        const heads = [];
        for (let head = 0; head < h; head++) {
          const kv = Math.floor(head / (h / kvh));
          const qh = tf.squeeze(tf.slice(q, [0, 0, head, 0], [b, s, 1, d]), [2]);
          const kh = tf.squeeze(tf.slice(k, [0, 0, kv, 0], [b, s, 1, d]), [2]);
          const vh = tf.squeeze(tf.slice(v, [0, 0, kv, 0], [b, s, 1, d]), [2]);
          const scores = tf.add(tf.div(tf.matMul(qh, kh, false, true), Math.sqrt(d)), tf.squeeze(bias, [1]));
          heads.push(tf.matMul(tf.softmax(scores), vh));
        }
        return tf.concat(heads, -1);
      },
    );
    bias.dispose();
  });

  it('embedding (trainable table, repeated ids)', async () => {
    const table = variable(rand([7, 4]), 't');
    const ids = tf.tensor2d([0, 3, 3, 6, 0, 0], [2, 3], 'int32');
    await compare(
      [table],
      () => embedding(table as tf.Variable<tf.Rank.R2>, ids),
      () => tf.reshape(tf.matMul(tf.oneHot(tf.reshape(ids, [-1]), 7), table), [2, 3, 4]),
    );
    ids.dispose();
  });
}
