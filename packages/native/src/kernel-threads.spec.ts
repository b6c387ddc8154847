import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { kernelThreadCount } from './enable-native.js';
import { loadAddon, type NativeAddon } from './native-addon.js';
import { nativeLinearAdd, nativeRopeAttention } from './ops/engine-ops.js';
import {
  nativeApplyRope,
  nativeMaskedSoftmax,
  nativeMergeHeads,
  nativeRmsNorm,
  nativeRopeSplitHeads,
  nativeSeededDropout,
  nativeSwiglu,
  nativeSwigluPair,
} from './ops/native-ops.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from './testing/backends.js';
import { randomFloats } from './testing/compare.js';
import { compareOp, randomTensor as rand } from './testing/compare-ops.js';

/** Shapes large enough that every parallel kernel splits its work (>= 2 blocks of 32k elements), uneven on purpose. */
const ROWS = 3 * 103;
const HIDDEN = 260;

/** x with NaN, ±Inf and -0 at every 97th element (each must come out where the serial loop puts it). */
function withSpecials(t: tf.Tensor): tf.Tensor {
  const x = (t.dataSync() as Float32Array).slice();
  const odd = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
  for (let i = 5; i < x.length; i += 97) x[i] = odd[Math.floor(i / 97) % odd.length];
  return tf.tensor(x, t.shape);
}

/** An additive [70, 130] mask: 0 or -1e9 per element (deterministic). */
function causalishMask(): tf.Tensor {
  return tf.tensor(
    randomFloats(70 * 130, 6).map((v) => (v > 0 ? 0 : -1e9)),
    [70, 130],
  );
}

/** RoPE tables in the engine's layout: cos and sinSigned [S, 1, D]. */
function engineTables(seq: number, dim: number): [tf.Tensor, tf.Tensor] {
  const cos = new Float32Array(seq * dim);
  const sin = new Float32Array(seq * dim);
  for (let p = 0; p < seq; p++) {
    for (let i = 0; i < dim / 2; i++) {
      const angle = p * 10000 ** ((-2 * i) / dim);
      cos[p * dim + i] = Math.cos(angle);
      cos[p * dim + dim / 2 + i] = Math.cos(angle);
      sin[p * dim + i] = -Math.sin(angle);
      sin[p * dim + dim / 2 + i] = Math.sin(angle);
    }
  }
  return [tf.tensor(cos, [seq, 1, dim]), tf.tensor(sin, [seq, 1, dim])];
}

