import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { setMatmulPrecision } from '../matmul-precision.js';
import { loadAddon, type NativeAddon } from '../native-addon.js';
import {
  nativeBackends,
  requireAddon,
  requireAmxBf16,
  useNativeBackend,
  useStockBackend,
} from '../testing/backends.js';
import { randomTensor as rand } from '../testing/compare-ops.js';
import { type AttentionShape, nativeAttention, nativeRopeAttention, separateKernelsAttention } from './engine-ops.js';

/** Batch, sequence, heads, kv heads, head size; the last ones span more than one 64-column block and one K chunk. */
const cases = [
  { b: 2, s: 5, heads: 4, kvHeads: 2, d: 8 },
  { b: 1, s: 7, heads: 3, kvHeads: 3, d: 4 },
  { b: 3, s: 16, heads: 2, kvHeads: 1, d: 16 },
  { b: 2, s: 64, heads: 4, kvHeads: 4, d: 64 },
  { b: 1, s: 9, heads: 2, kvHeads: 2, d: 80 },
  { b: 1, s: 100, heads: 6, kvHeads: 2, d: 16 },
];

/** The engine's [S,1,D] cos and sinSigned tables (sinSigned = [-sin, sin] per position). */
function tables(s: number, d: number): { cos: tf.Tensor; sin: tf.Tensor } {
  const cos = new Float32Array(s * d);
  const sin = new Float32Array(s * d);
  for (let p = 0; p < s; p++) {
    for (let i = 0; i < d / 2; i++) {
      const angle = p * 10000 ** ((-2 * i) / d);
      cos[p * d + i] = cos[p * d + d / 2 + i] = Math.cos(angle);
      sin[p * d + i] = -Math.sin(angle);
      sin[p * d + d / 2 + i] = Math.sin(angle);
    }
  }
  return { cos: tf.tensor(cos, [s, 1, d]), sin: tf.tensor(sin, [s, 1, d]) };
}

/** Additive masks of every broadcast form the kernel reads: causal [1,1,S,S], padding [B,1,1,S], per head, [S,S]. */
function masks(b: number, s: number, heads: number): Record<string, tf.Tensor> {
  const causal = new Float32Array(s * s).map((_, i) => (i % s > Math.floor(i / s) ? -1e9 : 0));
  const padding = new Float32Array(b * s).map((_, i) => (i % s >= s - 1 - (Math.floor(i / s) % 3) ? -1e9 : 0));
  return {
    causal: tf.tensor(causal, [1, 1, s, s]),
    padding: tf.tensor(padding, [b, 1, 1, s]),
    'per head': rand([b, heads, s, s], 5, 2),
    'rank 2': tf.tensor(causal, [s, s]),
  };
}

