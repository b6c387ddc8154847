import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpuBackend } from '../testing/use-cpu-backend.js';
import { AdamW } from './adamw.js';
import { clipByGlobalNorm } from './clip-global-norm.js';
import { GradientAccumulator } from './gradient-accumulator.js';
import { learningRateAt, warmupStepsFor } from './schedule.js';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('optimisation', () => {
  before(useCpuBackend);

  it('AdamW: two hand-derived steps, decay applied to matrices only and decoupled from the gradient', () => {
    const w = tf.variable(tf.tensor2d([[1]]));
    const b = tf.variable(tf.tensor1d([1]));
    const opt = new AdamW([w, b], { betas: [0.9, 0.99], eps: 1e-8, weightDecay: 0.5 });
    const lr = 0.1;
    // step 1: m̂ = g, v̂ = g², so the Adam update is lr·g/(|g|+eps) ≈ lr·sign(g).
    opt.apply([tf.tensor2d([[2]]), tf.tensor1d([2])], lr);
    const w1 = 1 * (1 - lr * 0.5) - lr * (2 / (2 + 1e-8));
    const b1 = 1 - lr * (2 / (2 + 1e-8));
    close(w.dataSync()[0], w1);
    close(b.dataSync()[0], b1);
    // step 2 with g = -1: m = 0.9·0.2 + 0.1·(-1) = 0.08, v = 0.99·0.04 + 0.01·1 = 0.0496.
    opt.apply([tf.tensor2d([[-1]]), tf.tensor1d([-1])], lr);
    const mHat = 0.08 / (1 - 0.9 ** 2);
    const vHat = 0.0496 / (1 - 0.99 ** 2);
    const update = mHat / (Math.sqrt(vHat) + 1e-8);
    close(w.dataSync()[0], w1 * (1 - lr * 0.5) - lr * update);
    close(b.dataSync()[0], b1 - lr * update);
    assert.equal(opt.stepCount, 2);
    opt.dispose();
  });

  it('AdamW state round-trips: a restored optimiser continues identically', async () => {
    const make = () => tf.variable(tf.tensor2d([[0.5, -0.25]]));
    const grads = [tf.tensor2d([[0.3, -0.7]])];
    const a = make();
    const optA = new AdamW([a], { betas: [0.9, 0.95], eps: 1e-5, weightDecay: 0.1 });
    optA.apply(grads, 0.01);
    const b = tf.variable(a.clone());
    const optB = new AdamW([b], { betas: [0.9, 0.95], eps: 1e-5, weightDecay: 0.1 });
    optB.setState(await optA.getState());
    optA.apply(grads, 0.01);
    optB.apply(grads, 0.01);
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  });

  it('schedules: warm-up, then cosine / linear / constant', () => {
    const base = { baseRate: 1, totalSteps: 110, warmupSteps: 10 };
    close(learningRateAt({ ...base, kind: 'cosine' }, 0), 0);
    close(learningRateAt({ ...base, kind: 'cosine' }, 5), 0.5);
    close(learningRateAt({ ...base, kind: 'cosine' }, 10), 1);
    close(learningRateAt({ ...base, kind: 'cosine' }, 60), 0.5);
    close(learningRateAt({ ...base, kind: 'cosine' }, 110), 0);
    close(learningRateAt({ ...base, kind: 'linear' }, 35), 0.75);
    close(learningRateAt({ ...base, kind: 'constant' }, 100), 1);
    close(learningRateAt({ kind: 'cosine', baseRate: 2e-4, totalSteps: 4, warmupSteps: 0 }, 0), 2e-4);
    assert.equal(warmupStepsFor(0.06, 100), 6);
    assert.throws(() => learningRateAt({ ...base, kind: 'cosine', warmupSteps: 200 }, 0), /warm-up/);
  });

  it('clips by global norm and leaves small gradients alone', () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
    close(norm.dataSync()[0], 5, 1e-5);
    close(grads[0].dataSync()[0], 0.6, 1e-5);
    close(grads[1].dataSync()[0], 0.8, 1e-5);
    const small = clipByGlobalNorm([tf.tensor1d([0.3]), tf.tensor1d([0.4])], 1);
    close(small.grads[1].dataSync()[0], 0.4);
    const off = clipByGlobalNorm([tf.tensor1d([30]), tf.tensor1d([40])], null);
    close(off.grads[0].dataSync()[0], 30);
  });

  it('accumulating two micro-batches gives the gradient of the whole batch', () => {
    const w = tf.variable(tf.tensor1d([0.5, -1]));
    const x = [
      [1, 2],
      [3, -1],
      [0.5, 0.5],
      [-2, 1],
    ];
    const y = [1, 0, 2, -1];
    const lossOn = (rows: number[]) => () =>
      tf.mean(
        tf.square(tf.sub(tf.sum(tf.mul(tf.tensor2d(rows.map((r) => x[r])), w), 1), tf.tensor1d(rows.map((r) => y[r])))),
      ) as tf.Scalar;
    const whole = tf.variableGrads(lossOn([0, 1, 2, 3])).grads[w.name];
    const acc = new GradientAccumulator();
    acc.add([tf.variableGrads(lossOn([0, 1])).grads[w.name]]);
    acc.add([tf.variableGrads(lossOn([2, 3])).grads[w.name]]);
    assert.equal(acc.size, 2);
    const [mean] = acc.take();
    const expected = whole.dataSync();
    for (const [i, v] of mean.dataSync().entries()) close(v, expected[i], 1e-5);
    assert.equal(acc.size, 0);
  });

  it('GradientAccumulator hands back a single micro-batch gradient unchanged, without a division kernel', async () => {
    const acc = new GradientAccumulator();
    const g = tf.tensor1d([0.1, -3, Number.NaN]);
    acc.add([g]);
    const profile = await tf.profile(() => {
      const [mean] = acc.take();
      return mean;
    });
    assert.deepEqual(
      profile.kernels.map((k) => k.name),
      [],
      'no kernel ran',
    );
    const mean = profile.result as tf.Tensor;
    assert.deepEqual([...mean.dataSync()], [...g.dataSync()]);
    tf.dispose([g, mean]);
  });
});
