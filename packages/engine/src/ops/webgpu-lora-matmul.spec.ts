import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { seeded, tensorRelative } from './packed-matmul-checks.js';
import { fusedLoraLinear } from './webgpu-lora-matmul.js';

/** The composition the kernel replaces. */
const composed = (x: tf.Tensor, w: tf.Tensor2D, a: tf.Tensor, b: tf.Tensor, s: number, bias?: tf.Tensor) => {
  const x2 = tf.reshape(x, [-1, w.shape[0]]) as tf.Tensor2D;
  const base = tf.matMul(x2, w);
  const y = tf.add(
    bias ? tf.add(base, bias) : base,
    tf.mul(tf.matMul(tf.matMul(x2, a as tf.Tensor2D), b as tf.Tensor2D), s),
  );
  return tf.reshape(y, [...x.shape.slice(0, -1), w.shape[1]]);
};

/** Only the f32 summation order differs from the composition (as for the packed-weight matmul). */
const SAME = 1e-5;

describe('fused LoRA matmul', () => {
  it('is refused on a backend without the kernel', async () => {
    await useTestBackend();
    const t = tf.ones([2, 2]) as tf.Tensor2D;
    assert.throws(
      () => fusedLoraLinear(t, t, t, t, 1),
      (e: unknown) => e instanceof LookrightError && e.code === 'LORA_FUSED_UNSUPPORTED',
    );
    t.dispose();
  });

  describe('on webgpu: value and gradients against the composition', function () {
    this.timeout(120_000);
    onWebgpuTestBackend();

    // [2, 7, 37] @ 37 x 21, r = 5: the inner K + r = 42 crosses the 16-deep tiles mid-adapter; 70 x 64 @ 64 x 133,
    // r = 16: several 64 x 64 output blocks
    const cases = [
      { lead: [2, 7], k: 37, n: 21, r: 5, bias: true },
      { lead: [70], k: 64, n: 133, r: 16, bias: false },
    ];
    for (const { lead, k, n, r, bias: withBias } of cases)
      it(`[${lead}, ${k}] @ ${k}x${n}, r=${r}${withBias ? ', trainable bias' : ''}: y, dx, dA, dB${withBias ? ', dbias' : ''}`, async () => {
        const m = lead.reduce((p, q) => p * q, 1);
        const x = tf.tensor(seeded(m * k, 1), [...lead, k]);
        const w = tf.tensor2d(seeded(k * n, 2), [k, n]);
        const a = tf.variable(tf.tensor2d(seeded(k * r, 3), [k, r]));
        const b = tf.variable(tf.tensor2d(seeded(r * n, 4), [r, n]));
        const bias = withBias ? tf.variable(tf.tensor1d(seeded(n, 5))) : undefined;
        const dy = tf.tensor(seeded(m * n, 6), [...lead, n]);
        const s = 0.75;
        try {
          const fused = fusedLoraLinear(x, w, a, b, s, bias);
          const plain = composed(x, w, a, b, s, bias);
          assert.deepEqual(fused.shape, [...lead, n]);
          assert.ok((await tensorRelative(fused, plain)) <= SAME, `value ${await tensorRelative(fused, plain)}`);
          const vars = [a, b, ...(bias ? [bias] : [])];
          const loss = (f: () => tf.Tensor) => () => tf.sum(tf.mul(f(), dy)) as tf.Scalar;
          const ours = tf.variableGrads(
            loss(() => fusedLoraLinear(x, w, a, b, s, bias)),
            vars,
          );
          const ref = tf.variableGrads(
            loss(() => composed(x, w, a, b, s, bias)),
            vars,
          );
          for (const v of vars) {
            const err = await tensorRelative(ours.grads[v.name], ref.grads[v.name]);
            assert.ok(err <= SAME, `d${v.name}: ${err}`);
          }
          const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(fusedLoraLinear(xi, w, a, b, s, bias), dy)))(x);
          const dxRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(composed(xi, w, a, b, s, bias), dy)))(x);
          assert.ok((await tensorRelative(dx, dxRef)) <= SAME, `dx ${await tensorRelative(dx, dxRef)}`);
          tf.dispose([fused, plain, dx, dxRef, ...Object.values(ours.grads), ...Object.values(ref.grads)]);
        } finally {
          tf.dispose([x, w, a, b, dy, ...(bias ? [bias] : [])]);
        }
      });
  });
});