/** Value and gradients of sum(op(xs) * probe), as raw bits (so NaN payloads and -0 count). */
function bitsOf(op: (xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Uint32Array[] {
  const outputs = tf.tidy(() => {
    const value = op(xs);
    const probe = rand(value.shape, 99);
    return [value, ...tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs)];
  });
  const bits = outputs.map((t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
  tf.dispose(outputs);
  return bits;
}

function addon(): NativeAddon {
  const loaded = loadAddon();
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.addon;
}

/** Runs `op` with 1, 2 and 3 kernel threads and asserts the same bits every time. */
function assertThreadIndependent(what: string, op: (xs: tf.Tensor[]) => tf.Tensor, makeInputs: () => tf.Tensor[]) {
  const native = addon();
  const previous = native.kernelThreads();
  const xs = makeInputs();
  try {
    const results = [1, 2, 3].map((threads) => {
      native.setKernelThreads(threads);
      return bitsOf(op, xs);
    });
    for (const [i, r] of results.entries()) {
      assert.equal(r.length, results[0].length);
      for (const [j, bits] of r.entries()) {
        assert.ok(
          bits.every((b, k) => b === results[0][j][k]),
          `${what} ${j === 0 ? 'value' : `gradient ${j}`}: ${i + 1} threads differ from 1`,
        );
      }
    }
  } finally {
    native.setKernelThreads(previous);
    tf.dispose(xs);
  }
}

for (const backend of nativeBackends) {
  describe(`native kernels split over threads on ${backend}`, () => {
    beforeEach(async function () {
      requireAddon(this);
      await useNativeBackend(backend);
    });
    after(() => useStockBackend(backend));

    const cases: { what: string; op: (xs: tf.Tensor[]) => tf.Tensor; inputs: () => tf.Tensor[] }[] = [
      {
        what: 'RMSNorm',
        op: ([x, w]) => nativeRmsNorm(x, w, 1e-6),
        inputs: () => [withSpecials(rand([3, 103, HIDDEN], 1, 3)), rand([HIDDEN], 2)],
      },
      { what: 'SwiGLU (fused gate|up)', op: ([gu]) => nativeSwiglu(gu), inputs: () => [rand([ROWS, 2 * 130], 3, 4)] },
      {
        what: 'SwiGLU (pair)',
        op: ([g, u]) => nativeSwigluPair(g, u),
        inputs: () => [withSpecials(rand([ROWS, 230], 4, 4)), rand([ROWS, 230], 5)],
      },
      {
        what: 'masked softmax',
        op: ([s]) => nativeMaskedSoftmax(s, causalishMask(), 0.125),
        inputs: () => [withSpecials(rand([3, 4, 70, 130], 7, 3))],
      },
      {
        what: 'RoPE split, merge and in-layout rotation',
        op: ([x]) => {
          const [cos, sin] = engineTables(101, 64);
          const split = nativeRopeSplitHeads(tf.reshape(x, [3, 101, 4 * 64]), cos, sin, 4, 32);
          const merged = nativeMergeHeads(split);
          return nativeApplyRope(tf.reshape(merged, [3, 101, 4, 64]), cos, sin);
        },
        inputs: () => [withSpecials(rand([3, 101, 4, 64], 8))],
      },
      {
        what: 'fused attention with RoPE (grouped heads)',
        op: ([q, k, v]) => {
          const [cos, sin] = engineTables(40, 64);
          return nativeRopeAttention(q, k, v, cos, sin, causalishMask().slice([0, 0], [40, 40]), {
            numHeads: 4,
            numKvHeads: 2,
            headDim: 64,
          });
        },
        inputs: () => [withSpecials(rand([3, 40, 4, 64], 10)), rand([3, 40, 2, 64], 11), rand([3, 40, 2, 64], 12)],
      },
      {
        what: 'seeded dropout',
        op: ([x]) => nativeSeededDropout(x, 0.1, 2 ** 32 - 5),
        inputs: () => [withSpecials(rand([5, 101, 300], 9))],
      },
      {
        what: 'add and multiply (element-wise and scalar)',
        op: ([a, b]) => tf.add(tf.mul(a, b), tf.mul(a, 0.5)),
        inputs: () => [withSpecials(rand([ROWS, 517], 10)), rand([ROWS, 517], 11)],
      },
      {
        what: 'linearAdd epilogue',
        op: ([x, addend]) => nativeLinearAdd(x, rand([64, 300], 13) as tf.Tensor2D, addend, 0.25),
        inputs: () => [rand([ROWS, 64], 12), withSpecials(rand([ROWS, 300], 14))],
      },
      {
        what: 'batched small matmuls (attention scores and context)',
        op: ([q, k]) => tf.matMul(tf.matMul(q, k, false, true), k),
        inputs: () => [withSpecials(rand([7, 4, 33, 24], 15)), rand([7, 4, 33, 24], 16)],
      },
    ];

    for (const c of cases) {
      it(`${c.what}: value and gradients bit for bit with 1, 2 and 3 threads`, () =>
        assertThreadIndependent(c.what, c.op, c.inputs));
    }

    it('split kernels still match tfjs at these sizes (RMSNorm, masked softmax, batched matmul)', async () => {
      await compareOp(
        backend,
        'rmsNorm',
        ([x, w]) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6))), w),
        ([x, w]) => nativeRmsNorm(x, w, 1e-6),
        () => [rand([3, 103, HIDDEN], 1, 3), rand([HIDDEN], 2)],
      );
      const mask = causalishMask();
      await compareOp(
        backend,
        'maskedSoftmax',
        ([s]) => tf.softmax(tf.add(tf.mul(s, 0.125), mask)),
        ([s]) => nativeMaskedSoftmax(s, mask, 0.125),
        () => [rand([3, 4, 70, 130], 7, 3)],
      ).finally(() => mask.dispose());
      await compareOp(
        backend,
        'batchMatMul',
        ([q, k]) => tf.matMul(q, k, false, true),
        ([q, k]) => tf.matMul(q, k, false, true),
        () => [rand([7, 4, 33, 24], 15), rand([7, 4, 33, 24], 16)],
      );
    });
  });
}

