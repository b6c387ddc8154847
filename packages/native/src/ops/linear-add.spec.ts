import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { nativeKernelActive } from '../enable-native.js';
import { LINEAR_ADD } from '../kernels/linear-add.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '../testing/backends.js';
import { compareOp, randomTensor as rand } from '../testing/compare-ops.js';
import { nativeLinear, nativeLinearAdd } from './engine-ops.js';

/** One case: input [..., in], kernel [in, out], optional scale (a LoRA update) and bias. */
interface Case {
  lead: number[];
  inF: number;
  outF: number;
  scale?: number;
  bias?: boolean;
}

const cases: Case[] = [
  { lead: [2, 5], inF: 6, outF: 4, bias: true },
  { lead: [3, 7], inF: 16, outF: 9, scale: 0.25 },
  { lead: [1, 1], inF: 1, outF: 1, scale: -3 },
  { lead: [4, 33], inF: 40, outF: 24, scale: 0.125, bias: true },
];

const title = (c: Case) =>
  `[${c.lead}, ${c.inF}] x [${c.inF}, ${c.outF}]${c.bias ? ' + bias' : ''}${c.scale === undefined ? '' : ` × ${c.scale}`}`;

/** The composition linearAdd replaces: addend + scale * linear(x, kernel, bias), through `linear`. */
function composed(linear: typeof nativeLinear, c: Case) {
  return ([x, w, addend, b]: tf.Tensor[]) => {
    const y = linear(x, w as tf.Tensor2D, b as tf.Tensor1D | undefined);
    return tf.add(addend, c.scale === undefined ? y : tf.mul(y, c.scale));
  };
}

/** Inputs of a case; the kernel (and bias) are trainable variables so their gradients are checked too. */
function inputsOf(c: Case, w: tf.Variable, b: tf.Variable | undefined) {
  return () => [rand([...c.lead, c.inF], 1), w, rand([...c.lead, c.outF], 2, 3), ...(b ? [b] : [])];
}

/** Value and gradients of sum(op(xs) * probe) w.r.t. every input, as arrays. */
function valueAndGrads(op: (xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const value = op(xs);
    const probe = rand(value.shape, 99);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(op(ins), probe)))(xs);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

for (const backend of nativeBackends) {
  describe(`native linearAdd (GEMM with the add in its epilogue) on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const c of cases) {
      it(`${title(c)}: value and every gradient match tfjs's own kernels`, async () => {
        await useStockBackend(backend);
        const w = tf.variable(rand([c.inF, c.outF], 3));
        const b = c.bias ? tf.variable(rand([c.outF], 4)) : undefined;
        const reference = ([x, wi, addend, bi]: tf.Tensor[]) => {
          const y2 = tf.matMul(tf.reshape(x, [-1, c.inF]), wi);
          const y = tf.reshape(bi ? tf.add(y2, bi) : y2, [...c.lead, c.outF]);
          return tf.add(addend, c.scale === undefined ? y : tf.mul(y, c.scale));
        };
        const native = ([x, wi, addend, bi]: tf.Tensor[]) =>
          nativeLinearAdd(x, wi as tf.Tensor2D, addend, c.scale, bi as tf.Tensor1D | undefined);
        await compareOp(backend, 'linearAdd', reference, native, inputsOf(c, w, b)).finally(() =>
          tf.dispose([w, ...(b ? [b] : [])]),
        );
      });

      it(`${title(c)}: bit-identical to add(addend, mul(nativeLinear, scale)) in value and gradients`, async () => {
        await useNativeBackend(backend);
        assert.ok(nativeKernelActive(LINEAR_ADD), 'the fused kernel is registered');
        const w = tf.variable(rand([c.inF, c.outF], 3));
        const b = c.bias ? tf.variable(rand([c.outF], 4)) : undefined;
        const xs = inputsOf(c, w, b)();
        const fused = valueAndGrads(
          ([x, wi, addend, bi]) =>
            nativeLinearAdd(x, wi as tf.Tensor2D, addend, c.scale, bi as tf.Tensor1D | undefined),
          xs,
        );
        const plain = valueAndGrads(composed(nativeLinear, c), xs);
        for (const [i, p] of plain.entries()) assert.deepEqual(fused[i], p, `${i === 0 ? 'value' : `gradient ${i}`}`);
        tf.dispose([...xs]);
      });
    }

    it('NaN and Inf in the input, kernel or addend propagate as in tfjs', async () => {
      await useStockBackend(backend);
      const x = tf.tensor([1, Number.NaN, 2, 3, 4, 5], [1, 2, 3]);
      const w = tf.tensor([1, 0, 0, 1, Number.POSITIVE_INFINITY, 0], [3, 2]);
      const addend = tf.tensor([0, 1, 1, Number.NEGATIVE_INFINITY], [1, 2, 2]);
      const expected = tf.add(addend, tf.mul(tf.reshape(tf.matMul(tf.reshape(x, [2, 3]), w), [1, 2, 2]), 2));
      const want = Array.from(expected.dataSync());
      await useNativeBackend(backend);
      const got = Array.from(nativeLinearAdd(x, w as tf.Tensor2D, addend, 2).dataSync());
      assert.deepEqual(got, want, `tfjs gives ${want}`);
      const kept = [Number.NaN, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
      assert.deepEqual(got, kept, 'NaN from x, +Inf from the kernel, -Inf from the addend');
      tf.dispose([x, w, addend, expected]);
    });

    it("a bias of the wrong length gets tfjs's own shape error, not a missing-fallback error", async () => {
      await useNativeBackend(backend);
      const x = rand([2, 3, 4], 5);
      const w = rand([4, 6], 6) as tf.Tensor2D;
      const addend = rand([2, 3, 6], 7);
      const bias = rand([5], 8) as tf.Tensor1D;
      assert.throws(
        () => nativeLinearAdd(x, w, addend, undefined, bias),
        (err: Error) => !/fallback/.test(err.message),
      );
      tf.dispose([x, w, addend, bias]);
    });

    it('an addend of another shape goes through the plain composition (no fused kernel)', async () => {
      await useNativeBackend(backend);
      const x = rand([2, 3, 4], 5);
      const w = rand([4, 6], 6) as tf.Tensor2D;
      const row = rand([6], 7);
      const got = nativeLinearAdd(x, w, row, 0.5);
      const want = tf.add(row, tf.mul(nativeLinear(x, w), 0.5));
      assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()));
      tf.dispose([x, w, row, got, want]);
    });
  });
}