/** Value and q/k/v gradients of sum(op(q, k, v) * probe) as raw bits, and the kernels that ran. */
function run(op: (xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): { bits: Uint32Array[]; kernels: string[] } {
  const kernels: string[] = [];
  const outputs = tf.tidy(() => {
    const probe = rand(op(xs).shape, 99);
    const value = op(xs);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs);
    return [value, ...grads];
  });
  const bits = outputs.map((t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
  tf.dispose(outputs);
  return { bits, kernels };
}

/** Names of the kernels `fn` dispatches (forward and backward). */
async function kernelsOf(fn: () => tf.Tensor[]): Promise<string[]> {
  const info = await tf.profile(() => {
    tf.dispose(fn());
  });
  return info.kernelNames;
}

function assertSameBits(actual: Uint32Array[], expected: Uint32Array[], what: string): void {
  const names = ['value', 'dq', 'dk', 'dv'];
  assert.equal(actual.length, expected.length);
  for (const [i, e] of expected.entries()) {
    const first = e.findIndex((bits, j) => bits !== actual[i][j]);
    assert.equal(first, -1, `${what}: ${names[i]} differs first at element ${first}`);
  }
}

for (const backend of nativeBackends) {
  describe(`native fused attention (LookrightAttention) on ${backend}`, () => {
    beforeEach(async function () {
      requireAddon(this);
      await useNativeBackend(backend);
    });
    after(() => useStockBackend(backend));

    for (const { b, s, heads, kvHeads, d } of cases) {
      const shape: AttentionShape = { numHeads: heads, numKvHeads: kvHeads, headDim: d };
      const what = `B${b} S${s} ${heads}/${kvHeads} heads D${d}`;
      it(`${what}: value and gradients bit-identical to the separate kernels, with and without RoPE, every mask form`, () => {
        const xs = [rand([b, s, heads, d], 1), rand([b, s, kvHeads, d], 2), rand([b, s, kvHeads, d], 3)];
        const { cos, sin } = tables(s, d);
        const rope = { cos, sin, sinOffset: d / 2 };
        const all = masks(b, s, heads);
        try {
          for (const [name, mask] of Object.entries(all)) {
            const plain = run(([q, k, v]) => nativeAttention(q, k, v, mask, shape), xs);
            const plainRef = run(([q, k, v]) => separateKernelsAttention(q, k, v, mask, shape), xs);
            assertSameBits(plain.bits, plainRef.bits, `${name} mask`);
            const rotated = run(([q, k, v]) => nativeRopeAttention(q, k, v, cos, sin, mask, shape), xs);
            const rotatedRef = run(([q, k, v]) => separateKernelsAttention(q, k, v, mask, shape, rope), xs);
            assertSameBits(rotated.bits, rotatedRef.bits, `${name} mask with RoPE`);
          }
        } finally {
          tf.dispose([...xs, cos, sin, ...Object.values(all)]);
        }
      });
    }

    it('runs as one kernel each way where its products sum as this BLAS does, and NaN / Inf in q, k or v reach what the separate kernels give', async () => {
      const shape = { numHeads: 4, numKvHeads: 2, headDim: 8 };
      const xs = [rand([2, 6, 4, 8], 1), rand([2, 6, 2, 8], 2), rand([2, 6, 2, 8], 3)];
      const { cos, sin } = tables(6, 8);
      const mask = masks(2, 6, 4).causal;
      const op = ([q, k, v]: tf.Tensor[]) => nativeRopeAttention(q, k, v, cos, sin, mask, shape);
      try {
        const kernels = await kernelsOf(() => {
          const probe = rand([2, 6, 32], 9);
          return tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs);
        });
        const exact = loadAddon().ok && (loadAddon() as { addon: NativeAddon }).addon.attentionExact();
        assert.equal(
          kernels.includes('LookrightAttention') && kernels.includes('LookrightAttentionGrad'),
          exact,
          `${kernels}`,
        );
        assert.equal(
          !kernels.includes('LookrightMaskedSoftmax') && !kernels.includes('BatchMatMul'),
          exact,
          `${kernels}`,
        );
        for (const [which, value] of [
          [0, Number.NaN],
          [1, Number.POSITIVE_INFINITY],
          [2, Number.NEGATIVE_INFINITY],
        ] as const) {
          const poisoned = xs.map((x, i) => {
            if (i !== which) return x.clone();
            const data = (x.dataSync() as Float32Array).slice();
            data[8 * 3 + 5] = value;
            return tf.tensor(data, x.shape);
          });
          const fused = run(op, poisoned);
          const ref = run(
            ([q, k, v]) => separateKernelsAttention(q, k, v, mask, shape, { cos, sin, sinOffset: 4 }),
            poisoned,
          );
          assertSameBits(fused.bits, ref.bits, `${value} in input ${which}`);
          const value0 = new Float32Array(fused.bits[0].buffer);
          assert.ok(
            value0.some((x) => !Number.isFinite(x)),
            `${value} in input ${which} reached no output`,
          );
          tf.dispose(poisoned);
        }
      } finally {
        tf.dispose([...xs, cos, sin, mask]);
      }
    });

    it('under bf16 matmuls the separate kernels run (their products round to bfloat16)', async function () {
      requireAmxBf16(this);
      const restore = setMatmulPrecision('bf16');
      const xs = [rand([1, 4, 2, 8], 1), rand([1, 4, 2, 8], 2), rand([1, 4, 2, 8], 3)];
      const mask = masks(1, 4, 2).causal;
      try {
        const kernels = await kernelsOf(() => [
          nativeAttention(xs[0], xs[1], xs[2], mask, { numHeads: 2, numKvHeads: 2, headDim: 8 }),
        ]);
        assert.ok(!kernels.includes('LookrightAttention') && kernels.includes('LookrightMaskedSoftmax'), `${kernels}`);
      } finally {
        restore();
        tf.dispose([...xs, mask]);
      }
    });
  });
}

describe('native attention kernels refuse buffers that do not fit their sizes', () => {
  it('a short output, probs or mask buffer is a RangeError naming the kernel, not a write past its end', function () {
    requireAddon(this);
    const loaded = loadAddon();
    assert.ok(loaded.ok);
    const { addon } = loaded;
    const [b, s, h, d] = [2, 4, 2, 8];
    const make = (n: number) => new Float32Array(n);
    const q = make(b * s * h * d);
    const probs = make(b * h * s * s);
    const forward = (ctx: Float32Array, p: Float32Array, mask: Float32Array) =>
      addon.attentionForward(q, q, q, mask, q, q, ctx, p, b, s, h, h, d, 0, 0, s, 0.5, false, false, 0, 0);
    assert.doesNotThrow(() => forward(make(q.length), probs, make(s * s)));
    assert.throws(() => forward(make(q.length - 1), probs, make(s * s)), /attentionForward: a buffer/);
    assert.throws(() => forward(make(q.length), make(probs.length - 1), make(s * s)), /attentionForward: a buffer/);
    assert.throws(() => forward(make(q.length), probs, make(s * s - 1)), /attentionForward: a buffer/);
    const backward = (dq: Float32Array) =>
      addon.attentionBackward(
        q,
        q,
        q,
        q,
        probs,
        q,
        q,
        dq,
        make(q.length),
        make(q.length),
        b,
        s,
        h,
        h,
        d,
        0.5,
        false,
        false,
        0,
        0,
      );
    assert.doesNotThrow(() => backward(make(q.length)));
    assert.throws(() => backward(make(q.length + 1)), /attentionBackward: a buffer/);
  });
});