describe('fused AdamW split over threads', () => {
  beforeEach(function () {
    requireAddon(this);
  });

  it('updates every element exactly as one thread does, in place and into separate buffers', () => {
    const native = addon();
    const previous = native.kernelThreads();
    const n = 3 * 65536 + 17;
    const scalars = [0.9, 0.1, 0.95, 0.05, 0.19, 0.0975, 1e-5, 0.99998, 2e-4, 0.5];
    const run = (threads: number, inPlace: boolean) => {
      native.setKernelThreads(threads);
      const [p, g, m, v] = [1, 2, 3, 4].map((seed) => randomFloats(n, seed));
      for (const i of [0, n - 1]) v[i] = Math.abs(v[i]);
      g[n >> 1] = Number.NaN;
      const outs = inPlace ? [p, m, v] : [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      native.adamwUpdate(p, g, m, v, outs[0], outs[1], outs[2], n, ...scalars);
      return outs.map((o) => new Uint32Array(o.buffer));
    };
    try {
      for (const inPlace of [true, false]) {
        const one = run(1, inPlace);
        const two = run(2, inPlace);
        for (const [i, bits] of two.entries()) {
          assert.ok(
            bits.every((b, k) => b === one[i][k]),
            `${inPlace ? 'in place' : 'separate'}: output ${i} differs`,
          );
        }
      }
    } finally {
      native.setKernelThreads(previous);
    }
  });
});

describe('kernel thread pool under many back-to-back jobs', () => {
  beforeEach(function () {
    requireAddon(this);
  });

  it('finishes 3,000 jobs with more threads than cores, each result complete', () => {
    const native = addon();
    const previous = native.kernelThreads();
    const n = 4 * 32768 + 5;
    const a = randomFloats(n, 31);
    const b = randomFloats(n, 32);
    const expected = a.map((x, i) => Math.fround(x + b[i]));
    const out = new Float32Array(n);
    try {
      native.setKernelThreads(4);
      for (let job = 0; job < 3000; job++) {
        out.fill(Number.NaN);
        native.binaryF32(0, a, b, out);
        if (job % 100 === 0 || job === 2999) assert.deepEqual(out, expected, `job ${job}`);
        else assert.ok(!Number.isNaN(out[0]) && !Number.isNaN(out[n - 1]), `job ${job}: first or last block missing`);
      }
    } finally {
      native.setKernelThreads(previous);
    }
  });
});

describe('kernelThreadCount', () => {
  it('defaults to the BLAS thread count and reads LOOKRIGHT_NATIVE_KERNEL_THREADS', () => {
    assert.equal(kernelThreadCount(2, {}), 2);
    assert.equal(kernelThreadCount(1, { LOOKRIGHT_NATIVE_KERNEL_THREADS: '' }), 1);
    assert.equal(kernelThreadCount(2, { LOOKRIGHT_NATIVE_KERNEL_THREADS: '1' }), 1);
    assert.equal(kernelThreadCount(1, { LOOKRIGHT_NATIVE_KERNEL_THREADS: '4' }), 4);
  });

  it('rejects a value that is not a whole number from 1 to 64, naming the variable', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      assert.throws(
        () => kernelThreadCount(2, { LOOKRIGHT_NATIVE_KERNEL_THREADS: bad }),
        (err: unknown) =>
          err instanceof LookrightError &&
          err.code === 'NATIVE_KERNEL_THREADS' &&
          err.message.includes('LOOKRIGHT_NATIVE_KERNEL_THREADS') &&
          err.message.includes(`"${bad}"`),
      );
    }
  });
});
